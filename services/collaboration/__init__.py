"""The 鲁渝科技协作 platform inside the services app: map, expert board, 留言.

Kept in its own sub-package so the SME-request work in the rest of ``services``
can change in parallel without touching these files.
"""

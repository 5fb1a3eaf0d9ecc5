"""SQLite statements converted to its parameter style once per process.

Django writes SQL with ``%s`` placeholders; its SQLite cursor rewrites them to ``?``
with a regular expression on every execution (``SQLiteCursorWrapper.convert_query``).
For the routing statement (about 2,900 characters) that was 33 µs, some 0.1 ms of each
page view over its seven statements. The rewrite depends on the text alone, so the
answers are kept, bounded: statements with many ``IN`` values vary without limit.
"""

from django.db.backends.sqlite3 import base

from cms.kept import remember

MAX_STATEMENTS = 1000

_django_convert_query = base.SQLiteCursorWrapper.convert_query
_kept = {}


def convert_query(self, query, *, param_names=None):
    if param_names is not None:  # named ("pyformat") parameters: Django's way
        return _django_convert_query(self, query, param_names=param_names)
    return remember(_kept, query, lambda: _django_convert_query(self, query), MAX_STATEMENTS)


def install():
    """Put ``convert_query`` in place of Django's (called once, at start-up)."""
    base.SQLiteCursorWrapper.convert_query = convert_query

"""The default site search backend: Chinese-aware, on whatever database is in use.

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}``
picks the SQLite or PostgreSQL variant like modelsearch's own ``database``
backend does. Other databases (MySQL) get modelsearch's backend unchanged,
with a warning, because their full-text parsers need a different approach.
"""

import functools
import logging

from django.db import connection

logger = logging.getLogger(__name__)


@functools.cache
def fts5_available():
    """modelsearch's check, once per process: it creates an in-memory database and an FTS5
    table on every call, and a search builds its backend twice (results and counts)."""
    from modelsearch.backends.database.sqlite.utils import fts5_available as check

    return check()


def SearchBackend(params):
    if connection.vendor == "postgresql":
        from .postgres import ChinesePostgresSearchBackend

        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite" and fts5_available():
        from .sqlite import ChineseSQLiteSearchBackend

        return ChineseSQLiteSearchBackend(params)
    from modelsearch.backends.database import SearchBackend as StockBackend

    logger.warning(
        "search: no Chinese segmentation for database vendor %r; using the stock backend",
        connection.vendor,
    )
    return StockBackend(params)

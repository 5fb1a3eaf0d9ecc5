"""Popular-search hits, counted in each worker and written to the database in batches.

The admin's popular-searches report (``wagtail.contrib.search_promotions``) reads daily
hit counts per query. Writing one on every first-page search made the workers queue on
SQLite's write lock: under load a worker that finds the lock taken sleeps in SQLite's
busy handler, and page 2 of a search (no hit) served 236 requests/s against 175-187 for
page 1. Each worker now adds its hits up in memory and writes them, one transaction for
all queries, when ``SEARCH_HITS_FLUSH_SECONDS`` have passed since its last write (on the
next search), when it has ``SEARCH_HITS_MAX_PENDING`` waiting, and when it exits. The
report can lag by that long; a worker killed without exiting loses what it held.
``SEARCH_HITS_FLUSH_SECONDS = 0`` writes every hit at once.
"""

import atexit
import collections
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending = collections.Counter()  # (query string, date) -> hits not yet written
_last_write = time.monotonic()


def record(query):
    """Count one search for ``query`` today; write the batch when it is due."""
    global _last_write
    with _lock:
        _pending[(query, timezone.now().date())] += 1
        now = time.monotonic()
        due = (
            now - _last_write >= settings.SEARCH_HITS_FLUSH_SECONDS
            or sum(_pending.values()) >= settings.SEARCH_HITS_MAX_PENDING
        )
    if due:
        try:
            flush()
        except DatabaseError:  # kept for the next batch; the search itself goes on
            logger.exception("popular-search hits not written")


def pending():
    """Hits counted here and not yet written: ``{(query string, date): hits}``."""
    with _lock:
        return dict(_pending)


def flush():
    """Write the hits this worker holds, in one transaction; keep them if the write fails."""
    global _last_write
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_write = time.monotonic()
    if not batch:
        return
    try:
        with transaction.atomic():
            for (query_string, date), hits in batch.items():
                query = Query.get(query_string)
                _add(query, date, hits)
    except Exception:
        with _lock:  # not written: count them again with the next batch
            _pending.update(batch)
        raise


def _add(query, date, hits):
    today = QueryDailyHits.objects.filter(query=query, date=date)
    if today.update(hits=F("hits") + hits):
        return
    try:
        with transaction.atomic():  # another worker may create the day's row first
            QueryDailyHits.objects.create(query=query, date=date, hits=hits)
    except IntegrityError:
        today.update(hits=F("hits") + hits)


def _flush_at_exit():
    try:
        flush()
    except Exception:  # the process is ending: say what was lost
        logger.exception("popular-search hits not written at exit")


atexit.register(_flush_at_exit)

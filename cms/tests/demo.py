"""The demo content loaded once for a module's tests."""

import contextlib
from io import StringIO

from django.core.management import call_command
from django.db import transaction


@contextlib.contextmanager
def demo_loaded(django_db_blocker, *options):
    """``load_demo`` with ``options`` inside a transaction rolled back on leaving: for a
    module-scoped fixture, so that a module's tests share one load."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", *options, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

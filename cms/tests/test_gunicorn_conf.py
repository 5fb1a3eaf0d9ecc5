"""The production server's settings file (gunicorn.conf.py)."""

import gc
import runpy
import weakref
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


class Cycle:
    """An object that refers to itself: only the cyclic collector can free it."""

    def __init__(self):
        self.me = self


def test_the_preloaded_application_is_frozen_before_each_fork():
    """What exists at the fork goes to the collector's permanent generation (a worker's
    collections do not walk it); what is made after is collected as usual."""
    conf = runpy.run_path(str(CONF))
    assert conf["preload_app"] is True  # the application is loaded before the fork
    before = Cycle()
    made_before = weakref.ref(before)
    try:
        conf["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
        del before  # unreachable now, but frozen while it was still in use
        after = Cycle()
        made_after = weakref.ref(after)
        del after
        gc.collect()
        assert made_after() is None  # collected
        assert made_before() is not None  # frozen: not walked, so not freed
    finally:
        gc.unfreeze()
    gc.collect()
    assert made_before() is None

"""The production server's settings file (gunicorn.conf.py)."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_preloaded_application_is_frozen_before_each_fork():
    """Objects made before the fork go to the collector's permanent generation, so a
    worker's full collections do not walk them; objects made after are collected."""
    conf = runpy.run_path(str(CONF))
    assert conf["preload_app"] is True  # the application is loaded before the fork
    made_before = [[]]  # a container the collector tracks
    try:
        conf["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        made_after = [[]]
        assert gc.is_tracked(made_after)
        assert gc.get_freeze_count() == frozen  # only what existed at the fork
        assert made_before
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0

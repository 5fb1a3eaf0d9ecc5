"""The production server's settings file (gunicorn.conf.py)."""

import gc
import runpy
import subprocess
import sys
import time
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


WARM_UP_PROBE = """
import django
django.setup()
from django.db import connection
from django.template import engines
from search import segmentation
from cms.warmup import warm_up
connection.ensure_connection()
timings = warm_up()
cache = engines["django"].engine.template_loaders[0].get_template_cache
print(sorted(timings))
print(segmentation._base_dictionary is not None, segmentation._segmenter is not None)
print("base.html" in cache, "policy/blocks/measure_block.html" in cache, "bootstrap5/field.html" in cache)
print(connection.connection is None)
"""


def server_env(tmp_path):
    from bench.pages import site_env

    env = site_env(tmp_path)  # production settings on an empty SQLite file in tmp_path
    return {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}


def test_warm_up_loads_what_workers_need_and_leaves_no_connection(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP_PROBE],
        cwd=CONF.parent,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "failed" not in result.stderr, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "['search dictionary', 'templates', 'translations', 'urls']",
        "True True",  # jieba's dictionary and the segmenter built from it
        "True True True",  # project and crispy templates compiled into the cached loader
        "True",  # the connection the warm-up used is closed before any fork
    ]


def test_gunicorn_warms_up_in_the_master_before_the_first_worker(tmp_path):
    from bench.pages import free_port

    log = tmp_path / "gunicorn.log"
    env = {**server_env(tmp_path), "GUNICORN_BIND": f"127.0.0.1:{free_port()}", "WEB_CONCURRENCY": "1"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", str(CONF), "cms.wsgi"],
            cwd=CONF.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while "Booting worker" not in log.read_text() and time.monotonic() < deadline:
                assert server.poll() is None, log.read_text()[-3000:]
                time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    assert "warm-up: urls" in text and "search dictionary" in text, text[-3000:]
    assert text.index("warm-up: urls") < text.index("Booting worker"), text[-3000:]
    assert "failed" not in text, text[-3000:]


def test_a_failing_warm_up_step_is_logged_and_the_others_still_run(tmp_path, settings, caplog):
    from cms.warmup import warm_up

    (tmp_path / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level("ERROR", logger="cms.warmup"):
        timings = warm_up()
    assert set(timings) == {"urls", "translations", "templates", "search dictionary"}
    assert [record.getMessage() for record in caplog.records] == ["warm-up step templates failed"]

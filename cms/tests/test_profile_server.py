"""bench/profile_server.py: py-spy's raw stacks read into the layers it reports."""

from bench.profile_server import frame_name, function_shares, layer_shares, parse_raw

SITE = "/srv/.venv/lib/python3.11/site-packages"
WORKER = (
    f'process 12:"gunicorn: worker";<module> ({SITE}/gunicorn/app/wsgiapp.py:8);'
    f"Worker.init_process ({SITE}/gunicorn/workers/base.py:142);SyncWorker.handle ({SITE}/gunicorn/workers/sync.py:135)"
)
DJANGO = f"{WORKER};WSGIHandler.__call__ ({SITE}/django/core/handlers/wsgi.py:124)"
VIEW = f"{DJANGO};BaseHandler._get_response ({SITE}/django/core/handlers/base.py:197)"
RAW = [
    f"{WORKER};write ({SITE}/gunicorn/util.py:300) 30\n",  # the socket write after Django answered
    f"{VIEW};SimpleTemplateResponse.render ({SITE}/django/template/response.py:114) 40\n",
    f"{VIEW};CursorWrapper._execute ({SITE}/django/db/backends/utils.py:105) 20\n",
    f"{DJANGO};CSPMiddleware.process_response ({SITE}/csp/middleware.py:70) 10\n",
    f'process 11:"gunicorn: master";Arbiter.run ({SITE}/gunicorn/arbiter.py:230) 500\n',  # left out
    "not a stack line\n",
]


def test_frames_lose_their_line_and_path_prefix():
    assert (
        frame_name(f"Model.from_db ({SITE}/django/db/models/base.py:576)")
        == "Model.from_db (django/db/models/base.py)"
    )
    assert frame_name("route (/work/main/cms/models.py:377)") == "route (/work/main/cms/models.py)"


def test_only_the_workers_samples_are_read():
    stacks = parse_raw(RAW)
    assert sum(count for _frames, count in stacks) == 100
    assert all("Worker.init_process (gunicorn/workers/base.py)" in frames for frames, _count in stacks)


def test_layers_are_shares_of_the_workers_samples():
    shares = layer_shares(parse_raw(RAW))
    assert shares["Django (all of it)"] == 0.7
    assert shares["view and rendering"] == 0.6
    assert shares["template rendering"] == 0.4
    assert shares["SQL (execute and fetch)"] == 0.2
    assert shares["model instances from rows"] == 0


def test_inclusive_and_own_samples_per_function():
    inclusive, own = function_shares(parse_raw(RAW))
    assert inclusive["WSGIHandler.__call__ (django/core/handlers/wsgi.py)"] == 70
    assert inclusive["SyncWorker.handle (gunicorn/workers/sync.py)"] == 100
    assert own["write (gunicorn/util.py)"] == 30
    assert own["SyncWorker.handle (gunicorn/workers/sync.py)"] == 0

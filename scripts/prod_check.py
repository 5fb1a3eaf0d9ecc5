"""`make prod-check`: the production path end to end on this machine.

collectstatic, check --deploy, migrate and load the demo on the configured database
(DATABASE_URL, REDIS_URL are honoured), start gunicorn with production settings on a
free loopback port, fetch the main pages and /healthz, stop. Exits non-zero on failure.
"""

import os
import secrets
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PAGES = ["/", "/news/", "/policies/", "/services/", "/collaboration/", "/search/?q=%E9%87%8D%E5%BA%86", "/healthz"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
    }
    python = sys.executable
    steps = [
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        [python, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        [python, "manage.py", "migrate", "--noinput", "-v0"],
        [python, "manage.py", "load_demo", "-v0"],
    ]
    for step in steps:
        print("$", " ".join(step[1:]), flush=True)
        subprocess.run(step, cwd=BASE_DIR, env=env, check=True)  # nosec B603
    gunicorn = Path(python).with_name("gunicorn")
    print(f"$ gunicorn -c gunicorn.conf.py cms.wsgi (127.0.0.1:{port})", flush=True)
    server = subprocess.Popen(  # nosec B603
        [str(gunicorn), "-c", "gunicorn.conf.py", "cms.wsgi"], cwd=BASE_DIR, env=env
    )
    failures = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.5)
        for path in PAGES:
            try:
                status, size = fetch(base + path)
            except urllib.error.HTTPError as error:
                status, size = error.code, 0
            print(f"  {status} {size:>7} B  {path}", flush=True)
            if status != 200:
                failures.append(path)
        status, _size = fetch(base + "/static/vendor/bootstrap/bootstrap.min.css")
        print(f"  {status} static file served by whitenoise", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        raise SystemExit(f"failed: {failures}")
    print("prod-check: OK")


def fetch(url):
    # The proxy in front terminates TLS and says so; without the header we'd be redirected.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    with urllib.request.urlopen(request, timeout=10) as response:  # nosec B310
        return response.status, len(response.read())


if __name__ == "__main__":
    main()

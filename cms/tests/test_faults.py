"""Faults against a real gunicorn with production settings: killed workers and a database outage.

One demo site per database (built once for the module, like bench/load.py builds it):

- a worker killed with SIGKILL while it reads a submission's body, or while the submission's
  transaction is open (SERVICES_TEST_PAUSE_IN_TRANSACTION holds it there), leaves no
  request row, no attachment row and, after ``clean_orphan_files``, no file; the next
  submission on the respawned worker is saved whole;
- the database unreachable (SQLite: its directory renamed away; PostgreSQL: a TCP proxy in
  front of it closed) makes /healthz answer 503 and pages answer the Chinese 503 page with
  Retry-After; when it comes back the same server answers 200 again, without a restart.

The mail-server-down fault is covered in services/tests/test_pipeline.py
(test_failing_mail_server_never_loses_or_blocks_a_request: SMTP on a closed port), and an
unreachable Elasticsearch in search/tests/test_fallback.py.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench.load import CREDIT_CODE, detail_fields, multipart, postgres_database, small_pdf
from bench.pages import BASE_DIR, PYTHON, build_site, site_env, start

pytestmark = pytest.mark.xdist_group("faults")

STATE = r"""
import json, os
from services.management.commands.clean_orphan_files import stored_files
from services.models import RequestAttachment, RequestEvent, ServiceRequest
from services.storage import private_storage
company = os.environ["FAULT_COMPANY"]
requests = ServiceRequest.objects.filter(company_name=company)
referenced = set(RequestAttachment.objects.values_list("file", flat=True))
print(json.dumps({
    "requests": requests.count(),
    "attachments": RequestAttachment.objects.filter(request__company_name=company).count(),
    "events": RequestEvent.objects.filter(request__company_name=company).count(),
    "attachments_without_request": RequestAttachment.objects.filter(request__isnull=True).count(),
    "orphan_files": sorted(set(stored_files(private_storage())) - referenced),
}))
"""


class Site:
    """A built demo site (environment + working directory) and the servers started on it."""

    def __init__(self, workdir, database_url=None):
        self.workdir = workdir
        self.env = site_env(workdir, database_url)
        (workdir / "db").mkdir()
        self.env.update(
            {
                "SQLITE_PATH": str(workdir / "db" / "site.sqlite3"),
                "SERVICES_SUBMIT_PER_HOUR": "1000",
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            }
        )
        self.prod = {**self.env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
        self.servers = []

    def build(self):
        build_site(self.prod, quiet=True)

    def serve(self, **extra_env):
        log_path = self.workdir / f"gunicorn-{len(self.servers)}.log"
        log = open(log_path, "w")  # noqa: SIM115
        process, base = start({**self.env, **extra_env}, "cms.settings.production", 0, log=log, workers=1)
        self.servers.append((process, log))
        return Server(process, base, log_path)

    def manage(self, *args, **extra_env):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.prod, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def state(self, company):
        out = self.manage("shell", "-c", STATE, FAULT_COMPANY=company)
        return json.loads(out.strip().splitlines()[-1])

    def stop(self):
        for process, log in self.servers:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
            log.close()


class Server:
    def __init__(self, process, base, log_path):
        self.process, self.base, self.log_path = process, base, log_path
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port

    def get(self, path, cookies=None):
        return http_request(self.host, self.port, "GET", path, cookies=cookies)

    def worker_pids(self):
        """gunicorn's workers: the children of the master this test started."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def wait_for_worker(self, other_than=(), timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = [pid for pid in self.worker_pids() if pid not in other_than]
            if pids:
                return pids[0]
            time.sleep(0.1)
        raise AssertionError("no gunicorn worker")

    def log_contains(self, text):
        return text in self.log_path.read_text(errors="replace")


def http_request(host, port, method, path, body=None, headers=None, cookies=None):
    import http.client

    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    if cookies is not None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
    return response.status, response.headers, text


def filled_form(server, key="testing"):
    """(cookies, multipart body, content type, company) for a valid submission, after the fill time."""
    cookies = {}
    status, _headers, html = server.get(f"/services/{key}/", cookies)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    region = re.search(r'<select name="region".*?<option value="(\d+)"', html, re.S).group(1)
    company = f"示例故障测试企业{secrets.token_hex(4)}"
    fields = [
        ("csrfmiddlewaretoken", token),
        ("started", started),
        ("company_name", company),
        ("credit_code", CREDIT_CODE),
        ("tier", "municipal"),
        ("region", region),
        ("industry", "汽车零部件制造"),
        ("employees", "50"),
        ("contact_name", "王五"),
        ("phone", "13812345678"),
        ("description", "故障测试"),
        ("consent", "on"),
        *[(f"detail-{name}", value) for name, value in detail_fields(key)],
    ]
    # Two files, the second large enough that half the body is still unsent when the worker dies.
    files = [
        ("attachments", "检测委托书.pdf", small_pdf()),
        ("attachments", "样品照片.pdf", small_pdf() + b"%" * 400_000),
    ]
    body, content_type = multipart(fields, files)
    time.sleep(3.3)  # the form's minimum fill time, as a person would take it
    return cookies, body, content_type, company


def raw_post(server, path, body, content_type, cookies, send_bytes=None):
    """Send the request (or only its first ``send_bytes`` of body) on a raw socket; return the socket."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Referer: {server.base}{path}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\nConnection: close\r\n\r\n"
    ).encode()
    sock = socket.create_connection((server.host, server.port), timeout=30)
    sock.sendall(head + body[: len(body) if send_bytes is None else send_bytes])
    return sock


def assert_nothing_half_saved(site, company):
    state = site.state(company)
    assert state["requests"] == 0
    assert state["attachments"] == 0
    assert state["events"] == 0
    assert state["attachments_without_request"] == 0
    return state


def submit_whole(site, server):
    cookies, body, content_type, company = filled_form(server)
    status, headers, _text = http_request(
        server.host,
        server.port,
        "POST",
        "/services/testing/",
        body,
        {"Content-Type": content_type, "Referer": server.base + "/services/testing/"},
        cookies,
    )
    assert status == 302 and "/receipt/" in headers["Location"]
    state = site.state(company)
    assert (state["requests"], state["attachments"], state["events"]) == (1, 2, 1)
    return state


@pytest.fixture(scope="module")
def built_sqlite_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("faults-sqlite"))
    site.build()
    yield site
    site.stop()


@pytest.fixture
def sqlite_site(built_sqlite_site):
    """The module's site; the servers a test started are stopped after it."""
    yield built_sqlite_site
    built_sqlite_site.stop()
    built_sqlite_site.servers = []


def test_worker_killed_while_reading_the_body_saves_nothing(sqlite_site):
    server = sqlite_site.serve()
    cookies, body, content_type, company = filled_form(server)
    worker = server.wait_for_worker()
    sock = raw_post(server, "/services/testing/", body, content_type, cookies, send_bytes=len(body) // 2)
    time.sleep(1)  # the worker is inside the view, waiting for the rest of the body
    os.kill(worker, signal.SIGKILL)
    with sock:
        sock.settimeout(30)
        try:
            answer = sock.recv(1024)
        except ConnectionResetError:
            answer = b""
        assert answer == b""  # the connection died with the worker: no answer at all
    state = assert_nothing_half_saved(sqlite_site, company)
    assert state["orphan_files"] == []
    # The master replaced the worker; the site takes submissions again.
    server.wait_for_worker(other_than=[worker])
    assert submit_whole(sqlite_site, server)["orphan_files"] == []


def test_worker_killed_inside_the_transaction_leaves_no_request_and_no_file(sqlite_site):
    server = sqlite_site.serve(SERVICES_TEST_PAUSE_IN_TRANSACTION="60")
    cookies, body, content_type, company = filled_form(server)
    worker = server.wait_for_worker()
    sock = raw_post(server, "/services/testing/", body, content_type, cookies)
    deadline = time.monotonic() + 60
    while not server.log_contains("pausing 60 s inside the submission transaction"):
        assert time.monotonic() < deadline, "the submission never reached its transaction"
        time.sleep(0.1)
    os.kill(worker, signal.SIGKILL)
    sock.close()
    state = assert_nothing_half_saved(sqlite_site, company)
    # Its two files were written before the commit that never came: orphans, until the sweep.
    assert len(state["orphan_files"]) == 2
    out = sqlite_site.manage("clean_orphan_files", "--older-than-minutes", "0")
    assert "已删除孤立附件 2 个" in out
    assert sqlite_site.state(company)["orphan_files"] == []


def test_clean_orphan_files_spares_attachments_and_recent_files(sqlite_site):
    server = sqlite_site.serve()
    before = submit_whole(sqlite_site, server)
    stray = Path(sqlite_site.env["PRIVATE_MEDIA_ROOT"]) / "requests" / "stray.pdf"
    stray.write_bytes(small_pdf())
    # A file younger than the grace period may belong to a submission still in flight.
    assert "已删除孤立附件 0 个" in sqlite_site.manage("clean_orphan_files")
    assert stray.exists()
    sqlite_site.manage("clean_orphan_files", "--older-than-minutes", "0")
    assert not stray.exists()
    assert sqlite_site.state("-")["orphan_files"] == before["orphan_files"] == []
    # Every attachment still has its file.
    out = sqlite_site.manage(
        "shell",
        "-c",
        "from services.models import RequestAttachment as A; "
        "print(all(a.file.storage.exists(a.file.name) for a in A.objects.all()), A.objects.count())",
    )
    exists, count = out.split()[-2:]
    assert exists == "True" and int(count) >= 2


def assert_friendly_503(server, path):
    status, headers, html = server.get(path)
    assert status == 503, (path, status)
    assert headers["Retry-After"] == "30"
    assert "no-cache" in headers.get("Cache-Control", "")
    assert "服务暂不可用" in html and "请稍后刷新重试" in html
    assert '<html lang="zh-Hans">' in html


def assert_outage_and_recovery(server, cut, restore):
    assert server.get("/")[0] == 200
    assert server.get("/news/")[0] == 200
    cut()
    try:
        status, _headers, body = server.get("/healthz")
        assert status == 503
        assert json.loads(body)["database"].startswith("error")
        assert_friendly_503(server, "/")
        assert_friendly_503(server, "/news/")
        assert_friendly_503(server, "/services/testing/")
    finally:
        restore()
    deadline = time.monotonic() + 20
    while server.get("/healthz")[0] != 200:
        assert time.monotonic() < deadline, "the site did not recover"
        time.sleep(0.5)
    assert server.get("/")[0] == 200
    assert server.get("/news/")[0] == 200
    assert server.process.poll() is None  # the same server, never restarted


def test_sqlite_unreachable_gives_503_and_the_site_recovers(sqlite_site):
    # A kept connection goes on reading a moved file; the outage shows when a worker opens
    # one (after DATABASE_CONN_MAX_AGE, or a restart): here on every request.
    server = sqlite_site.serve(DATABASE_CONN_MAX_AGE="0")
    database_dir = sqlite_site.workdir / "db"
    away = sqlite_site.workdir / "db-away"
    assert_outage_and_recovery(server, lambda: database_dir.rename(away), lambda: away.rename(database_dir))


class TcpProxy:
    """A loopback TCP proxy that can be shut (listener and live connections closed) and reopened."""

    def __init__(self, target):
        self.target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.connections = []
        self.lock = threading.Lock()
        self.listener = None
        self.open()

    def open(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.connections:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.connections = []


def postgres_server_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_reachable():
    parts = urlsplit(postgres_server_url())
    try:
        import psycopg

        with psycopg.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres", dbname="postgres"
        ):
            return True
    except Exception:
        return False


@pytest.mark.skipif(not postgres_reachable(), reason="PostgreSQL is not reachable on " + postgres_server_url())
def test_postgresql_unreachable_gives_503_and_the_site_recovers(tmp_path):
    database_url, drop = postgres_database(postgres_server_url())
    site = Site(tmp_path, database_url)
    parts = urlsplit(database_url)
    proxy = TcpProxy((parts.hostname, parts.port or 5432))
    try:
        site.build()
        through_proxy = urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}"))
        # Persistent, health-checked connections, as production runs them.
        server = site.serve(DATABASE_URL=through_proxy, DATABASE_CONN_MAX_AGE="60")
        assert_outage_and_recovery(server, proxy.close, proxy.open)
    finally:
        site.stop()
        proxy.close()
        drop()


def test_database_outage_page_in_process(client, db, home_page):
    """The same handler inside Django's test client: 503 page while a broken connection is in place."""
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    client.raise_request_exception = False
    assert client.get("/").status_code == 200
    original = connections["default"]
    missing = Path(BASE_DIR) / f"missing-{uuid.uuid4().hex}" / "db.sqlite3"
    connections["default"] = DatabaseWrapper(
        {**original.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(missing), "OPTIONS": {}},
        alias="default",
    )
    try:
        response = client.get("/")
    finally:
        connections["default"].close()
        connections["default"] = original
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂不可用" in response.content.decode()
    assert client.get("/").status_code == 200

"""Helpers for the two-app-server test: start gunicorn twice on one PostgreSQL and one Redis."""

import http.cookiejar
import os
import secrets
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A fresh database, one Redis database, and two gunicorn servers A and B."""

    def __init__(self, database_url, redis_url, workdir):
        parts = urlsplit(database_url)
        self.database = f"twoservers_{uuid.uuid4().hex[:8]}"
        self.pg_args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        self.pg_args += ["-U", parts.username or "postgres"]
        subprocess.run(["createdb", *self.pg_args, self.database], check=True, timeout=60)  # nosec
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DATABASE_URL": urlunsplit(parts._replace(path="/" + self.database)),
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": self.database,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            # Production serves hashed static names from a manifest that collectstatic writes.
            "STATIC_ROOT": str(workdir / "static"),
            "WEB_CONCURRENCY": "1",
            "CACHE_MIDDLEWARE_SECONDS": "300",
        }
        self.servers = {}
        self.workdir = workdir

    def manage(self, *args):
        result = subprocess.run(  # nosec B603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode:
            raise RuntimeError(result.stdout + result.stderr)
        return result.stdout

    def start(self, name):
        port = free_port()
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(  # nosec B603
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py", "cms.wsgi"],
            cwd=BASE_DIR,
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # nosec B310
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"server {name} did not start")
        self.servers[name] = (process, log, base)
        return base

    def stop(self):
        for process, log, _base in self.servers.values():
            process.terminate()
            process.wait(timeout=30)
            log.close()
        subprocess.run(  # nosec
            ["dropdb", *self.pg_args, "--if-exists", "--force", self.database], check=False, timeout=60
        )


class Browser:
    """Cookies shared between servers, as one visitor's browser behind a load balancer.

    Production cookies are Secure; the proxy would carry them over TLS. Here the servers
    speak plain HTTP on loopback, so the jar is told to send them anyway.
    """

    def __init__(self):
        self.cookies = {}

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}))
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookiejar.split_header_words([header])[0]
            name, value = cookie[0]
            self.cookies[name] = value
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")

    def get(self, url):
        return self.request(url)

    def post(self, url, data, referer):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(url, data, headers={"Referer": referer, "X-CSRFToken": self.cookies.get("csrftoken", "")})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FormScraper(HTMLParser):
    """Collect the default values of one form's fields, as a browser would submit them."""

    def __init__(self, form_id=None):
        super().__init__()
        self.form_id = form_id
        self.inside = form_id is None
        self.fields = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in attrs and tag not in ("option",)):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = [attrs["name"], None]
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "form" and self.form_id and self.inside:
            self.inside = False


def form_fields(html, form_id=None):
    scraper = FormScraper(form_id)
    scraper.feed(html)
    return scraper.fields

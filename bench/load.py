"""Mixed load against gunicorn on loopback; then every accepted submission is checked in the database.

    .venv/bin/python bench/load.py [--seconds 20] [--clients 6] [--workers 2] [--json out.json]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/load.py

Builds a throw-away site (migrate, load_demo, collectstatic) with production settings:
SQLite in a temporary directory by default; with DATABASE_URL, a fresh database created on
that PostgreSQL server (the database named in the URL is only used to connect) and dropped
afterwards. gunicorn serves it (bench/pages.py starts it) while CLIENTS threads run, for
SECONDS, a mix of

- 70% page views: home, news index, articles, policy library, policy pages, map, experts;
- 20% searches (/search/?q= with Chinese queries);
- 10% service requests: the form is fetched (CSRF token, signed start time), the client
  waits the form's minimum fill time as a person would, then posts it multipart with one
  or two small PDFs and opens the receipt the redirect points to.

Nothing is switched off for the bench: CSRF, the honeypot, the fill time and the file checks
all run. Only the per-address submission limit is raised (SERVICES_SUBMIT_PER_HOUR), since
every client comes from 127.0.0.1, and mail goes to Django's dummy backend (no mail server).

Prints requests/s, p50/p95/p99 latency per kind and overall and the errors (any status other
than 2xx/3xx, any connection error, any submission not accepted). Then, with the server
stopped, every accepted reference is looked up in the database: the request, its 已提交
history entry and its files (count and SHA-256 against what was sent); private files no
attachment row points to are counted as orphans. Exits 1 unless there were no errors, no
lost or damaged submissions, no orphans and at least one accepted submission.
"""

import argparse
import hashlib
import heapq
import http.client
import json
import os
import random
import re
import secrets
import shutil
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import BASE_DIR, PYTHON, build_site, site_env, start

SEARCHES = ["小巨人", "重庆", "超高清", "企业", "服务", "专精特新", "中小企业 融资", "鲁渝 协作"]
SERVICE_KEYS = ["talent", "testing", "financing", "design", "technology"]
COMPANY_PREFIX = "示例压测企业"
MIN_FILL_SECONDS = 3  # settings.SERVICES_MIN_FILL_SECONDS in production
CREDIT_CODE = "91330100799655058B"  # valid check character (GB 32100-2015)

DISCOVER = r"""
import json
from news.models import ArticlePage
from policy.models import PolicyPage
from services.models import ExpertPage
def urls(model):
    return [page.url for page in model.objects.live().public().order_by("pk")[:30]]
print(json.dumps({
    "home": ["/"],
    "news index": ["/news/"],
    "article": urls(ArticlePage),
    "policy library": ["/policies/", "/policies/?status=valid"],
    "policy page": urls(PolicyPage),
    "map": ["/collaboration/", "/collaboration/points.geojson"],
    "experts": ["/experts/", *urls(ExpertPage)],
}))
"""

VERIFY = r"""
import hashlib, json, os
from services.models import RequestAttachment, RequestEvent, ServiceRequest
from services.storage import private_storage

sent = json.load(open(os.environ["LOAD_ACCEPTED"]))
storage = private_storage()
lost, damaged = [], []
for reference, expected in sent.items():
    request = ServiceRequest.objects.filter(reference=reference).first()
    if request is None:
        lost.append(reference)
        continue
    if request.company_name != expected["company"]:
        damaged.append(f"{reference}: company {request.company_name!r}")
    if not RequestEvent.objects.filter(request=request, action="submitted").exists():
        damaged.append(f"{reference}: no 已提交 history entry")
    got = []
    for attachment in request.attachments.all():
        with storage.open(attachment.file.name, "rb") as handle:
            got.append(hashlib.sha256(handle.read()).hexdigest())
    if sorted(got) != sorted(expected["files"]):
        damaged.append(f"{reference}: {len(got)} files saved, {len(expected['files'])} sent, checksums differ")
unexpected = list(
    ServiceRequest.objects.filter(company_name__startswith=os.environ["LOAD_COMPANY_PREFIX"])
    .exclude(reference__in=list(sent))
    .values_list("reference", flat=True)
)
referenced = set(RequestAttachment.objects.values_list("file", flat=True))
on_disk = []
def walk(path):
    directories, files = storage.listdir(path)
    on_disk.extend(f"{path}/{name}" if path else name for name in files)
    for directory in directories:
        walk(f"{path}/{directory}" if path else directory)
if storage.exists("requests"):
    walk("requests")
print(json.dumps({
    "checked": len(sent),
    "lost": lost,
    "damaged": damaged,
    "unexpected": unexpected,
    "orphan_files": sorted(set(on_disk) - referenced),
}))
"""


def later(days):
    return (date.today() + timedelta(days=days)).isoformat()


def detail_fields(key):
    """Valid category-specific answers for each service form (dates relative to today)."""
    return {
        "talent": [
            ("mode", "training"),
            ("skills_or_positions", "工业机器人运维"),
            ("headcount", "12"),
            ("period_start", later(10)),
            ("period_end", later(40)),
        ],
        "testing": [
            ("product", "减速器"),
            ("product_category", "机械零部件"),
            ("standards", "GB/T 10095.1-2008"),
            ("test_items", "精度、噪声"),
            ("sample_count", "3"),
            ("reports", "CMA"),
            ("reports", "CNAS"),
            ("wanted_by", later(20)),
        ],
        "financing": [
            ("amount", "500"),
            ("purpose", "购置设备"),
            ("term_months", "36"),
            ("financing_type", "loan"),
            ("last_year_revenue", "3000.5"),
        ],
        "design": [
            ("product", "手持终端"),
            ("stage", "prototype"),
            ("deliverables", "样机"),
            ("budget", "20"),
            ("wanted_by", later(30)),
        ],
        "technology": [
            ("problem", "减速器寿命不足"),
            ("field", "智能制造"),
            ("partners", "university"),
            ("mode", "joint"),
            ("budget", "200"),
        ],
    }[key]


def small_pdf():
    """A tiny well-formed PDF, different every time so each file has its own checksum."""
    marker = uuid.uuid4().hex
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        + f"% load test {marker}\n".encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {}
        self.errors = []
        self.accepted = {}

    def record(self, kind, seconds):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind, path, what):
        with self.lock:
            self.errors.append((kind, path, what))


class Client:
    """One visitor's cookies over plain HTTP (production cookies are Secure; the proxy would carry them)."""

    def __init__(self, base, stats):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.stats = stats
        self.cookies = {}

    def request(self, kind, method, path, body=None, headers=None):
        """(status, headers, text) or None after a connection error; latency and errors are recorded."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(kind, time.perf_counter() - started)
            self.stats.error(kind, path, repr(error))
            return None
        finally:
            connection.close()
        self.stats.record(kind, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if not 200 <= response.status < 400:
            self.stats.error(kind, path, f"HTTP {response.status}")
        return response.status, response.headers, text


class Submission:
    """A service request in progress: the form was fetched; it is posted once ``ready_at`` passes."""

    def __init__(self, client, key, fields, ready_at):
        self.client, self.key, self.fields, self.ready_at = client, key, fields, ready_at

    def __lt__(self, other):
        return self.ready_at < other.ready_at


def start_submission(base, stats, key):
    client = Client(base, stats)
    path = f"/services/{key}/"
    result = client.request("form", "GET", path)
    if result is None or result[0] != 200:
        return None
    html = result[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    started = re.search(r'name="started" value="([^"]+)"', html)
    region_select = re.search(r'<select name="region".*?</select>', html, re.S)
    regions = re.findall(r'<option value="(\d+)"', region_select.group(0)) if region_select else []
    if not (token and started and regions):
        stats.error("form", path, "form without csrf token, start time or regions")
        return None
    company = f"{COMPANY_PREFIX}{secrets.token_hex(4)}"
    fields = [
        ("csrfmiddlewaretoken", token.group(1)),
        ("started", started.group(1)),
        ("website", ""),
        ("company_name", company),
        ("credit_code", CREDIT_CODE),
        ("tier", "municipal"),
        ("region", random.choice(regions)),
        ("industry", "汽车零部件制造"),
        ("employees", "120"),
        ("contact_name", "李四"),
        ("phone", "13812345678"),
        ("email", ""),
        ("description", "压测提交的服务需求"),
        ("consent", "on"),
        *[(f"detail-{name}", value) for name, value in detail_fields(key)],
    ]
    # A person needs at least the minimum fill time; the server refuses faster posts.
    return Submission(client, key, fields, time.monotonic() + MIN_FILL_SECONDS + 0.3)


def finish_submission(base, stats, submission):
    files = [("attachments", f"营业执照{n}.pdf", small_pdf()) for n in range(random.choice((1, 2)))]
    body, content_type = multipart(submission.fields, files)
    path = f"/services/{submission.key}/"
    result = submission.client.request(
        "submit", "POST", path, body, {"Content-Type": content_type, "Referer": base + path}
    )
    if result is None:
        return
    status, headers, text = result
    match = re.search(r"/receipt/([A-Z0-9-]+)/$", headers.get("Location", "")) if status == 302 else None
    if match is None:
        if 200 <= status < 400:  # a form shown again with errors is a refused submission
            errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>([^<]+)', text)
            stats.error("submit", path, f"not accepted (HTTP {status}): {errors[:3] or text[:200]}")
        return
    reference = match.group(1)
    company = dict(submission.fields)["company_name"]
    with stats.lock:
        stats.accepted[reference] = {
            "company": company,
            "files": [hashlib.sha256(content).hexdigest() for _n, _f, content in files],
        }
    receipt = submission.client.request("receipt", "GET", urlsplit(headers["Location"]).path)
    if receipt is not None and receipt[0] == 200 and reference not in receipt[2]:
        stats.error("receipt", headers["Location"], "receipt does not show the reference")


def worker(base, stats, urls, deadline, pending, pending_lock, rng):
    page_kinds = list(urls)
    while True:
        now = time.monotonic()
        due = None
        with pending_lock:
            if pending and (pending[0].ready_at <= now or now >= deadline):
                due = heapq.heappop(pending)
        if due is not None:
            time.sleep(max(0.0, due.ready_at - time.monotonic()))
            finish_submission(base, stats, due)
            continue
        if now >= deadline:
            return
        roll = rng.random()
        if roll < 0.70:
            path = rng.choice(urls[rng.choice(page_kinds)])
            Client(base, stats).request("page", "GET", path)
        elif roll < 0.90:
            query = urllib.parse.quote(rng.choice(SEARCHES))
            Client(base, stats).request("search", "GET", f"/search/?q={query}")
        else:
            submission = start_submission(base, stats, rng.choice(SERVICE_KEYS))
            if submission is not None:
                with pending_lock:
                    heapq.heappush(pending, submission)


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def run_load(base, urls, seconds, clients):
    stats = Stats()
    pending, pending_lock = [], threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=worker, args=(base, stats, urls, deadline, pending, pending_lock, random.Random(n)), daemon=True
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.monotonic() - started


def report(stats, elapsed):
    rows = {}
    everything = []
    for kind in ("page", "search", "form", "submit", "receipt"):
        values = sorted(stats.latencies.get(kind, []))
        everything += values
        rows[kind] = values
    rows["all"] = sorted(everything)
    errors_by_kind = {}
    for kind, _path, _what in stats.errors:
        errors_by_kind[kind] = errors_by_kind.get(kind, 0) + 1
    print(f"\n{'kind':<8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    summary = {}
    for kind, values in rows.items():
        errors = len(stats.errors) if kind == "all" else errors_by_kind.get(kind, 0)
        figures = {
            "requests": len(values),
            "rps": len(values) / elapsed,
            "p50_ms": 1000 * percentile(values, 0.50),
            "p95_ms": 1000 * percentile(values, 0.95),
            "p99_ms": 1000 * percentile(values, 0.99),
            "errors": errors,
        }
        summary[kind] = figures
        print(
            f"{kind:<8} {figures['requests']:>8} {figures['rps']:>7.1f} {figures['p50_ms']:>8.0f} "
            f"{figures['p95_ms']:>8.0f} {figures['p99_ms']:>8.0f} {errors:>7}"
        )
    for kind, path, what in stats.errors[:20]:
        print(f"  error: {kind} {path}: {what}")
    return summary


def postgres_database(database_url):
    """A fresh database on the server DATABASE_URL names; (its URL, a function that drops it)."""
    import psycopg

    parts = urlsplit(database_url)
    name = f"load_{uuid.uuid4().hex[:10]}"
    connect = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "password": urllib.parse.unquote(parts.password or "") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**connect) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**connect) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path="/" + name)), drop


def manage_shell(env, code):
    result = subprocess.run(  # nosec B603
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise SystemExit(result.stdout + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=6, help="client threads (default 6)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--cache-seconds", type=int, default=300, help="page cache lifetime; 0 turns it off")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    database_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if database_url.startswith("postgres"):
        database_url, drop = postgres_database(database_url)
        engine = "PostgreSQL"
    else:
        database_url, engine = None, "SQLite"
    env = site_env(workdir, database_url)
    env.update(
        {"SERVICES_SUBMIT_PER_HOUR": "1000000", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    )
    prod = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    server = None
    try:
        print(f"building the site on {engine} in {workdir}…", flush=True)
        build_site(prod, quiet=True)
        urls = {kind: paths for kind, paths in manage_shell(prod, DISCOVER).items() if paths}
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
        server, base = start(env, "cms.settings.production", args.cache_seconds, log=log, workers=args.workers)
        print(
            f"{args.seconds:g} s, {args.clients} clients, {args.workers} gunicorn workers, "
            f"page cache {args.cache_seconds} s: 70% pages, 20% searches, 10% submissions with files",
            flush=True,
        )
        stats, elapsed = run_load(base, urls, args.seconds, args.clients)
        server.terminate()
        server.wait(timeout=60)
        server = None
        summary = report(stats, elapsed)
        (workdir / "accepted.json").write_text(json.dumps(stats.accepted))
        check = manage_shell(
            {**prod, "LOAD_ACCEPTED": str(workdir / "accepted.json"), "LOAD_COMPANY_PREFIX": COMPANY_PREFIX}, VERIFY
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        if drop is not None:
            drop()
    print(f"\n{engine}: {summary['all']['requests']} requests in {elapsed:.1f} s ({summary['all']['rps']:.1f} req/s)")
    print(f"errors: {len(stats.errors)}")
    print(
        f"submissions: {len(stats.accepted)} accepted, {check['checked']} checked, {len(check['lost'])} lost, "
        f"{len(check['damaged'])} damaged, {len(check['unexpected'])} saved without a receipt, "
        f"{len(check['orphan_files'])} orphan files"
    )
    for line in check["lost"][:10] + check["damaged"][:10] + check["orphan_files"][:10]:
        print(f"  {line}")
    ok = (
        not stats.errors
        and stats.accepted
        and not check["lost"]
        and not check["damaged"]
        and not check["orphan_files"]
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "engine": engine,
                    "seconds": elapsed,
                    "figures": summary,
                    "errors": [list(error) for error in stats.errors],
                    "accepted": len(stats.accepted),
                    **check,
                    "ok": bool(ok),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    if ok:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"FAILED; the site and gunicorn.log are kept in {workdir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

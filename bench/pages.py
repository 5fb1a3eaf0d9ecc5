"""Page throughput against a bare-Django baseline, cold and warm, in one run.

    .venv/bin/python bench/pages.py [--duration 5] [--repeat 3] [--sample-articles 2000]

Builds a fresh SQLite site (demo content plus sample articles), serves it with gunicorn
(production settings, DEBUG off, 2 sync workers) on loopback, and drives each URL with
wrk: a warm-up, then REPEAT runs of DURATION seconds; prints the median requests/s, p50,
p99 and the ratio to the baseline (a bare view returning as many bytes as the article
page, served by the same gunicorn configuration). Cold runs turn the page cache off
(CACHE_MIDDLEWARE_SECONDS=0); warm runs turn it on.

The baseline server runs beside the site (idle while a page is measured) and each page's
runs alternate with baseline runs: a page's ratio is its median over the median of the
baseline runs taken between its own, so a machine that speeds up or slows down during
the bench (runs minutes apart differ by up to 15 % here) moves both sides of a ratio.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

DISCOVER = r"""
import json
from wagtail.models import Page
def first_url(model_label, **filters):
    from django.apps import apps
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return None
    page = model.objects.live().filter(**filters).order_by("pk").first()
    return page.url if page else None
urls = {
    "home": "/",
    "news index": "/news/",
    "article": first_url("news.ArticlePage"),
    "policy library ?q&facet": "/policies/?q=%E4%B8%AD%E5%B0%8F%E4%BC%81%E4%B8%9A&status=valid",
    "policy page": first_url("policy.PolicyPage"),
    "service form": "/services/financing/",
    "search 小巨人": "/search/?q=%E5%B0%8F%E5%B7%A8%E4%BA%BA",
    "map GeoJSON": "/collaboration/points.geojson",
}
print(json.dumps(urls))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(workdir, database_url=None):
    """Production-like environment for a throw-away site in ``workdir``.

    SQLite in ``workdir`` unless ``database_url`` is given; no Redis (the file cache is
    shared by the workers), plain HTTP on loopback.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SQLITE_PATH": str(workdir / "bench.sqlite3"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "CACHE_DIR": str(workdir / "cache"),
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(workdir / "static"),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def build_site(env, sample_articles=0, quiet=False):
    """migrate, load_demo (plus sample articles) and collectstatic with ``env``.

    ``quiet``: keep the commands' output to print only when one fails.
    """
    for cmd in (
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
        [PYTHON, "manage.py", "load_demo", "-v0", "--sample-articles", str(sample_articles)],
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
    ):
        result = subprocess.run(cmd, cwd=BASE_DIR, env=env, capture_output=quiet, text=True)  # nosec B603
        if result.returncode:
            if quiet:
                print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
            raise subprocess.CalledProcessError(result.returncode, cmd)


def start(env, settings_module, cache_seconds, log=None, workers=2):
    """gunicorn with ``settings_module`` on a free loopback port; (process, base URL).

    ``log``: an open file for the server's error log (discarded by default).
    """
    port = free_port()
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "CACHE_MIDDLEWARE_SECONDS": str(cache_seconds),
    }
    process = subprocess.Popen(  # nosec B603
        [GUNICORN, "-c", "gunicorn.conf.py", "cms.wsgi", "--access-logfile", "/dev/null"],
        cwd=BASE_DIR,
        env=server_env,
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz" if "bench" not in settings_module else base + "/baseline/")  # nosec B310
            return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"server with {settings_module} did not start")


def wrk(url, duration, connections=8):
    out = subprocess.run(  # nosec B603
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return rps, lat.get("50", "?"), lat.get("99", "?"), int(non2xx.group(1)) if non2xx else 0


def summarise(runs):
    """(median requests/s, p50 and p99 of the run nearest the median, non-2xx responses in all)."""
    median = statistics.median(run[0] for run in runs)
    chosen = min(runs, key=lambda run: abs(run[0] - median))
    return median, chosen[1], chosen[2], sum(run[3] for run in runs)


def measure(url, baseline_url, duration, repeat):
    """The page's runs alternated with the baseline's: (page summary, baseline summary)."""
    wrk(url, 2)  # warm-up
    wrk(baseline_url, 2)
    page_runs, baseline_runs = [], []
    for _ in range(repeat):
        page_runs.append(wrk(url, duration))
        baseline_runs.append(wrk(baseline_url, duration))
    return summarise(page_runs), summarise(baseline_runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-articles", type=int, default=2000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = site_env(workdir)
    prod = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    print(f"building the site in {workdir} ({args.sample_articles} sample articles)…", flush=True)
    build_site(prod, args.sample_articles, quiet=True)  # its output only if a step fails
    urls = json.loads(
        subprocess.run(  # nosec B603
            [PYTHON, "manage.py", "shell", "-c", DISCOVER],
            cwd=BASE_DIR,
            env=prod,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    results = {}
    servers = []  # every gunicorn started here, stopped however the run ends
    try:
        process, base = start(env, "cms.settings.production", 0)
        servers.append(process)
        size = len(urllib.request.urlopen(base + (urls.get("article") or "/")).read())  # nosec B310
        baseline_process, baseline_base = start({**env, "BENCH_BASELINE_BYTES": str(size)}, "bench.settings", 0)
        servers.append(baseline_process)
        for label, seconds in (("cold", 0), ("warm", 300)):
            if label == "warm":
                process.terminate()
                process.wait()
                process, base = start(env, "cms.settings.production", seconds)
                servers.append(process)
            for name, path in urls.items():
                if path:
                    print(f"{label} {name}…", flush=True)
                    results[(label, name)] = measure(
                        base + path, baseline_base + "/baseline/", args.duration, args.repeat
                    )
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    baselines = [baseline[0] for _page, baseline in results.values()]
    print(
        f"\nbaseline: bare Django view, {size} bytes: {statistics.median(baselines):.0f} req/s median "
        f"({min(baselines):.0f}-{max(baselines):.0f} over the pages' windows)"
    )
    print(
        f"{'page':<26} {'cache':<5} {'req/s':>8} {'p50':>9} {'p99':>9} {'baseline':>9} {'× baseline':>11} {'non-2xx':>8}"
    )
    for (label, name), (page, baseline) in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
        rps, p50, p99, errors = page
        print(
            f"{name:<26} {label:<5} {rps:>8.0f} {p50:>9} {p99:>9} {baseline[0]:>9.0f} {rps / baseline[0]:>11.3f} {errors:>8}"
        )
    for name, path in urls.items():
        if not path:
            print(f"{name}: not measured (no such page in this build)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

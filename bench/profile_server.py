"""Where a page's time goes in the real server: gunicorn under wrk, sampled by py-spy.

    .venv/bin/python bench/profile_server.py --page "policy page" [--seconds 20]

Builds the site as ``bench/pages.py`` does (production settings, the demo content plus
``--sample-articles``), serves it with gunicorn (2 sync workers, page cache off unless
``--cache-seconds``), keeps it busy with wrk and samples both workers with py-spy. Prints
the share of the workers' samples spent in each layer (gunicorn itself, Django's
middleware, the view, template rendering, SQL, model instances) and the functions with
the largest inclusive and own shares.

In-process timings (a loop of requests in one interpreter) and instruction counts
(callgrind) are steadier but miss what a loaded server pays: the HTTP parsing and socket
writes around Django, and memory that is no longer in the processor's caches. This shows
them. py-spy needs to be allowed to read other processes' memory (root or
``CAP_SYS_PTRACE``); it is in requirements-dev.txt.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import BASE_DIR, DISCOVER, PYTHON, build_site, site_env, start

PY_SPY = str(Path(PYTHON).with_name("py-spy"))

# Layers: (label, frame names; a sample is in the layer when any of them is on its stack).
LAYERS = [
    ("Django (all of it)", ("WSGIHandler.__call__",)),
    ("view and rendering", ("BaseHandler._get_response",)),
    ("template rendering", ("SimpleTemplateResponse.render",)),
    ("SQL (execute and fetch)", ("CursorWrapper._execute", "DatabaseErrorWrapper.__call__.<locals>.inner")),
    ("model instances from rows", ("Model.from_db",)),
]
SITE_PACKAGES = re.compile(r"\s*\(\S*/site-packages/")
LINE = re.compile(r":\d+\)$")


def frame_name(frame):
    """``Class.method (package/module.py)``: py-spy's frame without its line and prefix."""
    return LINE.sub(")", SITE_PACKAGES.sub(" (", frame.strip()))


def parse_raw(lines):
    """py-spy's ``--format raw`` lines → [(frames from the outermost, samples)] of workers.

    Samples of the gunicorn master (its loop waits, it serves nothing) are left out.
    """
    stacks = []
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";") if not frame.startswith("process ")]
        if not any(frame.startswith("Worker.init_process") for frame in frames):
            continue
        stacks.append((frames, int(count)))
    return stacks


def layer_shares(stacks, layers=LAYERS):
    """{label: share of all samples whose stack holds one of the layer's frame names}."""
    total = sum(count for _frames, count in stacks) or 1
    shares = {}
    for label, names in layers:
        inside = sum(
            count for frames, count in stacks if any(frame.startswith(name) for frame in frames for name in names)
        )
        shares[label] = inside / total
    return shares


def function_shares(stacks):
    """(inclusive, own) Counters of samples per frame name; a frame counted once per stack."""
    inclusive, own = Counter(), Counter()
    for frames, count in stacks:
        for frame in set(frames):
            inclusive[frame] += count
        if frames:
            own[frames[-1]] += count
    return inclusive, own


def report(stacks, top):
    total = sum(count for _frames, count in stacks)
    if not total:
        raise SystemExit("py-spy recorded no worker samples (is it allowed to trace other processes?)")
    print(f"\n{total} samples of the workers")
    shares = layer_shares(stacks)
    print(f"{'gunicorn around Django':<28} {1 - shares['Django (all of it)']:>6.1%}")
    for label, share in shares.items():
        print(f"{label:<28} {share:>6.1%}")
    inclusive, own = function_shares(stacks)
    # The server's loop holds every sample; what runs inside it is what can be changed.
    outer = shares["Django (all of it)"] * total
    print(f"\nlargest inclusive shares below gunicorn's loop (of {total} samples)")
    for frame, count in [(frame, count) for frame, count in inclusive.most_common() if count <= outer][:top]:
        print(f"{count / total:>6.1%}  {frame[:140]}")
    print("\nlargest own shares")
    for frame, count in own.most_common(top // 2):
        print(f"{count / total:>6.1%}  {frame[:140]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="policy page", help="a page name of bench/pages.py")
    parser.add_argument("--path", help="a URL path instead of --page")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rate", type=int, default=400, help="samples a second per process")
    parser.add_argument("--cache-seconds", type=int, default=0, help="page cache on (warm) when > 0")
    parser.add_argument("--sample-articles", type=int, default=2000)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    for tool in ("wrk", PY_SPY):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (wrk: apt-get install wrk; py-spy: requirements-dev.txt)")

    workdir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    env = site_env(workdir)
    prod = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"}
    print(f"building the site in {workdir} ({args.sample_articles} sample articles)…", flush=True)
    build_site(prod, args.sample_articles, quiet=True)
    if args.path:
        path = args.path
    else:
        found = subprocess.run(  # nosec B603
            [PYTHON, "manage.py", "shell", "-c", DISCOVER], cwd=BASE_DIR, env=prod, capture_output=True, text=True
        )
        urls = json.loads(found.stdout.strip().splitlines()[-1])
        if not urls.get(args.page):
            raise SystemExit(f"no page {args.page!r}; one of: {', '.join(urls)}")
        path = urls[args.page]

    process, base = start(env, "cms.settings.production", args.cache_seconds)
    raw = workdir / "py-spy.txt"
    try:
        for _ in range(3):
            urllib.request.urlopen(base + path).read()  # nosec B310
        print(f"profiling {path} for {args.seconds} s under wrk…", flush=True)
        load = subprocess.Popen(  # nosec B603
            [shutil.which("wrk"), "-t2", "-c8", f"-d{args.seconds + 4}s", base + path],
            stdout=subprocess.PIPE,
            text=True,
        )
        subprocess.run(  # nosec B603
            [
                PY_SPY,
                "record",
                "--pid",
                str(process.pid),
                "--subprocesses",
                "--nonblocking",
                "--rate",
                str(args.rate),
                "--duration",
                str(args.seconds),
                "--format",
                "raw",
                "--output",
                str(raw),
            ],
            check=True,
            capture_output=True,
        )
        output = load.communicate()[0]
    finally:
        process.terminate()
        process.wait()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    print(f"wrk: {rate.group(1) if rate else '?'} requests/s while sampled (py-spy slows the workers)")
    with raw.open(encoding="utf-8") as lines:
        report(parse_raw(lines), args.top)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

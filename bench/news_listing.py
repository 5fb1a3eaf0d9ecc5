"""Time sample-article creation and the news index on a throwaway SQLite database.

    .venv/bin/python bench/news_listing.py [N]

Prints figures; asserts nothing (speed is not a test).
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ.pop("DATABASE_URL", None)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

settings.DATABASES["default"]["NAME"] = os.environ["SQLITE_PATH"]


def main(count):
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--skip-index", stdout=StringIO())
    started = time.perf_counter()
    call_command("load_demo", "--skip-index", "--sample-articles", str(count), stdout=StringIO())
    print(f"load_demo --sample-articles {count}: {time.perf_counter() - started:.1f} s (incl. the demo loaders)")
    client = Client(HTTP_HOST="localhost")
    for url in ["/news/", "/news/?page=50", "/news/?page=99999", "/news/?topic=uhd-video", "/news/rss.xml"]:
        client.get(url)  # warm renditions
        timings = []
        for _ in range(5):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                status = client.get(url).status_code
                timings.append(time.perf_counter() - started)
        print(f"{url:<28} {status}  {len(queries):>3} queries  median {sorted(timings)[2] * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)

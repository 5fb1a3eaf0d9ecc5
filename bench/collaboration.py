"""Query counts and timings of the collaboration map and expert board (prints; asserts nothing).

Run against a database with the demo loaded, optionally with N extra sample items:
    DJANGO_SETTINGS_MODULE=cms.settings.dev .venv/bin/python bench/collaboration.py [N]
Extra items are created inside a transaction that is rolled back at the end.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from wagtail.models import Site  # noqa: E402

from services.models import CollaborationItemPage, CollaborationMapPage, TechField  # noqa: E402

URLS = [
    "/collaboration/",
    "/collaboration/points.geojson",
    "/collaboration/?kind=result",
    "/experts/",
    "/experts/?q=大姜",
]


def timed(client, host, url):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST=host)
        elapsed = (time.perf_counter() - started) * 1000
    return response, len(queries.captured_queries), elapsed


def measure(client, host, url):
    client.get(url, HTTP_HOST=host)  # warm per-process state (site root paths, templates)
    cache.clear()
    response, cold_queries, cold_ms = timed(client, host, url)
    _response, warm_queries, warm_ms = timed(client, host, url)
    return response.status_code, cold_queries, cold_ms, warm_queries, warm_ms, len(response.content)


def main():
    extra = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    host = Site.objects.get(is_default_site=True).hostname
    client = Client()
    with transaction.atomic():
        if extra:
            map_page = CollaborationMapPage.objects.get()
            template = CollaborationItemPage.objects.child_of(map_page).first()
            field = TechField.objects.first()
            for n in range(extra):
                item = CollaborationItemPage(
                    title=f"示例：压测条目{n}",
                    slug=f"bench-{n}",
                    kind="base",
                    summary="示例",
                    field=field,
                    region=template.region,
                    place_name="示例",
                    location=f"SRID=4326;POINT({106 + n % 300 / 100} {29 + n % 200 / 100})",
                    year=2020,
                )
                map_page.add_child(instance=item)
        total = CollaborationItemPage.objects.live().count()
        print(f"published items: {total}")
        print(f"{'url':34} {'status':>6} {'cold q':>7} {'cold ms':>8} {'warm q':>7} {'warm ms':>8} {'bytes':>8}")
        for url in URLS:
            status, cold_q, cold_ms, warm_q, warm_ms, size = measure(client, host, url)
            print(f"{url:34} {status:>6} {cold_q:>7} {cold_ms:>8.1f} {warm_q:>7} {warm_ms:>8.1f} {size:>8}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()

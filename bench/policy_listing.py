"""Time the policy library's listing, search, facets, feed and matcher at growing sizes.

Prints figures; asserts nothing. Runs on a throwaway SQLite file (or DATABASE_URL):

    .venv/bin/python bench/policy_listing.py [--repeat 7] 100 500
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("SQLITE_PATH", str(Path(tempfile.mkdtemp(prefix="policy-bench-")) / "bench.sqlite3"))

import django

django.setup()

import datetime  # noqa: E402
import random  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

URLS = [
    "/policies/",
    "/policies/?q=示例",
    "/policies/?q=示例&doc_type=notice&topic=topic-1",
    "/policies/?q=渝经信发[2020]9号",
    "/policies/?issuer=org-1&doc_type=notice",
    "/policies/rss.xml?topic=topic-1",
    "/policies/match/?tier=national&needs=financing",
]


def build(total):
    from wagtail.models import Page, Site

    from cms.factories import OrganisationFactory, TopicFactory
    from home.factories import HomePageFactory
    from policy.factories import PolicyLibraryPageFactory, PolicyPageFactory
    from policy.tests.conftest import measure

    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    library = PolicyLibraryPageFactory(parent=home)
    orgs = [OrganisationFactory(slug=f"org-{n}") for n in range(5)]
    topics = [TopicFactory(slug=f"topic-{n}") for n in range(8)]
    rng = random.Random(4)
    for n in range(total):
        PolicyPageFactory(
            parent=library,
            title=f"示例政策{n}",
            doc_number=f"渝经信发〔{2015 + n % 10}〕{n + 1}号",
            doc_type=rng.choice(["notice", "measures", "plan"]),
            publish_date=datetime.date(2015, 1, 1) + datetime.timedelta(days=n * 3),
            issuers=rng.sample(orgs, 2),
            topics=rng.sample(topics, 2),
            measures=[measure(f"措施{n}", rng.choice(["financing", "talent", "testing"]), tiers=["municipal"])],
        )


def main(sizes, repeat):
    call_command("migrate", verbosity=0)
    client = Client()
    for size in sizes:
        started = time.perf_counter()
        build(size)
        print(
            f"\n{size} policies (built in {time.perf_counter() - started:.1f}s); median and max of {repeat} requests"
        )
        for url in URLS:
            client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            count = len(queries)  # now: the next request's start clears the log
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            print(f"  {status} {statistics.median(times):7.1f} ms {max(times):7.1f} ms max {count:3d} queries  {url}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 300])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per URL (median and max printed)")
    args = parser.parse_args()
    main(args.sizes, args.repeat)

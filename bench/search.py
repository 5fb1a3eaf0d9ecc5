"""Benchmark the Chinese-aware site search: index time and query latency at N documents.

    .venv/bin/python bench/search.py --docs 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/search.py --docs 10000

Builds a throw-away database (a temporary SQLite file, or a ``bench_search_<pid>``
PostgreSQL database next to the one DATABASE_URL names), bulk-inserts N
``StandardPage`` documents made of random sentences from the seed newspaper
page mixed with random common words (so a query hits a realistic share of the
documents, not all of them), times ``manage.py update_index``, then times a fixed list of queries
(search: first page of 10 plus the total count; search page: first page of 10 plus the
tab counts, as the site search view asks; autocomplete: 8 suggestions) and prints median
and 95th-percentile latencies.

``--keep`` leaves the database behind and prints its name; ``--reuse NAME`` then only
times the queries on it (building 50,000 documents takes most of an hour on two cores).
"""

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "小巨人",
    "超高清",
    "高清",
    "重庆",
    "企业",
    "服务",
    "视频",
    "5G",
    "300TEU",
    "鲁渝",
    "市经信委",
    "专精特新 小巨人",
    "重庆市专精特新小巨人企业服务行动方案",
    "渝经信中小〔2020〕9号",
    "智能航行船舶",
    "马振轩",
    "区块链",
]
AUTOCOMPLETE = ["小巨", "超高", "重庆市专", "鲁渝科", "智能"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def setup_django(tmpdir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("SQLITE_PATH", str(Path(tmpdir) / "bench.sqlite3"))
    import django

    django.setup()
    from django.db import connection

    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tmpdir) / "bench-test.sqlite3")
    else:
        test["NAME"] = f"bench_search_{os.getpid()}"

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def sentences():
    from cms.demo import read_seed

    seed = read_seed().replace("\n", "")
    return [s.strip() + "。" for s in re.split(r"[。！？]", seed) if len(s.strip()) > 8]


def vocabulary(rng, size=20_000):
    """Common two-to-four-character words from jieba's dictionary, as filler text."""
    from search.segmentation import get_segmenter

    freq = get_segmenter().tokenizer.FREQ
    words = [w for w, f in freq.items() if f >= 50 and 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w)]
    words.sort()
    return rng.sample(words, min(size, len(words)))


def filler(rng, words, length):
    out, size = [], 0
    while size < length:
        clause = "".join(rng.choice(words) for _ in range(rng.randint(3, 7)))
        out.append(clause + rng.choice("，，，。"))
        size += len(clause) + 1
    return "".join(out)


def build_documents(count, seed=42):
    """Bulk-insert ``count`` StandardPages under the welcome page (no signals, no revisions).

    Each has a title of filler words (a seed headline fragment in one of five) and a
    body of two to four seed sentences among 300-900 characters of filler.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from wagtail.models import Page

    from home.models import StandardPage

    rng = random.Random(seed)
    pool = sentences()
    words = vocabulary(rng)
    parent = Page.objects.get(depth=2)
    content_type = ContentType.objects.get_for_model(StandardPage)
    now = timezone.now()
    fields = list(StandardPage._meta.local_concrete_fields)
    batch_size = 1000
    with transaction.atomic():
        for start in range(0, count, batch_size):
            pages = []
            for number in range(start, min(count, start + batch_size)):
                title = filler(rng, words, 12)[:-1]
                if rng.random() < 0.2:
                    title = rng.choice(pool)[:20].rstrip("。，、") + title[:8]
                title = f"{title}（{number}）"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=f"bench-{number}",
                        content_type=content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, number + 1),
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}bench-{number}/",
                        live=True,
                        first_published_at=now,
                        last_published_at=now,
                        locale_id=parent.locale_id,
                    )
                )
            Page.objects.bulk_create(pages)
            rows = []
            for page in pages:
                paragraphs = [filler(rng, words, rng.randint(100, 300)) for _ in range(3)]
                paragraphs += rng.sample(pool, rng.randint(2, 4))
                rng.shuffle(paragraphs)
                body = "".join(f"<p>{text}</p>" for text in paragraphs)
                rows.append(StandardPage(page_ptr_id=page.pk, body=[("paragraph", body)]))
            StandardPage._base_manager._insert(rows, fields=fields)
        Page.objects.filter(pk=parent.pk).update(numchild=count)


def index_size(connection):
    from wagtail.search.models import IndexEntry

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size(%s)", [IndexEntry._meta.db_table])
            return cursor.fetchone()[0]
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [IndexEntry._meta.db_table + "%"])
        return cursor.fetchone()[0] or 0


def time_queries(repeat):
    """Three operations per round: ``search`` (a results page of 10 plus the total count,
    through the ORM as any caller would), ``search page`` (what the site search view asks
    for: a results page of 10 plus its tab counts, one faceted search; ``SiteSearch``) and
    ``autocomplete`` (8 suggestions)."""
    from wagtail.models import Page

    from cms.cache import request_scope
    from search.views import SiteSearch

    times = {"search": [], "search page": [], "autocomplete": []}
    per_query = {}
    for query in QUERIES:  # warm-up: dictionary load, statement caches, the queryset maps
        list(Page.objects.live().search(query)[:10])
        SiteSearch(query).tabs()
    for _ in range(repeat):
        for query in QUERIES:
            started = time.perf_counter()
            results = Page.objects.live().search(query)
            hits = list(results[:10])
            total = results.count()
            elapsed = time.perf_counter() - started
            started = time.perf_counter()
            with request_scope():  # as the view runs, inside the page cache middleware's scope
                finder = SiteSearch(query)
                list(finder.results()[:10])
                finder.tabs()
            page_elapsed = time.perf_counter() - started
            times["search"].append(elapsed)
            times["search page"].append(page_elapsed)
            per_query.setdefault(query, []).append((elapsed, page_elapsed, total, len(hits)))
        for query in AUTOCOMPLETE:
            started = time.perf_counter()
            list(Page.objects.live().autocomplete(query)[:8])
            times["autocomplete"].append(time.perf_counter() - started)
    return times, per_query


def print_query_table(times, per_query):
    ms = 1000
    print()
    print(f"{'operation':<14}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in times.items():
        print(
            f"{name:<14}{statistics.median(values) * ms:>10.1f}"
            f"{percentile(values, 0.95) * ms:>10.1f}{max(values) * ms:>10.1f}"
        )
    print()
    print(f"{'query':<40}{'hits':>8}{'p50 ms':>10}{'p95 ms':>10}{'page p50':>10}{'page p95':>10}")
    for query, runs in per_query.items():
        searches = [run[0] for run in runs]
        pages = [run[1] for run in runs]
        print(
            f"{query:<40}{runs[0][2]:>8}{statistics.median(searches) * ms:>10.1f}"
            f"{percentile(searches, 0.95) * ms:>10.1f}{statistics.median(pages) * ms:>10.1f}"
            f"{percentile(pages, 0.95) * ms:>10.1f}"
        )


def reuse(name, repeat):
    """Time the queries again on a database an earlier ``--keep`` run left behind."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = name
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["NAME"] = name
    from wagtail.models import Page

    print(f"database      {connection.vendor} ({name}), {Page.objects.count():,} pages")
    print_query_table(*time_queries(repeat))


def build_and_time(args, tmpdir):
    setup_started = time.perf_counter()
    connection, old_name = setup_django(tmpdir)
    try:
        from django.core.management import call_command

        from search.segmentation import get_segmenter

        migrate_seconds = time.perf_counter() - setup_started
        started = time.perf_counter()
        get_segmenter()
        dictionary_seconds = time.perf_counter() - started

        started = time.perf_counter()
        build_documents(args.docs)
        build_seconds = time.perf_counter() - started

        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            cProfile.runctx(
                'call_command("update_index", verbosity=0)', globals(), locals(), os.environ["BENCH_PROFILE"]
            )
        else:
            call_command("update_index", verbosity=0)
        index_seconds = time.perf_counter() - started
        size = index_size(connection)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics, as autovacuum would have after a bulk load.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        analyze_seconds = time.perf_counter() - started

        timings = time_queries(args.repeat)
        print()
        print(f"database      {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"documents     {args.docs:,} StandardPages, {args.repeat} rounds of {len(QUERIES)} queries")
        print(f"setup         migrate {migrate_seconds:.1f} s, insert {build_seconds:.1f} s")
        print(f"dictionary    {dictionary_seconds:.2f} s (once per process)")
        print(
            f"update_index  {index_seconds:.1f} s ({args.docs / index_seconds:,.0f} docs/s), "
            f"index {size / 2**20:.1f} MiB; then ANALYZE {analyze_seconds:.1f} s"
        )
        print_query_table(*timings)
    finally:
        if args.keep:
            print(f"kept database {connection.settings_dict['NAME']} (time it again with --reuse NAME)")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards and print its name")
    parser.add_argument("--reuse", metavar="NAME", help="only time the queries, on a database kept by --keep")
    args = parser.parse_args()

    if args.reuse:
        reuse(args.reuse, args.repeat)
        return
    tmpdir = tempfile.mkdtemp(prefix="bench-search-")
    try:
        build_and_time(args, tmpdir)
    finally:
        if not args.keep:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()

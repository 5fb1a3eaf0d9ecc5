"""The SQLite full-text index: written once per change and merged after ``update_index``."""

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.models import StandardPage
from search.backends.allowed import index_entry_model

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite FTS5 index only"),
]

TITLES = [
    "重庆市专精特新小巨人企业服务行动方案",
    "成渝两地三企签署超高清视频研发应用战略合作协议",
    "智能航行300TEU集装箱商船在青岛海试",
    "鲁渝科技协作信息服务平台上线",
]


def fts_table():
    from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

    return SQLiteFTSIndexEntry._meta.db_table


def standard_page_index():
    return get_search_backend().get_index_for_model(StandardPage)


def optimize_statements(captured):
    return [query["sql"] for query in captured.captured_queries if "'optimize'" in query["sql"]]


def segments():
    """How many b-tree segments the FTS5 index has (rows of its ``_idx`` table per segment)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(DISTINCT segid) FROM "{fts_table()}_idx"')  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def pages(home_page):
    made = []
    for title in TITLES:
        page = StandardPage(title=title, body=[("paragraph", f"<p>重庆日报讯 {title}</p>")])
        home_page.add_child(instance=page)  # each indexed on its own, as publishing does
        made.append(page)
    return made


def ranked(query):
    return [page.pk for page in Page.objects.live().search(query)]


def test_update_index_merges_the_index_and_keeps_the_results(pages):
    before = {query: ranked(query) for query in ("重庆", "小巨人", "服务", "超高清 视频")}
    assert segments() > 1

    call_command("update_index", verbosity=0)

    assert segments() == 1
    assert {query: ranked(query) for query in before} == before
    assert before["小巨人"] == [pages[0].pk]


def test_indexing_never_rewrites_entries_for_title_norms(pages):
    """Upstream's title-norm updates fired the FTS update trigger for every entry."""
    page = pages[0]
    with CaptureQueriesContext(connection) as publish:
        page.title = "重庆市专精特新小巨人企业服务行动方案（修订）"
        page.save_revision().publish()
    with CaptureQueriesContext(connection) as rebuild:
        call_command("update_index", verbosity=0)

    statements = [query["sql"] for query in publish.captured_queries + rebuild.captured_queries]
    assert any(index_entry_model()._meta.db_table in sql for sql in statements)  # the page was indexed
    assert not [sql for sql in statements if sql.startswith("UPDATE") and "title_norm" in sql]
    assert ranked("修订") == [page.pk]


def test_sqlite_ranking_never_reads_title_norms(pages):
    with CaptureQueriesContext(connection) as search:
        ranked("重庆")
        Page.objects.live().search("重庆", order_by_relevance=False).count()
        list(Page.objects.live().autocomplete("小巨"))
    assert search.captured_queries
    assert not [query["sql"] for query in search.captured_queries if "title_norm" in query["sql"]]


def test_a_rebuild_marked_for_rollback_is_not_merged(pages):
    backend = get_search_backend()
    index = standard_page_index()
    rebuilder = backend.atomic_rebuilder_class(index)
    rebuilder.start()
    rebuilder.transaction.needs_rollback = True  # as upstream's __del__ marks a failed rebuild
    with CaptureQueriesContext(connection) as finish:
        rebuilder.finish()
    assert not optimize_statements(finish)

    rebuilder = backend.atomic_rebuilder_class(index)
    rebuilder.start()
    with CaptureQueriesContext(connection) as finish:
        rebuilder.finish()
    assert optimize_statements(finish)
    assert segments() == 1


def test_the_non_atomic_rebuild_is_merged_too(pages):
    from search.backends.sqlite import OptimisingRebuilder

    rebuilder = OptimisingRebuilder(standard_page_index())
    index = rebuilder.start()
    index.add_items(StandardPage, StandardPage.objects.all())
    assert segments() > 1
    rebuilder.finish()
    assert segments() == 1
    assert ranked("小巨人") == [pages[0].pk]

"""PostgreSQL: title norms are written with the entry, not by a second pass over the table."""
# ruff: noqa: S608  (the table name comes from model meta; values are parameters)

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.search.backends import get_search_backend

from home.models import StandardPage
from search.backends.allowed import index_entry_model

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL index only"),
]

TITLES = [
    "重庆市专精特新小巨人企业服务行动方案",
    "成渝两地三企签署超高清视频研发应用战略合作协议",
    "智能航行船舶海试",
    "鲁渝科技协作信息服务平台正式上线",
    "江北10名学生获青少年科技创新区长奖",
]


def table():
    return index_entry_model()._meta.db_table


def norms():
    """``{object_id: (title_norm, lexemes in title)}`` of the StandardPage entries, and the mean."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT avg(length(title)) FROM {table()} WHERE length(title) > 0")
        average = float(cursor.fetchone()[0])
        cursor.execute(f"SELECT content_type_id, object_id, title_norm, length(title) FROM {table()}")
        return {(row[0], row[1]): (row[2], row[3]) for row in cursor.fetchall()}, average


def assert_upstream_norms(within=0.05):
    """Each entry's norm is modelsearch's lavg / length(title), to within ``within``."""
    rows, average = norms()
    assert rows
    for object_id, (norm, length) in rows.items():
        expected = average / length if length else 1.0
        assert abs(norm - expected) <= within * expected, (object_id, norm, expected)


@pytest.fixture
def titled_pages(home_page):
    made = []
    for title in TITLES:
        page = StandardPage(title=title, body=[("paragraph", "<p>重庆日报讯</p>")])
        home_page.add_child(instance=page)
        made.append(page)
    return made


def index():
    return get_search_backend().get_index_for_model(StandardPage)


def test_new_entries_get_their_norm_in_the_insert(titled_pages):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table()}")
    with CaptureQueriesContext(connection) as ctx:
        index().add_items(StandardPage, titled_pages)
    assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    # An empty index takes the batch's own average: not every norm is upstream's 1.0.
    assert_upstream_norms(within=1e-6)
    assert len({round(norm, 6) for norm, _ in norms()[0].values()}) > 1


def test_a_changed_title_gets_a_fresh_norm(titled_pages):
    page = titled_pages[2]
    page.title = "智能航行三百标准箱集装箱商船在青岛附近海域完成首次海上试航"
    page.save_revision().publish()
    index().add_items(StandardPage, [page])
    rows, average = norms()
    norm, length = rows[(page.content_type_id, str(page.pk))]
    assert length > 4
    assert norm == pytest.approx(average / length, rel=0.25)


def test_the_rebuild_pass_rewrites_only_rows_that_are_off(titled_pages):
    page = titled_pages[0]
    index().add_items(StandardPage, titled_pages)
    index()._refresh_title_norms(full=True)  # settle rows indexed one by one as pages were made
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table()} SET title_norm = 99 WHERE content_type_id = %s AND object_id = %s",
            [page.content_type_id, str(page.pk)],
        )
    assert index()._refresh_title_norms(full=True) == 1
    assert_upstream_norms()

"""The segmenting backend behaves like a search backend for every indexed model."""

import pytest

from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.models import Topic
from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(home_page):
    made = {}
    for key, title in {
        "giants": "重庆市专精特新小巨人企业服务行动方案",
        "video": "成渝两地三企签署超高清视频研发应用战略合作协议",
        "ship": "智能航行300TEU集装箱商船在青岛海试",
    }.items():
        page = StandardPage(title=title, body=[("paragraph", "<p>重庆日报讯</p>")])
        home_page.add_child(instance=page)
        made[key] = page
    return made


def ids(results):
    return {obj.pk for obj in results}


def test_snippets_are_segmented_too():
    topic = Topic.objects.create(name="专精特新小巨人企业", slug="giants")
    Topic.objects.create(name="超高清视频", slug="video")
    assert ids(get_search_backend().search("小巨人", Topic)) == {topic.pk}
    assert ids(get_search_backend().autocomplete("小巨", Topic)) == {topic.pk}


def test_images_are_segmented_too():
    from wagtail.images.models import Image

    image = Image.objects.create(title="鲁渝科技协作信息服务平台上线仪式", file=get_test_image_file())
    assert ids(Image.objects.search("科技协作")) == {image.pk}


def test_or_operator(pages):
    results = Page.objects.search("小巨人 超高清", operator="or")
    assert ids(results) == {pages["giants"].pk, pages["video"].pk}
    assert ids(Page.objects.search("小巨人 超高清")) == set()


def test_and_not_query(pages):
    from modelsearch.query import And, Not, PlainText

    query = And([PlainText("重庆"), Not(PlainText("超高清"))])
    assert ids(Page.objects.search(query)) == {pages["giants"].pk, pages["ship"].pk}


def test_annotate_score_and_specific(pages):
    results = list(Page.objects.live().specific().search("小巨人").annotate_score("_score"))
    assert [type(r) for r in results] == [StandardPage]
    assert results[0]._score is not None


def test_filters_apply_before_ranking(pages):
    pages["video"].unpublish()
    assert ids(Page.objects.live().search("重庆")) == {pages["giants"].pk, pages["ship"].pk}
    assert ids(Page.objects.live().search("超高清")) == set()


def test_unranked_order(pages):
    results = list(Page.objects.order_by("title").search("重庆", order_by_relevance=False))
    assert [p.title for p in results] == sorted(p.title for p in results)


def test_slicing_and_count(pages):
    results = Page.objects.search("重庆")
    assert results.count() == 3
    assert len(list(results[1:3])) == 2
    assert ids(results[0:1]) | ids(results[1:3]) == ids(results)


def test_title_outranks_body(home_page):
    for number in range(6):  # a corpus where 视频 is not in every document (bm25's idf)
        home_page.add_child(instance=StandardPage(title=f"其他栏目{number}", body=[("paragraph", "<p>产业</p>")]))
    body_only = StandardPage(title="其他新闻", body=[("paragraph", "<p>视频会议在重庆召开，视频连线</p>")])
    in_title = StandardPage(
        title="超高清视频产业论坛",
        body=[("paragraph", "<p>论坛举行。" + "产业发展。" * 30 + "</p>")],
    )
    home_page.add_child(instance=body_only)
    home_page.add_child(instance=in_title)
    assert next(iter(Page.objects.search("视频"))).pk == in_title.pk


@pytest.mark.parametrize("query", ["！！", "，。", "〔〕"])
def test_punctuation_only_finds_nothing(pages, query):
    assert list(Page.objects.search(query)) == []
    assert list(Page.objects.autocomplete(query)) == []


@pytest.fixture
def split_terms(home_page):
    """Pages where the two words of a query sit in different columns (title, body)."""
    made = {}
    for key, title, body in [
        ("both_title", "小巨人企业重庆行", "无关正文"),
        ("split", "小巨人企业名单", "重庆日报讯"),
        ("title_only", "小巨人企业", "无关正文"),
        ("body_only", "无关标题", "重庆市小巨人企业"),
        ("neither", "超高清视频", "成都日报讯"),
    ]:
        page = StandardPage(title=title, body=[("paragraph", f"<p>{body}</p>")])
        home_page.add_child(instance=page)
        made[key] = page.pk
    return made


@pytest.mark.parametrize("use_rum", [True, False])
@pytest.mark.parametrize(
    ("query", "operator", "expected"),
    [
        ("小巨人", "and", {"both_title", "split", "title_only", "body_only"}),
        ("小巨人 重庆", "and", {"both_title", "split", "body_only"}),  # one word per column still matches
        ("重庆", "and", {"both_title", "split", "body_only"}),
        ("超高清 重庆", "or", {"neither", "both_title", "split", "body_only"}),
    ],
)
def test_matches_equal_the_concatenated_columns(split_terms, settings, query, operator, expected, use_rum):
    """Both PostgreSQL paths find exactly what (title || body) @@ query finds: the RUM
    index path, and without it the per-column match (no concatenation)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends.postgres import rum_index_ready

    settings.SEARCH_USE_RUM = use_rum
    with CaptureQueriesContext(connection) as ctx:
        results = Page.objects.live().type(StandardPage).search(query, operator=operator)
        found = ids(results)
        count = results.count()
    assert found == {split_terms[key] for key in expected}
    assert count == len(found)
    if connection.vendor == "postgresql":
        search_sql = [q["sql"] for q in ctx.captured_queries if "@@" in q["sql"]]
        assert search_sql
        if use_rum:
            assert rum_index_ready("default"), "CI installs the RUM extension (.ci/run)"
            assert any("<=>" in q["sql"] for q in ctx.captured_queries), search_sql
        else:
            assert all("||" not in sql for sql in search_sql), search_sql


def test_negated_query_keeps_the_upstream_match(split_terms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from modelsearch.query import And, Not, PlainText

    query = And([PlainText("小巨人"), Not(PlainText("重庆"))])
    with CaptureQueriesContext(connection) as ctx:
        found = ids(Page.objects.live().type(StandardPage).search(query))
    assert found == {split_terms["title_only"]}
    if connection.vendor == "postgresql":
        assert any("||" in q["sql"] for q in ctx.captured_queries if "@@" in q["sql"])

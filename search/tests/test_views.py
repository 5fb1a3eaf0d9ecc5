"""The /search/ page: tabs, counts, sort, highlighting, promotions, paging, tips."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from home.models import StandardPage
from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db

URL = reverse("search")


def make_page(parent, title, body="", model=StandardPage, days_ago=0, **kwargs):
    page = model(title=title, **kwargs)
    if body and hasattr(model, "body"):
        page.body = [("paragraph", f"<p>{body}</p>")]
    parent.add_child(instance=page)
    published = timezone.now() - datetime.timedelta(days=days_ago)
    Page.objects.filter(pk=page.pk).update(first_published_at=published)
    return page


@pytest.fixture
def pages(home_page):
    return {
        "old": make_page(home_page, "小巨人企业名单（旧）", "专精特新小巨人企业", days_ago=30),
        "new": make_page(home_page, "小巨人企业服务行动方案", "重庆出台小巨人服务方案", days_ago=1),
        "video": make_page(home_page, "超高清视频合作协议", "超高清视频产业"),
        "section": make_page(home_page, "新闻中心小巨人专栏", model=NewsIndexPage),
    }


def test_results_and_noindex(client, pages):
    response = client.get(URL, {"q": "小巨人"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert "超高清视频合作协议" not in html
    assert [item["page"].pk for item in response.context["items"]].count(pages["new"].pk) == 1


def test_restricted_pages_and_their_children_are_not_found_until_opened(client, pages):
    from wagtail.models import PageViewRestriction

    child = make_page(pages["old"], "小巨人申报细则", "小巨人申报")
    restriction = PageViewRestriction.objects.create(page=pages["old"], restriction_type=PageViewRestriction.LOGIN)

    def found():
        response = client.get(URL, {"q": "小巨人"})
        assert response.status_code == 200
        return {item["page"].pk for item in response.context["items"]}, response.content.decode()

    ids, html = found()
    assert pages["new"].pk in ids
    assert pages["old"].pk not in ids and child.pk not in ids
    assert "小巨人申报细则" not in html
    restriction.delete()
    ids, _ = found()
    assert {pages["old"].pk, child.pk} <= ids


def test_highlight_marks_word_in_title_and_snippet(client, pages):
    response = client.get(URL, {"q": "超高清"})
    item = response.context["items"][0]
    assert str(item["title"]) == "<mark>超高清</mark>视频合作协议"
    assert "<mark>超高清</mark>视频产业" in str(item["snippet"])


def test_adjacent_words_highlight_as_one_run(client, pages):
    response = client.get(URL, {"q": "超高清视频"})
    assert str(response.context["items"][0]["title"]) == "<mark>超高清视频</mark>合作协议"


def test_query_with_html_is_shown_as_text(client, pages):
    response = client.get(URL, {"q": "<script>alert(1)</script>小巨人"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;小巨人" in html


def test_highlight_escapes_page_text(client, home_page):
    make_page(home_page, "<b>小巨人</b> & 伙伴")
    response = client.get(URL, {"q": "小巨人"})
    assert str(response.context["items"][0]["title"]) == "&lt;b&gt;<mark>小巨人</mark>&lt;/b&gt; &amp; 伙伴"


def test_tabs_and_counts(client, pages):
    response = client.get(URL, {"q": "小巨人"})
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs[""] == 3
    assert tabs["other"] == 3
    response = client.get(URL, {"q": "小巨人", "type": "other"})
    assert len(response.context["items"]) == 3


def test_type_tab_filters(client, pages, settings):
    settings.SITE_SEARCH_TYPES = (("news", "新闻", ("news.NewsIndexPage",)),)
    response = client.get(URL, {"q": "小巨人", "type": "news"})
    assert [item["page"].pk for item in response.context["items"]] == [pages["section"].pk]
    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"": 3, "news": 1, "other": 2}
    assert 'data-type="news"' in response.content.decode()


@pytest.fixture
def forget_types():
    from search.result_types import forget

    forget()
    yield
    forget()


def test_page_model_can_declare_its_type(client, pages, monkeypatch, forget_types):
    monkeypatch.setattr(StandardPage, "search_result_type", "policy", raising=False)
    response = client.get(URL, {"q": "小巨人", "type": "policy"})
    assert {item["page"].pk for item in response.context["items"]} == {pages["old"].pk, pages["new"].pk}
    assert all(item["type_label"] == "政策" for item in response.context["items"])


def test_unknown_type_and_sort_fall_back(client, pages):
    response = client.get(URL, {"q": "小巨人", "type": "nope", "sort": "nope"})
    assert response.status_code == 200
    assert response.context["type_key"] == ""
    assert response.context["sort"] == "relevance"


def test_sort_by_date(client, pages):
    response = client.get(URL, {"q": "小巨人企业", "sort": "date"})
    order = [item["page"].pk for item in response.context["items"]]
    assert order.index(pages["new"].pk) < order.index(pages["old"].pk)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e9", "", "9" * 40])
def test_bad_page_numbers_never_fail(client, pages, page):
    response = client.get(URL, {"q": "小巨人", "page": page})
    assert response.status_code == 200


def test_query_count_does_not_grow_with_results(client, home_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.cache import bump_version

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"q": "小巨人"}).status_code == 200
        return len(ctx.captured_queries)

    def cold_and_warm():
        # Right after a content change the result texts are built from the pages (cold);
        # the next search reads them from the shared cache (warm). Neither grows.
        bump_version()
        return count_queries(), count_queries()

    for number in range(2):
        make_page(home_page, f"小巨人企业第{number}家")
    client.get(URL, {"q": "小巨人"})  # warm caches (content types, site root)
    few = cold_and_warm()
    for number in range(2, 10):
        make_page(home_page, f"小巨人企业第{number}家")
    assert cold_and_warm() == few
    assert few[1] < few[0]


def test_pagination(client, home_page):
    for number in range(12):
        make_page(home_page, f"小巨人企业第{number}家")
    first = client.get(URL, {"q": "小巨人"})
    second = client.get(URL, {"q": "小巨人", "page": "2"})
    assert len(first.context["items"]) == 10
    assert len(second.context["items"]) == 2
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("query", ["", "   ", "！！！", "，。", "〔〕"])
def test_empty_or_punctuation_query_shows_tips(client, pages, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.context["show_tips"]
    assert "搜索提示" in response.content.decode()


def test_no_results_shows_message_and_tips(client, pages):
    response = client.get(URL, {"q": "区块链"})
    html = response.content.decode()
    assert "没有找到" in html and "搜索提示" in html


def test_promotions_first_and_not_repeated(client, pages):
    query = Query.get("小巨人")
    SearchPromotion.objects.create(query=query, page=pages["old"], description="编辑推荐的小巨人名单")
    SearchPromotion.objects.create(
        query=query, external_link_url="https://example.org/", external_link_text="外部链接"
    )
    response = client.get(URL, {"q": "小巨人"})
    promoted = [item["promotion"] for item in response.context["promotions"]]
    assert [p.page_id for p in promoted] == [pages["old"].pk, None]
    assert pages["old"].pk not in [item["page"].pk for item in response.context["items"]]
    html = response.content.decode()
    assert html.index("编辑推荐的") < html.index("企业服务行动方案")
    assert "<mark>小巨人</mark>名单" in html


def test_unpublished_promotion_hidden(client, pages):
    pages["old"].unpublish()
    SearchPromotion.objects.create(query=Query.get("小巨人"), page=pages["old"])
    response = client.get(URL, {"q": "小巨人"})
    assert response.context["promotions"] == []


def test_query_logged_for_popular_searches(client, pages):
    client.get(URL, {"q": "小巨人"})
    client.get(URL, {"q": "小巨人"})
    client.get(URL, {"q": "小巨人", "page": "2"})
    assert Query.get("小巨人").hits == 2
    client.get(URL, {"q": "！！"})
    assert not Query.objects.filter(query_string="！！").exists()


def test_unpublished_and_private_pages_hidden(client, pages):
    pages["new"].unpublish()
    response = client.get(URL, {"q": "小巨人"})
    assert pages["new"].pk not in [item["page"].pk for item in response.context["items"]]


def test_suggest_endpoint(client, pages):
    response = client.get(reverse("search_suggest"), {"q": "小巨"})
    assert response.status_code == 200
    titles = [s["title"] for s in response.json()["suggestions"]]
    assert "小巨人企业服务行动方案" in titles
    assert "超高清视频合作协议" not in titles
    assert client.get(reverse("search_suggest"), {"q": "！"}).json()["suggestions"] == []


def test_search_box_works_without_javascript(client, pages):
    html = client.get(URL).content.decode()
    assert 'method="get"' in html and 'name="q"' in html
    assert "search/suggest.js" in html


def test_header_search_box_on_every_page_offers_suggestions(client, pages):
    """The header box (on every page, not only /search/) is wired to the suggestion endpoint."""
    html = client.get("/").content.decode()
    header = html[html.index('id="site-search-q"') - 200 : html.index("</header>")]
    assert 'list="site-search-suggestions"' in header
    assert f'data-suggest-url="{reverse("search_suggest")}"' in header
    assert '<datalist id="site-search-suggestions"></datalist>' in header
    assert html.count("search/suggest.js") == 1
    # Loaded once on the search page too, where a second box uses it.
    assert client.get(URL, {"q": "小巨人"}).content.decode().count("search/suggest.js") == 1


def test_restricting_a_page_hides_it_from_the_next_search(client, pages):
    """The public-pages SQL is compiled once per set of restricted paths (same_sql_as)."""
    from wagtail.models import PageViewRestriction

    def found():
        response = client.get(URL, {"q": "小巨人"})
        return {item["page"].pk for item in response.context["items"]}, response.context["tabs"][0]["count"]

    before, count = found()
    assert pages["new"].pk in before
    restriction = PageViewRestriction.objects.create(page=pages["new"], restriction_type=PageViewRestriction.LOGIN)
    assert found() == (before - {pages["new"].pk}, count - 1)
    restriction.delete()
    assert found() == (before, count)


def test_public_pages_is_a_new_queryset_each_time_with_the_built_ones_sql(pages):
    from cms.queries import public
    from search.views import public_pages

    first = public_pages()
    assert {page.pk for page in first} >= {pages["new"].pk, pages["old"].pk}  # evaluated
    second = public_pages()
    assert second is not first and second._result_cache is None  # the kept one never is
    built = public(Page.objects.live().filter(depth__gt=1))
    assert str(second.query) == str(built.query)
    assert list(second.order_by("pk").values_list("pk", flat=True)) == list(
        built.order_by("pk").values_list("pk", flat=True)
    )


def test_tabs_follow_the_setting_and_come_back(client, pages):
    """The types and their content types are kept per process, and computed again when the
    setting changes."""
    from django.test import override_settings

    from search.result_types import content_type_map, result_types

    default = [t.key for t in result_types()]
    default_map = content_type_map()
    assert "news" in default and default_map
    with override_settings(SITE_SEARCH_TYPES=(("news", "新闻", ("news.NewsIndexPage",)),)):
        assert [t.key for t in result_types()] == ["news"]
        assert set(content_type_map().values()) == {"news"}
    assert [t.key for t in result_types()] == default
    assert content_type_map() == default_map

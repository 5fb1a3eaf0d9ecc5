"""The news index: order, filters, pagination that never fails, photo strip, query budget."""

import pytest

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from cms.factories import RegionFactory, TopicFactory
from cms.tests.plans import assert_walks_index, sqlite_plans
from news.factories import ArticlePageFactory
from news.models import ARTICLES_PER_PAGE

pytestmark = pytest.mark.django_db

INDEX_QUERIES = 7


def get(client, news_index, query=""):
    return client.get(f"{news_index.url}{query}")


def test_newest_first_by_display_date(client, news_index, make_articles):
    older, newer = make_articles(2)
    html = get(client, news_index).content.decode()
    assert html.index(newer.title) < html.index(older.title)


def test_filter_by_topic_and_region(client, news_index, make_articles):
    tagged = make_articles(1)[0]
    other = ArticlePageFactory(parent=news_index, title="另一条新闻")
    other_topic = TopicFactory(name="智能船舶", slug="smart-shipping")
    other.topics.add(other_topic)
    other.save()

    html = get(client, news_index, "?topic=specialised-smes").content.decode()
    assert tagged.title in html and "另一条新闻" not in html
    assert "筛选：主题 专精特新" in html

    html = get(client, news_index, "?region=jiangbei").content.decode()
    assert tagged.title in html and "另一条新闻" not in html

    html = get(client, news_index, "?topic=smart-shipping").content.decode()
    assert "另一条新闻" in html and tagged.title not in html

    RegionFactory(name="武隆区", slug="wulong")
    assert "暂无新闻" in get(client, news_index, "?region=wulong").content.decode()


@pytest.mark.parametrize("query", ["?topic=no-such-topic", "?region=no-such-region"])
def test_unknown_filter_is_404(client, news_index, query):
    assert get(client, news_index, query).status_code == 404


@pytest.mark.parametrize(
    ("page", "expected_number"),
    [("1", 1), ("2", 2), ("abc", 1), ("99999", 2), ("-1", 2), ("0", 2), ("", 1), ("1.5", 1), ("%00", 1)],
)
def test_bad_page_numbers_give_the_nearest_page(client, news_index, page, expected_number):
    for number in range(ARTICLES_PER_PAGE + 3):
        ArticlePageFactory(parent=news_index, title=f"分页新闻{number:02d}")
    response = get(client, news_index, f"?page={page}")
    assert response.status_code == 200
    assert response.context["articles"].number == expected_number
    assert len(response.context["articles"]) == (ARTICLES_PER_PAGE if expected_number == 1 else 3)


def test_pagination_links_keep_the_filter(client, news_index, make_articles):
    make_articles(ARTICLES_PER_PAGE + 1)
    html = get(client, news_index, "?topic=specialised-smes").content.decode()
    assert 'href="?topic=specialised-smes&amp;page=2"' in html
    assert "第 1 页，共 2 页" in html


def test_photo_strip_only_on_the_first_unfiltered_page(client, news_index, make_articles):
    photo = make_articles(1, is_photo_news=True)[0]
    make_articles(ARTICLES_PER_PAGE, is_photo_news=False)
    response = get(client, news_index)
    assert list(response.context["photo_strip"]) == [photo]
    assert "图片新闻" in response.content.decode()
    assert get(client, news_index, "?page=2").context["photo_strip"] == []
    assert get(client, news_index, "?topic=specialised-smes").context["photo_strip"] == []


def test_drafts_and_private_articles_are_not_listed(client, news_index, make_articles):
    from wagtail.models import PageViewRestriction

    live, draft, private = make_articles(3)
    draft.unpublish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    titles = [article.title for article in get(client, news_index).context["articles"]]
    assert titles == [live.title]


def test_query_count_does_not_grow_with_articles(client, news_index, make_articles, django_assert_num_queries):
    make_articles(5, is_photo_news=True)
    get(client, news_index)  # first view creates the renditions
    get(client, news_index)  # ...and the site settings rows, a new content version
    # Creating pages fills Django's 9000-entry query log; a full log hides new queries.
    reset_queries()
    with CaptureQueriesContext(connection) as five:
        assert get(client, news_index).status_code == 200
    five_articles_queries = len(five)
    make_articles(ARTICLES_PER_PAGE - 5, is_photo_news=True)
    get(client, news_index)
    reset_queries()
    with django_assert_num_queries(five_articles_queries):
        response = get(client, news_index)
    assert len(response.context["articles"]) == ARTICLES_PER_PAGE
    assert len(response.context["photo_strip"]) == 6
    # Stated budget: articles and their prefetches, the photo strip and its renditions; the
    # site, routing to the section, menu, settings, the filter lists and the listing's size
    # come from the shared cache (cms.cache.versioned); no view restriction exists to look up.
    assert five_articles_queries == INDEX_QUERIES


def test_page_count_follows_publishing_and_filters(client, news_index, make_articles):
    articles = make_articles(ARTICLES_PER_PAGE)

    def pages(query=""):
        return get(client, news_index, query).context["articles"].paginator.num_pages

    assert pages() == 1
    extra = make_articles(1)[0]  # publishing starts a new content version
    assert pages() == 2
    assert pages("?topic=specialised-smes") == 2
    extra.unpublish()
    assert pages() == 1
    assert pages("?topic=specialised-smes") == 1
    for article in articles[:5]:
        article.topics.clear()
        article.save_revision().publish()
    assert pages("?topic=specialised-smes") == 1
    assert get(client, news_index, "?topic=specialised-smes").context["articles"].paginator.count == 15
    assert get(client, news_index).context["articles"].paginator.count == ARTICLES_PER_PAGE


def test_latest_articles_helper_for_the_home_page(make_articles, django_assert_max_num_queries):
    from news.models import latest_articles

    articles = make_articles(4)
    articles[0].unpublish()
    with django_assert_max_num_queries(3):
        latest = latest_articles(2)
        # What the home page shows, without further queries: the articles, then the
        # pictures' renditions.
        [(a.get_listing_title(), a.get_listing_summary(), a.date, a.listing_image or a.lead_image) for a in latest]
        [list(a.lead_image.renditions.all()) for a in latest]
    assert latest == [articles[3], articles[2]]
    assert latest_articles(10, photo_news=True) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_listings_read_the_newest_articles_off_the_date_index(news_index, make_articles):
    """A page of articles costs a page of index entries, not a scan and sort of the section."""
    from news.models import latest_articles

    make_articles(3, is_photo_news=True)
    plans = sqlite_plans(
        lambda: (list(news_index.articles()[:10]), news_index.photo_strip(), latest_articles(5)),
        "news_articlepage",
    )
    listing_plans = [plan for plan in plans if "news_articlepage_display_date" in plan or "SCAN" in plan]
    assert len(listing_plans) == 3, plans
    for plan in listing_plans:
        assert_walks_index(plan, "news_articlepage_display_date")

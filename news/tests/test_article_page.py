"""The article page: byline line, credits, dates, links, sharing and structured data."""

import datetime
import json
import re

import pytest

from django.core.exceptions import ValidationError
from django.db import connection, reset_queries
from django.test import override_settings
from django.utils import timezone

from cms.tests.plans import assert_walks_index, sqlite_plans
from home.factories import StandardPageFactory
from news.factories import ArticleBylineFactory, ArticlePageFactory, ArticleRelatedItemFactory, NewsIndexPageFactory
from news.models import ArticleByline, ArticlePage, ArticleRelatedItem

pytestmark = pytest.mark.django_db

# The article with its source and lead image (routing: the site, the home page and the
# sections come from the shared cache), topics, regions, bylines, the two neighbours (one
# statement) and the related items. No view restriction exists, so none is looked up.
ARTICLE_PAGE_QUERIES = 6


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_own_paper_story(client, news_index, cq_daily):
    article = ArticlePageFactory(
        parent=news_index,
        title="成渝两地三企签署超高清视频研发应用战略合作协议",
        kicker="成渝合作",
        subtitle="推动川渝超高清视频产业协同发展",
        source=cq_daily,
        editor_in_charge="王编辑",
        display_date=timezone.make_aware(datetime.datetime(2021, 9, 15, 10)),
    )
    ArticleBylineFactory(article=article, name="杨骏", organisation=cq_daily)
    html = html_of(client, article)
    assert "本报讯（重庆日报记者 杨骏）" in html
    assert "2021年9月15日" in html
    assert 'class="article-kicker">成渝合作<' in html
    assert 'class="article-subtitle">推动川渝超高清视频产业协同发展<' in html
    assert "责任编辑：王编辑" in html
    # Own paper: no "来源：重庆日报" line, the 本报讯 says it.
    assert "来源：" not in html


def test_wire_story_shows_dateline_and_source(client, news_index, cq_daily, xinhua):
    article = ArticlePageFactory(
        parent=news_index,
        source=xinhua,
        dateline="新华社青岛9月14日电",
        display_date=timezone.make_aware(datetime.datetime(2021, 9, 14, 18)),
    )
    ArticleBylineFactory(article=article, name="王凯")
    html = html_of(client, article)
    assert "新华社青岛9月14日电（记者 王凯）" in html
    assert "来源：新华社" in html
    assert "2021年9月14日" in html
    data = json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["author"] == [{"@type": "Person", "name": "王凯"}]
    assert data["publisher"]["name"] == "新华社"
    assert data["datePublished"].startswith("2021-09-14T18:00:00+08:00")
    assert data["mainEntityOfPage"] == "http://testserver/news/" + article.slug + "/"


def test_photo_credit_from_photographer_byline(client, news_index, cq_daily):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="远程诊断", file=get_test_image_file())
    article = ArticlePageFactory(
        parent=news_index,
        source=cq_daily,
        lead_image=image,
        lead_image_caption="医生进行远程诊断。",
        is_photo_news=True,
    )
    ArticleBylineFactory(article=article, name="张锦辉", role=ArticleByline.Role.PHOTOGRAPHER, organisation=cq_daily)
    html = html_of(client, article)
    assert '<span class="photo-credit">重庆日报记者 张锦辉 摄</span>' in html
    # Only a photographer: no 本报讯 lead-in, as the seed prints its photo story.
    assert "本报讯" not in html
    assert 'property="og:image"' in html
    assert json_ld(html)["image"][0].startswith("http://testserver/")


def test_open_graph_share_block_and_print_stylesheet(client, news_index, cq_daily):
    article = ArticlePageFactory(parent=news_index, title="智能航行船舶海试", lead="“智飞”号成功开展海试。")
    html = html_of(client, article)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="“智飞”号成功开展海试。">' in html
    assert 'property="article:published_time"' in html
    assert "复制链接" in html and f'value="http://testserver{article.url}"' in html
    assert 'href="/static/css/print.css" media="print"' in html
    assert 'href="/news/rss.xml"' in html


def test_json_ld_cannot_close_the_script_element(client, news_index, cq_daily):
    article = ArticlePageFactory(parent=news_index, title="</script><script>alert(1)</script>")
    html = html_of(client, article)
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["headline"] == "</script><script>alert(1)</script>"


def test_topic_and_region_links(client, make_articles):
    article = make_articles(1)[0]
    html = html_of(client, article)
    assert 'href="/news/?topic=specialised-smes"' in html
    assert 'href="/news/?region=jiangbei"' in html


def test_previous_and_next_follow_display_date(client, make_articles):
    older, middle, newer = make_articles(3)
    html = html_of(client, middle)
    assert f'上一篇：<a href="{older.url}" rel="prev"' in html
    assert f'下一篇：<a href="{newer.url}" rel="next"' in html
    assert "上一篇：" not in html_of(client, older)
    assert "下一篇：" not in html_of(client, newer)


def test_neighbours_break_date_ties_by_id_and_stay_under_the_parent(client, make_articles, home_page):
    same_time = timezone.make_aware(datetime.datetime(2021, 9, 1, 8))
    first, second, third = make_articles(3)
    ArticlePage.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(display_date=same_time)
    for article in (first, second, third):
        article.refresh_from_db()
    # A later story in another news section is not a neighbour of this section's stories.
    other_section = NewsIndexPageFactory(parent=home_page, slug="other-news")
    ArticlePageFactory(parent=other_section, display_date=same_time + datetime.timedelta(days=1))
    assert (second.get_previous_article(), second.get_next_article()) == (first, third)
    assert third.get_next_article() is None
    assert first.get_previous_article() is None
    html = html_of(client, third)
    assert f'上一篇：<a href="{second.url}" rel="prev"' in html
    assert "下一篇：" not in html


def test_neighbours_skip_restricted_and_unpublished_articles(client, make_articles):
    from wagtail.models import PageViewRestriction

    oldest, older, middle, newer, newest = make_articles(5)
    PageViewRestriction.objects.create(page=middle, restriction_type=PageViewRestriction.LOGIN)
    newer.unpublish()
    assert (older.get_previous_article(), older.get_next_article()) == (oldest, newest)
    assert newest.get_previous_article() == older
    html = html_of(client, newest)
    assert f'上一篇：<a href="{older.url}" rel="prev"' in html
    assert middle.title not in html and newer.title not in html


def test_neighbours_and_related_pages_come_loaded_for_a_link(make_articles, news_index):
    """What the links show (title, URL) is loaded with the row; the rest is deferred, as
    with ``Model.objects.raw``, and loads on demand."""
    from django.test.utils import CaptureQueriesContext

    from cms.queries import restricted_paths

    older, article, newer = make_articles(3)
    ArticleRelatedItemFactory(article=article, page=news_index, sort_order=0)
    restricted_paths()  # read once (from the database here) for the three statements
    with CaptureQueriesContext(connection) as queries:
        previous, following = article.get_previous_article(), article.get_next_article()
        (related,) = article.get_related_pages()
    assert len(queries) == 3
    assert (type(previous), type(following), type(related).__name__) == (ArticlePage, ArticlePage, "Page")
    assert (previous.pk, following.pk, related.pk) == (older.pk, newer.pk, news_index.pk)
    expected = [(page.title, page.url) for page in (older, newer, news_index)]  # (site root paths read)
    with CaptureQueriesContext(connection) as queries:
        links = [(page.title, page.url) for page in (previous, following, related)]
    assert links == expected
    assert len(queries) == 0
    assert {"body", "display_date"} <= previous.get_deferred_fields()
    assert previous.display_date == older.display_date and not previous._state.adding


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
def test_neighbour_queries_walk_the_date_index(make_articles):
    """Each link reads a few index entries; it never scans and sorts the page table. Both
    links come from one statement, each side walking the index from this article."""
    from news.queries import neighbours

    article = make_articles(3)[1]
    plans = sqlite_plans(lambda: neighbours(article), "news_articlepage")
    assert len(plans) == 1
    # The outer query reads each side's one row from its co-routine ("SCAN o", "SCAN n").
    plan = plans[0].replace("SCAN o |", "").replace("| SCAN n", "")
    assert_walks_index(plan, "news_articlepage_display_date")
    assert plan.count("news_articlepage_display_date") == 2, plan


def test_related_items_in_editor_order_and_only_live(client, news_index, cq_daily):
    article, first, second, draft = (ArticlePageFactory(parent=news_index) for _ in range(4))
    ArticleRelatedItemFactory(article=article, page=second, sort_order=0)
    ArticleRelatedItemFactory(article=article, page=first, sort_order=1)
    ArticleRelatedItemFactory(article=article, page=draft, sort_order=2)
    draft.unpublish()
    html = html_of(client, article)
    section = html[html.index("article-related") :]
    assert section.index(second.title) < section.index(first.title)
    assert draft.title not in section


def test_related_items_leave_out_restricted_pages_and_their_children(client, news_index, cq_daily, home_page):
    from wagtail.models import PageViewRestriction

    from policy.factories import PolicyLibraryPageFactory, PolicyPageFactory

    article, shown, private = (ArticlePageFactory(parent=news_index) for _ in range(3))
    library = PolicyLibraryPageFactory(parent=home_page, slug="internal-library")
    inside = PolicyPageFactory(parent=library)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    for order, page in enumerate((shown, private, inside)):
        ArticleRelatedItemFactory(article=article, page=page, sort_order=order)
    html = html_of(client, article)
    section = html[html.index("article-related") :]
    assert shown.title in section
    assert private.title not in section and inside.title not in section


def test_related_item_must_be_news_policy_or_service(news_index, home_page):
    article = ArticlePageFactory(parent=news_index)
    plain = StandardPageFactory(parent=home_page, slug="about")
    with pytest.raises(ValidationError) as error:
        ArticleRelatedItem(article=article, page=plain).clean()
    assert error.value.message_dict["page"] == ["只能选择新闻、政策或服务页面。"]
    with pytest.raises(ValidationError):
        ArticleRelatedItem(article=article, page=article.page_ptr).clean()
    ArticleRelatedItem(article=article, page=ArticlePageFactory(parent=news_index).page_ptr).clean()


def test_at_most_three_related_items(news_index):
    article = ArticlePageFactory(parent=news_index)
    others = [ArticlePageFactory(parent=news_index) for _ in range(4)]
    article.related_items = [ArticleRelatedItem(page=other) for other in others]
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "相关内容最多 3 条。" in str(error.value)


def test_display_date_defaults_to_first_publication(news_index):
    article = ArticlePage(title="未填日期的稿件", slug="no-date", live=False)  # a draft, as the editor makes it
    news_index.add_child(instance=article)
    assert article.display_date is None
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.display_date == article.first_published_at


def test_an_article_made_live_without_publishing_is_dated_and_listed(client, news_index):
    """Listings read live articles off the date index, so none may be left undated."""
    article = ArticlePage(title="脚本导入的稿件", slug="imported")
    news_index.add_child(instance=article)  # live, never published: no first_published_at
    article.refresh_from_db()
    assert article.first_published_at is None
    assert article.display_date is not None
    assert article in news_index.articles()
    assert "脚本导入的稿件" in client.get(news_index.url).content.decode()


def test_article_page_query_count_is_fixed(client, django_assert_num_queries, make_articles, news_index):
    """An article page with neighbours, related items and an image: 7 queries, however many bylines."""
    first, article, last = make_articles(3)
    ArticleRelatedItemFactory(article=article, page=first)
    client.get(article.url)  # renditions are created on the first view
    client.get(article.url)  # ...and the site settings rows, a new content version
    reset_queries()  # creating pages fills Django's 9000-entry query log
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.url).status_code == 200
    for number in range(4):
        ArticleBylineFactory(article=article, name=f"通讯员{number}", role=ArticleByline.Role.CORRESPONDENT)
    ArticleRelatedItemFactory(article=article, page=last)
    client.get(article.url)  # new content version: the shared fragments are rebuilt once
    reset_queries()
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.url).status_code == 200


def test_tree_rules(news_index, home_page):
    assert ArticlePage.can_create_at(news_index)
    assert not ArticlePage.can_create_at(home_page)
    assert ArticlePage.allowed_subpage_models() == []


def test_migration_dates_live_articles_left_undated(news_index):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("news.migrations.0003_date_live_articles")
    live, draft = ArticlePageFactory(parent=news_index), ArticlePageFactory(parent=news_index, live=False)
    published = timezone.make_aware(datetime.datetime(2021, 9, 14, 9))
    ArticlePage.objects.filter(pk__in=[live.pk, draft.pk]).update(display_date=None)
    ArticlePage.objects.filter(pk=live.pk).update(first_published_at=published)
    migration.date_live_articles(apps, None)
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.display_date == published
    assert draft.display_date is None


def test_preview_shows_the_drafts_topics_regions_and_bylines(client, news_index, cq_daily):
    """The page's relations are read with SQL compiled once; a preview keeps the draft's."""
    from cms.factories import RegionFactory, TopicFactory

    live_topic, draft_topic = TopicFactory(name="超高清视频", slug="uhd"), TopicFactory(name="示例主题", slug="sample")
    live_region, draft_region = RegionFactory(name="江北区", slug="jiangbei"), RegionFactory(name="示例区", slug="s")
    article = ArticlePageFactory(parent=news_index, title="成渝超高清视频产业协议", source=cq_daily)
    article.topics = [live_topic]
    article.regions = [live_region]
    article.bylines = [ArticleByline(name="记者甲", role=ArticleByline.Role.REPORTER)]
    article.save_revision().publish()

    draft = ArticlePage.objects.get(pk=article.pk)
    draft.topics = [draft_topic]
    draft.regions = [draft_region]
    draft.bylines = [ArticleByline(name="记者乙", role=ArticleByline.Role.REPORTER)]
    draft.save_revision()

    preview = draft.get_latest_revision_as_object().make_preview_request()
    preview_html = preview.content.decode()
    for shown in ("示例主题", "示例区", "记者乙"):
        assert shown in preview_html
    for gone in ("超高清视频</a>", "江北区", "记者甲"):
        assert gone not in preview_html

    live_html = html_of(client, article)
    for shown in ("超高清视频</a>", "江北区", "记者甲"):
        assert shown in live_html
    for gone in ("示例主题", "示例区", "记者乙"):
        assert gone not in live_html


def og_image(html):
    return re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)


def test_open_graph_and_json_ld_show_one_share_image_read_once(client, news_index, monkeypatch):
    """The share image (here set apart from the lead image) in both places, from one
    rendition lookup; without its file the page still renders, with Wagtail's stand-in."""
    from wagtail.images import get_image_model, shortcuts
    from wagtail.images.tests.utils import get_test_image_file

    Image = get_image_model()
    lead = Image.objects.create(title="海试", file=get_test_image_file())
    share = Image.objects.create(title="分享图", file=get_test_image_file())
    article = ArticlePageFactory(parent=news_index, title="智能航行船舶海试", lead_image=lead, social_image=share)
    lookups = []
    unwatched = shortcuts.get_rendition_or_not_found

    def watched(image, specs):
        lookups.append((image.pk, str(specs)))
        return unwatched(image, specs)

    monkeypatch.setattr(shortcuts, "get_rendition_or_not_found", watched)
    html = html_of(client, article)
    assert og_image(html) == json_ld(html)["image"][0]
    assert og_image(html) == "http://testserver" + share.get_rendition("fill-1200x630").url
    assert lookups.count((share.pk, "fill-1200x630")) == 1
    with override_settings(PAGE_CACHE_SECONDS=0):  # each view rendered, none from the page cache
        html_of(client, article)  # (the first view saved the site's settings: a new content version)
        lookups.clear()
        again = html_of(client, article)
    assert lookups == []  # kept for the content version
    assert og_image(again) == og_image(html) == json_ld(again)["image"][0]

    share.file.storage.delete(share.file.name)
    share.renditions.all().delete()
    html = html_of(client, article)  # no 500 for a lost file
    assert og_image(html) == json_ld(html)["image"][0]


def test_a_page_without_an_image_shares_the_site_default(client, news_index):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Site

    from cms.models import SiteSettings

    article = ArticlePageFactory(parent=news_index, title="示例无图文章")
    assert 'property="og:image"' not in html_of(client, article)
    assert "image" not in json_ld(html_of(client, article))
    default = get_image_model().objects.create(title="站点分享图", file=get_test_image_file())
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.default_social_image = default
    settings.save()
    html = html_of(client, article)
    assert og_image(html) == "http://testserver" + default.get_rendition("fill-1200x630").url
    assert "image" not in json_ld(html)  # JSON-LD shows the article's own image only

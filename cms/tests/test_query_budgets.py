"""Query budgets of every public page type on the demo content, with the page cache off.

Each page answers in at most ``BUDGET`` queries, and in exactly as many after more
articles, policies, collaboration items, experts, bylines and related items exist: no
listing, feed, search result or related item costs a query per item.

Counts are taken on a page's second request, as a visitor meets it in production: the
first request after a publish rebuilds the shared per-version fragments (site lookup,
menu, settings, home sections, news facets) and the image renditions.
"""

from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import Organisation, Region, Topic
from news.factories import ArticleBylineFactory, ArticleRelatedItemFactory
from news.models import ArticleByline, ArticlePage
from policy.factories import PolicyPageFactory
from policy.models import PolicyLibraryPage
from services.collaboration.factories import CollaborationItemPageFactory, ExpertPageFactory
from services.models import CollaborationMapPage, ExpertIndexPage, TechField

pytestmark = pytest.mark.django_db

BUDGET = 15
ARTICLE = "/news/chengyu-uhd-video-agreement/"
SEARCH = "/search/?q=小巨人"
SEARCH_TABS = ["news", "policy", "interpretation", "service", "expert", "collaboration"]
URLS = [
    "/",
    "/news/",
    "/news/?topic=specialised-smes",
    "/news/?region=chongqing",
    ARTICLE,
    "/news/rss.xml",
    "/news/atom.xml",
    "/policies/",
    "/policies/?q=小巨人&topic=specialised-smes",
    "/policies/?doc_type=notice&year=2023",  # the factory's policies
    "/policies/cq-little-giant-service-action-plan/",
    "/policies/cq-little-giant-action-plan-explained/",
    "/policies/match/",
    "/policies/match/?tier=specialised&region=chongqing",
    "/policies/rss.xml",
    "/policies/atom.xml",
    "/services/",
    "/services/talent/",
    SEARCH,
    *[f"{SEARCH}&type={tab}" for tab in SEARCH_TABS],
    f"{SEARCH}&sort=date",
    "/collaboration/",
    "/collaboration/list/",
    "/collaboration/points.geojson",
    "/collaboration/luzhong-ginger/",
    "/experts/",
    "/experts/sample-expert-cq-1/",
    "/privacy/",
]


def count_queries(client, url):
    client.get(url, HTTP_HOST="localhost")  # renditions and shared fragments for this content version
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, url
    return len(captured)


def add_content(batch, sample_articles):
    """More of everything the pages list, show or search."""
    call_command("load_demo", "--skip-index", "--sample-articles", str(sample_articles), stdout=StringIO())
    topic = Topic.objects.get(slug="specialised-smes")
    library = PolicyLibraryPage.objects.get()
    organisations = list(Organisation.objects.all()[:3])
    for n in range(batch):
        PolicyPageFactory(
            parent=library,
            title=f"示例小巨人政策{sample_articles}-{n}",
            issuers=organisations,
            topics=[topic],
            doc_type="notice",
        )
    field = TechField.objects.first()
    region = Region.objects.get(slug="wulong")
    collaboration = CollaborationMapPage.objects.get()
    experts = ExpertIndexPage.objects.get()
    for n in range(batch):
        CollaborationItemPageFactory(
            parent=collaboration, title=f"示例小巨人协作{sample_articles}-{n}", field=field, region=region
        )
        ExpertPageFactory(parent=experts, title=f"示例专家小巨人{sample_articles}-{n}", organisation=organisations[0])
    article = ArticlePage.objects.get(slug=ARTICLE.strip("/").split("/")[-1])
    for n in range(batch):
        ArticleBylineFactory(article=article, name=f"通讯员{n}", role=ArticleByline.Role.CORRESPONDENT)
    if article.related_items.count() < 3:
        ArticleRelatedItemFactory(article=article, page=ArticlePage.objects.exclude(pk=article.pk).first())


def test_every_page_type_within_budget_and_flat_as_content_grows():
    call_command("load_demo", "--skip-index", stdout=StringIO())
    # One of each kind first, so every listing and search tab has rows of every shape.
    add_content(batch=1, sample_articles=3)
    client = Client()
    few = {url: count_queries(client, url) for url in URLS}
    over = {url: n for url, n in few.items() if n > BUDGET}
    assert not over, f"over the budget of {BUDGET} queries: {over}"

    add_content(batch=10, sample_articles=30)
    many = {url: count_queries(client, url) for url in URLS}
    # Search pays one query per page type (and per chooser block type in a policy's
    # measures) among the ten results shown, so its count follows which pages make the
    # first page, never how many match: it may only stay or drop.
    grew = {
        url: (few[url], many[url])
        for url in URLS
        if (many[url] > few[url] if url.startswith(SEARCH) else many[url] != few[url])
    }
    assert not grew, f"query counts changed with more content (few, many): {grew}"

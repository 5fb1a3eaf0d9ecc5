"""The map, the expert directory and the news feed pick their pages by path prefix, not LIKE.

``child_of`` says ``path LIKE %s``; SQLite plans that as a scan of the page table and
re-prepares the statement for each value (cms.queries.children).
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from services.models import CollaborationItemPage, ExpertPage

pytestmark = pytest.mark.django_db


def like_on_path(statements):
    return [sql for sql in statements if "LIKE" in sql and "path" in sql]


def test_map_and_expert_directory_list_their_children_without_like(client, collab):
    with CaptureQueriesContext(connection) as queries:
        geojson = client.get(collab["map"].url + "points.geojson")
        directory = client.get(collab["experts_index"].url)
    assert geojson.status_code == directory.status_code == 200
    assert like_on_path([q["sql"] for q in queries.captured_queries]) == []
    items = CollaborationItemPage.objects.child_of(collab["map"]).live()
    assert sorted(p.pk for p in collab["map"].specific.items()) == sorted(items.values_list("pk", flat=True))
    experts = ExpertPage.objects.child_of(collab["experts_index"]).live()
    assert sorted(p.pk for p in collab["experts_index"].experts()) == sorted(experts.values_list("pk", flat=True))
    assert len(geojson.json()["features"]) == items.count()


def test_the_news_feed_lists_its_index_children_without_like(client, site_tree):
    index = site_tree["news"]
    for n in range(3):
        ArticlePageFactory(parent=index, title=f"示例新闻 {n}", slug=f"sample-{n}")
    with CaptureQueriesContext(connection) as queries:
        feed = client.get(index.url + "rss.xml")
    assert feed.status_code == 200
    assert like_on_path([q["sql"] for q in queries.captured_queries]) == []
    body = feed.content.decode()
    assert all(page.title in body for page in ArticlePage.objects.child_of(index).live())

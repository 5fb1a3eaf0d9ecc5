"""RSS 2.0 and Atom feeds parse cleanly and carry author, category and absolute links."""

import calendar

import feedparser
import pytest

from news.factories import ArticlePageFactory
from news.feeds import FEED_SIZE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/news/rss.xml", "rss20", "application/rss+xml"),
        ("/news/atom.xml", "atom10", "application/atom+xml"),
    ],
)
def test_feed_parses_without_bozo(client, make_articles, url, version, content_type):
    older, newer = make_articles(2)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == [newer.title, older.title]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newer.url}"
    assert entry.author == "记者1"
    assert [tag.term for tag in entry.tags] == ["专精特新"]
    # feedparser reports UTC; the article was dated in China Standard Time.
    assert calendar.timegm(entry.published_parsed) == int(newer.display_date.timestamp())


def test_feed_holds_the_newest_fifty(client, news_index):
    for number in range(FEED_SIZE + 2):
        ArticlePageFactory(parent=news_index, title=f"订阅新闻{number:02d}")
    feed = feedparser.parse(client.get("/news/rss.xml").content)
    assert len(feed.entries) == FEED_SIZE
    assert feed.entries[0].title == f"订阅新闻{FEED_SIZE + 1:02d}"


def test_feed_with_trailing_slash_and_unknown_feed(client, news_index):
    assert client.get("/news/rss.xml/").status_code == 200
    assert client.get("/news/podcast.xml").status_code == 404
    # Only routable pages with a feed route answer; the home page has none.
    assert client.get("/rss.xml").status_code == 404

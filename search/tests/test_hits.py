"""Popular-search hits are counted in the worker and written in batches (search/hits.py)."""

import time

import pytest

from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search import hits

from .test_views import pages  # noqa: F401  # the fixture

pytestmark = pytest.mark.django_db

URL = reverse("search")


@pytest.fixture(autouse=True)
def empty_batch():
    hits.flush()
    yield
    with hits._lock:
        hits._pending.clear()


def written(query):
    return Query.objects.filter(query_string=query).first().hits if Query.objects.filter(query_string=query) else 0


def test_hits_wait_in_the_worker_and_are_written_together(client, pages, settings):  # noqa: F811
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600
    for query in ("小巨人", "小巨人", "超高清视频", "小巨人"):
        assert client.get(URL, {"q": query}).status_code == 200
    client.get(URL, {"q": "小巨人", "page": "2"})  # later pages are not hits
    assert written("小巨人") == 0 and written("超高清视频") == 0
    assert sorted((q, n) for (q, _day), n in hits.pending().items()) == [("小巨人", 3), ("超高清视频", 1)]

    hits.flush()
    assert written("小巨人") == 3 and written("超高清视频") == 1
    assert hits.pending() == {}

    # The next batch adds to the day's rows.
    client.get(URL, {"q": "小巨人"})
    hits.flush()
    assert written("小巨人") == 4
    assert QueryDailyHits.objects.filter(query__query_string="小巨人").count() == 1


def test_a_full_batch_is_written_at_once(client, pages, settings):  # noqa: F811
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600
    settings.SEARCH_HITS_MAX_PENDING = 3
    client.get(URL, {"q": "小巨人"})
    client.get(URL, {"q": "小巨人"})
    assert written("小巨人") == 0
    client.get(URL, {"q": "超高清视频"})
    assert written("小巨人") == 2 and written("超高清视频") == 1
    assert hits.pending() == {}


def test_a_batch_is_written_on_the_first_search_after_the_interval(client, pages, settings):  # noqa: F811
    settings.SEARCH_HITS_FLUSH_SECONDS = 0.3
    hits.flush()  # starts the interval
    client.get(URL, {"q": "小巨人"})
    assert written("小巨人") == 0
    time.sleep(0.35)
    client.get(URL, {"q": "小巨人"})
    assert written("小巨人") == 2


def test_what_a_worker_holds_is_written_when_it_exits(client, pages, settings):  # noqa: F811
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600
    client.get(URL, {"q": "超高清视频"})
    hits._flush_at_exit()  # registered with atexit
    assert written("超高清视频") == 1

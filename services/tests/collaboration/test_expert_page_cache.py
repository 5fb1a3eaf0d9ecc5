"""The expert page is served from the page cache; each visitor gets their own form tokens,
and a visitor who just asked a question sees the confirmation, nobody else does."""

import re
import time

import pytest

from django.test import Client

from services.antispam import TOKEN_ROUNDING, token_time
from services.models import ExpertQuestion
from services.tests.collaboration.test_experts import ask

pytestmark = pytest.mark.django_db

CONFIRMATION = "留言已提交"
NOT_ACCEPTING = "这位专家暂不接受留言"


@pytest.fixture(autouse=True)
def page_cache_on(settings, site_tree):
    from wagtail.models import Site

    from cms.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # settle the content version
    settings.PAGE_CACHE_SECONDS = 300
    settings.SERVICES_MIN_FILL_SECONDS = 0


def started(response):
    body = response.content.decode()
    assert "pcslot-" not in body
    token = re.search(r'name="started" value="([^"]+)"', body).group(1)
    return token_time(token)


def test_each_visitor_gets_a_fresh_start_time_from_the_cached_page(collab):
    url = collab["experts"]["cq"].url
    first = Client().get(url)
    time.sleep(0.01)
    second = Client().get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert started(first) < started(second) <= time.time() + TOKEN_ROUNDING
    assert "no-store" in second["Cache-Control"]


def test_the_confirmation_reaches_the_asker_only(collab):
    expert = collab["experts"]["cq"]
    Client().get(expert.url)  # someone else filled the cache
    asker = Client()
    response = ask(asker, expert)
    assert response.status_code == 302
    assert ExpertQuestion.objects.count() == 1
    page = asker.get(expert.url)
    assert "X-Page-Cache" not in page  # a pending message: rendered afresh
    assert CONFIRMATION in page.content.decode()
    # The new question is content (it bumps the version): others get a fresh copy, then
    # the cached one, and neither carries the asker's message.
    for expected in ("miss", "hit"):
        other = Client().get(expert.url)
        assert other["X-Page-Cache"] == expected
        assert CONFIRMATION not in other.content.decode()
    assert CONFIRMATION not in asker.get(expert.url).content.decode()  # shown once


def test_a_message_without_a_content_change_is_shown_too(collab):
    """A refused question stores nothing (no new version), so the page is still cached."""
    expert = collab["experts"]["cq"]
    expert.accepts_questions = False
    expert.save_revision().publish()
    Client().get(expert.url)
    visitor = Client()
    assert ask(visitor, expert).status_code == 302
    assert ExpertQuestion.objects.count() == 0
    page = visitor.get(expert.url)
    assert "X-Page-Cache" not in page
    assert NOT_ACCEPTING in page.content.decode()
    other = Client().get(expert.url)
    assert other["X-Page-Cache"] == "hit" and NOT_ACCEPTING not in other.content.decode()

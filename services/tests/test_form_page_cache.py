"""The empty service form is served from the page cache, with each visitor's own CSRF token
and anti-spam start time filled in (cms.cache slots)."""

import re
import time

import pytest

from django.test import Client

from cms.cache import LOCAL_RESPONSES
from services.antispam import TOKEN_ROUNDING, token_time
from services.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings, site_tree):
    from wagtail.models import Site

    from cms.models import SiteSettings

    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # settle the content version
    settings.PAGE_CACHE_SECONDS = 300


def visitor_values(response):
    body = response.content.decode()
    assert "pcslot-" not in body
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    started = re.search(r'name="started" value="([^"]+)"', body).group(1)
    return csrf, started


def test_the_cached_form_gives_every_visitor_their_own_values(service_pages):
    url = service_pages["financing"].url
    first, second = Client(), Client()
    LOCAL_RESPONSES.clear()
    before = time.time()
    miss = first.get(url)
    time.sleep(0.01)
    hit = second.get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    (csrf_a, started_a), (csrf_b, started_b) = visitor_values(miss), visitor_values(hit)
    assert csrf_a != csrf_b
    # The start time is the time this copy was served, not the time it was cached.
    assert before - TOKEN_ROUNDING <= token_time(started_a) < token_time(started_b)
    assert token_time(started_b) <= time.time() + TOKEN_ROUNDING
    # A third visitor's copy comes from this process's memory (cms.cache.LocalResponses),
    # still with values of their own.
    time.sleep(0.01)
    kept = Client().get(url)
    assert kept["X-Page-Cache"] == "hit" and len(LOCAL_RESPONSES) == 1
    csrf_c, started_c = visitor_values(kept)
    assert csrf_c not in (csrf_a, csrf_b)
    assert token_time(started_b) < token_time(started_c) <= time.time() + TOKEN_ROUNDING
    for response in (miss, hit, kept):
        assert "csrftoken" in response.cookies
        control = response["Cache-Control"]
        assert "private" in control and "no-store" in control
        assert "public" not in control and "s-maxage" not in control


def test_a_visitor_submits_the_form_served_from_cache(service_pages, form_data):
    url = service_pages["talent"].url
    Client().get(url)  # someone else filled the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    assert page["X-Page-Cache"] == "hit"
    csrf, started = visitor_values(page)
    response = visitor.post(url, form_data("talent", csrfmiddlewaretoken=csrf, started=started))
    assert response.status_code == 302, response.content.decode()[:500]
    assert ServiceRequest.objects.count() == 1


def test_a_second_tab_keeps_the_first_tabs_token_valid(service_pages, form_data):
    url = service_pages["talent"].url
    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get(url)
    first_tab = visitor_values(first)
    second = visitor.get(url)
    assert second["X-Page-Cache"] == "hit"
    # The visitor's secret is kept (the cookie is only renewed), not rotated.
    assert second.cookies["csrftoken"].value == first.cookies["csrftoken"].value
    csrf, started = first_tab
    response = visitor.post(url, form_data("talent", csrfmiddlewaretoken=csrf, started=started))
    assert response.status_code == 302


def test_a_stale_or_forged_token_is_still_refused(service_pages, form_data):
    url = service_pages["talent"].url
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(url)
    response = visitor.post(url, form_data("talent", csrfmiddlewaretoken="x" * 64))
    assert response.status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_a_failed_post_is_neither_cached_nor_shown_to_others(service_pages, form_data):
    url = service_pages["talent"].url
    Client().get(url)
    response = Client().post(url, form_data("talent", company_name="泄露测试有限公司", phone="12"))
    assert response.status_code == 400
    assert "泄露测试有限公司" in response.content.decode()  # the visitor's input is kept
    assert "no-store" in response["Cache-Control"] and "X-Page-Cache" not in response
    other = Client().get(url)
    assert other["X-Page-Cache"] == "hit"
    assert "泄露测试有限公司" not in other.content.decode()


def test_signed_in_users_get_a_fresh_uncached_form(service_pages, officer):
    url = service_pages["talent"].url
    Client().get(url)
    client = Client()
    client.force_login(officer)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    visitor_values(response)


def test_with_the_cache_off_the_form_is_never_cached(service_pages, settings):
    settings.PAGE_CACHE_SECONDS = 0
    response = Client().get(service_pages["talent"].url)
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    visitor_values(response)

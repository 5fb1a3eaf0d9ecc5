"""Routing through the home page's cached sections, and the site with a specific root page."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_sections_route_from_the_cache_and_follow_every_change(client, site_tree):
    news = site_tree["news"]
    assert client.get(news.url).status_code == 200
    assert client.get("/no-such-section/").status_code == 404
    assert client.get("/no-such-section/deeper/").status_code == 404

    # A new section is found at once (saving content bumps the version).
    about = StandardPageFactory(parent=site_tree["home"], title="关于我们", slug="about")
    assert client.get("/about/").status_code == 200

    # A renamed one moves, an unpublished one is gone.
    about.slug = "about-us"
    about.save_revision().publish()
    assert client.get("/about/").status_code == 404
    assert client.get("/about-us/").status_code == 200
    about.refresh_from_db()
    about.unpublish()
    assert client.get("/about-us/").status_code == 404

    # Pages below an unpublished section are still served, as Wagtail does.
    StandardPageFactory(parent=about, title="联系方式", slug="contact")
    assert client.get("/about-us/contact/").status_code == 200


def test_routing_to_a_section_runs_no_page_query(client, site_tree):
    page = StandardPageFactory(parent=site_tree["home"], title="关于我们", slug="about")
    client.get(page.url)  # the first view creates the site settings rows: a new content version
    client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    page_queries = [q["sql"] for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]
    # The site, its root page (in specific form) and the home page's children, this section
    # among them, come from the shared cache.
    assert page_queries == []


def test_a_request_reads_back_only_the_section_it_goes_to(client, site_tree):
    """Each section is kept on its own; an unknown first segment is a 404 from the kept
    slugs, with no query and nothing stored for it."""
    from django.core.cache import cache

    home = site_tree["home"]
    cache.clear()  # the local-memory cache outlives each test's database: start without others' keys
    client.get(site_tree["news"].url)  # the first view creates the site settings rows
    client.get(site_tree["news"].url)
    keys = set(cache._cache)
    assert any(f"child-route:{home.pk}:{site_tree['news'].slug}" in key for key in keys)
    assert not any(f"child-route:{home.pk}:{site_tree['policies'].slug}" in key for key in keys)
    with CaptureQueriesContext(connection) as queries:
        for slug in ("no-such-section", "示例-不存在"):
            assert client.get(f"/{slug}/").status_code == 404
    assert [q["sql"] for q in queries.captured_queries if "wagtailcore_page" in q["sql"]] == []
    assert set(cache._cache) == keys

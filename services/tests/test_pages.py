"""Service pages: tree rules, rendering, one page per category, policy links, privacy link."""

import pytest

from django.apps import apps
from django.core.exceptions import ValidationError

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from services.factories import ServicePageFactory
from services.models import ServiceIndexPage, ServicePage, ServicePagePolicy

pytestmark = pytest.mark.django_db


def plain_page(parent, slug, title):
    # A plain wagtail Page: these tests need "some page that is not a policy" (home is not imported).
    return parent.add_child(instance=Page(title=title, slug=slug))


class TestTreeRules(WagtailPageTestCase):
    def test_service_pages_live_under_the_service_index_only(self):
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServicePage, {})
        self.assertCanNotCreateAt(apps.get_model("home", "HomePage"), ServicePage)


def test_every_page_type_renders(client, service_pages):
    for key in ("talent", "testing", "financing", "design", "technology"):
        response = client.get(f"/services/{key}/")
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = client.get("/services/").content.decode()
    assert "/services/talent/" in body and "/services/track/" in body


def test_index_query_count_does_not_grow(client, site_tree, django_assert_max_num_queries, django_assert_num_queries):
    from django.db import reset_queries

    from cms.choices import ServiceCategory

    index = site_tree["services"]
    ServicePageFactory(parent=index, category=ServiceCategory.TALENT)
    client.get("/services/")  # creates the site settings rows: a new content version
    client.get("/services/")  # builds the shared menu and settings for it
    reset_queries()  # creating pages fills Django's 9000-entry query log; a full log miscounts
    with django_assert_max_num_queries(15) as small:
        client.get("/services/")
    few = len(small.captured_queries)  # read before reset_queries() empties the log
    for category in list(ServiceCategory)[1:]:
        ServicePageFactory(parent=index, category=category)
    client.get("/services/")  # new content version: the shared fragments are rebuilt once
    reset_queries()
    with django_assert_num_queries(few):
        client.get("/services/")


def test_one_page_per_category(service_pages):
    duplicate = ServicePage(title="重复", slug="talent-2", category="talent", intro="<p>x</p>")
    with pytest.raises(ValidationError) as info:
        duplicate.clean()
    assert "该服务类别已有页面" in str(info.value)


def test_policy_links_accept_only_policy_pages(service_pages):
    not_a_policy = plain_page(service_pages["index"].get_parent(), "about", "关于")
    link = ServicePagePolicy(page=service_pages["talent"], policy=not_a_policy)
    with pytest.raises(ValidationError) as info:
        link.clean()
    assert "请选择政策文件或政策解读页面" in str(info.value)


def test_consent_links_the_privacy_page(client, service_pages):
    from wagtail.models import Site

    from cms.models import SiteSettings

    privacy = plain_page(service_pages["index"].get_parent(), "privacy", "隐私政策")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.privacy_page = privacy
    site_settings.save()
    body = client.get("/services/talent/").content.decode()
    assert 'href="/privacy/"' in body


def test_track_form_prefills_reference_and_is_noindex(client, service_pages):
    body = client.get("/services/track/?reference=FW2026-ABCDEF").content.decode()
    assert 'value="FW2026-ABCDEF"' in body
    assert '<meta name="robots" content="noindex">' in body


def test_forms_and_tracking_never_come_from_the_page_cache(client, service_pages, form_data, settings):
    from cms.cache import content_version

    settings.PAGE_CACHE_SECONDS = 300
    for url in ("/services/talent/", "/services/track/"):
        client.cookies.clear()
        client.get(url)
        client.cookies.clear()
        assert client.get(url).get("X-Page-Cache") != "hit"
    version = content_version()
    client.post("/services/talent/", form_data())
    assert content_version() == version  # a private request does not invalidate public pages

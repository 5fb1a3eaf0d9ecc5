"""Render test for every page type and the tree rules between them."""

import pytest

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.factories import StandardPageFactory
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage
from policy.models import PolicyLibraryPage
from services.models import CollaborationMapPage, ServiceIndexPage

SECTION_MODELS = [NewsIndexPage, PolicyLibraryPage, ServiceIndexPage, CollaborationMapPage]


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["home", "news", "policies", "services", "collaboration"])
def test_section_pages_render(client, site_tree, key):
    page = site_tree[key]
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.django_db
def test_standard_page_renders_story_blocks(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title="关于本站",
        slug="about",
        body=[
            ("heading", {"text": "办站宗旨", "level": "h2"}),
            ("paragraph", "<p>服务重庆中小企业。</p>"),
            ("quote", {"text": "重在“奖未来”", "attribution": "市经信委负责人"}),
        ],
    )
    html = client.get(page.url).content.decode()
    assert '<h2 class="story-heading">办站宗旨</h2>' in html
    assert "服务重庆中小企业。" in html
    assert "市经信委负责人" in html


class TreeRulesTests(WagtailPageTestCase):
    def test_home_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_sections_only_under_home(self):
        for model in SECTION_MODELS:
            self.assertAllowedParentPageTypes(model, {HomePage})

    def test_sections_cannot_nest(self):
        for parent in SECTION_MODELS:
            for child in SECTION_MODELS:
                self.assertCanNotCreateAt(parent, child)

    def test_standard_page_allowed_under_home(self):
        self.assertCanCreateAt(HomePage, StandardPage)


@pytest.mark.django_db
def test_one_section_page_of_each_kind(site_tree):
    for model in [HomePage, *SECTION_MODELS]:
        assert model.max_count == 1
        assert not model.can_create_at(site_tree["home"])

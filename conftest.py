"""Fixtures every app's tests share: a site whose root is a fresh HomePage."""

import pytest

from wagtail.models import Page, Site


@pytest.fixture
def home_page(db):
    from home.factories import HomePageFactory

    root = Page.get_first_root_node()
    # Remove Wagtail's welcome page (it holds the slug "home" and the default Site).
    for welcome in root.get_children():
        welcome.delete()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "测试站点"},
    )
    return home


@pytest.fixture
def site_tree(home_page):
    """Home plus the section index pages, in menu order."""
    from news.factories import NewsIndexPageFactory
    from policy.factories import PolicyLibraryPageFactory
    from services.factories import CollaborationMapPageFactory, ServiceIndexPageFactory

    return {
        "home": home_page,
        "news": NewsIndexPageFactory(parent=home_page, show_in_menus=True),
        "policies": PolicyLibraryPageFactory(parent=home_page, show_in_menus=True),
        "services": ServiceIndexPageFactory(parent=home_page, show_in_menus=True),
        "collaboration": CollaborationMapPageFactory(parent=home_page, show_in_menus=True),
    }

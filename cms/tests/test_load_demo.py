from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from cms import roles
from cms.models import Organisation, Region, Topic


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "content_type__model", "live")),
        "sites": list(Site.objects.values_list("hostname", "root_page__url_path", "is_default_site")),
        "regions": Region.objects.count(),
        "topics": Topic.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", "is_superuser")),
        "groups": sorted(
            (group.name, group.permissions.count(), group.user_set.count()) for group in Group.objects.all()
        ),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == first
    assert "演示内容已就绪" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_builds_the_site(client):
    call_command("load_demo", stdout=StringIO())
    # Wagtail's welcome page is gone and the home page is the default site's root.
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    assert not Page.objects.filter(depth=2, content_type__model="page").exists()
    assert [p.slug for p in site.root_page.get_children().in_menu()] == [
        "news",
        "policies",
        "services",
        "collaboration",
    ]
    response = client.get("/", HTTP_HOST=site.hostname)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3011" in html and "659" in html and "118" in html


@pytest.mark.django_db
def test_demo_users_log_into_admin(client):
    call_command("load_demo", stdout=StringIO())
    for username, group_name, _display in roles.DEMO_USERS:
        client.logout()
        assert client.login(username=username, password=roles.DEMO_PASSWORD), username
        response = client.get("/admin/")
        assert response.status_code == 200, username
        user = get_user_model().objects.get(username=username)
        if group_name:
            assert user.groups.filter(name=group_name).exists()
        else:
            assert user.is_superuser


@pytest.mark.django_db
def test_editor_can_edit_taxonomy_but_not_site_settings(client):
    call_command("load_demo", stdout=StringIO())
    editor = get_user_model().objects.get(username="editor")
    moderator = get_user_model().objects.get(username="moderator")
    assert editor.has_perm("cms.change_topic")
    assert not editor.has_perm("cms.change_sitesettings")
    assert moderator.has_perm("cms.change_sitesettings")


def test_load_demo_rejects_negative_sample_count(db):
    with pytest.raises(SystemExit):
        call_command("load_demo", "--sample-articles", "-1", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_admin_speaks_simplified_chinese(client):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    assert client.login(username="editor", password=roles.DEMO_PASSWORD)
    html = client.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in html.lower() or 'lang="zh-hans"' in html
    assert "控制面板" in html  # the dashboard title in Wagtail's zh-hans catalogue

"""``manage.py setup_roles`` gives a site without demo content the same role permissions."""

from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from cms import roles

pytestmark = pytest.mark.django_db


def permissions_by_group():
    return {
        group.name: sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())
        for group in Group.objects.filter(name__in=[roles.EDITORS, roles.MODERATORS, roles.OFFICERS])
    }


def test_setup_roles_grants_every_declared_permission_idempotently(client):
    out = StringIO()
    call_command("setup_roles", stdout=out)
    first = permissions_by_group()
    assert "services.view_servicerequest" in first[roles.OFFICERS]
    assert "services.change_enterprise" in first[roles.OFFICERS]
    assert "services.change_expertquestion" in first[roles.OFFICERS]
    assert "cms.change_sitesettings" in first[roles.MODERATORS]
    assert "news.change_newssettings" in first[roles.MODERATORS]
    assert "cms.add_region" in first[roles.EDITORS]
    assert "Officers:" in out.getvalue() and "角色组已就绪" in out.getvalue()
    # No demo content or demo accounts come with it.
    assert not get_user_model().objects.filter(username="officer").exists()

    call_command("setup_roles", stdout=StringIO())
    assert permissions_by_group() == first

    # An officer added by hand can work the request queue straight away.
    officer = get_user_model().objects.create_user("o1", "o1@example.org", "pw")
    officer.groups.add(Group.objects.get(name=roles.OFFICERS))
    client.force_login(officer)
    assert client.get("/admin/servicerequest/").status_code == 200
    assert client.get("/admin/enterprise/").status_code == 200


def test_demo_loader_grants_every_declared_permission():
    call_command("load_demo", "--skip-index", stdout=StringIO())
    loaded = permissions_by_group()
    for name, permissions in roles.declared().items():
        assert set(permissions) <= set(loaded[name]), (name, set(permissions) - set(loaded[name]))

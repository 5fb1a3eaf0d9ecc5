"""Only officers and superusers open the register, its import, exports and the analysis page."""

import pytest

from services.factories import EnterpriseFactory, OfficerGroupFactory, ServiceRequestFactory
from services.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(district):
    group = OfficerGroupFactory(name="示例对接一组")
    enterprise = EnterpriseFactory(name="示例保密企业", region=district, group=group, contact_phone="13899990000")
    ServiceRequestFactory(enterprise=enterprise, credit_code=enterprise.credit_code, reference="FW2026-ENT001")
    return enterprise


def urls(enterprise):
    return {
        "list": "/admin/enterprise/",
        "results": "/admin/enterprise/results/",
        "csv": "/admin/enterprise/?export=csv",
        "xlsx": "/admin/enterprise/?export=xlsx",
        "inspect": f"/admin/enterprise/inspect/{enterprise.pk}/",
        "edit": f"/admin/enterprise/edit/{enterprise.pk}/",
        "import": "/admin/enterprise/import/",
        "groups": "/admin/officergroup/",
        "analysis": "/admin/enterprise-analysis/",
    }


VIEWS = list(urls(Enterprise(pk=1)))


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_is_sent_to_login(client, stored, view):
    response = client.get(urls(stored)[view])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", ["no_group_user", "editor", "moderator"])
def test_other_roles_are_refused(client, stored, view, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(urls(stored)[view])
    assert response.status_code in (302, 403)
    assert "示例保密企业".encode() not in body(response)
    assert b"13899990000" not in body(response)


@pytest.mark.parametrize("role", ["no_group_user", "editor", "moderator"])
def test_other_roles_cannot_import(client, stored, role, request):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(request.getfixturevalue(role))
    upload = SimpleUploadedFile("a.csv", "企业名称,统一社会信用代码\n甲,91330100799655058B\n".encode())
    response = client.post("/admin/enterprise/import/", {"file": upload})
    assert response.status_code in (302, 403)
    assert Enterprise.objects.count() == 1


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", ["officer", "superuser"])
def test_officer_and_superuser_open_everything(client, stored, view, role, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(urls(stored)[view])
    assert response.status_code == 200


def menu_labels(user, rf):
    from django.urls import reverse

    from wagtail.admin.menu import admin_menu

    reverse("wagtailadmin_home")  # loads the URLconf, and with it every app's wagtail_hooks
    request = rf.get("/admin/")
    request.user = user
    labels = []
    for item in admin_menu.menu_items_for_request(request):
        labels.append(str(item.label))
        if hasattr(item, "menu"):
            labels.extend(str(sub.label) for sub in item.menu.menu_items_for_request(request))
    return labels


def test_menu_shows_the_register_to_officers_only(stored, officer, editor, rf):
    labels = menu_labels(officer, rf)
    for label in ("中小企业库", "企业", "对接组", "我的企业", "我的待办申请", "分析看板", "导入企业"):
        assert label in labels
    labels = menu_labels(editor, rf)
    assert not {"中小企业库", "我的企业", "分析看板", "导入企业"} & set(labels)


def test_inspect_lists_the_enterprises_requests_and_states(client, stored, officer):
    other = EnterpriseFactory()
    ServiceRequestFactory(enterprise=stored, reference="FW2026-ENT002", status="completed")
    ServiceRequestFactory(enterprise=other, reference="FW2026-OTHER1")
    client.force_login(officer)
    html = client.get(f"/admin/enterprise/inspect/{stored.pk}/").content.decode()
    assert "FW2026-ENT001" in html and "FW2026-ENT002" in html and "FW2026-OTHER1" not in html
    assert "已提交" in html and "已办结" in html


def test_filters_and_my_enterprises(client, stored, officer, district):
    group = stored.group
    group.members.add(officer)
    EnterpriseFactory(name="示例别组企业", tier="national", industry="医药制造业")
    client.force_login(officer)
    html = client.get("/admin/enterprise/?mine=true").content.decode()
    assert "示例保密企业" in html and "示例别组企业" not in html
    html = client.get("/admin/enterprise/?tier=national").content.decode()
    assert "示例别组企业" in html and "示例保密企业" not in html
    html = client.get(f"/admin/enterprise/?region={district.pk}").content.decode()
    assert "示例保密企业" in html and "示例别组企业" not in html
    html = client.get("/admin/enterprise/?industry=医药制造业").content.decode()
    assert "示例别组企业" in html and "示例保密企业" not in html
    html = client.get(f"/admin/enterprise/?group={group.pk}").content.decode()
    assert "示例保密企业" in html and "示例别组企业" not in html
    html = client.get("/admin/enterprise/?q=别组").content.decode()
    assert "示例别组企业" in html and "示例保密企业" not in html


def test_listing_query_count_does_not_grow(client, officer, district, django_assert_max_num_queries):
    groups = [OfficerGroupFactory(name=f"示例组{n}") for n in range(3)]

    def add(count, start):
        for n in range(start, start + count):
            enterprise = EnterpriseFactory(region=district, group=groups[n % 3])
            ServiceRequestFactory(enterprise=enterprise)

    add(5, 0)
    client.force_login(officer)
    with django_assert_max_num_queries(40) as small:
        assert client.get("/admin/enterprise/").status_code == 200
    add(25, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/admin/enterprise/").status_code == 200
    with django_assert_max_num_queries(40) as small_groups:
        assert client.get("/admin/officergroup/").status_code == 200
    for n in range(3, 30):
        OfficerGroupFactory(name=f"示例组{n}").members.add(officer)
    with django_assert_max_num_queries(len(small_groups.captured_queries)):
        assert client.get("/admin/officergroup/").status_code == 200


def test_officer_group_form_offers_only_officers(client, officer, editor, superuser):
    client.force_login(superuser)
    html = client.get("/admin/officergroup/new/").content.decode()
    assert "officer1" in html and "editor1" not in html
    response = client.post("/admin/officergroup/new/", {"name": "示例新组", "members": [str(editor.pk)]})
    assert response.status_code == 200  # an editor is not a valid choice
    response = client.post("/admin/officergroup/new/", {"name": "示例新组", "members": [str(officer.pk)]})
    assert response.status_code == 302
    assert list(officer.officer_groups.values_list("name", flat=True)) == ["示例新组"]


def test_my_work_panel_counts_my_enterprises_and_open_requests(client, officer, editor):
    group = OfficerGroupFactory(name="示例对接一组")
    group.members.add(officer)
    mine = EnterpriseFactory(group=group)
    EnterpriseFactory()  # another group's
    ServiceRequestFactory(enterprise=mine, officer_group=group, status="submitted")
    ServiceRequestFactory(enterprise=mine, officer_group=group, status="completed")  # closed: not “open”
    ServiceRequestFactory(assignee=officer, status="in_progress")  # assigned to me directly
    ServiceRequestFactory(status="submitted")  # nobody's
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert "我的企业 1 家" in html and "我的待办申请 2 件" in html
    client.force_login(editor)
    assert "我的待办申请" not in client.get("/admin/").content.decode()

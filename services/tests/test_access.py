"""Only officers and superusers see requests: every view, per role."""

import csv
import io

import openpyxl
import pytest

from services.factories import ServiceRequestFactory
from services.models import RequestAttachment

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(service_pages):
    service_request = ServiceRequestFactory(company_name="=cmd|' /C calc'!A0", contact_name="@SUM(1+1)")
    attachment = RequestAttachment(
        request=service_request, original_name="营业执照.pdf", content_type="application/pdf", size=9
    )
    from django.core.files.base import ContentFile

    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return service_request, attachment


def urls(service_request, attachment):
    return {
        "list": "/admin/servicerequest/",
        "results": "/admin/servicerequest/results/",
        "csv": "/admin/servicerequest/?export=csv",
        "xlsx": "/admin/servicerequest/?export=xlsx",
        "detail": f"/admin/servicerequest/inspect/{service_request.pk}/",
        "download": f"/admin/services/attachments/{attachment.pk}/",
    }


@pytest.mark.parametrize("view", ["list", "results", "csv", "xlsx", "detail", "download"])
def test_anonymous_is_sent_to_login(client, stored, view):
    response = client.get(urls(*stored)[view])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("view", ["list", "results", "csv", "xlsx", "detail", "download"])
def test_editor_is_refused(client, stored, editor, view):
    client.force_login(editor)
    response = client.get(urls(*stored)[view])
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or "login" in response["Location"]
    content = b"" if response.streaming else response.content
    assert b"calc" not in content and b"%PDF" not in content


def test_editor_cannot_post_handling(client, stored, editor):
    service_request, _attachment = stored
    client.force_login(editor)
    client.post(f"/admin/servicerequest/inspect/{service_request.pk}/", {"status": "accepted"})
    service_request.refresh_from_db()
    assert service_request.status == "submitted"


@pytest.mark.parametrize("view", ["list", "results", "csv", "xlsx", "detail", "download"])
@pytest.mark.parametrize("role", ["officer", "superuser"])
def test_officer_and_superuser_see_everything(client, stored, role, view, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(urls(*stored)[view])
    assert response.status_code == 200


def test_no_add_edit_or_delete_views(client, stored, superuser):
    service_request, _attachment = stored
    client.force_login(superuser)
    for url in (
        "/admin/servicerequest/new/",
        f"/admin/servicerequest/edit/{service_request.pk}/",
        f"/admin/servicerequest/delete/{service_request.pk}/",
    ):
        assert client.get(url).status_code == 404


def test_download_streams_the_private_file(client, stored, officer):
    _service_request, attachment = stored
    client.force_login(officer)
    response = client.get(f"/admin/services/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get("/admin/services/attachments/999999/").status_code == 404


def test_list_masks_phones_and_exports_neutralise_formulas(client, stored, officer):
    _service_request, _attachment = stored
    client.force_login(officer)
    listing = client.get("/admin/servicerequest/").content.decode()
    assert "138****1234" in listing and "13812341234" not in listing

    rows = list(
        csv.reader(io.StringIO(b"".join(client.get("/admin/servicerequest/?export=csv").streaming_content).decode()))
    )
    header, row = rows[0], rows[1]
    assert header[0] == "受理编号" and "人才培训与引入·需求类型" in header
    company = row[header.index("企业名称")]
    assert company == "'=cmd|' /C calc'!A0"
    assert row[header.index("联系人")] == "'@SUM(1+1)"

    response = client.get("/admin/servicerequest/?export=xlsx")
    sheet = openpyxl.load_workbook(
        io.BytesIO(response.getvalue() if hasattr(response, "getvalue") else b"".join(response.streaming_content))
    ).active
    values = [cell.value for cell in sheet[2]]
    assert "'=cmd|' /C calc'!A0" in values
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_listing_query_count_does_not_grow(client, service_pages, officer, django_assert_max_num_queries):
    client.force_login(officer)
    ServiceRequestFactory.create_batch(3, assignee=officer)
    with django_assert_max_num_queries(40) as small:
        client.get("/admin/servicerequest/")
    ServiceRequestFactory.create_batch(30, assignee=officer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/servicerequest/")


def test_filters_and_search(client, service_pages, officer):
    import datetime

    from django.utils import timezone

    client.force_login(officer)
    old = ServiceRequestFactory(
        company_name="超期企业", acceptance_due=timezone.localdate() - datetime.timedelta(days=1), category="testing"
    )
    ServiceRequestFactory(company_name="正常企业", category="talent")
    body = client.get("/admin/servicerequest/?overdue=true").content.decode()
    assert "超期企业" in body and "正常企业" not in body
    body = client.get("/admin/servicerequest/?category=talent").content.decode()
    assert "正常企业" in body and "超期企业" not in body
    body = client.get(f"/admin/servicerequest/?q={old.reference}").content.decode()
    assert "超期企业" in body and "正常企业" not in body
    body = client.get(f"/admin/servicerequest/?q={old.credit_code}").content.decode()
    assert "超期企业" in body
    today = timezone.localdate().isoformat()
    assert client.get(f"/admin/servicerequest/?submitted_at_after={today}&status=submitted").status_code == 200


def test_dashboard_panel_counts(client, service_pages, officer, editor):
    import datetime

    from django.utils import timezone

    ServiceRequestFactory()
    ServiceRequestFactory(acceptance_due=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(officer)
    body = client.get("/admin/").content.decode()
    assert "待受理 2 件" in body and "超期 1 件" in body
    client.force_login(editor)
    assert "待受理" not in client.get("/admin/").content.decode()


def test_detail_shows_labelled_category_fields_files_and_history(client, service_pages, officer):
    from services import pipeline
    from services.tests.conftest import VALID_CODE

    service_request = pipeline.create_request(
        "financing",
        {
            "company_name": "示例融资企业",
            "credit_code": VALID_CODE,
            "tier": "national",
            "industry": "制造业",
            "employees": 5,
            "contact_name": "钱七",
            "phone": "023-63897000",
            "description": "融资",
        },
        {"amount": "500", "financing_type": "leasing", "term_months": 12, "purpose": "设备", "last_year_revenue": "1"},
        notify=False,
    )
    client.force_login(officer)
    body = client.get(f"/admin/servicerequest/inspect/{service_request.pk}/").content.decode()
    for text in (
        "融资金额",
        "500",
        "融资方式",
        "融资租赁",
        "期限（月）",
        "办理记录",
        "提交申请",
        "变更状态",
        "023-63897000",
    ):
        assert text in body, text
    listing = client.get("/admin/servicerequest/").content.decode()
    assert "融资服务" in listing and "023****7000" in listing


def test_purge_default_uses_retention_setting(service_pages, officer, settings):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    settings.SERVICES_RETENTION_DAYS = 30
    old = ServiceRequestFactory(status="completed", closed_at=timezone.now() - datetime.timedelta(days=31))
    recent = ServiceRequestFactory(status="completed", closed_at=timezone.now() - datetime.timedelta(days=5))
    call_command("purge_requests")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.purged_at is not None and old.company_name == ""
    assert recent.purged_at is None and recent.company_name

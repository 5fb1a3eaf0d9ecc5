"""The public form: every category end to end, and every bad input from the issue."""

import pytest

from django.core import mail

from cms.choices import ServiceCategory
from services.models import RequestAttachment, RequestEvent, RequestStatus, ServiceRequest
from services.pipeline import REFERENCE_ALPHABET
from services.tests.conftest import exe_as_pdf, later, office_file, pdf_file, png_file

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
SQL = "'; DROP TABLE services_servicerequest; --"


def submit(client, category, data, **extra):
    return client.post(f"/services/{category}/", data, **extra)


@pytest.mark.parametrize("category", [c.value for c in ServiceCategory])
def test_each_category_end_to_end(
    client, service_pages, form_data, officer, category, django_capture_on_commit_callbacks
):
    """Submit, see the receipt, track, move through every status as an officer, rate once."""
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, category, form_data(category, attachments=[pdf_file(), png_file()]))
    assert response.status_code == 302, response.content.decode()[:2000]
    service_request = ServiceRequest.objects.get()
    ref = service_request.reference
    assert response["Location"] == f"/services/receipt/{ref}/"
    assert ref.startswith("FW2026-") or ref.startswith("FW20")
    assert all(char in REFERENCE_ALPHABET for char in ref.split("-")[1])
    assert service_request.category == category
    assert service_request.details  # category answers stored
    assert service_request.attachments.count() == 2
    assert service_request.events.get().action == RequestEvent.Action.SUBMITTED
    assert service_request.acceptance_due < service_request.completion_due

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    body = receipt.content.decode()
    assert ref in body and str(ServiceCategory(category).label) in body
    assert "13812345678" not in body and "李四" not in body and "示例科技有限公司" not in body

    # The SME got a receipt mail and officers were told (locmem backend).
    assert any(ref in message.subject and message.to == ["sme@example.org"] for message in mail.outbox)
    assert any(officer.email in message.to for message in mail.outbox)

    tracked = client.post("/services/track/", {"reference": ref.lower(), "phone": "13812345678"})
    assert tracked.status_code == 200
    assert "已提交" in tracked.content.decode()

    client.force_login(officer)
    inspect_url = f"/admin/servicerequest/inspect/{service_request.pk}/"
    steps = [
        {"status": "accepted", "note": "已受理，专员将联系您", "note_public": "on", "assignee": str(officer.pk)},
        {"status": "in_progress", "note": "内部：已联系机构", "assignee": str(officer.pk)},
        {"status": "completed", "note": "已办结", "note_public": "on", "assignee": str(officer.pk)},
    ]
    for step in steps:
        assert client.post(inspect_url, step).status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.COMPLETED
    assert service_request.assignee == officer
    assert service_request.closed_at is not None
    assert list(service_request.events.filter(action="status").values_list("to_status", flat=True)) == [
        "accepted",
        "in_progress",
        "completed",
    ]
    client.logout()

    tracked = client.post("/services/track/", {"reference": ref, "phone": "138-1234-5678"}).content.decode()
    assert "已受理，专员将联系您" in tracked and "已办结" in tracked
    assert "内部：已联系机构" not in tracked  # non-public note stays internal
    assert "满意度评价" in tracked

    rated = client.post("/services/track/", {"action": "rate", "reference": ref, "rating": "4", "comment": XSS})
    assert rated.status_code == 200
    assert XSS not in rated.content.decode()
    again = client.post("/services/track/", {"action": "rate", "reference": ref, "rating": "1"})
    assert "仅办结后可评价一次" in again.content.decode()
    service_request.refresh_from_db()
    assert (service_request.rating, service_request.rating_comment) == (4, XSS)


def test_rejection_needs_reason_and_closes(client, service_pages, form_data, officer):
    submit(client, "financing", form_data("financing"))
    service_request = ServiceRequest.objects.get()
    client.force_login(officer)
    url = f"/admin/servicerequest/inspect/{service_request.pk}/"
    response = client.post(url, {"status": "rejected", "note": ""})
    assert response.status_code == 400
    assert "必须填写原因" in response.content.decode()
    assert client.post(url, {"status": "rejected", "note": "不属于服务范围", "note_public": "on"}).status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.REJECTED
    # Closed statuses are final.
    response = client.post(url, {"status": "accepted"})
    assert response.status_code == 400


def test_withdrawn(client, service_pages, form_data, officer):
    submit(client, "design", form_data("design"))
    service_request = ServiceRequest.objects.get()
    client.force_login(officer)
    client.post(
        f"/admin/servicerequest/inspect/{service_request.pk}/", {"status": "withdrawn", "note": "企业来电撤回"}
    )
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.WITHDRAWN


def assert_rejected(response, *fragments, field_values=()):
    """Nothing saved, the page renders (never a 500), messages shown, typed values kept."""
    assert response.status_code in (400, 413, 429), response.status_code
    body = response.content.decode()
    for fragment in fragments:
        assert fragment in body, fragment
    for value in field_values:
        assert value in body, value
    assert ServiceRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    return body


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91330100799655058", "应为18位"),
        ("91330100799655058C", "校验位不正确"),
        ("91330100799655058b", "应为大写"),
        ("９１３３０１００７９９６５５０５８Ｂ", "半角字符"),
    ],
)
def test_bad_credit_codes(client, service_pages, form_data, code, message):
    response = submit(client, "talent", form_data(credit_code=code, company_name="保留的企业名"))
    assert_rejected(response, message, field_values=["保留的企业名", code])


@pytest.mark.parametrize("phone", ["12345", "1381234567x", "023-123"])
def test_bad_phone(client, service_pages, form_data, phone):
    assert_rejected(submit(client, "talent", form_data(phone=phone)), "请输入11位手机号码")


def test_bad_email(client, service_pages, form_data):
    assert_rejected(submit(client, "talent", form_data(email="not-an-email")), "合法的邮件地址")


def test_missing_consent(client, service_pages, form_data):
    data = form_data()
    del data["consent"]
    assert_rejected(submit(client, "talent", data), "请阅读并同意隐私政策")


@pytest.mark.parametrize("category", [c.value for c in ServiceCategory])
def test_missing_category_fields(client, service_pages, form_data, category):
    data = {key: value for key, value in form_data(category).items() if not key.startswith("detail-")}
    body = assert_rejected(submit(client, category, data), "必需字段")
    assert body.count("必需字段") >= 3


@pytest.mark.parametrize(
    ("category", "field", "value", "message"),
    [
        ("financing", "amount", "-5", "大于或等于1"),
        ("financing", "amount", "99999999999", ""),
        ("financing", "term_months", "9999", "小于或等于360"),
        ("financing", "last_year_revenue", "-1", "大于或等于0"),
        ("design", "budget", "0", "大于或等于0.1"),
        ("talent", "headcount", "0", "大于或等于1"),
        ("testing", "sample_count", "100000", "小于或等于1000"),
        ("testing", "standards", "随便写的标准", "无法识别的标准编号"),
        ("testing", "wanted_by", "2020-01-01", "日期不能早于今天"),
        ("design", "wanted_by", "2001-05-05", "日期不能早于今天"),
        ("talent", "period_start", "2020-01-01", "日期不能早于今天"),
        ("talent", "period_end", later(5), "结束日期不能早于开始日期"),
        ("technology", "mode", "bribery", "选择一个有效的选项"),
    ],
)
def test_bad_category_values(client, service_pages, form_data, category, field, value, message):
    response = submit(client, category, form_data(category, **{f"detail-{field}": value}))
    assert_rejected(response, message)


def test_bad_common_numbers(client, service_pages, form_data):
    assert_rejected(submit(client, "talent", form_data(employees="-3")), "大于或等于1")
    assert_rejected(submit(client, "talent", form_data(employees="99999999")), "小于或等于100000")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: [pdf_file(f"f{i}.pdf") for i in range(6)], "最多上传 5 个附件"),
        (lambda: [exe_as_pdf()], "内容与扩展名不符"),
    ],
)
def test_bad_files(client, service_pages, form_data, files, message):
    response = submit(client, "talent", form_data(attachments=files(), company_name="保留名"))
    assert_rejected(response, message, "请重新选择文件", field_values=["保留名"])


def test_empty_too_large_and_unknown_files(client, service_pages, form_data, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    empty = SimpleUploadedFile("empty.pdf", b"")
    assert_rejected(submit(client, "talent", form_data(attachments=[empty])), "empty.pdf")
    settings.SERVICES_MAX_ATTACHMENT_BYTES = 1024
    assert_rejected(submit(client, "talent", form_data(attachments=[pdf_file(size=2048)])), "超过")
    settings.SERVICES_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    exe = SimpleUploadedFile("setup.exe", b"MZ" + b"\x00" * 30)
    assert_rejected(submit(client, "talent", form_data(attachments=[exe])), "格式不支持")
    fake_docx = office_file("report.docx", "xl/workbook.xml")  # an Excel file renamed .docx
    assert_rejected(submit(client, "talent", form_data(attachments=[fake_docx])), "内容与扩展名不符")


def test_office_and_ofd_files_accepted(client, service_pages, form_data):
    files = [
        office_file("a.docx", "word/document.xml"),
        office_file("b.xlsx", "xl/workbook.xml"),
        office_file("c.ofd", "OFD.xml"),
    ]
    assert submit(client, "testing", form_data("testing", attachments=files)).status_code == 302
    stored = ServiceRequest.objects.get().attachments.all()
    assert [a.original_name for a in stored] == ["a.docx", "b.xlsx", "c.ofd"]
    for attachment in stored:
        # Stored under PRIVATE_MEDIA_ROOT with a random name, never under MEDIA_ROOT.
        from django.conf import settings

        path = attachment.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        assert len(path.rsplit("/", 1)[1].split(".")[0]) == 32  # a random hex name, not the original


def test_oversized_body(client, service_pages, form_data, settings):
    settings.SERVICES_MAX_BODY_BYTES = 10_000
    response = submit(client, "talent", form_data(attachments=[pdf_file(size=20_000)]))
    assert_rejected(response, "提交的内容过大")
    settings.SERVICES_MAX_BODY_BYTES = 52 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = submit(client, "talent", form_data(description="长" * 2000))
    assert_rejected(response, "提交的内容过大")


def test_overlong_text(client, service_pages, form_data):
    assert_rejected(submit(client, "talent", form_data(description="字" * 2001)), "不超过 2000 字符")


def test_xss_and_sql_stored_as_typed_and_escaped(client, service_pages, form_data, officer):
    typed = {
        "company_name": XSS,
        "industry": SQL,
        "contact_name": '=HYPERLINK("http://x")',
        "description": f"{XSS}\n{SQL}",
        "detail-skills_or_positions": XSS,
    }
    # First an invalid post: the page echoes the text escaped.
    bad = submit(client, "talent", form_data(**typed, phone="1"))
    assert XSS not in bad.content.decode() and "&lt;script&gt;" in bad.content.decode()
    assert submit(client, "talent", form_data(**typed)).status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.company_name == XSS
    assert service_request.industry == SQL
    assert service_request.details["skills_or_positions"] == XSS
    client.force_login(officer)
    detail = client.get(f"/admin/servicerequest/inspect/{service_request.pk}/").content.decode()
    assert XSS not in detail and "&lt;script&gt;" in detail
    listing = client.get("/admin/servicerequest/").content.decode()
    assert XSS not in listing


def test_honeypot_and_fill_time(client, service_pages, form_data, settings):
    body = assert_rejected(
        submit(client, "talent", form_data(website="http://spam.example", company_name="自动填表企业")),
        "提交未通过校验",
        field_values=["自动填表企业"],
    )
    assert "http://spam.example" not in body  # the hidden field comes back empty, so a person can resend
    settings.SERVICES_MIN_FILL_SECONDS = 60
    assert_rejected(
        submit(client, "talent", form_data(company_name="手快企业")), "提交过快", field_values=["手快企业"]
    )
    assert_rejected(submit(client, "talent", form_data(started="forged")), "页面已过期")


def test_submission_rate_limit(client, service_pages, form_data, settings):
    settings.SERVICES_SUBMIT_RATE = (2, 3600)
    assert submit(client, "talent", form_data()).status_code == 302
    assert submit(client, "talent", form_data()).status_code == 302
    response = submit(client, "talent", form_data(company_name="第三家"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "提交过于频繁" in body and "第三家" in body
    assert ServiceRequest.objects.count() == 2
    # Another address is not affected.
    assert submit(client, "talent", form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_receipt_only_for_the_submitting_session(client, service_pages, form_data):
    from django.test import Client

    response = submit(client, "talent", form_data())
    assert Client().get(response["Location"]).status_code == 404
    assert client.get("/services/receipt/FW2026-AAAAAA/").status_code == 404


def test_service_page_renders_intro_due_days_and_form(client, service_pages):
    body = client.get("/services/technology/").content.decode()
    assert "示例服务简介" in body and "个工作日内受理" in body
    assert 'name="detail-partners"' in body and 'name="credit_code"' in body
    assert client.get("/services/").status_code == 200

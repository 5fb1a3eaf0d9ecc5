"""Pipeline guarantees: one transaction, unique references, mail failures never lose a request."""

import os

import pytest

from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import IntegrityError

from services import pipeline
from services.factories import ServiceRequestFactory
from services.models import RequestAttachment, RequestEvent, ServiceRequest
from services.tests.conftest import VALID_CODE, pdf_file

pytestmark = pytest.mark.django_db


def fields(district, **overrides):
    return {
        "company_name": "示例企业",
        "credit_code": VALID_CODE,
        "tier": "other",
        "region": district,
        "industry": "制造业",
        "employees": 10,
        "contact_name": "王五",
        "phone": "13812345678",
        "email": "sme@example.org",
        "description": "需求",
        **overrides,
    }


def private_files():
    root = django_settings.PRIVATE_MEDIA_ROOT
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files} if root.exists() else set()


def checked_pdf(name="a.pdf"):
    uploaded = pdf_file(name)
    uploaded.checked_content_type = "application/pdf"
    return uploaded


def test_reference_collision_is_retried(district):
    taken = ServiceRequestFactory(reference="FW2026-AAAAAA")
    created = pipeline.create_request(
        "talent", fields(district), {}, candidates=iter([taken.reference, "FW2026-BBBBBB"])
    )
    assert created.reference == "FW2026-BBBBBB"
    assert ServiceRequest.objects.count() == 2


def test_gives_up_after_repeated_collisions(district):
    ServiceRequestFactory(reference="FW2026-AAAAAA")
    with pytest.raises(IntegrityError):
        pipeline.create_request("talent", fields(district), {}, candidates=iter(["FW2026-AAAAAA"] * 20))
    assert ServiceRequest.objects.count() == 1


def test_failure_after_files_written_leaves_nothing(district, monkeypatch):
    """A failure inside the transaction rolls back the rows and deletes the files already written."""
    before = private_files()

    def broken_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RequestEvent.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        pipeline.create_request("talent", fields(district), {}, files=[checked_pdf(), checked_pdf("b.pdf")])
    assert ServiceRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert private_files() == before


def test_failing_mail_server_never_loses_or_blocks_a_request(
    client, service_pages, form_data, settings, officer, django_capture_on_commit_callbacks, caplog
):
    """A real SMTP backend pointed at a closed port: the request is saved and the SME gets the receipt."""
    import logging

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    settings.SERVICES_EMAIL_TIMEOUT = 2
    with (
        caplog.at_level(logging.ERROR, logger="services.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post("/services/talent/", form_data())
    assert len(callbacks) == 2  # receipt to the SME and the officers' notice were attempted
    assert response.status_code == 302
    # Each failed mail is logged with its cause, for the operators (the SME sees nothing of it).
    failures = [r for r in caplog.records if r.name == "services.notifications"]
    assert len(failures) == 2
    assert all(r.levelno == logging.ERROR and "notification mail failed" in r.getMessage() for r in failures)
    assert all(isinstance(r.exc_info[1], ConnectionRefusedError) for r in failures)
    service_request = ServiceRequest.objects.get()
    assert client.get(response["Location"]).status_code == 200
    # Status changes keep working while mail is down.
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/servicerequest/inspect/{service_request.pk}/", {"status": "accepted", "note_public": "on"}
        )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert service_request.status == "accepted"


def test_tasks_report_failure_instead_of_raising(district, settings):
    from services.notifications import send_submission_receipt

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    result = send_submission_receipt.enqueue(service_request.pk)
    assert result.return_value is False


def test_public_status_change_mails_the_sme(district, officer, mailoutbox, django_capture_on_commit_callbacks):
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.change_status(service_request, "accepted", officer, note="已受理")
        pipeline.add_note(service_request, "内部备注", officer, public=False)
    assert [message.subject for message in mailoutbox] == [f"办理进度更新：{service_request.reference}"]
    assert "已受理" in mailoutbox[0].body


def test_overdue_flag(district, time_machine):
    import datetime

    time_machine.move_to(datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC))  # a Friday
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    assert service_request.acceptance_due == datetime.date(2026, 12, 1)  # 2 working days, weekend skipped
    assert not service_request.is_overdue
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC))
    assert service_request.is_overdue
    assert ServiceRequest.objects.overdue().count() == 1


def test_purge_removes_personal_data_and_files(district, officer, tmp_path):
    import datetime

    from django.utils import timezone

    closed = pipeline.create_request("talent", fields(district), {"mode": "both"}, files=[checked_pdf()], notify=False)
    pipeline.change_status(closed, "rejected", officer, note="含个人信息的原因", notify=False)
    open_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    path = closed.attachments.get().file.path
    assert os.path.exists(path)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    call_command("purge_requests", "--closed-before", tomorrow)
    closed.refresh_from_db()
    assert closed.company_name == "" and closed.phone == "" and closed.details == {} and closed.credit_code == ""
    assert closed.purged_at is not None and closed.category == "talent" and closed.status == "rejected"
    assert not closed.attachments.exists() and not os.path.exists(path)
    assert set(closed.events.values_list("note", flat=True)) == {""}
    open_request.refresh_from_db()
    assert open_request.company_name == "示例企业"  # open requests are untouched
    assert pipeline.find_for_tracking(closed.reference, "13812345678") is None


def test_purge_rejects_bad_dates():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_requests", "--closed-before", "2026-13-45")


def test_tracking_with_digits_of_other_scripts_is_a_wrong_phone_not_an_error(client, service_pages, district):
    # Found by the tracking form's fuzz test: Unicode digits reached compare_digest (a 500).
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    for phone in ("١٣٨١٢٣٤٥٦٧٨", "١٣٨-1234-5678", "一三八"):
        response = client.post("/services/track/", {"reference": service_request.reference, "phone": phone})
        assert response.status_code in (400, 404), phone
        assert pipeline.find_for_tracking(service_request.reference, phone) is None
    assert pipeline.find_for_tracking(service_request.reference, "138-1234-5678") == service_request


def test_tracking_generic_message_and_rate_limit(client, service_pages, district, settings):
    settings.SERVICES_TRACK_FAILURE_RATE = (3, 900)
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    wrong_phone = client.post("/services/track/", {"reference": service_request.reference, "phone": "13900000000"})
    wrong_ref = client.post("/services/track/", {"reference": "FW2026-ZZZZZZ", "phone": "13812345678"})
    assert wrong_phone.status_code == wrong_ref.status_code == 404
    message = "未找到匹配的申请，请核对受理编号和联系电话后重试。"
    assert message in wrong_phone.content.decode() and message in wrong_ref.content.decode()
    client.post("/services/track/", {"reference": "FW2026-YYYYYY", "phone": "1"})
    # Limited now: even the right pair is refused, so guessing cannot continue.
    limited = client.post("/services/track/", {"reference": service_request.reference, "phone": "13812345678"})
    assert limited.status_code == 429 and "查询失败次数过多" in limited.content.decode()
    assert (
        client.post(
            "/services/track/",
            {"reference": service_request.reference, "phone": "13812345678"},
            REMOTE_ADDR="10.1.1.1",
        ).status_code
        == 200
    )


def test_rating_needs_tracking_session_and_completion(client, service_pages, district, officer):
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    response = client.post(
        "/services/track/", {"action": "rate", "reference": service_request.reference, "rating": "5"}
    )
    assert response.status_code == 400
    client.post("/services/track/", {"reference": service_request.reference, "phone": "13812345678"})
    response = client.post(
        "/services/track/", {"action": "rate", "reference": service_request.reference, "rating": "5"}
    )
    assert "仅办结后可评价一次" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.rating is None
    pipeline.change_status(service_request, "accepted", officer, notify=False)
    pipeline.change_status(service_request, "completed", officer, notify=False)
    bad = client.post("/services/track/", {"action": "rate", "reference": service_request.reference, "rating": "9"})
    assert "选择一个有效的选项" in bad.content.decode()
    assert pipeline.rate(service_request, 5) is True
    assert pipeline.rate(service_request, 1) is False

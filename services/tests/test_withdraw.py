"""An SME withdraws its own open request from the tracking page."""

import pytest

from django.core import mail

from services import pipeline
from services.models import RequestEvent, RequestStatus, ServiceRequest

pytestmark = pytest.mark.django_db

TRACK = "/services/track/"
PHONE = "13812345678"


@pytest.fixture
def submitted(client, service_pages, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/services/financing/", form_data("financing"))
    assert response.status_code == 302, response.content.decode()[:1000]
    return ServiceRequest.objects.get()


def track(client, service_request):
    response = client.post(TRACK, {"reference": service_request.reference, "phone": PHONE})
    assert response.status_code == 200
    return response.content.decode()


def withdraw(client, service_request, **data):
    return client.post(TRACK, {"action": "withdraw", "reference": service_request.reference, **data})


def test_tracked_request_can_be_withdrawn_with_a_reason(client, submitted, django_capture_on_commit_callbacks):
    assert "撤回申请" in track(client, submitted)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(client, submitted, reason="已通过其他渠道解决", confirm="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "申请已撤回" in html and "已撤回" in html
    assert "确认撤回" not in html  # a closed request offers no second withdrawal
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.WITHDRAWN and submitted.closed_at is not None
    event = submitted.events.get(action=RequestEvent.Action.STATUS)
    assert event.actor is None and event.is_public
    assert event.actor_name() == "申请企业"  # the officers' history says who withdrew it
    assert "已通过其他渠道解决" in event.note
    assert any(submitted.reference in message.subject for message in mail.outbox)


def test_withdrawal_needs_the_confirmation_box_and_keeps_the_reason(client, submitted):
    track(client, submitted)
    response = withdraw(client, submitted, reason="不再需要")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请勾选确认后再撤回" in html
    assert "不再需要" in html  # the typed reason is kept
    assert " open>" in html or " open " in html  # the form stays unfolded to show the error
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED
    assert not submitted.events.filter(action=RequestEvent.Action.STATUS).exists()


def test_only_a_session_that_tracked_the_request_may_withdraw_it(client, submitted):
    # Knowing the reference is not enough: the phone must have been checked in this session.
    client.cookies.clear()
    response = withdraw(client, submitted, confirm="on")
    assert response.status_code == 400
    assert "请先查询申请后再撤回" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_closed_request_cannot_be_withdrawn(client, submitted, officer):
    track(client, submitted)
    pipeline.change_status(submitted, RequestStatus.REJECTED, officer, note="材料不全", notify=False)
    assert "确认撤回" not in track(client, submitted)
    response = withdraw(client, submitted, confirm="on")
    assert "不能再撤回" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.REJECTED


@pytest.mark.parametrize("reason", ["x" * 501, "\x00" * 3])
def test_bad_reason_is_refused_without_a_500(client, submitted, reason):
    track(client, submitted)
    response = withdraw(client, submitted, reason=reason, confirm="on")
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED

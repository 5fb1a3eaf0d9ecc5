"""Another feature (consultations) joins the pipeline by registering a kind; nothing is copied."""

import pytest

from django import forms

from services import pipeline
from services.kinds import RequestKind, all_kinds, register_kind, unregister_kind
from services.models import ServiceRequest
from services.views import redirect_to_receipt

pytestmark = pytest.mark.django_db


class QuestionForm(forms.Form):
    expert = forms.CharField(label="咨询专家")
    question = forms.CharField(label="咨询问题")


@pytest.fixture
def consultation_kind():
    from services.kinds import all_kinds as loaded

    # The real 在线咨询 kind (services.consultation) is put back afterwards.
    previous = next((kind for kind in loaded() if kind.key == "consultation"), None)
    kind = register_kind(
        RequestKind(
            key="consultation",
            label="在线咨询",
            detail_form=QuestionForm,
            acceptance_days=1,
            completion_days=5,
            reference_prefix="ZX",
        )
    )
    yield kind
    unregister_kind("consultation")
    if previous is not None:
        register_kind(previous)


def test_a_registered_kind_uses_the_whole_pipeline(client, service_pages, officer, consultation_kind):
    assert consultation_kind in all_kinds()
    consultation = pipeline.create_request(
        "consultation",
        {"contact_name": "农户甲", "phone": "13912345678", "description": "绣球菌种植"},
        {"expert": "示例专家", "question": "如何防治病害？"},
        page=service_pages["index"],
        notify=False,
    )
    assert consultation.reference.startswith("ZX")
    assert consultation.get_category_display() == "在线咨询"
    assert consultation.detail_items() == [("咨询专家", "示例专家"), ("咨询问题", "如何防治病害？")]
    pipeline.change_status(consultation, "accepted", officer, note="专家已收到", notify=False)

    tracked = client.post("/services/track/", {"reference": consultation.reference, "phone": "13912345678"})
    assert "专家已收到" in tracked.content.decode()

    client.force_login(officer)
    body = client.get(f"/admin/servicerequest/inspect/{consultation.pk}/").content.decode()
    assert "咨询问题" in body and "如何防治病害？" in body
    export = b"".join(client.get("/admin/servicerequest/?export=csv").streaming_content).decode()
    assert "在线咨询·咨询问题" in export and "如何防治病害？" in export
    assert client.get("/admin/servicerequest/?category=consultation").status_code == 200


def test_redirect_to_receipt_for_any_kind(client, service_pages, consultation_kind):
    from django.contrib.sessions.backends.db import SessionStore

    consultation = pipeline.create_request(
        "consultation", {"contact_name": "甲", "phone": "13912345678", "description": "问"}, {}, notify=False
    )

    class Request:
        session = SessionStore()

    response = redirect_to_receipt(Request(), consultation)
    assert response["Location"] == f"/services/receipt/{consultation.reference}/"
    assert consultation.reference in Request.session["services_submitted"]
    assert ServiceRequest.objects.filter(category="consultation").count() == 1

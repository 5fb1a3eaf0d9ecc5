"""在线咨询 goes through the service-request pipeline: reference, receipt, tracking, officers."""

import pytest

from services.antispam import make_started_token
from services.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_fill_delay(settings):
    settings.SERVICES_MIN_FILL_SECONDS = 0


def consultation_data(**overrides):
    data = {
        "contact_name": "农户甲",
        "phone": "139 1234 5678",
        "topic": "高山蔬菜病害",
        "description": "叶片发黄，如何防治？",
        "consent": "on",
        "website": "",
        "started": make_started_token(),
    }
    data.update(overrides)
    return data


def test_consultation_gets_a_reference_and_can_be_tracked(client, collab, officer):
    expert = collab["experts"]["cq"]
    page = client.get(expert.url + "consult/")
    assert page.status_code == 200
    assert "在线咨询" in page.content.decode()

    response = client.post(expert.url + "consult/", consultation_data())
    assert response.status_code == 302
    consultation = ServiceRequest.objects.get()
    assert consultation.category == "consultation"
    assert consultation.reference.startswith("ZX")
    assert consultation.page_id == expert.pk
    assert consultation.detail_items() == [("咨询专家", expert.title), ("咨询主题", "高山蔬菜病害")]
    receipt = client.get(response["Location"])
    assert consultation.reference in receipt.content.decode()
    assert "13912345678" not in receipt.content.decode()

    tracked = client.post("/services/track/", {"reference": consultation.reference, "phone": "13912345678"})
    assert tracked.status_code == 200
    assert "已提交" in tracked.content.decode()

    client.force_login(officer)
    detail = client.get(f"/admin/servicerequest/inspect/{consultation.pk}/").content.decode()
    assert "咨询主题" in detail and "高山蔬菜病害" in detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "电话"),
        ({"consent": ""}, "consent", "隐私政策"),
        ({"description": ""}, "description", "必需"),
        ({"description": "x" * 2001}, "description", "2000"),
    ],
)
def test_bad_consultations_are_refused_with_input_kept(client, collab, overrides, field, message):
    expert = collab["experts"]["cq"]
    response = client.post(expert.url + "consult/", consultation_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in " ".join(str(error) for error in response.context["form"].errors[field])
    assert "农户甲" in html  # what was typed is kept
    assert ServiceRequest.objects.count() == 0


def test_honeypot_saves_nothing(client, collab):
    expert = collab["experts"]["cq"]
    response = client.post(expert.url + "consult/", consultation_data(website="http://spam.example"))
    assert response.status_code == 400
    assert ServiceRequest.objects.count() == 0

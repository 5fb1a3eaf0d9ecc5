"""Requests join the register: a new code adds its enterprise, a known one links and queues to its group."""

import pytest

from django.contrib.auth.models import Group

from cms import roles
from services import pipeline
from services.factories import EnterpriseFactory, OfficerGroupFactory
from services.models import Enterprise, RequestEvent, ServiceRequest
from services.tests.conftest import VALID_CODE

pytestmark = pytest.mark.django_db


def fields(district, **overrides):
    return {
        "company_name": "示例新企业有限公司",
        "credit_code": VALID_CODE,
        "tier": "municipal",
        "region": district,
        "industry": "汽车零部件制造",
        "employees": 88,
        "contact_name": "王五",
        "phone": "13812345678",
        "email": "sme@example.org",
        "description": "需求",
        **overrides,
    }


def test_new_code_creates_its_enterprise_with_a_self_declared_tier(district):
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    enterprise = Enterprise.objects.get(credit_code=VALID_CODE)
    assert service_request.enterprise == enterprise
    assert service_request.officer_group is None
    assert enterprise.name == "示例新企业有限公司"
    assert enterprise.tier == "municipal" and enterprise.tier_confirmed is False
    assert enterprise.region == district and enterprise.employees == 88
    assert enterprise.contact_phone == "13812345678"
    assert "企业自报" in enterprise.tier_label()


def test_known_code_links_and_lands_in_its_groups_queue(district, officer):
    group = OfficerGroupFactory(name="示例对接一组")
    group.members.add(officer)
    enterprise = EnterpriseFactory(credit_code=VALID_CODE, name="登记名称", tier="national", group=group)
    service_request = pipeline.create_request(
        "testing", fields(district, company_name="申请里写的名称", tier="other"), {}, notify=False
    )
    service_request.refresh_from_db()
    assert service_request.enterprise_id == enterprise.pk
    assert service_request.officer_group_id == group.pk
    assert Enterprise.objects.count() == 1
    enterprise.refresh_from_db()
    # What officers keep in the register is not overwritten by what the SME typed.
    assert (enterprise.name, enterprise.tier, enterprise.tier_confirmed) == ("登记名称", "national", True)
    assert list(ServiceRequest.objects.open().for_officer(officer)) == [service_request]
    assignment = service_request.events.get(action=RequestEvent.Action.ASSIGNED)
    assert "示例对接一组" in assignment.note and not assignment.is_public


def test_second_request_from_a_new_code_reuses_the_enterprise(district):
    first = pipeline.create_request("talent", fields(district), {}, notify=False)
    second = pipeline.create_request("design", fields(district, tier="national"), {}, notify=False)
    assert first.enterprise_id == second.enterprise_id
    assert Enterprise.objects.get().tier == "municipal"


def test_request_without_a_code_links_nothing(district):
    service_request = pipeline.create_request(
        "talent", fields(district, credit_code="", company_name=""), {}, notify=False
    )
    assert service_request.enterprise is None
    assert Enterprise.objects.count() == 0


def test_failed_request_leaves_no_enterprise(district):
    from django.db import IntegrityError

    from services.factories import ServiceRequestFactory

    ServiceRequestFactory(reference="FW2026-AAAAAA")
    with pytest.raises(IntegrityError):
        pipeline.create_request("talent", fields(district), {}, candidates=iter(["FW2026-AAAAAA"] * 20))
    assert Enterprise.objects.count() == 0


def test_public_form_links_the_request(client, service_pages, form_data, officer):
    group = OfficerGroupFactory(name="示例对接二组")
    group.members.add(officer)
    EnterpriseFactory(credit_code=VALID_CODE, group=group)
    response = client.post("/services/talent/", form_data("talent"))
    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert service_request.officer_group == group
    # The officer's “my open requests” list shows it; another officer's does not.
    client.force_login(officer)
    html = client.get("/admin/servicerequest/?mine=true").content.decode()
    assert service_request.reference in html
    other = type(officer).objects.create_user("officer2", "o2@example.org", "pw")
    other.groups.add(Group.objects.get(name=roles.OFFICERS))
    client.force_login(other)
    html = client.get("/admin/servicerequest/?mine=true").content.decode()
    assert service_request.reference not in html


def test_officer_confirms_the_declared_tier(client, district, officer):
    service_request = pipeline.create_request("talent", fields(district), {}, notify=False)
    enterprise = service_request.enterprise
    client.force_login(officer)
    edit_url = f"/admin/enterprise/edit/{enterprise.pk}/"
    assert "企业自报" in client.get(f"/admin/enterprise/inspect/{enterprise.pk}/").content.decode()
    response = client.post(
        edit_url,
        {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "tier": "municipal",
            "tier_year": "2022",
            "tier_confirmed": "on",
            "region": str(district.pk),
            "industry": enterprise.industry,
            "employees": "88",
            "contact_name": "王五",
            "contact_phone": "13812345678",
            "contact_email": "",
            "funding_year": "",
            "funding_programme": "",
            "funding_amount": "",
            "group": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise.refresh_from_db()
    assert enterprise.tier_confirmed and enterprise.tier_year == 2022


def test_edit_form_rejects_a_bad_code_and_keeps_the_input(client, district, officer):
    enterprise = EnterpriseFactory()
    client.force_login(officer)
    response = client.post(
        f"/admin/enterprise/edit/{enterprise.pk}/",
        {"name": "改过的名称", "credit_code": "91330100799655058A", "tier": "municipal", "tier_confirmed": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "统一社会信用代码校验位不正确" in html and "改过的名称" in html
    enterprise.refresh_from_db()
    assert enterprise.name != "改过的名称"


def test_register_changes_do_not_invalidate_the_public_page_cache(district):
    from cms.cache import content_version

    version = content_version()
    group = OfficerGroupFactory(name="示例对接三组")
    EnterpriseFactory(group=group)
    pipeline.create_request("talent", fields(district), {}, notify=False)
    assert content_version() == version

"""The demo register: idempotent, the four 小巨人 the seed names, samples in every tier and group."""

from io import StringIO

import pytest

from django.core.management import call_command

from cms.demo import read_seed
from services.demo import NAMED_LITTLE_GIANTS
from services.models import Enterprise, OfficerGroup, ServiceRequest

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "enterprises": sorted(Enterprise.objects.values_list("credit_code", "name", "tier", "group__name")),
        "groups": sorted(
            (group.name, sorted(group.members.values_list("username", flat=True)))
            for group in OfficerGroup.objects.all()
        ),
        "requests": sorted(
            ServiceRequest.objects.values_list("company_name", "enterprise__name", "officer_group__name")
        ),
    }


def test_demo_register_is_idempotent_and_seeded(client):
    call_command("load_demo", "--skip-index", stdout=StringIO())
    first = snapshot()
    call_command("load_demo", "--skip-index", stdout=StringIO())
    assert snapshot() == first

    seed = read_seed()
    for name in NAMED_LITTLE_GIANTS:
        assert name in seed
        enterprise = Enterprise.objects.get(name=name)
        assert enterprise.tier == "national" and enterprise.funding_year == 2021
        assert enterprise.is_sample and "示例" in enterprise.notes
    samples = Enterprise.objects.filter(name__startswith="示例", is_sample=True)
    for tier in ("cultivation", "municipal", "national"):
        for group in OfficerGroup.objects.all():
            assert samples.filter(tier=tier, group=group).exists(), (tier, group)
    assert all(group.name.startswith("示例") for group in OfficerGroup.objects.all())
    # Sample requests from registered codes are queued for their group; new codes were added as self-declared.
    assert ServiceRequest.objects.filter(officer_group__isnull=False).count() >= 3
    assert Enterprise.objects.filter(tier_confirmed=False).exists()

    # The officer sees the register, the analysis page, and the seed's figures beside the register's.
    assert client.login(username="officer", password="demo-2026")
    assert client.get("/admin/enterprise/?mine=true").status_code == 200
    response = client.get("/admin/enterprise-analysis/")
    assert response.status_code == 200
    published = {check.published for check in response.context["figure_checks"]}
    assert published == {"3011", "659", "118"}
    assert "首页发布的统计数字与企业库的数字不一致" in response.content.decode()

from io import StringIO

import pytest

from django.core.management import call_command

from policy.models import InterpretationPage, PolicyPage


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


@pytest.mark.django_db
def test_demo_action_plan_is_found_and_every_facet_has_two_values(client, demo):
    response = client.get("/policies/", {"q": "小巨人"})
    assert "cq-little-giant-service-action-plan" in [p.slug for p in response.context["results"].object_list]
    response = client.get("/policies/")
    for facet in response.context["facets"]:
        assert len(facet["options"]) >= 2, facet["name"]
    states = {o["value"] for f in response.context["facets"] if f["name"] == "status" for o in f["options"]}
    assert {"repealed", "expired"} <= states


@pytest.mark.django_db
def test_demo_action_plan_keeps_to_the_seed(demo):
    plan = PolicyPage.objects.get(slug="cq-little-giant-service-action-plan")
    assert plan.doc_number == ""
    assert plan.date_precision == "month" and plan.publish_date.year == 2021
    assert plan.issuer_names() == ["重庆市经济和信息化委员会"]
    assert plan.interpretations.get().interpreter == "市经信委负责人"
    assert all(p.title.startswith("示例") for p in PolicyPage.objects.exclude(pk=plan.pk))
    assert all(p.title.startswith("示例") for p in InterpretationPage.objects.exclude(policy=plan))


@pytest.mark.django_db
def test_demo_matcher_and_pages_render(client, demo):
    response = client.get("/policies/match/", {"tier": "national", "needs": "financing"})
    titles = [o.measure.title for o in response.context["matches"] if o.policy.slug.startswith("cq-little-giant")]
    assert titles == ["融资服务"]
    for page in [*PolicyPage.objects.live(), *InterpretationPage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.slug
    html = client.get("/policies/cq-little-giant-service-action-plan/").content.decode()
    assert "2021年9月" in html and "2021年9月1日" not in html

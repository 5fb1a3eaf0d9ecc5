import feedparser
import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feeds_list_newest_policies(client, known_data, name):
    response = client.get(f"/policies/{name}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "示例：工业设计扶持通知"
    assert len(titles) == 5
    assert feed.entries[1].link == "http://testserver/policies/new-financing/"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feeds_honour_the_listing_filters(client, known_data, name):
    response = client.get(f"/policies/{name}", {"topic": "sme-services", "status": "in_force"})
    titles = [entry.title for entry in feedparser.parse(response.content).entries]
    assert titles == ["示例：中小企业融资办法", "重庆市专精特新“小巨人”企业服务行动方案"]
    assert client.get(f"/policies/{name}", {"year": "abc", "q": '"'}).status_code == 200


@pytest.mark.django_db
def test_listing_links_to_filtered_feeds(client, known_data):
    html = client.get("/policies/", {"topic": "sme-services"}).content.decode()
    assert 'href="/policies/rss.xml?topic=sme-services"' in html


@pytest.mark.django_db
def test_matcher_lists_action_plan_measures_for_national_little_giant_needing_financing(client, known_data):
    response = client.get("/policies/match/", {"tier": "national", "needs": "financing", "region": "jiangbei"})
    assert response.status_code == 200
    matches = response.context["matches"]
    titles = [(o.policy.slug, o.measure.title) for o in matches]
    assert ("action-plan", "融资服务") in titles
    plan = next(o for o in matches if o.policy.slug == "action-plan")
    assert any("与您的国家级专精特新“小巨人”相符" in r for r in plan.reasons)
    assert any("江北区属于重庆" in r for r in plan.reasons)
    html = response.content.decode()
    assert 'href="/services/financing/"' in html
    # The superseded document's measure is not offered; the expired one neither.
    assert all(o.policy.slug not in ("old-financing", "testing-notice") for o in matches)
    # Needs filter: brand training is not a financing measure.
    assert ("action-plan", "品牌提升培训") not in titles


@pytest.mark.django_db
def test_matcher_explains_non_match_and_undecidable_conditions(client, known_data):
    response = client.get("/policies/match/", {"tier": "other", "needs": "financing"})
    misses = response.context["misses"]
    plan = next(o for o in misses if o.policy.slug == "action-plan")
    assert "仅面向国家级专精特新“小巨人”、市级专精特新、专精特新培育入库，您选择的是其他中小企业。" in plan.failures
    assert "暂不符合的措施" in response.content.decode()
    loan = next(o for o in response.context["matches"] if o.measure.title == "首贷补助")
    assert any("未选择所在地区" in item for item in loan.undecidable)
    assert any("未选择所属行业" in item for item in loan.undecidable)
    assert any("研发投入" in item for item in loan.undecidable)
    assert loan.measure.deadline.year == 2030


@pytest.mark.django_db
def test_matcher_region_outside_scope_is_a_non_match(client, known_data):
    response = client.get("/policies/match/", {"tier": "national", "needs": "financing", "region": "sichuan"})
    plan = next(o for o in response.context["misses"] if o.policy.slug == "action-plan")
    assert plan.failures == ["仅限重庆的企业，您选择的是四川。"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"tier": "emperor"}, "tier", "不是有效的选项"),
        ({"needs": "financing"}, "tier", "请选择企业层级"),
        ({"tier": "national", "region": "atlantis"}, "region", "所选地区不存在"),
        ({"tier": "national", "industry": "Z"}, "industry", "不是有效的选项"),
        ({"tier": "national", "needs": ["financing", "magic"]}, "needs", "不是有效的选项"),
    ],
)
def test_matcher_invalid_parameters_give_form_errors(client, known_data, params, field, message):
    response = client.get("/policies/match/", params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "is-invalid" in html or field == "needs"
    assert response.context["matches"] is None


@pytest.mark.django_db
def test_matcher_form_without_parameters_shows_the_form(client, known_data):
    response = client.get("/policies/match/")
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert 'name="tier"' in response.content.decode()


@pytest.mark.django_db
def test_matcher_query_count_does_not_grow_with_policies(client, known_data, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policy.factories import PolicyPageFactory
    from policy.tests.conftest import measure

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get("/policies/match/", {"tier": "national"})
        return len(captured)

    count()
    count()  # the first request creates the site settings rows, a new content version
    before = count()
    for n in range(10):
        PolicyPageFactory(parent=library, measures=[measure(f"措施{n}", "talent")])
    count()  # new content version: rebuild the shared menu and settings once
    assert count() == before

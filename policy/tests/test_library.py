"""The library listing: search, 文号 lookup, facets with counts, sorting, paging, noindex."""

import datetime
import re

import pytest

from policy.factories import PolicyPageFactory
from policy.models import PolicyPage


def facet_counts(html, name):
    return {
        value: int(count)
        for value, count in re.findall(
            rf'data-facet="{name}" data-value="([^"]+)">[^<]*<span class="facet-count">\((\d+)\)', html
        )
    }


def slugs(response):
    return [p.slug for p in response.context["results"].object_list]


@pytest.mark.django_db
def test_search_for_little_giant_finds_the_action_plan(client, known_data):
    # Plain search finds 小巨人 here because the title quotes it (“小巨人”) as its own token;
    # segmentation from the search issue is needed for runs such as 小巨人企业.
    response = client.get("/policies/", {"q": "小巨人"})
    assert response.status_code == 200
    assert "action-plan" in slugs(response)
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.django_db
def test_search_inside_a_run_of_characters_uses_segmentation(client, known_data):
    # 企业服务 sits inside 重庆市专精特新“小巨人”企业服务行动方案: found only through segmentation.
    response = client.get("/policies/", {"q": "企业服务"})
    assert "action-plan" in slugs(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["渝经信发〔2023〕12号", "渝经信发[2023]12号", "渝经信发（２０２３）１２号", "渝经信发［2023］12", "[2023]12号"],
)
def test_doc_number_in_any_bracket_style_finds_the_document(client, known_data, typed):
    response = client.get("/policies/", {"q": typed})
    assert slugs(response)[0] == "new-financing"


@pytest.mark.django_db
def test_facet_counts_for_all_documents(client, known_data):
    html = client.get("/policies/").content.decode()
    assert facet_counts(html, "issuer") == {"cq-economy-it-commission": 3, "cq-science-technology-bureau": 3}
    assert facet_counts(html, "topic") == {"specialised-smes": 3, "sme-services": 3}
    assert facet_counts(html, "doc_type") == {"plan": 1, "measures": 2, "notice": 2}
    assert facet_counts(html, "year") == {"2019": 1, "2021": 1, "2022": 1, "2023": 2}
    assert facet_counts(html, "status") == {"pending": 1, "in_force": 2, "repealed": 1, "expired": 1}
    # Measures without tiers apply to everyone; a 小巨人 also qualifies for 市级 measures.
    assert facet_counts(html, "tier") == {"national": 4, "municipal": 4, "cultivation": 3, "other": 2}


@pytest.mark.django_db
def test_facets_combine_and_counts_follow_the_result_set(client, known_data):
    response = client.get("/policies/", {"issuer": "cq-science-technology-bureau", "doc_type": "notice"})
    assert sorted(slugs(response)) == ["design-notice", "testing-notice"]
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html  # two facets set
    # Each facet is counted with the other filters applied.
    assert facet_counts(html, "status") == {"pending": 1, "expired": 1}
    assert facet_counts(html, "doc_type") == {"measures": 1, "notice": 2}
    assert facet_counts(html, "issuer") == {"cq-science-technology-bureau": 2}
    response = client.get("/policies/", {"status": "in_force", "tier": "other"})
    assert slugs(response) == ["new-financing"]


@pytest.mark.django_db
def test_single_facet_page_is_indexable_and_shareable(client, known_data):
    response = client.get("/policies/", {"year": "2023"})
    assert sorted(slugs(response)) == ["design-notice", "new-financing"]
    assert "noindex" not in response.content.decode()


@pytest.mark.django_db
def test_results_show_number_issuer_dates_and_validity(client, known_data):
    html = client.get("/policies/", {"topic": "sme-services"}).content.decode()
    assert "渝经信发〔2019〕1号" in html
    assert "重庆市经济和信息化委员会、重庆市科学技术局" in html
    assert "发布 2023年5月1日" in html and "施行 2023年6月1日" in html
    assert 'validity-repealed">已废止</span>' in html
    assert 'validity-in_force">现行有效</span>' in html


@pytest.mark.django_db
def test_sort_by_date_or_relevance(client, known_data):
    by_date = slugs(client.get("/policies/"))
    assert by_date == ["design-notice", "new-financing", "testing-notice", "action-plan", "old-financing"]
    response = client.get("/policies/", {"q": "融资", "sort": "date"})
    assert response.context["listing"].sort == "date"
    response = client.get("/policies/", {"q": "融资"})
    assert response.context["listing"].sort == "relevance"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"year": "二〇二一"},
        {"year": "99999999999999999999"},
        {"status": "valid"},
        {"tier": "<script>"},
        {"doc_type": "通知"},
        {"issuer": "no such body"},
        {"sort": "random"},
        {"q": '"'},
        {"q": "AND OR NOT ( * )"},
        {"q": "x" * 500},
        {"q": "〔" * 50},
    ],
)
def test_bad_parameters_never_500(client, known_data, params):
    response = client.get("/policies/", params)
    assert response.status_code == 200


@pytest.mark.django_db
def test_bad_facet_value_is_reported_and_ignored(client, known_data):
    response = client.get("/policies/", {"status": "valid", "year": "2023"})
    html = response.content.decode()
    assert "时效性：" in html and "不是有效的选项" in html
    assert sorted(slugs(response)) == ["design-notice", "new-financing"]


@pytest.mark.django_db
def test_twenty_per_page(client, library):
    for n in range(23):
        PolicyPageFactory(parent=library, publish_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    first = client.get("/policies/")
    assert len(first.context["results"].object_list) == 20
    second = client.get("/policies/", {"page": "2"})
    assert len(second.context["results"].object_list) == 3
    assert 'rel="next"' in first.content.decode()


@pytest.mark.django_db
def test_listing_query_count_does_not_grow_with_results(client, library):
    from cms.factories import OrganisationFactory, TopicFactory

    def count_queries(params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/policies/", params).status_code == 200
        return len(captured)

    PolicyPageFactory(parent=library, topics=[TopicFactory()])
    count_queries({})  # warm the per-process caches (site root paths, settings)
    count_queries({})  # the first request created the settings rows: a new content version
    few = count_queries({})
    few_search = count_queries({"q": "示例"})
    for _n in range(15):
        PolicyPageFactory(
            parent=library, issuers=[OrganisationFactory(), OrganisationFactory()], topics=[TopicFactory()]
        )
    assert PolicyPage.objects.count() == 16
    count_queries({})  # new content version: rebuild the shared menu and settings once
    assert count_queries({}) == few
    assert count_queries({"q": "示例"}) == few_search


@pytest.mark.django_db
def test_a_search_loads_only_its_page_of_policies(client, library):
    """Every match is filtered and counted in SQL by its id: only the page shown becomes
    policy objects, and no statement takes a parameter per match."""
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test.utils import CaptureQueriesContext

    for n in range(26):
        PolicyPageFactory(parent=library, publish_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    client.get("/policies/", {"q": "示例"})  # per-process and per-version values

    made = []

    def count(sender, instance, **kwargs):
        made.append(instance.pk)

    post_init.connect(count, sender=PolicyPage)
    try:
        with CaptureQueriesContext(connection) as captured:
            first = client.get("/policies/", {"q": "示例", "doc_type": "notice"})
    finally:
        post_init.disconnect(count, sender=PolicyPage)
    assert len(first.context["results"].object_list) == 20
    assert first.context["results"].paginator.count == 26
    assert len(made) == 20
    lists = [re.findall(r"IN \(([\d,\s]+)\)", query["sql"]) for query in captured]
    assert max((len(ids.split(",")) for found in lists for ids in found), default=0) <= 20
    second = client.get("/policies/", {"q": "示例", "doc_type": "notice", "page": "2"})
    assert {p.pk for p in first.context["results"].object_list} | {
        p.pk for p in second.context["results"].object_list
    } == set(PolicyPage.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_kept_base_follows_restrictions_and_days(client, known_data, library):
    """The library's base queryset is built once per day and set of restricted paths; each
    use gets its own clone, and a restriction added or removed is seen at once."""
    from wagtail.models import PageViewRestriction

    from policy.models.policy import public_policies

    first, second = public_policies(), public_policies()
    assert first is not second
    assert str(first.query) == str(second.query)
    listed = {page.slug for page in first}
    assert second._result_cache is None  # evaluating one clone fills no other

    hidden = PolicyPage.objects.get(slug="action-plan")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    assert {page.slug for page in public_policies()} == listed - {"action-plan"}
    assert "action-plan" not in slugs(client.get("/policies/", {"q": "小巨人"}))
    assert "action-plan" not in slugs(client.get("/policies/"))
    restriction.delete()
    assert {page.slug for page in public_policies()} == listed
    assert "action-plan" in slugs(client.get("/policies/", {"q": "小巨人"}))

    later = datetime.date(2099, 1, 1)
    assert public_policies(later) is not public_policies(later)
    assert {page.validity for page in public_policies(later)} != {page.validity for page in public_policies()}

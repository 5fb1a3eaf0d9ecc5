import re

import pytest

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from policy.models import InterpretationPage, PolicyLibraryPage, PolicyPage


class TreeRulesTests(WagtailPageTestCase):
    def test_policy_pages_live_in_the_library(self):
        self.assertAllowedParentPageTypes(PolicyPage, {PolicyLibraryPage})
        self.assertAllowedParentPageTypes(InterpretationPage, {PolicyLibraryPage})
        self.assertAllowedSubpageTypes(PolicyLibraryPage, {PolicyPage, InterpretationPage})
        self.assertAllowedSubpageTypes(PolicyPage, set())
        self.assertCanNotCreateAt(HomePage, PolicyPage)


@pytest.mark.django_db
def test_policy_page_renders_metadata_measures_and_service_button(client, known_data):
    html = client.get(known_data["new"].url).content.decode()
    assert "渝经信发〔2023〕12号" in html  # stored in the canonical spelling
    assert "重庆市经济和信息化委员会、重庆市科学技术局" in html
    assert "2023年5月1日" in html and "2023年6月1日" in html
    assert "首贷补助" in html and "最高 50 万元" in html
    assert 'href="/services/financing/"' in html
    assert "现行有效" in html


@pytest.mark.django_db
def test_superseded_policy_banner_links_to_the_newer_document(client, known_data):
    html = client.get(known_data["old"].url).content.decode()
    assert "已废止" in html
    assert f'href="{known_data["new"].url}"' in html
    assert "本文件已被废止，现行文件为" in html


@pytest.mark.django_db
def test_clause_anchors_are_stable_and_linkable(client, library):
    from policy.factories import PolicyPageFactory

    page = PolicyPageFactory(
        parent=library,
        body=[
            ("chapter", {"number": "第一章", "title": "总则"}),
            ("article", {"number": "第一条", "text": "<p>为了支持中小企业。</p>"}),
            ("article", {"number": "第三条", "text": "<p>重点支持小巨人企业。</p>"}),
        ],
    )
    html = client.get(page.url).content.decode()
    assert 'id="第一章"' in html
    assert 'id="第三条"' in html
    assert 'href="#第三条"' in html
    assert 'aria-label="链接到第一章"' in html
    assert 'aria-label="链接到第三条"' in html


def test_clause_anchor_label_goes_through_the_catalog(tmp_path):
    from django.test import override_settings
    from django.utils import translation

    from cms.tests.test_i18n import write_mo
    from policy.blocks import ArticleBlock, ChapterBlock

    write_mo(tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"链接到%(number)s": "跳到%(number)s"})
    article = ArticleBlock().to_python({"number": "第三条", "text": "<p>甲</p>"})
    chapter = ChapterBlock().to_python({"number": "第一章", "title": "总则"})
    with override_settings(LOCALE_PATHS=[str(tmp_path)]), translation.override("zh-hans"):
        assert 'aria-label="跳到第三条"' in ArticleBlock().render(article)
        assert 'aria-label="跳到第一章"' in ChapterBlock().render(chapter)
    with translation.override("zh-hans"):
        assert 'aria-label="链接到第三条"' in ArticleBlock().render(article)


def test_duplicate_or_malformed_clause_numbers_are_rejected():
    from wagtail.blocks import StreamBlockValidationError

    from policy.blocks import PolicyBodyBlock

    block = PolicyBodyBlock()
    value = block.to_python(
        [
            {"type": "article", "value": {"number": "第三条", "text": "<p>甲</p>"}},
            {"type": "article", "value": {"number": "第三条", "text": "<p>乙</p>"}},
        ]
    )
    with pytest.raises(StreamBlockValidationError) as error:
        block.clean(value)
    assert "重复" in str(error.value.block_errors[1])
    value = block.to_python([{"type": "article", "value": {"number": "三", "text": "<p>甲</p>"}}])
    with pytest.raises(StreamBlockValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_interpretation_links_to_policy_and_is_listed_on_it(client, known_data, library):
    from policy.factories import InterpretationPageFactory

    interpretation = InterpretationPageFactory(
        parent=library,
        title="市经信委负责人解读",
        policy=known_data["plan"],
        format="graphic",
        interpreter="市经信委负责人",
    )
    html = client.get(interpretation.url).content.decode()
    assert f'href="{known_data["plan"].url}"' in html
    assert "图解" in html
    html = client.get(known_data["plan"].url).content.decode()
    assert f'href="{interpretation.url}"' in html and "市经信委负责人解读" in html


@pytest.mark.django_db
def test_bad_metadata_gives_chinese_field_errors(known_data):
    from django.core.exceptions import ValidationError

    page = known_data["new"]
    page.doc_number = "第十二号文件"
    page.expiry_date = page.effective_date.replace(year=2000)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "无法识别的发文字号" in str(error.value.message_dict["doc_number"])
    assert "失效日期不能早于施行日期" in str(error.value.message_dict["expiry_date"])


@pytest.mark.django_db
def test_latest_helper_for_the_home_page(known_data, django_assert_max_num_queries):
    # The policies, and the restricted paths (a versioned value: read once per content version).
    with django_assert_max_num_queries(2):
        latest = PolicyPage.latest(limit=3)
        shown = [(p.title, p.validity, p.publish_date, p.date_precision) for p in latest]
    assert [p.slug for p in latest] == ["design-notice", "new-financing", "testing-notice"]
    assert all(validity for _title, validity, _date, _precision in shown)


@pytest.mark.django_db
def test_library_routes_to_a_policy_in_one_page_query_and_to_other_children_as_wagtail_does(
    client, known_data, library
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policy.factories import InterpretationPageFactory

    plan = known_data["plan"]
    interpretation = InterpretationPageFactory(parent=library, title="市经信委负责人解读", policy=plan)
    for _ in range(2):  # the first views fill the shared cache
        client.get(plan.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(plan.url).status_code == 200
    routing = [q["sql"] for q in queries.captured_queries if f"\"slug\" = '{plan.slug}'" in q["sql"]]
    assert len(routing) == 1 and "policy_policypage" in routing[0]

    assert "市经信委负责人解读" in client.get(interpretation.url).content.decode()
    assert client.get(library.url + "no-such-policy/").status_code == 404
    plan.unpublish()
    assert client.get(plan.url).status_code == 404


@pytest.mark.django_db
def test_policy_page_lists_only_public_interpretations_as_restrictions_change(client, known_data, library):
    """The interpretations query is compiled once per set of restricted paths."""
    from wagtail.models import PageViewRestriction

    from policy.factories import InterpretationPageFactory

    plan = known_data["plan"]
    shown = InterpretationPageFactory(parent=library, title="示例解读：公开", policy=plan)
    hidden = InterpretationPageFactory(parent=library, title="示例解读：限制", policy=plan)

    def listed():
        html = client.get(plan.url).content.decode()
        return {page.title for page in (shown, hidden) if f'href="{page.url}"' in html}

    assert listed() == {"示例解读：公开", "示例解读：限制"}
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    assert listed() == {"示例解读：公开"}
    restriction.delete()
    assert listed() == {"示例解读：公开", "示例解读：限制"}
    hidden.unpublish()
    assert listed() == {"示例解读：公开"}


@pytest.mark.django_db
def test_policy_preview_shows_the_drafts_issuers_and_topics(client, known_data):
    from cms.factories import OrganisationFactory, TopicFactory
    from policy.models import PolicyIssuer, PolicyTopic

    plan = PolicyPage.objects.get(pk=known_data["plan"].pk)
    plan.issuers = [PolicyIssuer(organisation=OrganisationFactory(name="示例发文机关", slug="sample-issuer"))]
    plan.topics = [PolicyTopic(topic=TopicFactory(name="示例主题", slug="sample-topic"))]
    plan.save_revision()

    def cells(html):
        return {
            label: re.search(rf'<th scope="row">{label}</th><td>(.*?)</td>', html).group(1)
            for label in ("发文机关", "主题分类")
        }

    preview = plan.get_latest_revision_as_object().make_preview_request().content.decode()
    assert cells(preview) == {"发文机关": "示例发文机关", "主题分类": "示例主题"}
    live = client.get(plan.url).content.decode()
    assert cells(live) == {"发文机关": "重庆市经济和信息化委员会", "主题分类": "专精特新、中小企业服务"}


@pytest.mark.django_db
def test_measures_list_their_tiers_and_regions_or_say_unrestricted(client, known_data):
    html = client.get(known_data["plan"].url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "适用企业 国家级专精特新“小巨人”、市级专精特新、专精特新培育入库 适用地区 重庆 " in text
    assert "适用企业 国家级专精特新“小巨人” 适用地区 不限 " in text


def test_measure_sentences_go_through_the_catalog(tmp_path):
    from decimal import Decimal

    from django.test import override_settings
    from django.utils import translation

    from cms.tests.test_i18n import write_mo
    from policy.blocks import MeasureBlock

    block = MeasureBlock()
    value = block.to_python(
        {"title": "首贷补助", "kind": "financing", "benefit": "甲<乙", "amount": "12.5", "service": "financing"}
    )
    assert value["amount"] == Decimal("12.5")
    with translation.override("zh-hans"):
        html = block.render(value)
    assert "甲&lt;乙（最高 12.5 万元）" in html
    assert '<a class="btn btn-primary btn-sm mt-2" href="/services/financing/">申请融资服务</a>' in html
    write_mo(
        tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.mo",
        {"最高 %(amount)s 万元": "上限 %(amount)s 万元", "申请%(service)s": "办理%(service)s"},
    )
    with override_settings(LOCALE_PATHS=[str(tmp_path)]), translation.override("zh-hans"):
        html = block.render(value)
    assert "（上限 12.5 万元）" in html and ">办理融资服务</a>" in html
    without = block.to_python({"title": "培训", "kind": "other", "benefit": "免费培训", "amount": None, "service": ""})
    with translation.override("zh-hans"):
        html = block.render(without)
    assert "万元" not in html and "btn-primary" not in html


@pytest.mark.django_db
def test_superseders_and_interpretations_need_no_query_when_there_are_none(client, known_data, library):
    """A document nothing supersedes or explains skips both queries; one published later
    is seen on the next view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from policy.factories import InterpretationPageFactory, PolicyPageFactory

    plan = known_data["plan"]
    client.get(plan.url)  # the kept values are read
    with CaptureQueriesContext(connection) as queries:
        html = client.get(plan.url).content.decode()
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"policy_policypage"."supersedes_id" =' not in sql
    assert '"policy_interpretationpage"."policy_id" =' not in sql
    assert "现行有效" in html and "政策解读" not in html

    newer = PolicyPageFactory(parent=library, title="示例：新行动方案", slug="newer-plan", supersedes=plan)
    interpretation = InterpretationPageFactory(parent=library, title="示例解读：行动方案", policy=plan)
    html = client.get(plan.url).content.decode()
    assert "本文件已被废止，现行文件为" in html and f'href="{newer.url}"' in html
    assert f'href="{interpretation.url}"' in html

"""Policy demo content: the seed's action plan and its 解读, plus samples titled 示例.

Facts about the action plan come only from the seed story (重庆日报, 记者 夏元). The seed
gives no 文号 or exact date: 文号 stays empty and the date is stored to the month the story
appeared (2021年9月, the same page carries the 9月14日 sea trial), shown as 2021年9月.
Everything else is a sample, titled 示例, so every facet has at least two values.
"""

import datetime
from decimal import Decimal

from cms.choices import EnterpriseTier, ServiceCategory
from cms.demo import child_page, placeholder_image, register
from policy.choices import DatePrecision, DocType, Industry, InterpretationFormat, MeasureKind
from policy.models import (
    InterpretationPage,
    PolicyAttachment,
    PolicyIssuer,
    PolicyLibraryPage,
    PolicyPage,
    PolicyTopic,
)

SPECIALISED = [EnterpriseTier.NATIONAL_LITTLE_GIANT, EnterpriseTier.MUNICIPAL, EnterpriseTier.CULTIVATION]
NATIONAL = [EnterpriseTier.NATIONAL_LITTLE_GIANT]
SEED_SOURCE = "本页根据《重庆日报》报道（记者 夏元）整理，文件全文未收录。"


def measure(title, kind, benefit, tiers=(), regions=(), service="", **extra):
    value = {
        "title": title,
        "kind": kind,
        "tiers": list(tiers),
        "regions": list(regions),
        "industries": [],
        "conditions": "",
        "benefit": benefit,
        "amount": None,
        "deadline": None,
        "clause": "",
        "service": service,
        "link": None,
    }
    value.update(extra)
    return ("measure", value)


@register(200)
def load_policy_library(ctx):
    ctx.policy_library = child_page(
        ctx.home,
        PolicyLibraryPage,
        "policies",
        title="政策",
        show_in_menus=True,
        listing_summary="中小企业和专精特新企业相关政策文件、政策解读，以及按企业条件匹配的扶持措施。",
    )


@register(210)
def load_action_plan(ctx):
    from cms.models import Organisation, Region, Topic

    jjw = Organisation.objects.get(slug="cq-economy-it-commission")
    chongqing = Region.objects.get(slug="chongqing")
    services_benefit = "汇集中小企业需求，提供{}等精准服务。"
    plan = child_page(
        ctx.policy_library,
        PolicyPage,
        "cq-little-giant-service-action-plan",
        title="重庆市专精特新“小巨人”企业服务行动方案",
        doc_type=DocType.PLAN,
        publish_date=datetime.date(2021, 9, 1),
        date_precision=DatePrecision.MONTH,
        summary=(
            "重点支持市内23家国家级“小巨人”企业，并推动各项关于中小企业的政策服务落地，"
            "帮助企业攻克关键技术难关，促进数字化、智能化转型。"
        ),
        body=[
            ("paragraph", f"<p>{SEED_SOURCE}</p>"),
            (
                "paragraph",
                "<p>以23家国家重点支持的“小巨人”企业为扶持重点，通过开展企业品牌提升培训、制定品牌提升方案、"
                "组织品牌评选等一揽子活动，带动全市专精特新中小企业发展。</p>",
            ),
            (
                "paragraph",
                "<p>汇集中小企业需求，提供人才培训与引入、产品检测服务、融资服务、技术创新、工业设计等一系列精准服务，"
                "包括帮助企业参与重大科研攻关项目，联系高校、科研院所帮助企业组建创新联合体，协助企业研发攻关关键核心技术，"
                "协调市内大型企业向“专精特新”中小企业开放资源、共享数据等。</p>",
            ),
        ],
        measures=[
            measure("企业品牌提升培训", MeasureKind.BRAND, "开展企业品牌提升培训。", NATIONAL, [chongqing]),
            measure("制定品牌提升方案", MeasureKind.BRAND, "为企业制定品牌提升方案。", NATIONAL, [chongqing]),
            measure("组织品牌评选", MeasureKind.BRAND, "组织品牌评选。", NATIONAL, [chongqing]),
            measure(
                "人才培训与引入",
                MeasureKind.TALENT,
                services_benefit.format("人才培训与引入"),
                SPECIALISED,
                [chongqing],
                ServiceCategory.TALENT,
            ),
            measure(
                "产品检测服务",
                MeasureKind.TESTING,
                services_benefit.format("产品检测"),
                SPECIALISED,
                [chongqing],
                ServiceCategory.TESTING,
            ),
            measure(
                "融资服务",
                MeasureKind.FINANCING,
                services_benefit.format("融资"),
                SPECIALISED,
                [chongqing],
                ServiceCategory.FINANCING,
            ),
            measure(
                "技术创新服务",
                MeasureKind.TECHNOLOGY,
                "协助企业研发攻关关键核心技术。",
                SPECIALISED,
                [chongqing],
                ServiceCategory.TECHNOLOGY,
            ),
            measure(
                "工业设计服务",
                MeasureKind.DESIGN,
                services_benefit.format("工业设计"),
                SPECIALISED,
                [chongqing],
                ServiceCategory.DESIGN,
            ),
            measure(
                "参与重大科研攻关项目",
                MeasureKind.TECHNOLOGY,
                "帮助企业参与重大科研攻关项目。",
                SPECIALISED,
                [chongqing],
                ServiceCategory.TECHNOLOGY,
            ),
            measure(
                "组建创新联合体",
                MeasureKind.TECHNOLOGY,
                "联系高校、科研院所帮助企业组建创新联合体。",
                SPECIALISED,
                [chongqing],
                ServiceCategory.TECHNOLOGY,
            ),
            measure(
                "大型企业开放资源",
                MeasureKind.OTHER,
                "协调市内大型企业向“专精特新”中小企业开放资源、共享数据。",
                SPECIALISED,
                [chongqing],
            ),
        ],
        issuers=[PolicyIssuer(organisation=jjw)],
        topics=[
            PolicyTopic(topic=Topic.objects.get(slug="specialised-smes")),
            PolicyTopic(topic=Topic.objects.get(slug="sme-services")),
        ],
    )
    child_page(
        ctx.policy_library,
        InterpretationPage,
        "cq-little-giant-action-plan-explained",
        title="市经信委负责人解读《重庆市专精特新“小巨人”企业服务行动方案》",
        policy=plan,
        format=InterpretationFormat.TEXT,
        interpreter="市经信委负责人",
        source="重庆日报",
        publish_date=datetime.date(2021, 9, 1),
        date_precision=DatePrecision.MONTH,
        summary="以23家国家重点支持的“小巨人”企业为扶持重点，带动全市专精特新中小企业发展。",
        body=[
            (
                "quote",
                {
                    "text": "以23家国家重点支持的‘小巨人’企业为扶持重点，通过开展企业品牌提升培训、制定品牌提升方案、"
                    "组织品牌评选等一揽子活动，带动全市专精特新中小企业发展，是此次出台《方案》的目的。",
                    "attribution": "市经信委负责人",
                },
            ),
            (
                "paragraph",
                "<p>市经信委负责人表示，我市将采取“点面结合”方式开展中小企业服务调研，其中“面”上是通过中小企业专题数据库，"
                "分析国家级“小巨人”企业整体情况，“点”上采用平台分组对接企业的方式，建立长期联系。</p>",
            ),
            (
                "paragraph",
                "<p>今年8月，包括品胜科技、山外山、大江动力、桴之科等23家我市国家级“小巨人”企业，获得中央财政资金奖补。"
                "与传统的“奖成绩”不同，此次这笔奖补资金重在“奖未来”，通过引导“小巨人”企业加大创新投入，"
                "在重点产业领域“补短板”“锻长板”。</p>",
            ),
            (
                "paragraph",
                "<p>截至目前，全市有“专精特新”中小企业培育入库企业3011家，市级“专精特新”企业659家，"
                "国家级专精特新“小巨人”企业118家。</p>",
            ),
        ],
    )
    ctx.log("  政策：《重庆市专精特新“小巨人”企业服务行动方案》及其解读")


@register(220)
def load_sample_policies(ctx):
    from cms.models import Organisation, Region, Topic

    jjw = Organisation.objects.get(slug="cq-economy-it-commission")
    kjj = Organisation.objects.get(slug="cq-science-technology-bureau")
    topic = {
        t.slug: t
        for t in Topic.objects.filter(slug__in=["specialised-smes", "sme-services", "sci-tech-collaboration"])
    }
    jiangbei = Region.objects.get(slug="jiangbei")
    library = ctx.policy_library

    old = child_page(
        library,
        PolicyPage,
        "sample-sme-financing-measures-2019",
        title="示例：重庆市中小企业融资服务办法（2019年）",
        doc_type=DocType.MEASURES,
        doc_number="渝经信发〔2019〕1号",
        index_number="示例-2019-0001",
        publish_date=datetime.date(2019, 3, 1),
        summary="示例文件：已被2023年新办法替代，用于演示“已废止”。",
        measures=[measure("示例：贷款贴息", MeasureKind.FINANCING, "示例：按贷款利息给予贴息。")],
        issuers=[PolicyIssuer(organisation=jjw)],
        topics=[PolicyTopic(topic=topic["sme-services"])],
    )
    new = child_page(
        library,
        PolicyPage,
        "sample-sme-financing-measures-2023",
        title="示例：重庆市中小企业融资服务办法",
        doc_type=DocType.MEASURES,
        doc_number="渝经信发〔2023〕12号",
        index_number="示例-2023-0012",
        written_date=datetime.date(2023, 4, 20),
        publish_date=datetime.date(2023, 5, 1),
        effective_date=datetime.date(2023, 6, 1),
        supersedes=old,
        summary="示例文件：演示章、条结构、附件、扶持措施和联合发文。",
        body=[
            ("chapter", {"number": "第一章", "title": "总则"}),
            ("article", {"number": "第一条", "text": "<p>示例条文：为支持中小企业融资，制定本办法。</p>"}),
            ("article", {"number": "第二条", "text": "<p>示例条文：本办法适用于本市中小企业。</p>"}),
            ("chapter", {"number": "第二章", "title": "支持措施"}),
            ("article", {"number": "第三条", "text": "<p>示例条文：对首次获得银行贷款的制造业企业给予补助。</p>"}),
            ("article", {"number": "第四条", "text": "<p>本办法自2023年6月1日起施行。</p>"}),
        ],
        measures=[
            measure(
                "示例：首贷补助",
                MeasureKind.FINANCING,
                "示例：按首笔贷款金额给予一次性补助。",
                regions=[jiangbei],
                industries=[Industry.C],
                conditions="示例条件：上年度研发投入占营业收入比例不低于3%。",
                amount=Decimal("50"),
                deadline=datetime.date(2027, 12, 31),
                clause="第三条",
                service=ServiceCategory.FINANCING,
            )
        ],
        issuers=[PolicyIssuer(organisation=jjw, sort_order=0), PolicyIssuer(organisation=kjj, sort_order=1)],
        topics=[PolicyTopic(topic=topic["sme-services"]), PolicyTopic(topic=topic["specialised-smes"])],
        attachments=[PolicyAttachment(document=_sample_document(), title="示例附件：首贷补助申报表")],
    )
    child_page(
        library,
        PolicyPage,
        "sample-testing-subsidy-notice-2022",
        title="示例：专精特新企业产品检测费用补贴通知",
        doc_type=DocType.NOTICE,
        doc_number="渝科局发〔2022〕7号",
        publish_date=datetime.date(2022, 2, 1),
        expiry_date=datetime.date(2024, 12, 31),
        summary="示例文件：有效期至2024年底，用于演示“已失效”。",
        measures=[
            measure(
                "示例：检测费用补贴",
                MeasureKind.TESTING,
                "示例：按检测费用的一定比例给予补贴。",
                [EnterpriseTier.MUNICIPAL],
                service=ServiceCategory.TESTING,
            )
        ],
        issuers=[PolicyIssuer(organisation=kjj)],
        topics=[PolicyTopic(topic=topic["specialised-smes"])],
    )
    child_page(
        library,
        PolicyPage,
        "sample-talent-training-notice",
        title="示例：中小企业人才培训补贴通知",
        doc_type=DocType.NOTICE,
        doc_number="渝科局发〔2026〕3号",
        publish_date=datetime.date(2026, 11, 1),
        effective_date=datetime.date(2030, 1, 1),
        summary="示例文件：施行日期在将来，用于演示“未生效”。",
        measures=[
            measure(
                "示例：人才培训补贴",
                MeasureKind.TALENT,
                "示例：对企业组织的技能培训给予补贴。",
                [EnterpriseTier.CULTIVATION, EnterpriseTier.OTHER],
                service=ServiceCategory.TALENT,
            )
        ],
        issuers=[PolicyIssuer(organisation=kjj)],
        topics=[PolicyTopic(topic=topic["sci-tech-collaboration"])],
    )
    child_page(
        library,
        InterpretationPage,
        "sample-financing-measures-graphic",
        title="示例：一图读懂《重庆市中小企业融资服务办法》",
        policy=new,
        format=InterpretationFormat.GRAPHIC,
        interpreter="示例解读机构",
        publish_date=datetime.date(2023, 5, 2),
        body=[
            (
                "image",
                {
                    "image": {
                        "image": placeholder_image("示例：融资服务办法图解"),
                        "alt_text": "示例图解",
                        "decorative": False,
                    },
                    "caption": "示例图解",
                    "credit": "",
                },
            )
        ],
    )
    ctx.log(f"  政策文件 {PolicyPage.objects.count()} 份，解读 {InterpretationPage.objects.count()} 篇")


def _sample_document():
    """A tiny, locally generated PDF so the sample shows an attachment (found again by title)."""
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    Document = get_document_model()
    title = "示例附件：首贷补助申报表"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    document = Document(title=title)
    document.file.save("sample-application-form.pdf", ContentFile(pdf), save=False)
    document.save()
    return document

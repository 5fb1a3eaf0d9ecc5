import datetime

import pytest

from cms.choices import EnterpriseTier, ServiceCategory
from cms.factories import OrganisationFactory, RegionFactory, TopicFactory
from policy.choices import DocType, Industry, MeasureKind
from policy.factories import PolicyPageFactory


@pytest.fixture
def library(site_tree):
    return site_tree["policies"]


def measure(title, kind, tiers=(), regions=(), industries=(), deadline=None, service="", conditions="", amount=None):
    return (
        "measure",
        {
            "title": title,
            "kind": kind,
            "tiers": list(tiers),
            "regions": list(regions),
            "industries": list(industries),
            "conditions": conditions,
            "benefit": f"{title}的支持内容",
            "amount": amount,
            "deadline": deadline,
            "clause": "",
            "service": service,
            "link": None,
        },
    )


@pytest.fixture
def known_data(library):
    """Five policies with known facets: 2 issuers, 2 topics, 3 doc types, 3 years, 4 states, tiers."""
    jjw = OrganisationFactory(name="重庆市经济和信息化委员会", slug="cq-economy-it-commission")
    kjj = OrganisationFactory(name="重庆市科学技术局", slug="cq-science-technology-bureau")
    sme = TopicFactory(name="专精特新", slug="specialised-smes")
    service = TopicFactory(name="中小企业服务", slug="sme-services")
    chongqing = RegionFactory(name="重庆", slug="chongqing", level="province")
    jiangbei = RegionFactory(name="江北区", slug="jiangbei", parent=chongqing)
    RegionFactory(name="四川", slug="sichuan", level="province")
    plan = PolicyPageFactory(
        parent=library,
        title="重庆市专精特新“小巨人”企业服务行动方案",
        slug="action-plan",
        doc_type=DocType.PLAN,
        publish_date=datetime.date(2021, 9, 1),
        summary="重点支持市内23家国家级“小巨人”企业。",
        issuers=[jjw],
        topics=[sme, service],
        measures=[
            measure("品牌提升培训", MeasureKind.BRAND, tiers=[EnterpriseTier.NATIONAL_LITTLE_GIANT]),
            measure(
                "融资服务",
                MeasureKind.FINANCING,
                tiers=[EnterpriseTier.NATIONAL_LITTLE_GIANT, EnterpriseTier.MUNICIPAL, EnterpriseTier.CULTIVATION],
                regions=[chongqing],
            ),
        ],
    )
    old = PolicyPageFactory(
        parent=library,
        title="示例：中小企业融资办法（旧）",
        slug="old-financing",
        doc_type=DocType.MEASURES,
        doc_number="渝经信发〔2019〕1号",
        publish_date=datetime.date(2019, 3, 1),
        issuers=[jjw],
        topics=[service],
        measures=[measure("贷款贴息", MeasureKind.FINANCING, service=ServiceCategory.FINANCING)],
    )
    new = PolicyPageFactory(
        parent=library,
        title="示例：中小企业融资办法",
        slug="new-financing",
        doc_type=DocType.MEASURES,
        doc_number="渝经信发[2023]12号",
        publish_date=datetime.date(2023, 5, 1),
        effective_date=datetime.date(2023, 6, 1),
        supersedes=old,
        issuers=[jjw, kjj],
        topics=[service],
        measures=[
            measure(
                "首贷补助",
                MeasureKind.FINANCING,
                regions=[jiangbei],
                industries=[Industry.C],
                conditions="上年度研发投入占营业收入比例不低于3%",
                amount="50",
                deadline=datetime.date(2030, 12, 31),
            )
        ],
    )
    expired = PolicyPageFactory(
        parent=library,
        title="示例：检测补贴通知",
        slug="testing-notice",
        doc_type=DocType.NOTICE,
        publish_date=datetime.date(2022, 2, 1),
        expiry_date=datetime.date(2024, 12, 31),
        issuers=[kjj],
        topics=[sme],
        measures=[measure("检测费补贴", MeasureKind.TESTING, tiers=[EnterpriseTier.MUNICIPAL])],
    )
    pending = PolicyPageFactory(
        parent=library,
        title="示例：工业设计扶持通知",
        slug="design-notice",
        doc_type=DocType.NOTICE,
        publish_date=datetime.date(2023, 8, 1),
        effective_date=datetime.date(2099, 1, 1),
        issuers=[kjj],
        topics=[sme],
    )
    return {
        "plan": plan,
        "old": old,
        "new": new,
        "expired": expired,
        "pending": pending,
        "jjw": jjw,
        "kjj": kjj,
        "chongqing": chongqing,
        "jiangbei": jiangbei,
    }

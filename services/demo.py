import datetime

from cms import roles
from cms.choices import ServiceCategory
from cms.demo import child_page, register
from services.models import CollaborationMapPage, ServiceIndexPage

# The seed's promise (市经信委, 《重庆市专精特新“小巨人”企业服务行动方案》), quoted on every service page.
SEED_PROMISE = (
    "按照《重庆市专精特新“小巨人”企业服务行动方案》，我市将汇集中小企业需求，提供人才培训与引入、"
    "产品检测服务、融资服务、技术创新、工业设计等一系列精准服务。"
)

SERVICE_PAGES = {
    ServiceCategory.TALENT: "汇集企业人才培训与引入需求，为专精特新中小企业提供精准的人才服务。",
    ServiceCategory.TESTING: "汇集企业产品检测需求，为专精特新中小企业提供精准的产品检测服务。",
    ServiceCategory.FINANCING: "汇集企业融资需求，为专精特新中小企业提供精准的融资服务。",
    ServiceCategory.DESIGN: "汇集企业工业设计需求，为专精特新中小企业提供精准的工业设计服务。",
    ServiceCategory.TECHNOLOGY: (
        "帮助企业参与重大科研攻关项目，联系高校、科研院所帮助企业组建创新联合体，协助企业研发攻关关键核心技术，"
        "协调市内大型企业向“专精特新”中小企业开放资源、共享数据。"
    ),
}


@register(300)
def load_service_index(ctx):
    ctx.service_index = child_page(
        ctx.home,
        ServiceIndexPage,
        "services",
        title="服务",
        show_in_menus=True,
        listing_summary="人才培训与引入、产品检测、融资、工业设计、技术创新服务在线申请与进度查询。",
    )


@register(310)
def load_service_pages(ctx):
    from services.models import ServicePage

    for category, focus in SERVICE_PAGES.items():
        child_page(
            ctx.service_index,
            ServicePage,
            category.value,
            title=str(category.label),
            category=category.value,
            intro=f"<p>{SEED_PROMISE}</p><p>{focus}</p>",
            includes="<p>在线提交需求，服务专员受理、对接并跟踪办理，企业凭受理编号查询进度。</p>",
            contact="服务专员电话：023-00000000（示例）\n工作时间：工作日 9:00–17:00（示例）",
            listing_summary=focus,
        )
    ctx.log(f"  服务页面 {ServicePage.objects.count()} 个")


# The four of the 23 funded 小巨人 the seed names (今年8月…获得中央财政资金奖补). Only the names come
# from the seed: their codes and every other detail are samples, and say so.
NAMED_LITTLE_GIANTS = ["品胜科技", "山外山", "大江动力", "桴之科"]
SEED_FUNDING_YEAR = 2021
SEED_FUNDING_PROGRAMME = "中央财政资金奖补（专精特新“小巨人”企业）"
OFFICER_GROUPS = [
    ("示例对接一组", "示例：负责江北区、大渡口区企业的长期对接。"),
    ("示例对接二组", "示例：负责武隆区及其他区县企业的长期对接。"),
]
# name, sample request number whose code it shares (or another number), tier, tier year, district, industry, group
SAMPLE_ENTERPRISES = [
    ("示例精密制造有限公司", 1, "municipal", 2022, "jiangbei", "通用设备制造业（示例）", 0),
    ("示例智能装备有限公司", 2, "cultivation", 2023, "dadukou", "专用设备制造业（示例）", 1),
    ("示例工业设计有限公司", 4, "national", 2022, "jiangbei", "专业技术服务业（示例）", 0),
    ("示例电子科技有限公司", 5, "municipal", 2021, "wulong", "计算机、通信和其他电子设备制造业（示例）", 1),
    ("示例光电科技有限公司", 101, "cultivation", 2024, "jiangbei", "计算机、通信和其他电子设备制造业（示例）", 0),
    ("示例生物医药有限公司", 102, "national", 2023, "wulong", "医药制造业（示例）", 1),
]
OFFICER_ENTERPRISE_PERMISSIONS = [
    "services.view_enterprise",
    "services.add_enterprise",
    "services.change_enterprise",
    "services.delete_enterprise",
    "services.view_officergroup",
    "services.add_officergroup",
    "services.change_officergroup",
]
roles.declare(roles.OFFICERS, "services.view_servicerequest", "services.change_servicerequest")
roles.declare(roles.OFFICERS, *OFFICER_ENTERPRISE_PERMISSIONS)


def sample_credit_code(number):
    """The sample code of sample request ``number`` (the same base load_sample_requests uses)."""
    from services.validators import credit_code_check_character

    base = f"91500105MA5U{number:04d}0"
    return base + credit_code_check_character(base)


@register(315)
def load_enterprise_register(ctx):
    """Officer groups, the four named 小巨人 and `示例` enterprises in each tier and group.

    Runs before the sample requests so that those from a registered code land in its group's queue.
    """
    from django.contrib.auth import get_user_model

    from cms.models import Region
    from services.models import Enterprise, OfficerGroup

    officer = get_user_model().objects.filter(username="officer").first()
    groups = []
    for name, description in OFFICER_GROUPS:
        group, _created = OfficerGroup.objects.get_or_create(name=name, defaults={"description": description})
        if officer is not None:
            group.members.add(officer)
        groups.append(group)
    for number, name in enumerate(NAMED_LITTLE_GIANTS, start=901):
        Enterprise.objects.get_or_create(
            credit_code=sample_credit_code(number),
            defaults={
                "name": name,
                "tier": "national",
                "funding_year": SEED_FUNDING_YEAR,
                "funding_programme": SEED_FUNDING_PROGRAMME,
                "group": groups[number % 2],
                "notes": "企业名称与获得奖补的情况来自重庆日报报道；统一社会信用代码及其他信息为示例。",
                "is_sample": True,
            },
        )
    regions = {region.slug: region for region in Region.objects.filter(level=Region.Level.DISTRICT)}
    for name, number, tier, year, district, industry, group_index in SAMPLE_ENTERPRISES:
        Enterprise.objects.get_or_create(
            credit_code=sample_credit_code(number),
            defaults={
                "name": name,
                "tier": tier,
                "tier_year": year,
                "region": regions.get(district),
                "industry": industry,
                "employees": 40 * (group_index + 2) + number % 100,
                "contact_name": "示例联系人",
                "contact_phone": "023-63000000",
                "group": groups[group_index],
                "notes": "示例企业，信息均为示例。",
                "is_sample": True,
            },
        )
    ctx.log(f"  企业库 {Enterprise.objects.count()} 家，对接组 {OfficerGroup.objects.count()} 个")


@register(320)
def load_sample_requests(ctx):
    """A handful of `示例` requests in different states, and the officers' permissions."""
    from django.contrib.auth import get_user_model

    from cms.models import Region
    from services import pipeline
    from services.models import RequestStatus, ServicePage, ServiceRequest

    officer = get_user_model().objects.filter(username="officer").first()
    today = datetime.date.today()
    samples = [
        # company, category, details, statuses to walk through, days ago
        ("示例精密制造有限公司", "testing", _testing(today), [], 0),
        ("示例智能装备有限公司", "talent", _talent(today), [], 9),
        ("示例新材料科技有限公司", "financing", _financing(), [RequestStatus.ACCEPTED], 3),
        ("示例工业设计有限公司", "design", _design(today), [RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS], 5),
        ("示例电子科技有限公司", "technology", _technology(), [RequestStatus.ACCEPTED, RequestStatus.COMPLETED], 20),
        ("示例汽车零部件有限公司", "financing", _financing(), [RequestStatus.REJECTED], 4),
    ]
    regions = list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("sort_order"))
    for number, (company, category, details, statuses, days_ago) in enumerate(samples, start=1):
        if ServiceRequest.objects.filter(company_name=company).exists():
            continue
        service_request = pipeline.create_request(
            category,
            {
                "company_name": company,
                "credit_code": sample_credit_code(number),
                "tier": ["national", "municipal", "cultivation", "other"][number % 4],
                "region": regions[number % len(regions)] if regions else None,
                "industry": "制造业（示例）",
                "employees": 50 * number,
                "contact_name": "示例联系人",
                "phone": f"1380000{number:04d}",
                "email": "",
                "description": "示例需求：用于演示服务申请的办理流程。",
            },
            details,
            notify=False,
            page=ServicePage.objects.filter(category=category).first(),
        )
        if days_ago:
            _backdate(service_request, days_ago)
        for status in statuses:
            note = "示例：材料不全，请补充后重新申请。" if status == RequestStatus.REJECTED else "示例办理说明。"
            pipeline.change_status(service_request, status, officer, note=note, notify=False)
        if statuses and officer:
            pipeline.assign(service_request, officer, officer)
        if RequestStatus.COMPLETED in statuses:
            pipeline.rate(service_request, 5, "示例评价：服务及时。")
    ctx.log(f"  服务申请 {ServiceRequest.objects.count()} 件")


def _backdate(service_request, days_ago):
    from django.utils import timezone

    from services.models import ServiceRequest
    from services.workdays import add_working_days

    submitted = timezone.now() - datetime.timedelta(days=days_ago)
    accept, complete = service_request.kind.due_days()
    day = timezone.localtime(submitted).date()
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        submitted_at=submitted,
        acceptance_due=add_working_days(day, accept),
        completion_due=add_working_days(day, complete),
    )
    service_request.events.update(created_at=submitted)


def _later(today, days):
    return (today + datetime.timedelta(days=days)).isoformat()


def _testing(today):
    return {
        "product": "示例减速器",
        "product_category": "机械零部件",
        "standards": "GB/T 10095.1-2008",
        "test_items": "精度、噪声",
        "sample_count": 3,
        "reports": ["CMA"],
        "wanted_by": _later(today, 30),
    }


def _talent(today):
    return {
        "mode": "training",
        "skills_or_positions": "工业机器人运维",
        "headcount": 20,
        "period_start": _later(today, 30),
        "period_end": _later(today, 60),
    }


def _financing():
    return {
        "amount": "500",
        "purpose": "购置生产设备（示例）",
        "term_months": 36,
        "financing_type": "loan",
        "collateral": "厂房（示例）",
        "last_year_revenue": "3000",
    }


def _design(today):
    return {
        "product": "示例手持终端",
        "stage": "appearance",
        "deliverables": "效果图、三维模型",
        "budget": "20",
        "wanted_by": _later(today, 45),
    }


def _technology():
    return {
        "problem": "示例：高精度减速器寿命不足。",
        "field": "智能制造",
        "partners": ["university", "institute"],
        "mode": "joint",
        "budget": "200",
    }


@register(400)
def load_collaboration_map(ctx):
    ctx.collaboration_map = child_page(
        ctx.home,
        CollaborationMapPage,
        "collaboration",
        title="科技协作",
        show_in_menus=True,
        listing_summary="鲁渝科技协作项目、科技成果和示范基地地图。",
    )


from services.collaboration import demo as collaboration_demo  # noqa: E402, F401  (registers its loaders)

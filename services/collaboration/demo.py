"""Demo content of the collaboration platform, from the seed's 鲁渝科技协作信息服务平台 story.

Seed facts: the headline figures, the two innovation platforms, the five introduced
varieties, and the two academies that built the platform. Years, places and map
positions of those are not in the seed: they are marked 示例位置 and say so. Everything
else (extra items for the filters and pagination, experts, questions) is titled 示例.
"""

from cms import roles
from cms.demo import child_page, register

roles.declare(roles.EDITORS, "services.add_techfield", "services.change_techfield")
roles.declare(
    roles.OFFICERS,
    "services.view_expertquestion",
    "services.change_expertquestion",
    "services.delete_expertquestion",
)

FIELDS = [
    ("农学", "agronomy"),
    ("生物技术", "biotechnology"),
    ("农业信息", "agri-informatics"),
    ("农业机械", "agri-machinery"),
    ("农业加工", "agri-processing"),
    ("畜禽", "livestock"),
]

# Districts of Chongqing paired with Shandong in the 鲁渝 east-west collaboration.
DISTRICTS = [
    ("石柱土家族自治县", "shizhu"),
    ("巫溪县", "wuxi"),
    ("城口县", "chengkou"),
    ("酉阳土家族苗族自治县", "youyang"),
    ("奉节县", "fengjie"),
    ("彭水苗族土家族自治县", "pengshui"),
    ("黔江区", "qianjiang"),
    ("秀山土家族苗族自治县", "xiushan"),
]

FIGURES = [
    ("70", "项", "鲁渝扶贫协作项目"),
    ("225", "项", "科技成果"),
    ("105", "个", "示范基地"),
    ("4350", "万元", "两地投入专项资金"),
    ("127", "项", "从山东引进推广实用技术"),
    ("59", "个", "引进特色作物和畜禽品种"),
    ("2889", "人", "直接带动建档立卡贫困户"),
]

SAMPLE_NOTE = "（年份和地图位置为示例，仅作演示。）"
BOTH = ("cq-academy-agricultural-sciences", "sd-academy-agricultural-sciences")
CQ_ONLY = ("cq-academy-agricultural-sciences",)
SD_ONLY = ("sd-academy-agricultural-sciences",)

# fmt: off
ITEMS = [
    # slug, title, kind, field, district, place, lng, lat, year, partners, sample location, summary
    ("luyu-tcm-wellness-centre", "鲁渝中医药康养产业技术创新中心", "project", "biotechnology", "shizhu", "石柱县城周边", 108.11, 30.0, 2020, BOTH, True, "鲁渝科技协作建设的4个创新平台之一，面向中医药康养产业开展技术创新。" + SAMPLE_NOTE),
    ("wulong-alpine-vegetable-institute", "鲁渝共建武隆高山蔬菜研究所", "project", "agronomy", "wulong", "武隆区仙女山一带", 107.73, 29.47, 2020, BOTH, True, "鲁渝两地在武隆区共建的高山蔬菜研究所，4个创新平台之一。" + SAMPLE_NOTE),
    ("xiuqiujun", "绣球菌", "result", "agronomy", "wuxi", "巫溪县", 109.57, 31.4, 2020, BOTH, True, "从山东引进的特色食用菌品种。" + SAMPLE_NOTE),
    ("lixiangju", "梨香菊", "result", "agronomy", "chengkou", "城口县", 108.66, 31.95, 2020, BOTH, True, "从山东引进的特色作物品种。" + SAMPLE_NOTE),
    ("luzhong-ginger", "鲁中大姜", "result", "agronomy", "youyang", "酉阳县", 108.77, 28.84, 2021, BOTH, True, "从山东引进的大姜品种。" + SAMPLE_NOTE),
    ("sweet-cherry", "甜樱桃", "result", "agronomy", "fengjie", "奉节县", 109.46, 31.02, 2021, BOTH, True, "从山东引进的甜樱桃品种。" + SAMPLE_NOTE),
    ("laiwu-black-pig", "莱芜黑猪", "result", "livestock", "pengshui", "彭水县", 108.17, 29.29, 2019, BOTH, True, "从山东引进的地方猪品种。" + SAMPLE_NOTE),
    # Samples so every kind, field, year and partner combination has something to filter.
    ("sample-base-1", "示例：高山蔬菜示范基地", "base", "agronomy", "wulong", "武隆区（示例）", 107.8, 29.4, 2021, BOTH, True, "示例条目：高山蔬菜品种与栽培技术示范。"),
    ("sample-base-2", "示例：大姜标准化种植示范基地", "base", "agronomy", "youyang", "酉阳县（示例）", 108.7, 28.9, 2021, SD_ONLY, True, "示例条目：大姜脱毒种苗与标准化种植示范。"),
    ("sample-base-3", "示例：黑猪生态养殖示范基地", "base", "livestock", "pengshui", "彭水县（示例）", 108.25, 29.35, 2020, CQ_ONLY, True, "示例条目：生态养殖与粪污资源化利用示范。"),
    ("sample-base-4", "示例：农产品初加工示范基地", "base", "agri-processing", "qianjiang", "黔江区（示例）", 108.77, 29.53, 2019, BOTH, True, "示例条目：产地清洗、分级和保鲜示范。"),
    ("sample-base-5", "示例：山地农机示范基地", "base", "agri-machinery", "xiushan", "秀山县（示例）", 108.99, 28.45, 2021, SD_ONLY, True, "示例条目：丘陵山地小型农机示范。"),
    ("sample-project-1", "示例：农业科技大数据平台建设项目", "project", "agri-informatics", "chengkou", "城口县（示例）", 108.6, 31.9, 2021, BOTH, True, "示例条目：鲁渝农业科技大数据标准与互联互通。"),
    ("sample-project-2", "示例：中药材加工技术协作项目", "project", "agri-processing", "shizhu", "石柱县（示例）", 108.2, 30.05, 2019, CQ_ONLY, True, "示例条目：中药材产地加工技术。"),
    ("sample-result-1", "示例：食用菌菌种选育成果", "result", "biotechnology", "wuxi", "巫溪县（示例）", 109.6, 31.35, 2019, SD_ONLY, True, "示例条目：适合高海拔地区的菌种选育。"),
]
# fmt: on

EXPERTS = [
    # slug, name, job title, organisation slug, province slug, field slugs, specialities
    (
        "sample-expert-cq-1",
        "示例专家 重庆甲",
        "研究员",
        CQ_ONLY[0],
        "chongqing",
        ("agronomy", "biotechnology"),
        "高山蔬菜栽培、食用菌栽培",
    ),
    (
        "sample-expert-cq-2",
        "示例专家 重庆乙",
        "高级农艺师",
        CQ_ONLY[0],
        "chongqing",
        ("agri-informatics", "agri-machinery"),
        "农业物联网、山地农机",
    ),
    (
        "sample-expert-cq-3",
        "示例专家 重庆丙",
        "副研究员",
        CQ_ONLY[0],
        "chongqing",
        ("agri-processing", "livestock"),
        "农产品加工、生猪养殖",
    ),
    (
        "sample-expert-sd-1",
        "示例专家 山东甲",
        "研究员",
        SD_ONLY[0],
        "shandong",
        ("agronomy", "agri-processing"),
        "大姜栽培、果蔬保鲜",
    ),
    (
        "sample-expert-sd-2",
        "示例专家 山东乙",
        "研究员",
        SD_ONLY[0],
        "shandong",
        ("biotechnology", "agri-informatics"),
        "菌种选育、农业大数据",
    ),
    (
        "sample-expert-sd-3",
        "示例专家 山东丙",
        "高级畜牧师",
        SD_ONLY[0],
        "shandong",
        ("livestock", "agri-machinery"),
        "黑猪繁育、养殖机械",
    ),
]

SAMPLE_QUESTION = (
    "sample-expert-sd-1",
    "示例用户",
    "13800000000",
    "示例问题：海拔800米左右的坡地能种鲁中大姜吗？需要注意什么？",
    "示例答复：可以试种，注意选择排水良好的沙壤土，做好遮阴和姜瘟病防控，建议先小面积示范。",
)


@register(410)
def load_collaboration(ctx):
    from wagtail.models import Page

    from cms.models import Organisation, Region
    from services.models import CollaborationItemPage, TechField

    for order, (name, slug) in enumerate(FIELDS):
        TechField.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    chongqing = Region.objects.get(slug="chongqing")
    for name, slug in DISTRICTS:
        Region.objects.get_or_create(slug=slug, defaults={"name": name, "level": "district", "parent": chongqing})

    map_page = ctx.collaboration_map
    if not map_page.figures:
        map_page.figures = [("figure", {"value": v, "unit": u, "label": label}) for v, u, label in FIGURES]
        map_page.intro = (
            "<p>鲁渝科技协作信息服务平台由重庆市农科院与山东省农科院共同搭建，"
            "在重庆市全域数字地图上展示两地联合开展的协作项目、科技成果和示范基地。</p>"
        )
        map_page.save_revision().publish()
        map_page.refresh_from_db()
    for slug, title, kind, field, district, place, lng, lat, year, partners, sample, summary in ITEMS:
        if Page.objects.child_of(map_page).filter(slug=slug).exists():
            continue
        item = child_page(
            map_page,
            CollaborationItemPage,
            slug,
            title=title,
            kind=kind,
            field=TechField.objects.get(slug=field),
            region=Region.objects.get(slug=district),
            place_name=place,
            location=f"SRID=4326;POINT({lng} {lat})",
            location_is_sample=sample,
            year=year,
            summary=summary,
        )
        item.partners.set(Organisation.objects.filter(slug__in=partners))
        item.save_revision().publish()
    ctx.log(f"  科技协作条目 {CollaborationItemPage.objects.child_of(map_page).count()} 个")


@register(420)
def load_experts(ctx):
    from django.utils import timezone

    from cms.models import Organisation, Region
    from services.models import ExpertIndexPage, ExpertPage, ExpertQuestion, TechField

    index = child_page(
        ctx.home,
        ExpertIndexPage,
        "experts",
        title="专家服务",
        show_in_menus=False,
        intro="<p>鲁渝两地农学、生物技术、农业信息、农业机械、农业加工、畜禽等领域的农技专家，可公开留言或在线咨询。</p>",
        listing_summary="鲁渝两地农技专家信息，支持留言和在线咨询。",
    )
    ctx.expert_index = index
    for slug, name, job_title, org, province, fields, specialities in EXPERTS:
        if index.get_children().filter(slug=slug).exists():
            continue
        expert = child_page(
            index,
            ExpertPage,
            slug,
            title=name,
            job_title=job_title,
            organisation=Organisation.objects.get(slug=org),
            province=Region.objects.get(slug=province),
            specialities=specialities,
            bio="<p>示例专家简介，仅作演示。</p>",
        )
        expert.tech_fields.set(TechField.objects.filter(slug__in=fields))
        expert.save_revision().publish()

    slug, name, contact, question, answer = SAMPLE_QUESTION
    ExpertQuestion.objects.get_or_create(
        expert=ExpertPage.objects.get(slug=slug),
        name=name,
        question=question,
        defaults={
            "contact": contact,
            "consent_to_publish": True,
            "answer": answer,
            "status": ExpertQuestion.Status.PUBLISHED,
            "answered_at": timezone.now(),
        },
    )
    ctx.log(f"  专家 {ExpertPage.objects.child_of(index).count()} 位")

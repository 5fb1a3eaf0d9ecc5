"""Demo newsroom: the seed page's seven stories, the review workflow and optional samples.

Every text below is the seed's wording (news/tests/test_demo.py checks each paragraph
against the seed). The photo story has no headline in the seed; its title is made of
the caption's own words.
"""

import datetime

from django.utils import timezone

from cms import roles
from cms.demo import child_page, placeholder_image, register
from cms.models import Organisation, Region, Topic
from news.models import ArticleByline, ArticlePage, ArticleRelatedItem, NewsIndexPage, NewsSettings

roles.declare(roles.MODERATORS, "news.change_newssettings")

CQ_DAILY = "chongqing-daily"
XINHUA = "xinhua"


def _when(month, day, hour):
    return timezone.make_aware(datetime.datetime(2021, month, day, hour, 0))


STORIES = [
    {
        "slug": "chengyu-uhd-video-agreement",
        "title": "成渝两地三企签署超高清视频研发应用战略合作协议",
        "source": CQ_DAILY,
        "bylines": [("杨骏", "reporter", CQ_DAILY)],
        "date": _when(9, 15, 10),
        "topics": ["uhd-video"],
        "regions": ["chongqing", "sichuan"],
        "lead": "2021第二届中国超高清视频产业西部高峰论坛在重庆举行，两地三企签署“超高清视频研发应用战略合作协议”。",
        "paragraphs": [
            "日前，2021第二届中国超高清视频产业西部高峰论坛在重庆举行。现场，重庆康佳光电技术研究院有限公司、"
            "超高清视频（四川）制作技术协同中心、重庆赛宝工业技术研究院有限公司签署“超高清视频研发应用战略合作协议”，"
            "两地三企将深入贯彻落实成渝地区双城经济圈建设战略部署的重要举措，进一步加快推动川渝两地超高清视频产业发展。",
            "据介绍，近年来，我市按照“4K先行、兼顾8K”的总体技术路线，大力推动超高清视频产业高质量发展。"
            "未来，重庆将加快推动川渝超高清视频产业协同发展，共同打造具有国际影响力的超高清视频产业集群；"
            "大力实施超高清视频应用推广工程，深入挖掘超高清视频在智能安防、智能网联汽车等方面的应用场景，"
            "打造一批行业应用示范项目。",
        ],
    },
    {
        "slug": "remote-imaging-diagnosis",
        "title": "依托医疗智能影像云平台 医生为患者进行远程诊断",
        "source": CQ_DAILY,
        "bylines": [("张锦辉", "photographer", CQ_DAILY)],
        "date": _when(9, 15, 9),
        "topics": ["smart-healthcare"],
        "regions": ["chongqing", "dadukou"],
        "photo_news": True,
        "caption": "近日，在重庆医科大学附属第一医院，依托医疗智能影像云平台，医生为大渡口区跳磴镇卫生院的患者进行远程诊断，"
        "并出具诊断报告。",
        "credit": "重庆日报记者 张锦辉 摄",
        "lead": "依托医疗智能影像云平台，医生为大渡口区跳磴镇卫生院的患者进行远程诊断，并出具诊断报告。",
        "paragraphs": [
            "该平台依靠5G网络，利用AI辅助诊断能力，提升西南及全国影像医生诊疗的速度、精度。"
            "自2020年1月落地实施以来，平台已对15万余例病人的肺部影像进行了诊断。",
        ],
    },
    {
        "slug": "zhifei-smart-ship-sea-trial",
        "title": "我国自主研发的智能航行船舶在青岛海试",
        "source": XINHUA,
        "dateline": "新华社青岛9月14日电",
        "bylines": [("王凯", "reporter", None)],
        "date": _when(9, 14, 18),
        "topics": ["smart-shipping"],
        "regions": ["qingdao"],
        "lead": "我国自主研发的智能航行300TEU集装箱商船“智飞”号，在青岛女岛海区成功开展海试。",
        "paragraphs": [
            "9月14日，我国自主研发的智能航行300TEU集装箱商船“智飞”号，在青岛女岛海区成功开展海试。",
            "“智飞”号是我国自主研发的具有智能航行能力、面向商业运营的运输货船，也是目前在建的全球吨位较大的智能航行船舶。"
            "船上集成并安装有我国多家科研机构和企业完全自主研发的自主航行系统，并首次在同一船舶上实现直流化、"
            "智能化两大技术跨越，具有人工驾驶、远程遥控驾驶和无人自主航行三种驾驶模式，能够实现航行环境智能感知认知、"
            "自主循迹、航线自主规划、智能避碰、自动靠离泊和远程遥控驾驶。",
        ],
    },
    {
        "slug": "jiangbei-youth-innovation-awards",
        "title": "江北10名学生获青少年科技创新区长奖",
        "source": CQ_DAILY,
        "bylines": [("陈维灯", "reporter", CQ_DAILY)],
        "date": _when(9, 15, 8),
        "topics": ["youth-innovation"],
        "regions": ["jiangbei"],
        "lead": "10名来自区内的中小学生被授予第十二届江北区青少年科技创新区长奖。",
        "paragraphs": [
            "日前，江北区第十二届青少年科技创新区长奖颁奖仪式举行，10名来自区内的中小学生被授予第十二届江北区"
            "青少年科技创新区长奖。",
            "此次获奖学生中，有不少在全国性的科技创新、机器人大赛等竞赛中取得了优异成绩。如，来自鲁能巴蜀中学的马振轩同学，"
            "曾荣获第二十一届全国中小学电脑制作活动比赛市级一等奖；玉带山小学学生张艺涵，是第十七届全国中小学信息技术"
            "创新与实践活动重庆市选拔赛物联网创新设计赛一等奖得主；新村实验小学的江照柯，在2020年度世界机器人大赛"
            "中国竞标赛创意赛中，斩获两个一等奖和1个三等奖。",
        ],
    },
    {
        "slug": "robot-ai-contest-chongqing-selection",
        "title": "中国机器人及人工智能大赛重庆选拔赛开赛",
        "source": CQ_DAILY,
        "bylines": [("王天翊", "reporter", CQ_DAILY)],
        "date": _when(9, 15, 7),
        "topics": ["robotics-ai"],
        "regions": ["chongqing"],
        "lead": "第二十三届中国机器人及人工智能大赛重庆赛区选拔赛开赛，112支队伍竞逐全国总决赛资格。",
        "paragraphs": [
            "日前，第二十三届中国机器人及人工智能大赛重庆赛区选拔赛开赛。大赛包含10个赛项，吸引了来自重庆大学等高校的"
            "112支队伍竞逐全国总决赛资格。",
            "中国机器人及人工智能大赛是中国最具影响力的机器人赛事之一，同时也是中国高等教育学会白名单赛事。"
            "重庆赛区选拔赛设置创新类、竞技类、应用类3类项目。其中，创新类聚焦落地实际应用场景的机器人创新技术与运用，"
            "竞技类项目专注机器人与人工智能关键技术能力考核，应用类项目侧重机器人与人工智能应用技术能力考察。",
            "据悉，重庆选拔赛将选出40-50支优秀团队参加今年10月在重庆两江协同创新区举行的全国总决赛。",
        ],
    },
    {
        "slug": "little-giant-service-action-plan",
        "title": "重庆出台专精特新“小巨人”企业服务行动方案",
        "subtitle": "帮助中小企业数字化智能化转型",
        "source": CQ_DAILY,
        "bylines": [("夏元", "reporter", CQ_DAILY)],
        "date": _when(9, 15, 11),
        "topics": ["specialised-smes", "sme-services"],
        "regions": ["chongqing"],
        "lead": "我市印发《重庆市专精特新“小巨人”企业服务行动方案》，将重点支持市内23家国家级“小巨人”企业。",
        "paragraphs": [
            "日前，我市印发《重庆市专精特新“小巨人”企业服务行动方案》，将重点支持市内23家国家级“小巨人”企业，"
            "并推动各项关于中小企业的政策服务落地，帮助企业攻克关键技术难关，促进数字化、智能化转型。",
            "今年8月，包括品胜科技、山外山、大江动力、桴之科等23家我市国家级“小巨人”企业，获得中央财政资金奖补。"
            "与传统的“奖成绩”不同，此次这笔奖补资金重在“奖未来”，通过引导“小巨人”企业加大创新投入，"
            "在重点产业领域“补短板”“锻长板”。",
            "“以23家国家重点支持的‘小巨人’企业为扶持重点，通过开展企业品牌提升培训、制定品牌提升方案、"
            "组织品牌评选等一揽子活动，带动全市专精特新中小企业发展，是此次出台《方案》的目的。”"
            "市经信委负责人表示，我市将采取“点面结合”方式开展中小企业服务调研，其中“面”上是通过中小企业专题数据库，"
            "分析国家级“小巨人”企业整体情况，“点”上采用平台分组对接企业的方式，建立长期联系。",
            "按照《方案》，接下来我市将汇集中小企业需求，提供人才培训与引入、产品检测服务、融资服务、技术创新、"
            "工业设计等一系列精准服务，包括帮助企业参与重大科研攻关项目，联系高校、科研院所帮助企业组建创新联合体，"
            "协助企业研发攻关关键核心技术，协调市内大型企业向“专精特新”中小企业开放资源、共享数据等。",
            "截至目前，全市有“专精特新”中小企业培育入库企业3011家，市级“专精特新”企业659家，"
            "国家级专精特新“小巨人”企业118家。",
        ],
    },
    {
        "slug": "lu-yu-collaboration-platform-launch",
        "title": "鲁渝科技协作信息服务平台正式上线",
        "source": CQ_DAILY,
        "bylines": [("张亦筑", "reporter", CQ_DAILY)],
        "date": _when(9, 15, 6),
        "topics": ["sci-tech-collaboration", "rural-revitalisation"],
        "regions": ["chongqing", "shandong", "wulong"],
        "lead": "鲁渝科技协作项目成果发布会暨鲁渝科技协作信息服务平台上线仪式在渝举行。",
        "paragraphs": [
            "日前，由重庆市科技局、山东省科技厅联合主办的鲁渝科技协作项目成果发布会暨鲁渝科技协作信息服务平台"
            "上线仪式在渝举行，意味着鲁渝科技协作信息服务平台正式上线。",
            "科技协作是鲁渝东西部协作的重要组成部分。据统计，2019年以来，鲁渝两地科技管理部门共投入专项资金4350万元，"
            "立项支持鲁渝扶贫协作项目两批共70项，从山东引进推广实用技术127项，引进绣球菌、梨香菊、鲁中大姜、甜樱桃、"
            "莱芜黑猪等特色作物和畜禽品种59个，建设鲁渝中医药康养产业技术创新中心、鲁渝共建武隆高山蔬菜研究所等"
            "4个创新平台，直接带动建档立卡贫困户2889人，为助力重庆打赢脱贫攻坚战和推进乡村振兴提供了有力支撑。",
            "为集中展示和推介近年来鲁渝科技协作所取得的成果，同时为鲁渝两地科技型企业、科研人员和农户搭建便利化"
            "信息交流平台，在两地科技管理部门支持引导下，重庆市农科院与山东省农科院共同搭建了鲁渝科技协作信息服务平台。",
            "该平台以重庆市全域数字地图为基础，把目前两地联合开展的70个协作项目、225项科技成果、105个示范基地以直观的"
            "形式呈现在用户面前，项目示范地点、实施效果、预期效益、推广所需自然条件和技术条件等都一一标示，"
            "方便用户甄别选择。",
            "此外，平台的“专技服务”板块还集成了鲁渝两地农学、生物技术、农业信息、农业机械、农业加工、畜禽等领域的"
            "知名农技专家信息，并且开通了“留言”和“在线咨询”功能，用户可以根据需要联系专家，就相关技术问题进行答疑解惑。",
            "重庆市科技局相关负责人表示，鲁渝科技协作信息服务平台的建设，制定了鲁渝农业科技大数据标准，"
            "推动了鲁渝农业科技大数据互联互通，实现了两地信息资源效能最大化，将为加速技术和人才供需对接、"
            "项目统筹整合、精准管理服务，为科技赋能乡村振兴提供有效支撑。",
        ],
    },
]

STORY_SLUGS = [story["slug"] for story in STORIES]

# Editor-ordered related stories (article slug -> related slugs); links to policy and
# service pages are added once those sections exist.
RELATED = {
    "jiangbei-youth-innovation-awards": ["robot-ai-contest-chongqing-selection"],
    "robot-ai-contest-chongqing-selection": ["jiangbei-youth-innovation-awards"],
    "chengyu-uhd-video-agreement": ["little-giant-service-action-plan"],
}


@register(100)
def load_news_index(ctx):
    ctx.news_index = child_page(
        ctx.home,
        NewsIndexPage,
        "news",
        title="新闻",
        show_in_menus=True,
        listing_summary="重庆及川渝、鲁渝地区的科技新闻、图片新闻和政策新闻。",
    )


@register(110)
def load_news_settings(ctx):
    from wagtail.models import Site

    news_settings = NewsSettings.for_site(Site.objects.get(is_default_site=True))
    if news_settings.own_paper_id is None:
        news_settings.own_paper = Organisation.objects.get(slug=CQ_DAILY)
        news_settings.save()


def _article_fields(story):
    organisations = {org.slug: org for org in Organisation.objects.filter(slug__in=[CQ_DAILY, XINHUA])}
    title = story["title"]
    image = placeholder_image(f"新闻题图：{title}", story.get("caption", ""))
    return {
        "title": title,
        "subtitle": story.get("subtitle", ""),
        "source": organisations[story["source"]],
        "dateline": story.get("dateline", ""),
        "display_date": story["date"],
        "first_published_at": story["date"],
        "lead": story["lead"],
        "lead_image": image,
        # Only the photo story has a real caption in the seed; the others are marked as placeholders.
        "lead_image_caption": story.get("caption", "演示占位图片"),
        "lead_image_credit": story.get("credit", ""),
        "is_photo_news": story.get("photo_news", False),
        "body": [("paragraph", f"<p>{text}</p>") for text in story["paragraphs"]],
        "topics": list(Topic.objects.filter(slug__in=story["topics"])),
        "regions": list(Region.objects.filter(slug__in=story["regions"])),
        "bylines": [
            ArticleByline(
                name=name,
                role=role,
                organisation=organisations[org] if org else None,
                sort_order=order,
            )
            for order, (name, role, org) in enumerate(story["bylines"])
        ],
    }


@register(120)
def load_articles(ctx):
    for story in STORIES:
        child_page(ctx.news_index, ArticlePage, story["slug"], **_article_fields(story))
    articles = {a.slug: a for a in ArticlePage.objects.child_of(ctx.news_index).filter(slug__in=STORY_SLUGS)}
    for slug, related_slugs in RELATED.items():
        article = articles[slug]
        if article.related_items.exists():
            continue
        # Through a revision, so the admin's editing form shows the links too.
        article.related_items = [
            ArticleRelatedItem(page=articles[related], sort_order=order) for order, related in enumerate(related_slugs)
        ]
        article.save_revision().publish()
    ctx.log(f"  新闻 {ArticlePage.objects.live().count()} 篇")


@register(130)
def load_news_workflow(ctx):
    from news.workflow import ensure_news_workflow

    ensure_news_workflow(ctx.news_index)
    ctx.log("  新闻审核流程：初审 → 终审")


@register(190)
def load_sample_articles(ctx):
    wanted = ctx.options.get("sample_articles") or 0
    if wanted:
        from news.samples import create_sample_articles

        added = create_sample_articles(ctx.news_index, wanted, log=ctx.log)
        ctx.log(f"  新增示例新闻 {added} 篇")

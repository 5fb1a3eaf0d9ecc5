"""Demo tree root: the home page replaces Wagtail's welcome page."""

from wagtail.models import Page, Site

from cms.demo import child_page, register
from home.models import HomePage, StandardPage

SITE_NAME = "重庆科技与中小企业服务网"

STATISTICS = [
    # From the seed: 截至目前，全市有“专精特新”中小企业培育入库企业3011家……
    {"value": "3011", "unit": "家", "label": "“专精特新”中小企业培育入库企业"},
    {"value": "659", "unit": "家", "label": "市级“专精特新”企业"},
    {"value": "118", "unit": "家", "label": "国家级专精特新“小巨人”企业"},
]


@register(50)
def load_home(ctx):
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    # Wagtail's "Welcome to your new Wagtail site!" page (a plain Page) goes first:
    # it holds the slug "home", and its Site row goes with it.
    for welcome in root.get_children().filter(content_type__app_label="wagtailcore", content_type__model="page"):
        welcome.delete()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="首页",
            slug="home",
            seo_title=SITE_NAME,
            intro=(
                "<p>汇集重庆科技新闻、中小企业政策和专精特新企业服务：读新闻、查政策、找服务、看科技协作成果。</p>"
            ),
            statistics_heading="全市专精特新中小企业",
            statistics=[("statistic", item) for item in STATISTICS],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    if site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    ctx.home = home
    ctx.log("  首页已就绪")


@register(900)
def load_standard_pages(ctx):
    # Last among the section pages so the menu order stays 新闻, 政策, 服务, 科技协作.
    child_page(
        ctx.home,
        StandardPage,
        "privacy",
        title="隐私政策",
        show_in_menus=False,
        body=[
            (
                "paragraph",
                "<p>本站仅为办理您提交的企业服务申请收集必要的信息（企业名称、统一社会信用代码、"
                "联系人、联系电话等），仅由具有相应权限的服务专员查看，不对外公开。"
                "办结后的申请按保存期限删除个人信息，仅保留匿名统计数据。</p>"
                "<p>（示例文本：正式上线前请由运营单位根据实际情况修改。）</p>",
            )
        ],
    )
    from cms.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if site_settings.privacy_page_id is None:
        site_settings.privacy_page = ctx.home.get_children().get(slug="privacy")
        site_settings.save()


@register(950)
def link_sections(ctx):
    """Cross-links between sections, made here because home may import every content app."""
    from news.models import ArticlePage, ArticleRelatedItem
    from policy.models import PolicyPage

    story = ArticlePage.objects.filter(slug="little-giant-service-action-plan").first()
    plan = PolicyPage.objects.filter(slug="cq-little-giant-service-action-plan").first()
    if story is None or plan is None or story.related_items.filter(page=plan).exists():
        return
    # The news story about the plan points to the plan itself first.
    story.related_items = [
        ArticleRelatedItem(page=plan, sort_order=0),
        *[ArticleRelatedItem(page=item.page, sort_order=n) for n, item in enumerate(story.related_items.all(), 1)],
    ][:3]
    story.save_revision().publish()

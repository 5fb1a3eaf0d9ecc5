from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import StoryBlock, StructBlock
from cms.cache import versioned
from cms.models import BasePageMixin
from cms.queries import descendants, in_tree_order, public


class StatisticBlock(StructBlock):
    value = blocks.CharBlock(label=_("数值"), max_length=20)
    unit = blocks.CharBlock(label=_("单位"), max_length=10, required=False)
    label = blocks.CharBlock(label=_("说明"), max_length=60)

    class Meta:
        icon = "order"
        label = _("统计数字")
        template = "home/blocks/statistic_block.html"
        description = _("首页展示的一个统计数字，例如 118 家国家级专精特新“小巨人”企业。")
        preview_value = {"value": "118", "unit": "家", "label": "国家级专精特新“小巨人”企业"}


HOME_NEWS_COUNT = 6
HOME_POLICY_COUNT = 5


class HomePage(BasePageMixin, Page):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    statistics_heading = models.CharField(_("统计区标题"), max_length=80, blank=True)
    statistics = StreamField(
        [("statistic", StatisticBlock())], verbose_name=_("统计数字"), blank=True, use_json_field=True
    )

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    cache_child_routes = True

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("statistics_heading"),
        FieldPanel("statistics"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("首页")

    def sections(self, request):
        """The section cards: what each section page says about itself, as plain data."""
        pages = public(self.get_children().live()).in_menu().specific()
        return [
            {"title": page.get_listing_title(), "summary": page.get_listing_summary(), "url": page.get_url(request)}
            for page in pages
        ]

    def get_context(self, request, *args, **kwargs):
        # Home sits on top of the content apps (DESIGN.md): it may import them, nothing imports it.
        from news.models import latest_articles
        from policy.models import PolicyPage
        from services.models import ServicePage

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = versioned(
            f"home-sections:{self.pk}:{request.get_host()}", lambda: self.sections(request)
        )
        articles = latest_articles(HOME_NEWS_COUNT + 1)
        context["lead_article"] = articles[0] if articles else None
        context["latest_articles"] = articles[1:]
        context["latest_policies"] = PolicyPage.latest(HOME_POLICY_COUNT)
        context["services"] = in_tree_order(public(descendants(ServicePage.objects.live(), self)))
        return context


class StandardPage(BasePageMixin, Page):
    """A plain page for editors: 关于本站, 隐私政策, 使用帮助…"""

    body = StreamField(StoryBlock(), verbose_name=_("正文"), blank=True, use_json_field=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("普通页面")

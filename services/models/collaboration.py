"""The 鲁渝科技协作 map: the map page, its items and the technical-field vocabulary.

Items are pages (``CollaborationItemPage``, children of the map page), not snippets:
each one needs its own public URL for the popup link and for site search, and
editors get drafts, revisions, preview, scheduled publishing and the moderation
workflow for free. A snippet would need a hand-written detail view and would
bypass the page workflow the rest of the site's content goes through.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import StructBlock
from cms.models import BasePageMixin
from cms.queries import children, public
from services.collaboration.geo import parse_point, validate_point
from services.collaboration.panels import LocalLeafletPanel


class TechField(models.Model):
    """A technical field of the expert board and the map (农学, 生物技术, 农业信息…).

    A snippet rather than hard-coded choices so editors can add fields later.
    """

    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("技术领域")
        verbose_name_plural = _("技术领域")

    def __str__(self):
        return self.name


class HeadlineFigureBlock(StructBlock):
    value = blocks.CharBlock(label=_("数值"), max_length=20)
    unit = blocks.CharBlock(label=_("单位"), max_length=10, required=False)
    label = blocks.CharBlock(label=_("说明"), max_length=60)

    class Meta:
        icon = "order"
        label = _("统计数字")
        template = "services/collaboration/blocks/headline_figure.html"
        description = _("科技协作地图顶部的一个统计数字，例如 70 个协作项目。")
        preview_value = {"value": "70", "unit": "项", "label": "鲁渝扶贫协作项目"}
        group = _("数据")


class CollaborationMapPage(RoutablePageMixin, BasePageMixin, Page):
    """The 鲁渝 science and technology collaboration map, one per site at /collaboration/.

    Routes: the map and list (``""``), the list alone for the script (``list/``) and
    ``points.geojson`` (served without a trailing slash through the dotted-route pattern in cms/urls.py).
    """

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    figures = StreamField(
        [("figure", HeadlineFigureBlock())], verbose_name=_("统计数字"), blank=True, use_json_field=True
    )
    items_per_page = models.PositiveSmallIntegerField(_("列表每页条数"), default=10)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.CollaborationItemPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("figures"), FieldPanel("items_per_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("科技协作地图")

    def items(self):
        """Published items of this map with what listings and the GeoJSON show, in a fixed number of queries."""
        return (
            public(children(CollaborationItemPage.objects.live(), self))
            .select_related("region", "field", "listing_image")
            .prefetch_related("partners__region__parent")
            .order_by("-year", "title", "pk")
        )

    @property
    def geojson_url(self):
        return self.url + "points.geojson"

    @path("")
    def index_route(self, request):
        from services.collaboration.views import map_page

        return map_page(self, request)

    @path("list/", name="list")
    def list_route(self, request):
        from services.collaboration.views import map_list_fragment

        return map_list_fragment(self, request)

    @path("points.geojson/", name="points")
    def points_route(self, request):
        from services.collaboration.views import map_points

        return map_points(self, request)


class CollaborationItemPage(BasePageMixin, Page):
    """A collaboration project, a result or a demonstration base, with where it is and how to adopt it."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("合作项目")
        RESULT = "result", _("科技成果")
        BASE = "base", _("示范基地")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    summary = models.TextField(_("简介"), max_length=500, help_text=_("地图弹窗和列表中显示的一两句话。"))
    field = models.ForeignKey(
        TechField, verbose_name=_("技术领域"), on_delete=models.PROTECT, related_name="collaboration_items"
    )
    partners = ParentalManyToManyField(
        "cms.Organisation", verbose_name=_("合作单位"), blank=True, related_name="collaboration_items"
    )
    region = models.ForeignKey(
        "cms.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="collaboration_items"
    )
    place_name = models.CharField(_("示范地点"), max_length=120, help_text=_("例如：武隆区仙女山街道"))
    location = models.CharField(
        _("位置"),
        max_length=80,
        validators=[validate_point],
        help_text=_("在地图上拖动标记选择；保存为 SRID=4326;POINT(经度 纬度)（WGS-84）。"),
    )
    location_is_sample = models.BooleanField(
        _("示例位置"), default=False, help_text=_("位置仅为示意、并非实际示范地点时勾选，前台会注明“示例位置”。")
    )
    year = models.PositiveSmallIntegerField(_("年份"), help_text=_("立项或引进年份，例如 2020。"))
    effects = models.TextField(_("实施效果"), blank=True)
    expected_benefits = models.TextField(_("预期效益"), blank=True)
    natural_conditions = models.TextField(_("推广所需自然条件"), blank=True)
    technical_conditions = models.TextField(_("推广所需技术条件"), blank=True)
    related_experts = ParentalManyToManyField(
        "services.ExpertPage", verbose_name=_("相关专家"), blank=True, related_name="collaboration_items"
    )

    parent_page_types = ["services.CollaborationMapPage"]
    subpage_types = []

    @classmethod
    def routing_queryset(cls):
        # The page shows its field and region: load them with the page.
        return cls.objects.select_related("field", "region")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("field"), FieldPanel("year"), FieldPanel("summary")], heading=_("概况")
        ),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("place_name"),
                LocalLeafletPanel("location"),
                FieldPanel("location_is_sample"),
            ],
            heading=_("地点"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("effects"),
                FieldPanel("expected_benefits"),
                FieldPanel("natural_conditions"),
                FieldPanel("technical_conditions"),
            ],
            heading=_("效果与推广条件"),
        ),
        FieldPanel("partners"),
        FieldPanel("related_experts"),
        InlinePanel("gallery_images", label=_("图片"), heading=_("图片")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("place_name"),
        index.SearchField("effects"),
        index.SearchField("expected_benefits"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.RelatedFields("field", [index.SearchField("name")]),
        index.RelatedFields("region", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("科技协作条目")
        verbose_name_plural = _("科技协作条目")

    @classmethod
    def latest(cls, limit=5):
        """Newest published items, for a teaser on the home page."""
        return (
            public(cls.objects.live()).select_related("region", "field").order_by("-first_published_at", "-pk")[:limit]
        )

    @property
    def point(self):
        """The parsed location, or None when the stored text is not a valid point."""
        try:
            return parse_point(self.location)
        except ValueError:
            return None

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def partner_provinces(self):
        """Province names of the partners (山东, 重庆), from prefetched rows."""
        names = []
        for organisation in self.partners.all():
            region = organisation.region
            if region is None:
                continue
            province = region if region.level == "province" else region.parent
            if province is not None and province.name not in names:
                names.append(province.name)
        return names


class CollaborationItemImage(Orderable):
    page = ParentalKey(CollaborationItemPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("图片说明"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

"""One page per service category, at /services/<key>/, with its request form."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.choices import ServiceCategory
from cms.models import BasePageMixin

# Pages a service may link as its policy basis (models of the policy app, by name:
# the policy app is not imported here, see DESIGN.md).
POLICY_PAGE_MODELS = {"policypage", "interpretationpage"}
RICH = ["bold", "italic", "link", "ol", "ul"]


class ServicePage(BasePageMixin, Page):
    """A service's introduction, scope, time limits, contact, policy basis and form."""

    category = models.CharField(
        _("服务类别"),
        max_length=30,
        choices=ServiceCategory.choices,
        help_text=_("决定表单内容；每个类别只建一个页面，网址标识建议与类别一致（如 talent）。"),
    )
    intro = RichTextField(_("服务简介"), features=RICH)
    includes = RichTextField(_("服务内容"), features=RICH, blank=True)
    time_limits = RichTextField(
        _("办理时限说明"), features=RICH, blank=True, help_text=_("页面会同时显示系统计算的受理、办结工作日。")
    )
    contact = models.TextField(_("联系方式"), blank=True, help_text=_("服务专员电话、地址、办公时间等。"))

    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("intro"),
        FieldPanel("includes"),
        MultiFieldPanel([FieldPanel("time_limits"), FieldPanel("contact")], heading=_("时限与联系")),
        InlinePanel("policy_links", label=_("相关政策"), heading=_("相关政策")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("includes"),
        index.FilterField("category"),
    ]

    class Meta:
        verbose_name = _("服务页面")
        verbose_name_plural = _("服务页面")

    def clean(self):
        super().clean()
        clash = ServicePage.objects.filter(category=self.category).exclude(pk=self.pk)
        if self.category and clash.exists():
            raise ValidationError({"category": _("该服务类别已有页面：%(title)s") % {"title": clash.first().title}})

    @property
    def kind(self):
        from services.kinds import get_kind

        return get_kind(self.category)

    def linked_policies(self):
        return [link.policy for link in self.policy_links.select_related("policy") if link.policy.live]

    def serve(self, request, *args, **kwargs):
        from services.views import serve_service_page

        return serve_service_page(self, request)

    def get_form_class(self):
        from services.forms import ServiceRequestForm

        return ServiceRequestForm

    def get_detail_form_class(self):
        return self.kind.detail_form


class ServicePagePolicy(Orderable):
    """A policy (or its interpretation) a service delivers on."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="policy_links")
    policy = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("政策页面"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("选择政策文件或政策解读页面。"),
    )

    panels = [FieldPanel("policy")]

    class Meta(Orderable.Meta):
        verbose_name = _("相关政策")

    def clean(self):
        super().clean()
        if self.policy_id and self.policy.content_type.model not in POLICY_PAGE_MODELS:
            raise ValidationError({"policy": _("请选择政策文件或政策解读页面。")})

"""政策解读: an explanation of one policy, as text, a graphic (图解) or a video."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import StoryBlock
from cms.choices import label_text
from cms.models import BasePageMixin
from policy.choices import DatePrecision, InterpretationFormat


class InterpretationPage(BasePageMixin, Page):
    policy = models.ForeignKey(
        "policy.PolicyPage",
        verbose_name=_("解读的政策"),
        null=True,  # the policy may be deleted; the interpretation then waits for an editor
        blank=False,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    format = models.CharField(
        _("解读形式"), max_length=10, choices=InterpretationFormat.choices, default=InterpretationFormat.TEXT
    )
    interpreter = models.CharField(_("解读人/机构"), max_length=120, blank=True, help_text=_("例如：市经信委负责人"))
    source = models.CharField(_("来源"), max_length=120, blank=True, help_text=_("例如：重庆日报"))
    publish_date = models.DateField(_("发布日期"))
    date_precision = models.CharField(
        _("日期精度"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("摘要"), blank=True)
    body = StreamField(
        StoryBlock(),
        verbose_name=_("正文"),
        blank=True,
        help_text=_("图解用图片块，视频用嵌入媒体块。"),
    )

    parent_page_types = ["policy.PolicyLibraryPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("policy"),
                FieldRowPanel([FieldPanel("format"), FieldPanel("publish_date"), FieldPanel("date_precision")]),
                FieldRowPanel([FieldPanel("interpreter"), FieldPanel("source")]),
            ],
            heading=_("解读信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("interpreter"),
        index.SearchField("body"),
        index.FilterField("format"),
    ]

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    @property
    def format_label(self):
        """``get_format_display()`` without translating every format's label to find one."""
        return label_text(InterpretationFormat, self.format, self.format)

"""The expert board (专技服务) and its public questions (留言).

Experts are pages under one ``ExpertIndexPage`` (/experts/): each expert needs a public
URL that lists their answered questions and carries the question form, and profiles
go through the same draft → review → publish workflow as other content. Questions are
plain models, not pages or snippets: they are personal data written by the public,
handled by officers in a ``ModelViewSet``.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import BasePageMixin
from cms.queries import children, public


class ExpertIndexPage(BasePageMixin, Page):
    """The expert directory at /experts/: filters by field and province, and a search box."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    experts_per_page = models.PositiveSmallIntegerField(_("每页专家数"), default=12)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ExpertPage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("experts_per_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("专家库")

    # The rendition the directory shows; prefetched so photos cost no query per expert.
    card_photo_spec = "fill-96x120"

    def experts(self):
        from wagtail.images import get_image_model

        photos = get_image_model().objects.prefetch_renditions(self.card_photo_spec)
        return (
            public(children(ExpertPage.objects.live(), self))
            .select_related("organisation", "province")
            .prefetch_related("tech_fields", models.Prefetch("photo", queryset=photos))
            .order_by("title", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        from services.collaboration.views import expert_directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(expert_directory_context(self, request))
        return context


class ExpertPage(RoutablePageMixin, BasePageMixin, Page):
    """One expert; the page title is the expert's name."""

    job_title = models.CharField(_("职称"), max_length=60, help_text=_("例如：研究员、高级农艺师"))
    organisation = models.ForeignKey(
        "cms.Organisation", verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="experts"
    )
    province = models.ForeignKey(
        "cms.Region",
        verbose_name=_("所属省市"),
        on_delete=models.PROTECT,
        related_name="experts",
        limit_choices_to={"level": "province"},
    )
    tech_fields = ParentalManyToManyField("services.TechField", verbose_name=_("技术领域"), related_name="experts")
    specialities = models.CharField(
        _("专业特长"), max_length=255, help_text=_("用顿号或逗号分隔，例如：高山蔬菜栽培、病虫害绿色防控")
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(_("个人简介"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    accepts_questions = models.BooleanField(_("接受留言"), default=True)

    parent_page_types = ["services.ExpertIndexPage"]
    subpage_types = []

    @classmethod
    def routing_queryset(cls):
        # The page shows the organisation and province: load them with the page.
        return cls.objects.select_related("organisation", "province")

    content_panels = [
        FieldPanel("title", heading=_("姓名")),
        MultiFieldPanel(
            [FieldPanel("job_title"), FieldPanel("organisation"), FieldPanel("province")], heading=_("单位与职称")
        ),
        FieldPanel("tech_fields", widget=forms.CheckboxSelectMultiple),
        FieldPanel("specialities"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("accepts_questions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("job_title"),
        index.SearchField("specialities"),
        index.SearchField("bio"),
        index.RelatedFields("organisation", [index.SearchField("name"), index.SearchField("short_name")]),
        index.RelatedFields("tech_fields", [index.SearchField("name")]),
        index.FilterField("province"),
    ]

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")

    def get_listing_summary(self):
        return self.listing_summary or self.specialities

    def public_questions(self):
        return ExpertQuestion.objects.published().filter(expert=self).order_by("-answered_at", "-pk")

    @path("")
    def profile_route(self, request):
        from services.collaboration.views import expert_profile

        return expert_profile(self, request)

    @path("ask/", name="ask")
    def ask_route(self, request):
        from services.collaboration.views import expert_ask

        return expert_ask(self, request)

    @path("consult/", name="consult")
    def consult_route(self, request):
        """Reserved for 在线咨询, which the SME service-request pipeline will handle (see views)."""
        from services.collaboration.views import expert_consult

        return expert_consult(self, request)


class ExpertQuestionQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: approved, answered, and the asker agreed to publication."""
        return self.filter(status=ExpertQuestion.Status.PUBLISHED, consent_to_publish=True).exclude(answer="")


class ExpertQuestion(models.Model):
    """A 留言 to an expert; published on the expert's page once answered and approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        PUBLISHED = "published", _("已公开")
        REJECTED = "rejected", _("不予公开")

    expert = models.ForeignKey(ExpertPage, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(_("姓名"), max_length=40)
    contact = models.CharField(
        _("联系方式"), max_length=100, help_text=_("手机、座机号码或电子邮箱，仅工作人员可见。")
    )
    question = models.TextField(_("问题"), max_length=1000)
    consent_to_publish = models.BooleanField(_("同意公开"), default=False)
    answer = models.TextField(_("专家答复"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ExpertQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("专家留言")
        verbose_name_plural = _("专家留言")
        indexes = [models.Index(fields=["expert", "status"])]
        constraints = [
            # The database refuses what clean() refuses, whatever path the row takes.
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(consent_to_publish=True) & ~Q(answer="")),
                name="expertquestion_published_needs_answer_and_consent",
            )
        ]

    def __str__(self):
        return f"{self.name} → {self.expert.title}：{self.question[:20]}"

    def clean(self):
        if self.status == self.Status.PUBLISHED:
            errors = {}
            if not self.answer.strip():
                errors["answer"] = _("公开前请先填写专家答复。")
            if not self.consent_to_publish:
                errors["status"] = _("提问人未同意公开，不能设为“已公开”。")
            if errors:
                raise ValidationError(errors)

    @property
    def public_name(self):
        """The asker's name as the public sees it: surname only (张**)."""
        name = self.name.strip()
        return f"{name[:1]}**" if name else _("匿名")

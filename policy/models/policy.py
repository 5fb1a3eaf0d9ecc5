"""A policy document (政策文件) with the metadata Chinese policy libraries publish."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.documents import get_document_model_string
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.cache import versioned
from cms.choices import EnterpriseTier, label_text
from cms.kept import remember
from cms.models import BasePageMixin
from cms.prepared import Prepared, relation, relation_query
from cms.queries import public, restricted_paths
from policy import docnumber, validity
from policy.blocks import MeasuresBlock, PolicyBodyBlock
from policy.choices import DatePrecision, DocType
from policy.measures import qualifying_tiers, tiers_key


class PolicyPageQuerySet(PageQuerySet):
    def with_validity(self, on=None):
        return self.annotate(validity=validity.expression(on or validity.today(), PolicyPage))

    def with_listing_related(self):
        return self.prefetch_related(
            Prefetch("issuers", queryset=PolicyIssuer.objects.select_related("organisation")),
        )


# public_policies: one built queryset per day and set of restricted paths.
_PUBLIC_POLICIES = {}
MAX_PUBLIC_POLICIES = 8


def public_policies(on=None):
    """``public(PolicyPage.objects.live()).with_validity(on)``, a new queryset each call.

    Building it (the restriction filter, and resolving the validity ``Case`` with its two
    subqueries into the query) took about 0.7 ms, paid twice by every library page and
    once by the home page and the matcher. It is built once per day and set of
    restricted paths (a versioned value: a restriction added or removed gives a new set)
    and each caller gets a clone (``all()``), so the kept one is never evaluated or
    changed.
    """
    on = on or validity.today()
    kept = remember(
        _PUBLIC_POLICIES,
        (on, restricted_paths()),
        lambda: public(PolicyPage.objects.live()).with_validity(on),
        MAX_PUBLIC_POLICIES,
    )
    return kept.all()


class PolicyPage(BasePageMixin, Page):
    index_number = models.CharField(_("索引号"), max_length=60, blank=True)
    doc_number = models.CharField(
        _("发文字号"),
        max_length=60,
        blank=True,
        help_text=_("例如：渝经信中小〔2020〕9号。括号和全角、半角数字均可，保存时统一格式。"),
    )
    doc_type = models.CharField(_("文种"), max_length=20, choices=DocType.choices, default=DocType.NOTICE)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_date = models.DateField(_("发布日期"))
    date_precision = models.CharField(
        _("日期精度"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("只知道年份或月份时（例如来自新闻报道），选择相应精度，页面只显示已知部分。"),
    )
    effective_date = models.DateField(_("施行日期"), null=True, blank=True, help_text=_("留空表示自发布之日起施行。"))
    expiry_date = models.DateField(_("失效日期"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by_set",
        help_text=_("本文件施行后废止的旧文件。"),
    )
    amended_by = models.ForeignKey(
        "self",
        verbose_name=_("修订文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amends_set",
        help_text=_("修订本文件的最新文件。"),
    )
    repealed = models.BooleanField(_("已明令废止"), default=False)
    repeal_date = models.DateField(_("废止日期"), null=True, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    body = StreamField(PolicyBodyBlock(), verbose_name=_("正文"), blank=True)
    measures = StreamField(MeasuresBlock(), verbose_name=_("扶持措施"), blank=True)

    # Derived on save, for search and facets (see save()).
    doc_number_normalised = models.CharField(max_length=60, blank=True, editable=False, db_index=True)
    doc_year = models.PositiveSmallIntegerField(null=True, editable=False)
    doc_serial = models.PositiveIntegerField(null=True, editable=False)
    tiers_key = models.CharField(max_length=80, blank=True, editable=False)

    objects = PageManager.from_queryset(PolicyPageQuerySet)()

    parent_page_types = ["policy.PolicyLibraryPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件"), heading=_("附件")),
    ]
    metadata_panels = [
        MultiFieldPanel(
            [FieldPanel("index_number"), FieldPanel("doc_number"), FieldPanel("doc_type")], heading=_("文件信息")
        ),
        InlinePanel("issuers", label=_("发文机关"), heading=_("发文机关"), min_num=1),
        InlinePanel("topics", label=_("主题分类"), heading=_("主题分类")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("publish_date"), FieldPanel("date_precision")]),
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")]),
            ],
            heading=_("日期"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("supersedes"),
                FieldPanel("amended_by"),
                FieldRowPanel([FieldPanel("repealed"), FieldPanel("repeal_date")]),
            ],
            heading=_("效力关系"),
        ),
    ]
    measures_panels = [FieldPanel("measures")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("内容")),
            ObjectList(metadata_panels, heading=_("元数据")),
            ObjectList(measures_panels, heading=_("扶持措施")),
            ObjectList(BasePageMixin.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("doc_number"),
        index.SearchField("doc_number_normalised"),
        index.SearchField("index_number"),
        index.SearchField("body"),
        index.SearchField("measures"),
        index.RelatedFields("issuers", [index.RelatedFields("organisation", [index.SearchField("name")])]),
        index.RelatedFields("topics", [index.RelatedFields("topic", [index.SearchField("name")])]),
        index.FilterField("publish_date"),
        index.FilterField("doc_type"),
    ]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")

    # -- derived fields ------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.doc_number and docnumber.parse(self.doc_number) is None:
            errors["doc_number"] = _("无法识别的发文字号，应形如“渝经信中小〔2020〕9号”。")
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = _("失效日期不能早于施行日期。")
        if self.repeal_date and not self.repealed:
            errors["repeal_date"] = _("填写废止日期时请同时勾选“已明令废止”。")
        for field in ("supersedes", "amended_by"):
            target_id = getattr(self, f"{field}_id")
            if target_id and self.pk and target_id == self.pk:
                errors[field] = _("不能指向本文件自身。")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        parsed = docnumber.parse(self.doc_number)
        if parsed:
            self.doc_number = parsed.canonical
        self.doc_number_normalised = parsed.canonical if parsed else ""
        self.doc_year = parsed.year if parsed else None
        self.doc_serial = parsed.number if parsed else None
        self.tiers_key = tiers_key(qualifying_tiers(self.measures.raw_data))
        return super().save(*args, **kwargs)

    # -- validity --------------------------------------------------------------------------

    def get_validity(self, on=None):
        on = on or validity.today()
        return validity.derive(
            on=on,
            effective_date=self.effective_date,
            expiry_date=self.expiry_date,
            repealed=self.repealed,
            repeal_date=self.repeal_date,
            superseded_since=_earliest(validity.in_force_since(p) for p in self.live_superseders()),
            amended_since=(
                validity.in_force_since(self.amended_by) if self.amended_by and self.amended_by.live else None
            ),
        )

    def live_superseders(self):
        # Most documents are superseded by none: the ids of those that are, kept for the
        # content version, spare them the query.
        if not self.pk or self.pk not in _related_policy_ids()[0]:
            return []
        return _SUPERSEDERS.run(pk=self.pk)

    def newer_document(self, state):
        """Where the banner sends readers of a document that no longer applies as it stands."""
        if state == validity.Validity.REPEALED:
            superseders = self.live_superseders()
            return superseders[-1] if superseders else None
        if state == validity.Validity.AMENDED:
            return self.amended_by
        return None

    # -- presentation ----------------------------------------------------------------------

    @property
    def doc_type_label(self):
        """``get_doc_type_display()`` without translating all twelve labels to find one."""
        return label_text(DocType, self.doc_type, self.doc_type)

    @property
    def validity_label(self):
        return str(validity.Validity(getattr(self, "validity", None) or self.get_validity()).label)

    def issuer_names(self):
        return [issuer.organisation.name for issuer in self.issuers.all()]

    def qualifying_tier_labels(self):
        return [EnterpriseTier(key).label for key in self.tiers_key.strip("|").split("|") if key]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        state = self.get_validity()
        context["validity"] = state
        context["validity_colour"] = validity.COLOURS[state]
        context["newer_document"] = self.newer_document(state)
        context["interpretations"] = (
            _INTERPRETATIONS.run(pk=self.pk) if self.pk and self.pk in _related_policy_ids()[1] else []
        )
        # A preview's own issuers, topics and attachments are in memory (cms.prepared.relation).
        context["issuers"] = relation(self, "issuers", _ISSUERS)
        context["topics"] = relation(self, "topics", _TOPICS)
        context["attachments"] = relation(self, "attachments", _ATTACHMENTS)
        return context

    @classmethod
    def latest(cls, limit=5, on=None):
        """The newest live policies for the home page: title, validity and date (a listing
        row's issuers are not shown there, so not fetched)."""
        return list(public_policies(on).defer_streamfields().order_by("-publish_date", "-pk")[:limit])


def _earliest(dates):
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def _related_policy_ids():
    """(ids of the policies a live policy supersedes, ids of the policies a live
    interpretation explains), read once per content version: a document outside them
    needs no query for its superseders or its interpretations (a restricted interpretation
    still puts its policy in; the query then leaves it out)."""

    def build():
        from policy.models import InterpretationPage

        return (
            frozenset(PolicyPage.objects.live().exclude(supersedes=None).values_list("supersedes_id", flat=True)),
            frozenset(InterpretationPage.objects.live().exclude(policy=None).values_list("policy_id", flat=True)),
        )

    return versioned("policy-related-ids", build, shared=True)


# The policy page's own queries, compiled once (cms.prepared).
_SUPERSEDERS = Prepared(lambda pk: PolicyPage.objects.live().filter(supersedes=pk).order_by("publish_date"), pk=int)
_INTERPRETATIONS = Prepared(
    lambda pk: public(PolicyPage(pk=pk).interpretations.live()).order_by("-publish_date").defer_streamfields(),
    key=lambda: tuple(restricted_paths()),  # public() writes them into the SQL
    pk=int,
)
_ISSUERS = relation_query(PolicyPage, "issuers", "organisation")
_TOPICS = relation_query(PolicyPage, "topics", "topic")
_ATTACHMENTS = relation_query(PolicyPage, "attachments", "document")


class PolicyIssuer(Orderable):
    """One 发文机关; the first is the lead body of a joint document (联合发文)."""

    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="issuers")
    organisation = models.ForeignKey(
        "cms.Organisation", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("发文机关")


class PolicyTopic(Orderable):
    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="topics")
    topic = models.ForeignKey("cms.Topic", verbose_name=_("主题"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("topic")]

    class Meta(Orderable.Meta):
        verbose_name = _("主题分类")


class PolicyAttachment(Orderable):
    """附件: the official file (PDF, Word, OFD) and forms that come with it."""

    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("文件"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")

    def display_title(self):
        return self.title or self.document.title

"""The newsroom: the section page, articles, their bylines and related items."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import StoryBlock
from cms.cache import versioned
from cms.models import BasePageMixin, Organisation, Region, SharedCacheSiteSetting, Topic
from cms.prepared import relation, relation_query
from cms.queries import children, public
from news import bylines as byline_format
from news import queries

ARTICLES_PER_PAGE = 20
PHOTO_STRIP_SIZE = 6
MAX_RELATED_ITEMS = 3
# Pages an article may point to, by model label. Policy and service pages live in
# apps this one must not import, so the check is by name ("app_label.modelname").
RELATED_PAGE_MODELS = {
    "news.articlepage",
    "policy.policypage",
    "policy.interpretationpage",
    "services.servicepage",
}


@register_setting(icon="doc-full-inverse")
class NewsSettings(SharedCacheSiteSetting):
    """Newsroom settings per site: which source is "our paper" (printed as 本报讯)."""

    own_paper = models.ForeignKey(
        Organisation,
        verbose_name=_("本报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("来源为此机构的稿件电头显示为“本报讯”。"),
    )

    panels = [FieldPanel("own_paper")]

    class Meta:
        verbose_name = _("新闻设置")


class NewsIndexPage(RoutablePageMixin, BasePageMixin, Page):
    """The newsroom, one per site at /news/: listing, filters and feeds."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("新闻栏目")

    def feed_url(self, name, request=None):
        """``/news/rss.xml``: the route without the trailing slash sub-page URLs carry."""
        return self.get_url(request) + self.reverse_subpage(name).rstrip("/")

    def articles(self):
        return queries.listing(public(children(ArticlePage.objects.live(), self)))

    def photo_strip(self):
        # Only what the strip shows: title, URL and the picture's rendition.
        articles = (
            public(children(ArticlePage.objects.live(), self))
            .defer_streamfields()
            .filter(is_photo_news=True, lead_image__isnull=False)
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
        )
        return list(queries.newest_first(articles)[:PHOTO_STRIP_SIZE])

    def facet_choices(self):
        """Topics and regions that live articles use, for the filter links (shared cache)."""
        return {
            "topics": list(Topic.objects.filter(articles__live=True).distinct()),
            "regions": list(Region.objects.filter(articles__live=True).distinct()),
        }

    @path("")
    def index_route(self, request):
        context = self.get_context(request)
        articles = self.articles()
        topic = region = None
        if slug := request.GET.get("topic"):
            topic = get_object_or_404(Topic, slug=slug)
            articles = articles.filter(topics=topic)
        if slug := request.GET.get("region"):
            region = get_object_or_404(Region, slug=slug)
            articles = articles.filter(regions=region)
        paginator = Paginator(articles, ARTICLES_PER_PAGE)
        # The listing's size, kept per content version (any publish, unpublish, move or
        # restriction change starts a new one): counting read the whole section (or topic)
        # on every view, 1.5 ms at 2,000 articles and growing with it.
        key = f"news-count:{self.pk}:{topic.pk if topic else ''}:{region.pk if region else ''}"
        paginator.count = versioned(key, articles.count)
        # get_page() answers "abc" with page 1 and 99999 with the last page: never a 500.
        page_obj = paginator.get_page(request.GET.get("page"))
        filtering = topic is not None or region is not None
        context.update(
            articles=page_obj,
            topic=topic,
            region=region,
            filter_query=_filter_query(topic, region),
            rss_url=self.feed_url("rss", request),
            atom_url=self.feed_url("atom", request),
            photo_strip=self.photo_strip() if page_obj.number == 1 and not filtering else [],
            **versioned(f"news-facets:{self.pk}", self.facet_choices),
        )
        return self.render(request, context_overrides=context)

    # Served at /news/rss.xml through news/urls.py (Wagtail's own URL pattern rejects dots).
    @path("rss.xml/", name="rss")
    def rss_route(self, request):
        from news.feeds import ArticleRssFeed

        return ArticleRssFeed()(request, index_page=self)

    @path("atom.xml/", name="atom")
    def atom_route(self, request):
        from news.feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, index_page=self)


def _filter_query(topic, region):
    # Pagination links keep the active filters.
    parts = []
    if topic is not None:
        parts.append(f"topic={topic.slug}")
    if region is not None:
        parts.append(f"region={region.slug}")
    return "&".join(parts)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(BasePageMixin, Page):
    """One news story: kicker, title, subtitle, lead, bylines and a StoryBlock body."""

    kicker = models.CharField(
        _("引题"), max_length=120, blank=True, help_text=_("主标题上方的一行，例如“成渝两地三企”。")
    )
    subtitle = models.CharField(_("副题"), max_length=200, blank=True, help_text=_("主标题下方的一行。"))
    source = models.ForeignKey(
        Organisation,
        verbose_name=_("来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("稿件来源，例如重庆日报、新华社。来源为本报时电头显示“本报讯”。"),
    )
    dateline = models.CharField(
        _("电头"), max_length=80, blank=True, help_text=_("通讯社稿件的电头，例如“新华社青岛9月14日电”。")
    )
    editor_in_charge = models.CharField(_("责任编辑"), max_length=50, blank=True)
    display_date = models.DateTimeField(
        _("显示日期"),
        null=True,
        blank=True,
        db_index=True,  # every listing and feed sorts on it
        help_text=_("留空则使用首次发布时间。列表按此日期从新到旧排列。"),
    )
    lead = models.TextField(_("导语"), blank=True, help_text=_("一两句话概括新闻，用于列表、分享和订阅。"))
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("题图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("图片说明"), max_length=500, blank=True)
    lead_image_credit = models.CharField(
        _("摄影署名"),
        max_length=120,
        blank=True,
        help_text=_("例如“重庆日报记者 张锦辉 摄”。留空则由署名中的摄影生成。"),
    )
    body = StreamField(StoryBlock(), verbose_name=_("正文"), blank=True, use_json_field=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("主题"), blank=True, related_name="articles")
    regions = ParentalManyToManyField(Region, verbose_name=_("地区"), blank=True, related_name="articles")
    tags = ClusterTaggableManager(through=ArticleTag, verbose_name=_("标签"), blank=True)
    is_photo_news = models.BooleanField(
        _("图片新闻"), default=False, help_text=_("以图片为主的稿件，在新闻栏目的图片条中展示。")
    )

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("kicker"),
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption"), FieldPanel("lead_image_credit")],
            heading=_("题图"),
        ),
        FieldPanel("body"),
    ]
    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("source"), FieldPanel("dateline")]),
                InlinePanel("bylines", label=_("署名"), heading=_("署名（按顺序）")),
                FieldRowPanel([FieldPanel("editor_in_charge"), FieldPanel("display_date")]),
                FieldPanel("is_photo_news"),
            ],
            heading=_("稿件信息"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("分类"),
        ),
        InlinePanel(
            "related_items",
            label=_("相关内容"),
            heading=_("相关内容（最多 3 条，可排序）"),
            max_num=MAX_RELATED_ITEMS,
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("内容")),
            ObjectList(metadata_panels, heading=_("元数据")),
            ObjectList(BasePageMixin.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("kicker"),
        index.SearchField("subtitle"),
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("display_date"),
        index.FilterField("is_photo_news"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields("bylines", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")

    @classmethod
    def routing_queryset(cls):
        # The page shows its source and lead image: load them with the page.
        return cls.objects.select_related("source", "lead_image")

    def save(self, *args, **kwargs):
        # "Defaults to first publication": Wagtail sets first_published_at just before
        # saving on first publish, so the date is filled in the same write. A page made
        # live without being published (an import, a script) is dated when it is saved:
        # listings read live articles off the date index and need every one dated.
        if self.display_date is None:
            self.display_date = self.first_published_at or (timezone.now() if self.live else None)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if len(self.related_items.all()) > MAX_RELATED_ITEMS:
            raise ValidationError(_("相关内容最多 %(max)s 条。") % {"max": MAX_RELATED_ITEMS})

    # -- presentation -------------------------------------------------------

    @property
    def date(self):
        return self.display_date or self.first_published_at or self.latest_revision_created_at

    def get_listing_summary(self):
        return self.listing_summary or self.lead or self.search_description

    def get_meta_description(self):
        return self.search_description or self.social_text or self.lead or self.listing_summary

    def get_social_image(self):
        return self.social_image or self.lead_image or self.listing_image

    @cached_property
    def ordered_bylines(self):
        # A listing's prefetched bylines, a preview's in memory; on the article page
        # itself one query brings each byline's organisation along.
        return relation(self, "bylines", _BYLINES)

    def writer_bylines(self):
        return [b for b in self.ordered_bylines if b.role != ArticleByline.Role.PHOTOGRAPHER]

    def photographer_bylines(self):
        return [b for b in self.ordered_bylines if b.role == ArticleByline.Role.PHOTOGRAPHER]

    def is_own_paper(self, news_settings):
        return bool(self.source_id and news_settings and self.source_id == news_settings.own_paper_id)

    def byline_line(self, news_settings):
        return byline_format.byline_line(
            dateline=self.dateline, is_own_paper=self.is_own_paper(news_settings), bylines=self.writer_bylines()
        )

    def photo_credit(self):
        return self.lead_image_credit or byline_format.photo_credit(self.photographer_bylines())

    def author_names(self):
        return [b.name for b in self.writer_bylines()] or [b.name for b in self.ordered_bylines]

    # -- neighbours and related items -----------------------------------------

    def get_previous_article(self):
        """The next older story under the same parent by display date (ties broken by id)."""
        return queries.neighbour(self, older=True)

    def get_next_article(self):
        return queries.neighbour(self, older=False)

    def get_related_pages(self):
        """Live, public related pages in the editor's order (one query)."""
        return queries.related_pages(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news_settings = NewsSettings.for_request(request)
        previous_article, next_article = queries.neighbours(self)  # one statement for both
        context.update(
            news_index_url=self.get_parent().get_url(request),
            topics=relation(self, "topics", _TOPICS),
            regions=relation(self, "regions", _REGIONS),
            byline_line=self.byline_line(news_settings),
            is_own_paper=self.is_own_paper(news_settings),
            previous_article=previous_article,
            next_article=next_article,
            related_pages=self.get_related_pages(),
            json_ld=self.json_ld(request),
        )
        return context

    def json_ld(self, request):
        """schema.org NewsArticle, escaped for a <script> element."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "inLanguage": "zh-CN",
            "mainEntityOfPage": self.get_full_url(request),
            "author": [{"@type": "Person", "name": name} for name in self.author_names()],
        }
        if self.date:
            data["datePublished"] = timezone.localtime(self.date).isoformat()
        if self.last_published_at:
            data["dateModified"] = timezone.localtime(self.last_published_at).isoformat()
        if self.lead:
            data["description"] = self.lead
        if self.source_id:
            data["publisher"] = {"@type": "Organization", "name": self.source.name}
        if self.social_rendition is not None:  # the image the Open Graph tags show
            data["image"] = [request.build_absolute_uri(self.social_rendition.url)]
        text = json.dumps(data, ensure_ascii=False)
        # Same escapes as django.utils.html.json_script: no "</script>" can end the block.
        return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


# The article page's own relations, compiled once (cms.prepared).
_TOPICS = relation_query(ArticlePage, "topics")
_REGIONS = relation_query(ArticlePage, "regions")
_BYLINES = relation_query(ArticlePage, "bylines", "organisation")


class ArticleByline(Orderable):
    """One credited person on an article, in print order."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("记者")
        PHOTOGRAPHER = "photographer", _("摄影")
        CORRESPONDENT = "correspondent", _("通讯员")

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("例如重庆日报；新华社稿件通常留空，只印“记者 王凯”。"),
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("role"), FieldPanel("organisation")])]

    class Meta(Orderable.Meta):
        verbose_name = _("署名")
        verbose_name_plural = _("署名")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class ArticleRelatedItem(Orderable):
    """An editor-chosen link to another article, a policy or a service page."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_items")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("页面"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("可选新闻、政策或服务页面。"),
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("相关内容")
        verbose_name_plural = _("相关内容")

    def clean(self):
        super().clean()
        if not self.page_id:
            return
        label = self.page.specific_class._meta.label_lower if self.page.specific_class else ""
        if label not in RELATED_PAGE_MODELS:
            raise ValidationError({"page": _("只能选择新闻、政策或服务页面。")})
        if self.article_id and self.page_id == self.article_id:
            raise ValidationError({"page": _("不能把稿件关联到它自己。")})


def latest_articles(limit=5, *, photo_news=None):
    """The newest live, public articles as the home page lists them: title, summary, date
    and picture (with its renditions); no bylines, topics or source, which it does not show."""
    articles = queries.teasers(public(ArticlePage.objects.live()))
    if photo_news is not None:
        articles = articles.filter(is_photo_news=photo_news)
    return list(articles[:limit])

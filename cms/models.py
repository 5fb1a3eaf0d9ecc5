"""The ground floor: taxonomy snippets, site settings and page mixins.

Every content app builds on these; nothing here imports another app of ours.
"""

import functools
import weakref

from django.apps import apps
from django.db import models
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.search import index

from cms.cache import versioned
from cms.prepared import Prepared
from cms.queries import may_be_restricted

_ROUTING_QUERIES = {}


def routing_query(model):
    """``model.routing_queryset()`` for one child by parent path, depth and slug, compiled once.

    Wagtail's ``child_of(parent)`` is the depth and ``path LIKE 'parent%'``. SQLite
    prepares a statement again each time a value is bound to the right of ``LIKE`` (the
    value decides whether an index can serve it): about 0.1 ms for this sixty-column
    statement on every page view. A child's path without its last step is its parent's
    path, an equality SQLite keeps prepared.
    """
    query = _ROUTING_QUERIES.get(model)
    if query is None:
        query = _ROUTING_QUERIES[model] = Prepared(
            lambda path, depth, slug: (
                model.routing_queryset()
                .alias(parent_path=Substr("path", 1, Length("path") - Page.steplen))
                .filter(parent_path=path, depth=depth, slug=slug)[:2]
            ),
            path=str,
            depth=int,
            slug=str,
        )
    return query


class Region(index.Indexed, models.Model):
    """A province, municipality or district (重庆, 四川, 江北区…)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省/直辖市")
        CITY = "city", _("地级市")
        DISTRICT = "district", _("区县")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True, allow_unicode=True)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.DISTRICT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self):
        return self.name


class Topic(index.Indexed, models.Model):
    """A subject heading shared by news, policies and services (主题分类)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(_("说明"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("主题")
        verbose_name_plural = _("主题")

    def __str__(self):
        return self.name


class Organisation(index.Indexed, ClusterableModel):
    """Issuing bodies, news sources, companies, institutes, universities."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府机关")
        MEDIA = "media", _("新闻媒体")
        COMPANY = "company", _("企业")
        INSTITUTE = "institute", _("科研院所")
        UNIVERSITY = "university", _("高等院校")
        OTHER = "other", _("其他")

    name = models.CharField(_("全称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    slug = models.SlugField(_("网址标识"), max_length=140, unique=True, allow_unicode=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    website = models.URLField(_("网站"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class SharedCacheSiteSetting(BaseSiteSetting):
    """A site setting read from the shared cache on public pages, not the database.

    Every page reads the footer settings (and articles the newsroom settings); the row
    changes only when an editor saves it, which bumps the content version and so the key.
    The admin keeps reading the database.
    """

    class Meta:
        abstract = True

    @classmethod
    def for_request(cls, request):
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name) or request.path.startswith("/admin/"):
            return super().for_request(request)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        instance = versioned(f"site-setting:{cls._meta.label_lower}:{site.pk}", lambda: cls.for_site(site))
        # Wagtail's keeps the request itself (for page URLs): with the instance kept on the
        # request, that made a reference cycle (see cms.middleware).
        instance._request = weakref.proxy(request)
        setattr(request, attr_name, instance)
        return instance


@register_setting(icon="site")
class SiteSettings(SharedCacheSiteSetting):
    """What the footer and meta tags show; editors maintain it per site."""

    site_description = models.CharField(
        _("站点简介"), max_length=255, blank=True, help_text=_("未填写页面摘要时用作 meta description。")
    )
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    public_security_number = models.CharField(_("公安备案号"), max_length=60, blank=True)
    sponsor = models.CharField(_("主办单位"), max_length=120, blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("隐私政策页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("表单中“同意隐私政策”链接到此页面。"),
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("默认分享图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_description"),
                FieldPanel("sponsor"),
                FieldPanel("privacy_page"),
                FieldPanel("default_social_image"),
            ],
            heading=_("站点"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("address")],
            heading=_("联系方式"),
        ),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("public_security_number")], heading=_("备案信息")),
    ]

    class Meta:
        verbose_name = _("站点设置")


class ListingFieldsMixin(models.Model):
    """How a page presents itself in listings, cards and search results."""

    listing_title = models.CharField(
        _("列表标题"), max_length=255, blank=True, help_text=_("在列表中代替页面标题显示；留空则用页面标题。")
    )
    listing_summary = models.TextField(_("列表摘要"), blank=True, help_text=_("在列表和搜索结果中显示的一两句话。"))
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("列表图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    listing_panels = [
        MultiFieldPanel(
            [FieldPanel("listing_title"), FieldPanel("listing_summary"), FieldPanel("listing_image")],
            heading=_("列表展示"),
        )
    ]

    class Meta:
        abstract = True

    def get_listing_title(self):
        return self.listing_title or self.title

    def get_listing_summary(self):
        return self.listing_summary or getattr(self, "search_description", "")


class SocialFieldsMixin(models.Model):
    """Open Graph fields so links shared on WeChat and Weibo show a title, text and image."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("分享图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("分享到微信、微博时显示的图片，建议 1200×630。"),
    )
    social_text = models.CharField(_("分享摘要"), max_length=255, blank=True)

    social_panels = [MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_text")], heading=_("社交分享"))]

    class Meta:
        abstract = True

    def get_meta_description(self):
        return (
            getattr(self, "search_description", "")
            or self.social_text
            or (self.get_listing_summary() if hasattr(self, "get_listing_summary") else "")
        )

    def get_social_image(self):
        return self.social_image or getattr(self, "listing_image", None)

    @cached_property
    def social_rendition(self):
        """The share image's rendition (``SOCIAL_IMAGE_SPEC``) as its URL and size
        (``cms.fragments.KeptRendition``), or ``None`` without one.

        The Open Graph tags and an article's JSON-LD show the same image: one lookup per
        page view, none while the content version stays (``cms.fragments.kept_rendition``).
        A missing file gives Wagtail's "not found" rendition, as ``{% image %}``.
        """
        from cms.fragments import kept_rendition

        image = self.get_social_image()
        return kept_rendition(image, SOCIAL_IMAGE_SPEC) if image else None


# Open Graph's recommended 1.91:1 size, which WeChat and Weibo crop from.
SOCIAL_IMAGE_SPEC = "fill-1200x630"


@functools.cache
def no_view_restrictions():
    """An empty ``PageViewRestriction`` queryset, already evaluated, shared by the process.

    Every page view asks for its restrictions (Wagtail's ``check_view_restrictions``);
    making a new empty queryset and iterating it (Django tries to compile it to learn it
    is empty) was about 2 % of an article view. Querysets are not changed by what is done
    with them (``order_by`` and the rest make copies), so one serves every caller.
    """
    empty = PageViewRestriction.objects.none()
    list(empty)  # fills its result cache: later iterations run nothing
    return empty


class uncycled_cached_property(cached_property):
    """``cached_property`` that does not keep a value that is the instance itself."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = self.func(instance)
        if value is not instance:
            instance.__dict__[self.name] = value
        return value


def _no_request():
    return None


class BasePageMixin(ListingFieldsMixin, SocialFieldsMixin):
    """The two mixins together, with the promote tab every content page uses.

    Put it before ``Page`` in the bases so its ``promote_panels`` win.
    """

    promote_panels = [*Page.promote_panels, *ListingFieldsMixin.listing_panels, *SocialFieldsMixin.social_panels]

    class Meta:
        abstract = True

    def get_full_url(self, request=None):
        """Wagtail's answer, worked out once per request and URL path: an article asks for
        its own full URL four times (canonical link, Open Graph, share box, JSON-LD)."""
        kept = self.__dict__.get("_kept_full_url")
        if kept is not None and kept[0]() is request and kept[1] == self.url_path:
            return kept[2]
        url = super().get_full_url(request)
        # The request through a weak reference: the page is often held by its request
        # (routing), and holding the request back would make a reference cycle.
        try:
            held = _no_request if request is None else weakref.ref(request)
        except TypeError:  # a weak proxy (site settings hold their request so): not kept
            return url
        self._kept_full_url = (held, self.url_path, url)
        return url

    # A page of a concrete model is its own specific page; Wagtail's cached properties then
    # keep the page in its own ``__dict__``, a reference cycle per page (see cms.middleware).
    specific = uncycled_cached_property(lambda self: self.get_specific())
    specific_deferred = uncycled_cached_property(lambda self: self.get_specific(deferred=True))

    def get_view_restrictions(self):
        """Wagtail's answer, without its two queries for a page nothing can restrict."""
        if not may_be_restricted(self):
            return no_view_restrictions()
        return super().get_view_restrictions()

    @classmethod
    def routing_queryset(cls):
        """How a parent with only this child type loads it: add what its page always shows."""
        return cls.objects.all()

    # The site's root page routes to its few section pages from the shared cache.
    cache_child_routes = False
    # A section whose children are mostly of one of several allowed models names it
    # ("app_label.Model"): routing looks in that model's table first (one query) and asks
    # Wagtail (two more) only for a child of another type.
    usual_child_model = None

    def _routing_child_model(self):
        child_models = self.clean_subpage_models()
        if len(child_models) == 1:
            return child_models[0]
        if self.usual_child_model:
            model = apps.get_model(self.usual_child_model)
            if model in child_models:
                return model
        return None

    def route(self, request, path_components):
        """Wagtail's routing, one query per level cheaper where only one child type is allowed.

        Wagtail loads the child as a plain ``Page`` and then its specific row; a section
        whose children all share one model (the newsroom's articles) can load it directly.
        A page with ``cache_child_routes`` (the home page: every request passes through it
        to a section) keeps its children's slugs, and each child, specific, with the other
        versioned values: a request reads back the child it goes to, not all of them.
        """
        if path_components and self.cache_child_routes:
            slug = path_components[0]
            slugs = versioned(
                f"child-route-slugs:{self.pk}",
                lambda: frozenset(self.get_children().values_list("slug", flat=True)),
                shared=True,
            )
            if slug not in slugs:
                raise Http404
            subpage = versioned(
                f"child-route:{self.pk}:{slug}", lambda: self.get_children().filter(slug=slug).specific().first()
            )
            if subpage is None:  # gone since the slugs were read
                raise Http404
            subpage._cached_parent_obj = self
            return subpage.route(request, path_components[1:])
        model = self._routing_child_model() if path_components else None
        if model is not None and hasattr(model, "routing_queryset"):
            found = routing_query(model).run(path=self.path, depth=self.depth + 1, slug=path_components[0])
            if len(found) == 1:
                subpage = found[0]
                subpage._cached_parent_obj = self
                return subpage.route(request, path_components[1:])
            # none: a child of another type, or no such page; Wagtail's way decides
        return super().route(request, path_components)

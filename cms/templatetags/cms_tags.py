import datetime
from dataclasses import dataclass

from django import template
from django.template.base import token_kwargs
from django.utils import timezone

from wagtail.models import Site

from cms.cache import versioned
from cms.fragments import kept_rendition, render_fragment
from cms.models import SOCIAL_IMAGE_SPEC
from cms.queries import public

register = template.Library()


# Dates as the site prints them. Django's ``date`` filter parses its format string and
# builds a formatter for every value (about 20 µs each); a listing of twenty cards prints
# forty dates. The template engine has already turned the value into local time
# (``expects_localtime``), as it does for ``date``.


@register.filter(expects_localtime=True)
def iso_datetime(value):
    """``date:"Y-m-d\\TH:i:sO"``: for ``<time datetime>`` and metadata ("2021-09-01T08:00:00+0800")."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.is_naive(value):  # as Django does: the offset of the site's time zone
        value = value.replace(tzinfo=timezone.get_default_timezone())
    return value.strftime("%Y-%m-%dT%H:%M:%S%z")


@register.filter(expects_localtime=True)
def cn_date(value):
    """``date:"Y年n月j日"``: a date or date-time as readers see it ("2021年9月1日")."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter(expects_localtime=True)
def cn_month_day(value):
    """``date:"n月j日"``: the short date of a headline list ("9月1日")."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.month}月{value.day}日"


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str
    path: str  # tree path: the section holds every page whose path starts with it


@register.simple_tag(takes_context=True)
def main_menu(context):
    """``(item, active)`` for the home page's live children marked "show in menus", in
    tree order; ``active`` when the context's page is the item's page or inside it.

    Every page shows the menu, so it comes from the shared cache (keyed by the content
    version: any publish, move or restriction change rebuilds it), not the database. The
    current section is marked here rather than by a template filter per item and use.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    cache_attr = "_cms_main_menu"
    if not hasattr(request, cache_attr):

        def build():
            pages = public(site.root_page.get_children().live()).in_menu().only("title", "url_path", "path", "depth")
            return tuple(MenuItem(page.title, page.get_url(request), page.path) for page in pages)

        key = f"main-menu:{site.pk}:{site.root_page_id}:{request.get_host()}"
        setattr(request, cache_attr, versioned(key, build, shared=True))
    path = getattr(context.get("page"), "path", None)
    return [(item, path is not None and path.startswith(item.path)) for item in getattr(request, cache_attr)]


@register.simple_tag(takes_context=True)
def full_url(context, page):
    """``page.full_url`` made with the request's site root paths (``page.full_url`` has no
    request, so each page object read them from the default cache again); "" for no page."""
    get_full_url = getattr(page, "get_full_url", None)
    return get_full_url(request=context.get("request")) if get_full_url else ""


@register.simple_tag(takes_context=True)
def meta_description(context, page=None):
    page = page or context.get("page")
    settings = context.get("settings")
    text = ""
    if page is not None:
        specific = getattr(page, "specific_deferred", page)
        getter = getattr(specific, "get_meta_description", None)
        text = getter() if getter else getattr(page, "search_description", "")
    if not text and settings is not None:
        text = settings["cms"]["SiteSettings"].site_description
    return text


@register.simple_tag(takes_context=True)
def social_rendition(context, page=None):
    """The Open Graph image: the page's share image (``social_rendition``, which the page
    keeps for its JSON-LD too), else the site's default share image."""
    page = page or context.get("page")
    rendition = getattr(page, "social_rendition", None)
    if rendition is None and context.get("settings") is not None:
        image = context["settings"]["cms"]["SiteSettings"].default_social_image
        if image is not None:
            rendition = kept_rendition(image, SOCIAL_IMAGE_SPEC)
    return rendition


class FragmentNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def __repr__(self):
        return f"<FragmentNode {self.name}>"

    def render(self, context):
        return render_fragment(self, context, {key: value.resolve(context) for key, value in self.values.items()})


@register.tag
def fragment(parser, token):
    """``{% fragment "name" key=value … %}…{% endfragment %}``: the contents rendered with
    only those values, once per content version (``cms.fragments``)."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then key=value pairs")
    values = token_kwargs(bits[2:], parser)
    if len(values) != len(bits) - 2:
        raise template.TemplateSyntaxError("{% fragment %} takes only key=value pairs after its name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], values, nodelist)

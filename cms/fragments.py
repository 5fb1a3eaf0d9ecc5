"""Output rendered once per content version: ``{% fragment %}`` and image tags.

Every page repeats the site header (the menu, the search form) and the footer (the site's
settings); rendering them is about a tenth of an article view. ``{% fragment %}`` renders
its contents with *only* the values it is given (as ``{% include … only %}`` does: nothing
else of the page's context is visible inside), so those values are all the output can
depend on. The output is kept in this process's memory under the tag, the values, the
language and the content version (``cms.cache.content_version``: any change to what the
public sees starts a new one), and shared by every page that renders the tag with the
same values.

The values must be immutable (strings, numbers, tuples and frozen dataclasses of them;
lists are taken as tuples): an object such as a page or a model instance could change
without a new content version (a preview renders unsaved changes), so it is refused
rather than trusted.

Wagtail's image tags (``{% image %}``, ``{% srcset_image %}``, ``{% picture %}``) that write
their HTML are kept the same way, under the tag, the image (its id, size and focal
point) and the attributes: the article's responsive lead image looks four renditions up
and builds a ``<picture>`` element on every view (about 8 % of it). An image saved
(a new file, a focal point) or a rendition deleted (``wagtail_update_image_renditions
--purge-only``) starts a new content version (``cms.cache``).

The share image that the Open Graph tags and an article's JSON-LD show is looked up the
same way (``kept_rendition``): its URL and size, under the image and the filter spec.

Without a cache that keeps the content version (``DummyCache``) everything is rendered
every time.
"""

import dataclasses
import functools

from django.core.signals import setting_changed
from django.template import VariableDoesNotExist
from django.urls import get_script_prefix
from django.utils.translation import get_language

from cms.cache import cache_is_shared_state, content_version, is_immutable
from cms.kept import remember

_FRAGMENTS = {}
FRAGMENT_LIMIT = 2000  # the frame has a few fragments × menu states; old versions go at the limit


def frozen(value):
    """``value`` with lists (and tuples) of values made tuples, so a menu can be a key."""
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return tuple(frozen(item) for item in value)
    return value


def render_fragment(node, context, values):
    """``node.nodelist`` rendered with only ``values``, kept for this content version."""
    values = {name: frozen(value) for name, value in values.items()}
    for name, value in values.items():
        if not is_immutable(value):
            raise TypeError(
                f"{{% fragment %}} value {name}={type(value).__name__} is not immutable: "
                "pass the strings or numbers the fragment shows"
            )

    return kept_output((node, tuple(values.items())), lambda: node.nodelist.render(context.new(values)))


def kept_output(key, render):
    """``render()``'s HTML kept in this process for ``key`` (hashable) and the content
    version, the language and the script prefix."""
    if not cache_is_shared_state():
        return render()
    key = (content_version(), get_language(), get_script_prefix(), *key)
    return remember(_FRAGMENTS, key, render, FRAGMENT_LIMIT)


_IMAGE_FIELDS = ("width", "height", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")


def image_key(image):
    """What kept image output depends on of the image: its type, id, size and focal point."""
    return type(image), image.pk, tuple(getattr(image, name, None) for name in _IMAGE_FIELDS)


def kept_image_render(render):
    """An image node's ``render`` whose HTML is kept (``kept_output``); a tag that stores
    its renditions in a variable (``as name``), no image, or attributes that are not
    plain values render as Wagtail renders them."""

    @functools.wraps(render)
    def kept_render(self, context):
        if self.output_var_name:
            return render(self, context)
        try:
            image = self.image_expr.resolve(context)
        except VariableDoesNotExist:
            return render(self, context)
        if not image or getattr(image, "pk", None) is None:
            return render(self, context)
        attrs = tuple((name, value.resolve(context)) for name, value in self.attrs.items())
        if not is_immutable(attrs):
            return render(self, context)
        return kept_output((self, *image_key(image), attrs), lambda: render(self, context))

    kept_render.kept = True
    return kept_render


@dataclasses.dataclass(frozen=True)
class KeptRendition:
    """What a page shows of a rendition: its URL and size (immutable, so one object serves
    every reader)."""

    url: str
    width: int
    height: int


def kept_rendition(image, spec):
    """``get_rendition_or_not_found(image, spec)``'s URL and size, kept for this content
    version under the image (its id, size and focal point) and ``spec``.

    Wagtail finds a rendition through its rendition cache and builds a ``Rendition`` on
    every call (about 3.5 % of an article view, for its share image). A missing file gives
    Wagtail's "not found" rendition, as ``{% image %}`` does.
    """
    from wagtail.images import shortcuts

    def lookup():
        rendition = shortcuts.get_rendition_or_not_found(image, spec)
        return KeptRendition(rendition.url, rendition.width, rendition.height)

    if getattr(image, "pk", None) is None:
        return lookup()
    return kept_output(("rendition", *image_key(image), spec), lookup)


def install():
    """Keep the HTML of Wagtail's image tags (called once, at start-up)."""
    from wagtail.images.templatetags.wagtailimages_tags import ImageNode, PictureNode, SrcsetImageNode

    for node_class in (ImageNode, SrcsetImageNode, PictureNode):
        render = node_class.__dict__["render"]
        if not getattr(render, "kept", False):
            node_class.render = kept_image_render(render)


def _forget(**kwargs):
    _FRAGMENTS.clear()  # a setting (URLs, templates, language) may change what a fragment renders


setting_changed.connect(_forget, dispatch_uid="cms.fragments.forget")

"""Rich text printed without rendering Wagtail's one-variable template for it.

Each rich text value of a stream (a paragraph, a clause's text) prints through
``RichText.__html__``, which renders ``wagtailcore/shared/richtext.html`` with
``render_to_string``: the template is looked up through every engine, wrapped for its
backend and rendered in a new ``Context``, about 15 µs a paragraph, to print
``{{ html|safe }}``, that is the expanded HTML itself. When the name still finds Wagtail's
own file (no project or app overrides it) and the engine is not in debug mode, the
expanded HTML is given directly, marked safe as the rendered template was. Otherwise, and
whenever ``TEMPLATES`` changes until it is looked at again, Wagtail's way.
"""

from pathlib import Path

from django.core.signals import setting_changed
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

import wagtail
from wagtail.rich_text import RichText, expand_db_html

TEMPLATE_NAME = "wagtailcore/shared/richtext.html"
WAGTAIL_TEMPLATE = str(Path(wagtail.__file__).parent / "templates" / TEMPLATE_NAME)

_wagtail_html = RichText.__html__
_stock = []  # [whether the name finds Wagtail's own file], once looked at


def stock_template():
    """Whether ``TEMPLATE_NAME`` finds Wagtail's own file, through an engine out of debug
    mode (a debug engine may be reloading templates as they are edited)."""
    if not _stock:
        try:
            template = get_template(TEMPLATE_NAME)
        except TemplateDoesNotExist:
            found = False
        else:
            engine = getattr(getattr(template, "template", None), "engine", None)
            origin = getattr(template, "origin", None)
            found = (
                len(engines.all()) == 1
                and engine is not None
                and not engine.debug
                and getattr(origin, "name", None) == WAGTAIL_TEMPLATE
            )
        _stock.append(found)
    return _stock[0]


def _forget(*, setting, **kwargs):
    if setting == "TEMPLATES":
        _stock.clear()


def rich_text_html(self):
    """``RichText.__html__``: the expanded HTML, as the stock template prints it."""
    if not stock_template():
        return _wagtail_html(self)
    html = expand_db_html(self.source)  # what {{ html|safe }} prints, marked safe as the template's output
    return html if isinstance(html, SafeString) else mark_safe(html)  # noqa: S308  # nosec B308 B703


def install():
    """Print rich text values through ``rich_text_html`` (called once, at start-up)."""
    RichText.__html__ = rich_text_html
    setting_changed.connect(_forget, dispatch_uid="cms.rich_text")

"""Escaping without keep_lazy's wrapper and plain text printed at once (cms.escaping)
give what Django gives."""

import datetime
import decimal

from hypothesis import given
from hypothesis.strategies import booleans, text

from django.template import Context, Template
from django.template.base import VariableNode
from django.test import SimpleTestCase
from django.utils import html, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from cms import escaping


class Shown:
    def __str__(self):
        return "<Shown & 'told'>"


VALUES = [
    "",
    "plain text",
    "重庆市中小企业“小巨人”",
    "<script>alert('x') & \"y\"</script>",
    "&amp; already escaped",
    mark_safe("<b>safe</b>"),  # escape() escapes safe text too
    SafeString("<i>"),
    0,
    42,
    3.5,
    None,
    True,
    Shown(),
    ["<a>", 1],
]


class EscapeTests(SimpleTestCase):
    def test_installed_where_conditional_escape_looks(self):
        self.assertIs(html.escape, escaping.escape)
        self.assertIs(html.conditional_escape.__globals__["escape"], escaping.escape)

    def test_same_text_and_type_as_djangos_escape(self):
        for value in VALUES:
            with self.subTest(value=value):
                ours, django = escaping.escape(value), escaping._django_escape(value)
                self.assertEqual(ours, django)
                self.assertIs(type(ours), SafeString)
                self.assertIs(type(django), SafeString)

    def test_conditional_escape_still_leaves_safe_text_alone(self):
        self.assertEqual(html.conditional_escape(mark_safe("<b>")), "<b>")
        self.assertEqual(html.conditional_escape("<b>"), "&lt;b&gt;")
        self.assertEqual(html.conditional_escape(gettext_lazy("<b>")), "&lt;b&gt;")

    def test_a_lazy_string_stays_lazy_and_is_escaped_in_the_language_shown(self):
        message = gettext_lazy("Page <%(name)s> & 'more'")  # in no catalog: shown as written
        lazy_title = gettext_lazy("Title")  # in Wagtail's zh_Hans catalog
        for value in (message, lazy_title):
            ours, django = escaping.escape(value), escaping._django_escape(value)
            self.assertIsInstance(ours, Promise)
            self.assertIsInstance(django, Promise)
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    self.assertEqual(str(ours), str(django))
        with translation.override("en"):
            english = str(escaping.escape(lazy_title))
        with translation.override("zh-hans"):
            chinese = str(escaping.escape(lazy_title))
        self.assertEqual(english, "Title")
        self.assertNotEqual(chinese, english)  # evaluated when shown, not when escaped

    def test_templates_print_the_same(self):
        template = Template("{{ a }}|{{ b }}|{{ c }}|{{ d|escape }}|{{ e|force_escape }}")
        context = {"a": "<x>", "b": mark_safe("<y>"), "c": 7, "d": "'q'", "e": mark_safe("&")}
        self.assertEqual(template.render(Context(context)), "&lt;x&gt;|<y>|7|&#x27;q&#x27;|&amp;")


class RenderVariableTests(SimpleTestCase):
    """``{{ value }}`` prints what Django's VariableNode prints, for every kind of value."""

    VALUES = [
        *VALUES,
        gettext_lazy("Title"),
        datetime.date(2021, 9, 15),
        datetime.datetime(2021, 9, 15, 10, 0, tzinfo=datetime.UTC),
        decimal.Decimal("1234.50"),
        1234567,
        b"bytes <b>",
        {"a": "<b>"},
    ]
    TEMPLATES = [
        "{{ value }}",
        "{% autoescape off %}{{ value }}{% endautoescape %}",
        "{{ value|default:'<none>' }}",
        "{{ value|upper }}",
        "{{ value|safe }}",
        "{{ missing.attribute }}",
    ]

    def render_both(self, source, value):
        template = Template(source)
        ours = template.render(Context({"value": value}))
        VariableNode.render = escaping._django_variable_render
        try:
            django = template.render(Context({"value": value}))
        finally:
            VariableNode.render = escaping.render_variable
        return ours, django

    def test_installed(self):
        self.assertIs(VariableNode.render, escaping.render_variable)

    def test_same_output_as_django(self):
        for language in ("zh-hans", "en"):
            for source in self.TEMPLATES:
                for value in self.VALUES:
                    with self.subTest(language=language, source=source, value=value), translation.override(language):
                        ours, django = self.render_both(source, value)
                        self.assertEqual(ours, django)
                        self.assertIs(type(ours), type(django))

    def test_plain_text_is_escaped_or_not_as_the_template_says(self):
        self.assertEqual(
            self.render_both("{{ value }}", "<a href='x'>&</a>")[0], "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"
        )
        self.assertEqual(self.render_both("{% autoescape off %}{{ value }}{% endautoescape %}", "<a>")[0], "<a>")


ATTRIBUTES = [
    {},
    {"src": "/media/images/a.webp", "width": 600, "height": 400, "alt": "重庆“小巨人” <企业> & 'x'"},
    {"sizes": None, "type": "image/avif", "srcset": "/a.avif 600w, /b.avif 1200w"},
    {"loading": "lazy", "hidden": True, "async": False, "defer": True, "class": "img-fluid"},
    {"alt": mark_safe("<b>kept</b>"), "title": gettext_lazy("<搜索>"), "data-n": decimal.Decimal("1.50")},
    {"z": "last", "a": "first", "m": Shown(), "b": 0},
]


class FlatattTests(SimpleTestCase):
    def test_installed_where_image_tags_look(self):
        from django.forms import utils as forms_utils

        from wagtail.images import models as image_models

        self.assertIs(forms_utils.flatatt, escaping.flatatt)
        self.assertIs(image_models.flatatt, escaping.flatatt)

    def test_same_text_and_type_as_djangos_flatatt(self):
        for language in ("zh-hans", "en"):
            for attrs in ATTRIBUTES:
                with self.subTest(language=language, attrs=attrs), translation.override(language):
                    ours, django = escaping.flatatt(attrs), escaping._django_flatatt(attrs)
                    self.assertEqual(ours, django)
                    self.assertIs(type(ours), SafeString)
                    self.assertIs(type(django), SafeString)

    def test_names_sorted_values_escaped_booleans_last(self):
        self.assertEqual(
            escaping.flatatt({"src": "/a?x=1&y=2", "hidden": True, "alt": '"q"', "async": False, "sizes": None}),
            ' alt="&quot;q&quot;" src="/a?x=1&amp;y=2" hidden',
        )
        self.assertEqual(escaping.flatatt({}), "")


# -- linebreaksbr ------------------------------------------------------------------------

LINE_TEXTS = [
    "",
    "一行",
    "第一行\n第二行",
    "Windows\r\n行尾\r\n",
    "旧 Mac\r行尾\r\r\n混合\n\r",
    "<b>\"引号\"</b> & '单引号'",
    mark_safe("<b>已是安全文本</b>\n下一行"),
    gettext_lazy("不限"),
    12345,
    decimal.Decimal("1.50"),
    None,
]


def test_linebreaksbr_gives_djangos_text():
    from django.template.defaultfilters import linebreaksbr as djangos

    for value in LINE_TEXTS:
        for autoescape in (True, False):
            ours = escaping.linebreaksbr(value, autoescape=autoescape)
            expected = djangos(value, autoescape=autoescape)
            assert (ours, type(ours)) == (expected, type(expected)), (value, autoescape)


@given(text(alphabet="ab重庆\r\n<>&\"' ", max_size=30), booleans(), booleans())
def test_linebreaksbr_gives_djangos_text_for_any_text(value, safe, autoescape):
    from django.template.defaultfilters import linebreaksbr as djangos

    value = SafeString(value) if safe else value
    assert escaping.linebreaksbr(value, autoescape=autoescape) == djangos(value, autoescape=autoescape)


def test_templates_use_it():
    template = Template("{{ value|linebreaksbr }}")
    assert template.engine.template_builtins[1].filters["linebreaksbr"] is escaping.linebreaksbr
    assert template.render(Context({"value": "甲 & 乙\r\n丙"})) == "甲 &amp; 乙<br>丙"
    assert (
        Template("{% autoescape off %}{{ value|linebreaksbr }}{% endautoescape %}").render(Context({"value": "<i>\n"}))
        == "<i><br>"
    )

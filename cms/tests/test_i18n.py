import struct
import tempfile
from gettext import GNUTranslations
from pathlib import Path
from unittest.mock import patch as mock_patch

from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Template
from django.templatetags.i18n import TranslateNode
from django.test import SimpleTestCase, override_settings
from django.utils import translation
from django.utils.translation import gettext, pgettext, trans_real

from cms import i18n


def all_msgids(translation_object):
    """Every singular msgid in the object's merged catalog and its fallback chain."""
    ids = set()
    for catalog in translation_object._catalog._catalogs:
        ids.update(key for key in catalog if isinstance(key, str))
    fallback = translation_object._fallback
    while fallback is not None:
        ids.update(key for key in getattr(fallback, "_catalog", {}) if isinstance(key, str))
        fallback = fallback._fallback
    return ids


def write_mo(path, messages):
    """A GNU .mo catalog with ``messages`` (msgid -> msgstr) and a UTF-8 header."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n", **messages}
    ids = sorted(messages)
    keys = [m.encode() for m in ids]
    values = [messages[m].encode() for m in ids]
    count = len(ids)
    start = 7 * 4 + 16 * count
    table, data = [], b""
    for item in keys + values:
        table.append((len(item), start + len(data)))
        data += item + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + b"".join(struct.pack("<2I", *entry) for entry in table) + data)


class KeptGettextTests(SimpleTestCase):
    def test_installed(self):
        self.assertIs(trans_real.DjangoTranslation.gettext, i18n.kept_gettext)

    def test_same_answers_as_python_gettext(self):
        # Every msgid of every catalog, including those only a fallback catalog holds, and
        # messages no catalog holds; asked twice so the second answer is the kept one.
        with translation.override("zh-hans"):
            active = trans_real._active.value
            messages = all_msgids(active) | {"搜索", "跳到正文", "没有这条消息 %(x)s"}
            self.assertGreater(len(messages), 1000)
            for _ in range(2):
                for message in messages:
                    self.assertEqual(active.gettext(message), GNUTranslations.gettext(active, message), message)

    def test_translated_and_untranslated_messages(self):
        with translation.override("zh-hans"):
            self.assertEqual(gettext("Page"), "页面")
            self.assertEqual(gettext("Page"), "页面")
            self.assertEqual(gettext("跳到正文"), "跳到正文")
            self.assertEqual(pgettext("abbrev. month", "Jan."), "一月")

    def test_answers_kept_per_language(self):
        with translation.override("zh-hans"):
            self.assertEqual(gettext("Page"), "页面")
        with translation.override("en"):
            self.assertEqual(gettext("Page"), "Page")
        with translation.override("zh-hans"):
            self.assertEqual(gettext("Page"), "页面")

    def test_new_catalogs_give_new_answers(self):
        # Django builds new translation objects when the catalogs change; an answer kept
        # by the old object is not given by the new one.
        with translation.override("zh-hans"):
            self.assertEqual(gettext("跳到正文"), "跳到正文")
        with tempfile.TemporaryDirectory() as locale_dir:
            write_mo(Path(locale_dir) / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"跳到正文": "跳至正文"})
            with override_settings(LOCALE_PATHS=[locale_dir]), translation.override("zh-hans"):
                self.assertEqual(gettext("跳到正文"), "跳至正文")
        with translation.override("zh-hans"):
            self.assertEqual(gettext("跳到正文"), "跳到正文")

    def test_answers_bounded(self):
        with translation.override("zh-hans"):
            active = trans_real._active.value
            for n in range(i18n.MAX_ANSWERS + 50):
                self.assertEqual(active.gettext(f"示例消息 {n}"), f"示例消息 {n}")
            self.assertLessEqual(len(active._kept_answers), i18n.MAX_ANSWERS)
            self.assertEqual(active.gettext("Page"), "页面")


class KeptTranslateTagTests(SimpleTestCase):
    """Constant ``{% translate %}`` tags print what Django's tag prints, kept per translation
    object; tags with variables, filters or ``noop`` are left to Django."""

    TEMPLATES = [
        '{% load i18n %}{% translate "January" %}',
        "{% load i18n %}{% translate 'January' %}",
        '{% load i18n %}{% translate "<b>Page</b>" %}',
        '{% load i18n %}{% autoescape off %}{% translate "<b>Page</b>" %}{% endautoescape %}',
        '{% load i18n %}{% translate "May" context "month name" %}|{% translate "May" %}',
        '{% load i18n %}{% translate "100%% sure" %}',
        '{% load i18n %}{% translate "January" as month %}[{{ month }}]',
        '{% load i18n %}{% trans "跳到正文" %}',
        '{% load i18n %}{% translate "January" noop %}',
        "{% load i18n %}{% translate message %}",
        '{% load i18n %}{% translate "January"|lower %}',
        '{% load i18n %}{% translate "May" context kind %}',
    ]

    def render(self, source, **context):
        return Template(source).render(Context(context))

    def test_installed(self):
        self.assertIs(TranslateNode.render, i18n.kept_translate_render)

    def test_same_output_as_django_in_each_language(self):
        # Three languages in turn and back, twice each, so later renders are kept texts.
        for language in ("zh-hans", "fr", "en", "zh-hans", "fr"):
            with translation.override(language):
                for source in self.TEMPLATES:
                    template = Template(source)
                    for context in ({"message": "January", "kind": "month name"}, {"message": "Page", "kind": "x"}):
                        kept = template.render(Context(context))
                        with mock_patch.object(TranslateNode, "render", i18n._unkept_translate_render):
                            django = template.render(Context(context))
                        self.assertEqual(kept, django, (language, source, context))

    def test_each_language_its_own_text(self):
        template = Template('{% load i18n %}{% translate "January" %}')
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context()), "一月")
        with translation.override("fr"):
            self.assertEqual(template.render(Context()), "janvier")
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context()), "一月")
        with translation.override(None):  # deactivate_all: the message itself
            self.assertEqual(template.render(Context()), "January")

    def test_translated_markup_as_django_prints_it(self):
        # A constant message is safe text, and so is Django's translation of it: printed
        # as the catalog has it whether or not the template escapes, the first time and
        # the kept times.
        on = Template('{% load i18n %}{% translate "标记" %}')
        off = Template('{% load i18n %}{% autoescape off %}{% translate "标记" %}{% endautoescape %}')
        with tempfile.TemporaryDirectory() as locale_dir:
            write_mo(Path(locale_dir) / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"标记": "<b>标记</b>"})
            with override_settings(LOCALE_PATHS=[locale_dir]), translation.override("zh-hans"):
                for _ in range(2):
                    self.assertEqual(on.render(Context()), "<b>标记</b>")
                    self.assertEqual(off.render(Context()), "<b>标记</b>")
                with mock_patch.object(TranslateNode, "render", i18n._unkept_translate_render):
                    self.assertEqual(on.render(Context()), "<b>标记</b>")

    def test_variables_are_translated_each_time(self):
        template = Template("{% load i18n %}{% translate message %}")
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context({"message": "January"})), "一月")
            self.assertEqual(template.render(Context({"message": "February"})), "二月")

    def test_constant_text_is_kept_on_the_translation_object(self):
        with translation.override("zh-hans"):
            self.render('{% load i18n %}{% translate "March" %}')
            self.assertEqual(trans_real._active.value._kept_texts[(("March", None), True)], "三月")

    def test_turning_translation_off_is_followed(self):
        # USE_I18N is read once and again when the setting changes: with it off a
        # constant tag prints its message, not the text kept while it was on.
        from django.utils.translation import _trans

        template = Template('{% load i18n %}{% translate "January" %}')
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context()), "一月")
            try:
                with override_settings(USE_I18N=False):
                    _trans.__dict__.clear()  # Django picks its functions once
                    self.assertIs(i18n.use_i18n(), False)
                    self.assertEqual(template.render(Context()), "January")
            finally:
                _trans.__dict__.clear()
            self.assertIs(i18n.use_i18n(), True)
            self.assertEqual(template.render(Context()), "一月")

    def test_new_catalogs_give_new_text(self):
        template = Template('{% load i18n %}{% translate "跳到正文" %}')
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context()), "跳到正文")
        with tempfile.TemporaryDirectory() as locale_dir:
            write_mo(Path(locale_dir) / "zh_Hans" / "LC_MESSAGES" / "django.mo", {"跳到正文": "跳至正文"})
            with override_settings(LOCALE_PATHS=[locale_dir]), translation.override("zh-hans"):
                self.assertEqual(template.render(Context()), "跳至正文")
        with translation.override("zh-hans"):
            self.assertEqual(template.render(Context()), "跳到正文")


class SiteLanguageMiddlewareTests(SimpleTestCase):
    """Requests are handled with LANGUAGE_CODE active, so message lookups find it at once."""

    def handle(self):
        from django.test import RequestFactory

        from cms.middleware import SiteLanguageMiddleware

        seen = {}

        def view(request):
            seen["active"] = i18n.active_translation()
            seen["language"] = translation.get_language()
            seen["text"] = translation.gettext("Title")
            return HttpResponse("ok")

        SiteLanguageMiddleware(view)(RequestFactory().get("/"))
        return seen

    def test_activates_the_site_language_for_the_request_only(self):
        translation.deactivate()
        self.assertIsNone(i18n.active_translation())
        seen = self.handle()
        self.assertIs(seen["active"], trans_real.translation(settings.LANGUAGE_CODE))
        self.assertEqual(seen["language"], settings.LANGUAGE_CODE)
        self.assertEqual(seen["text"], "标题")  # Wagtail's zh_Hans catalog
        self.assertIsNone(i18n.active_translation())  # nothing left behind

    def test_a_language_active_around_the_request_is_kept(self):
        with translation.override("en"):
            seen = self.handle()
            self.assertEqual(translation.get_language(), "en")
        self.assertEqual((seen["language"], seen["text"]), ("en", "Title"))

    def test_it_wraps_every_middleware_that_can_answer_on_its_own(self):
        position = settings.MIDDLEWARE.index("cms.middleware.SiteLanguageMiddleware")
        for name in (
            "django.middleware.security.SecurityMiddleware",
            "cms.cache.AnonymousPageCacheMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ):
            self.assertLess(position, settings.MIDDLEWARE.index(name), name)

"""Django's per-request holders (the translation, the time zone, the script prefix, the
URLconf) as context variables (cms.context_locals) behave as asgiref's locals."""

import contextvars
import subprocess  # nosec B404
import sys
import zoneinfo

from asgiref.local import Local

from django.test import SimpleTestCase, override_settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, set_script_prefix, set_urlconf
from django.urls import base as urls_base
from django.utils import timezone, translation

from cms import context_locals
from cms.context_locals import ContextLocal
from cms.tests.urls_boom import boom


def _scenarios(local):
    """What code sees of ``local`` across threads, tasks and asgiref's bridges."""
    import asyncio
    import threading

    from asgiref.sync import async_to_sync, sync_to_async

    seen = {"unset": hasattr(local, "value")}
    local.value = "main"
    seen["set"] = local.value

    def in_thread():
        seen["thread sees"] = getattr(local, "value", None)
        local.value = "thread"

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    seen["after thread"] = local.value

    async def task(name):
        local.value = name
        await asyncio.sleep(0)
        return local.value

    async def tasks():
        results = await asyncio.gather(task("a"), task("b"))
        return results, local.value

    seen["tasks"] = asyncio.run(tasks())

    def sync_part():
        before = local.value
        local.value = "sync"
        return before

    async def bridge():
        local.value = "async"
        before = await sync_to_async(sync_part)()
        return before, local.value

    seen["sync_to_async"] = async_to_sync(bridge)()
    seen["after async_to_sync"] = local.value
    del local.value
    seen["deleted"] = hasattr(local, "value")
    try:
        del local.value
    except AttributeError:
        seen["second delete"] = "AttributeError"
    return seen


class ContextLocalTests(SimpleTestCase):
    def test_installed_at_start_up(self):
        # In a new process: Django's test signals put a stock Local back for the translation
        # whenever a test overrides LANGUAGE_CODE or LOCALE_PATHS.
        code = (
            "import django; django.setup(); from django.utils import timezone; "
            "from django.utils.translation import trans_real; from django.urls import base; "
            "print(*[type(holder).__module__ + '.' + type(holder).__name__ for holder in "
            "(trans_real._active, timezone._active, base._prefixes, base._urlconfs)])"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout  # nosec B603
        self.assertEqual(out.split(), ["cms.context_locals.ContextLocal"] * 4)

    def test_behaves_as_asgiref_local_everywhere(self):
        stock = contextvars.copy_context().run(_scenarios, Local())
        ours = contextvars.copy_context().run(_scenarios, ContextLocal())
        self.assertEqual(ours, stock)
        self.assertEqual(ours["thread sees"], None)  # a new thread starts without the value
        self.assertEqual(ours["tasks"], (["a", "b"], "main"))  # each task its own

    def test_replacing_keeps_the_current_value(self):
        stock = Local()
        self.assertFalse(hasattr(context_locals.replacing(stock), "value"))
        stock.value = "kept"
        self.assertEqual(context_locals.replacing(stock).value, "kept")
        ours = ContextLocal()
        self.assertIs(context_locals.replacing(ours), ours)

    def test_activation_follows_override_and_deactivate(self):
        with translation.override("en"):
            self.assertEqual(translation.get_language(), "en")
            with translation.override("zh-hans"):
                self.assertEqual(translation.get_language(), "zh-hans")
            self.assertEqual(translation.get_language(), "en")
            translation.deactivate()
            self.assertEqual(translation.get_language(), "zh-hans")  # LANGUAGE_CODE


class TimeZoneAndUrlTests(SimpleTestCase):
    def test_installed(self):
        # (The translation's holder is checked in a new process above: Django's test
        # signals replace it when a test overrides LANGUAGE_CODE.)
        for holder in (timezone._active, urls_base._prefixes, urls_base._urlconfs):
            self.assertIsInstance(holder, ContextLocal)

    def test_time_zone_activation(self):
        moment = timezone.make_aware(timezone.datetime(2021, 9, 1, 0, 30), zoneinfo.ZoneInfo("UTC"))
        self.assertEqual(timezone.get_current_timezone_name(), "Asia/Shanghai")  # TIME_ZONE
        self.assertEqual(timezone.localtime(moment).hour, 8)
        with timezone.override("Europe/London"):
            self.assertEqual(timezone.localtime(moment).hour, 1)
            with timezone.override(None):  # deactivated inside: the default again
                self.assertEqual(timezone.localtime(moment).hour, 8)
            self.assertEqual(timezone.get_current_timezone_name(), "Europe/London")
        self.assertEqual(timezone.localtime(moment).hour, 8)
        timezone.deactivate()  # nothing active: no error
        self.assertEqual(timezone.get_current_timezone_name(), "Asia/Shanghai")

    def test_each_context_its_own_time_zone(self):
        def in_context():
            timezone.activate(zoneinfo.ZoneInfo("Europe/Paris"))
            return timezone.get_current_timezone_name()

        self.assertEqual(contextvars.copy_context().run(in_context), "Europe/Paris")
        self.assertEqual(timezone.get_current_timezone_name(), "Asia/Shanghai")

    def test_script_prefix_and_urlconf(self):
        prefix, urlconf = get_script_prefix(), get_urlconf()
        try:
            set_script_prefix("/portal")
            self.assertEqual(get_script_prefix(), "/portal/")
            self.assertEqual(reverse("search"), "/portal/search/")
            set_urlconf("cms.tests.urls_boom")
            self.assertEqual(get_urlconf(), "cms.tests.urls_boom")
            set_urlconf(None)
            self.assertIsNone(get_urlconf())
            self.assertEqual(get_urlconf("fallback"), "fallback")
        finally:
            set_script_prefix(prefix)
            set_urlconf(urlconf)
        self.assertEqual(reverse("search"), "/search/")

    def test_a_changed_urlconf_setting_is_followed(self):
        with self.assertRaises(NoReverseMatch):
            reverse(boom)
        with override_settings(ROOT_URLCONF="cms.tests.urls_boom"):
            self.assertIsNone(get_urlconf())  # Django's signal unset it in our holder
            self.assertEqual(reverse(boom), "/boom/")
        with self.assertRaises(NoReverseMatch):
            reverse(boom)

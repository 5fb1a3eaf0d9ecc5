"""URLs worked out once per process (cms.kept_urls): the same answers as Django's."""

import json

import pytest

from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, get_resolver, path, reverse, set_script_prefix
from django.urls.resolvers import URLResolver
from django.utils import translation
from django.utils.translation import gettext_lazy

from cms import kept_urls
from cms.kept_urls import MediaStorage, StaticFilesStorage


def django_reverse(*args, **kwargs):
    """What Django's own resolver gives (the method kept_urls replaced)."""
    original = URLResolver._reverse_with_prefix
    URLResolver._reverse_with_prefix = kept_urls._django_reverse_with_prefix
    try:
        return reverse(*args, **kwargs)
    finally:
        URLResolver._reverse_with_prefix = original


def kept():
    return get_resolver().__dict__.get("_kept_urls", {})


def test_reversed_urls_are_djangos_and_kept():
    kept_urls.forget_reversed()
    for name, args, kwargs in [
        ("wagtail_serve", ("news/成渝超高清/",), None),
        ("wagtail_serve", ("",), None),
        ("search", (), None),
        ("wagtail_serve", ("policies/示例-1_2/",), None),
    ]:
        expected = django_reverse(name, args=args, kwargs=kwargs)
        assert reverse(name, args=args, kwargs=kwargs) == expected
        assert reverse(name, args=args, kwargs=kwargs) == expected  # from what was kept
    assert len(kept()) == 4


def test_the_script_prefix_and_the_language_are_part_of_the_key():
    kept_urls.forget_reversed()
    plain = reverse("wagtail_serve", args=("news/",))
    set_script_prefix("/portal/")
    try:
        assert reverse("wagtail_serve", args=("news/",)) == "/portal" + plain
    finally:
        clear_script_prefix()
    assert reverse("wagtail_serve", args=("news/",)) == plain
    with translation.override("en"):
        assert reverse("wagtail_serve", args=("news/",)) == plain
    # The project's URLs have no translated patterns: the language is not asked for.
    assert {key[0] for key in kept()} == {None}


def test_translated_patterns_are_kept_per_language():
    with override_settings(ROOT_URLCONF="cms.tests.test_kept_urls"):
        urls = {}
        for language in ("zh-hans", "en", "zh-hans"):
            with translation.override(language):
                urls[language] = reverse("translated")
                assert urls[language] == django_reverse("translated")
        assert {key[0] for key in kept()} == {"zh-hans", "en"}


def test_unknown_names_and_lazy_arguments_keep_nothing():
    kept_urls.forget_reversed()
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse("no-such-view")
    lazy = gettext_lazy("news/")
    assert reverse("wagtail_serve", args=(lazy,)) == django_reverse("wagtail_serve", args=("news/",))
    assert kept() == {}


def elsewhere(request):
    raise AssertionError("never served")


# A URL configuration of its own for the next test: "search" lives elsewhere.
urlpatterns = [
    path("elsewhere/", elsewhere, name="search"),
    path(gettext_lazy("示例/"), elsewhere, name="translated"),  # a pattern that may differ per language
]


def test_a_new_url_configuration_starts_afresh():
    kept_urls.forget_reversed()
    project = reverse("search")
    with override_settings(ROOT_URLCONF="cms.tests.test_kept_urls"):
        assert reverse("search") == "/elsewhere/"  # not what the project's resolver kept
    assert reverse("search") == project == django_reverse("search")


def test_static_urls_come_from_the_manifest_and_are_kept(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"js/nav.js": "js/nav.abc123.js"}, "hash": "x"})
    )
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("js/nav.js") == "/static/js/nav.abc123.js"
    storage.hashed_files["js/nav.js"] = "js/nav.changed.js"  # a kept answer is not worked out again
    assert storage.url("js/nav.js") == "/static/js/nav.abc123.js"
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")
    # With DEBUG on, Django serves unhashed names; nothing is kept then.
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"
    assert "css/site.css" not in storage._kept_urls


def test_collectstatic_forgets_the_kept_static_urls(tmp_path, settings):
    from django.contrib.staticfiles.finders import get_finder

    settings.DEBUG = False
    source = tmp_path / "source"
    (source / "js").mkdir(parents=True)
    (source / "js" / "nav.js").write_text("var a = 1;")
    settings.STATICFILES_DIRS = [source]
    storage = StaticFilesStorage(location=tmp_path / "out", base_url="/static/")
    storage._kept_urls = {"js/nav.js": "/static/js/nav.stale.js"}
    finder = get_finder("django.contrib.staticfiles.finders.FileSystemFinder")
    found = {name: (finder_storage, name) for name, finder_storage in finder.list([])}
    for name, (finder_storage, _) in found.items():
        with finder_storage.open(name) as handle:
            storage.save(name, handle)
    list(storage.post_process(found))
    assert storage.url("js/nav.js") == "/static/" + storage.stored_name("js/nav.js")
    assert storage.url("js/nav.js") != "/static/js/nav.stale.js"


def test_media_urls_are_the_file_systems_and_follow_the_base_url(tmp_path, settings):
    settings.MEDIA_URL = "/media/"
    storage, plain = MediaStorage(location=tmp_path), FileSystemStorage(location=tmp_path)
    for name in ("images/a.png", "images/中文 名.jpg", "original_images/x%y.webp"):
        assert storage.url(name) == plain.url(name)
        assert storage.url(name) == plain.url(name)
    settings.MEDIA_URL = "https://cdn.example.org/media/"  # Django resets the base URL
    assert storage.url("images/a.png") == "https://cdn.example.org/media/images/a.png"


def test_the_static_tag_uses_the_static_files_storage_while_staticfiles_is_installed(settings, monkeypatch):
    from django.apps import apps
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import Context, Template
    from django.templatetags.static import StaticNode, static

    assert StaticNode.handle_simple.__func__ is kept_urls.static_url  # installed at start-up
    asked = []
    staticfiles_storage.url("js/nav.js")  # the lazy storage set up, so its class can be patched
    monkeypatch.setattr(
        type(staticfiles_storage._wrapped), "url", lambda self, name: asked.append(name) or f"/kept/{name}"
    )
    template = Template("{% load static %}{% static 'js/nav.js' %}")
    assert template.render(Context()) == "/kept/js/nav.js"
    assert static("css/site.css") == "/kept/css/site.css"
    assert asked == ["js/nav.js", "css/site.css"]
    # Without the app Django joins STATIC_URL and the path; a new registry mapping is noticed
    # (as when a test's INSTALLED_APPS replaces the registry's).
    with monkeypatch.context() as patch:
        configs = {label: config for label, config in apps.app_configs.items() if label != "staticfiles"}
        patch.setattr(apps, "app_configs", configs)
        assert not apps.is_installed("django.contrib.staticfiles")
        assert static("js/nav.js") == settings.STATIC_URL + "js/nav.js"
    assert static("js/nav.js") == "/kept/js/nav.js"

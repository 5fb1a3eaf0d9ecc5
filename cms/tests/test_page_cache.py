import time

import pytest
import time_machine

from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.test import override_settings

from cms import cache as page_cache
from cms.factories import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enabled(settings, site_tree):
    from wagtail.models import Site

    from cms.models import SiteSettings

    # Site settings are created on first use, which counts as a content change; create
    # them first so the tests start from a settled version.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_anonymous_pages_are_cached_with_cdn_headers(client, site_tree):
    first = client.get("/news/")
    assert first["X-Page-Cache"] == "miss"
    assert "s-maxage=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    second = client.get("/news/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_invalidates_listings_and_home(client, site_tree):
    from home.factories import StandardPageFactory

    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    page = StandardPageFactory(parent=site_tree["home"], title="新发布的页面", slug="fresh", show_in_menus=True)
    page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "新发布的页面" in response.content.decode()  # the menu lists it at once


def test_unpublish_and_taxonomy_changes_invalidate(client, site_tree):
    client.get("/news/")
    version = page_cache.content_version()
    TopicFactory(name="新主题")
    assert page_cache.content_version() == version + 1
    site_tree["news"].unpublish()
    assert client.get("/news/").status_code == 404


def test_private_and_bookkeeping_rows_do_not_invalidate(site_tree):
    version = page_cache.content_version()
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert page_cache.content_version() == version


def test_logged_in_users_and_never_cache_views_bypass(client, site_tree, django_user_model):
    response = client.get("/search/?q=重庆")
    assert "X-Page-Cache" not in response
    user = django_user_model.objects.create_user("reader", password="pw-123456789")
    client.force_login(user)
    client.get("/news/")
    assert "X-Page-Cache" not in client.get("/news/")


def test_conditional_get_answers_304(client, site_tree):
    etag = client.get("/news/")["ETag"]
    assert client.get("/news/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@override_settings(PAGE_CACHE_SECONDS=0)
def test_zero_seconds_turns_the_cache_off(client, site_tree):
    client.get("/news/")
    assert "X-Page-Cache" not in client.get("/news/")


def only_kept_key():
    (key,) = page_cache.LOCAL_RESPONSES._items
    return key


def test_a_page_read_from_the_shared_cache_is_then_served_from_this_process(client, site_tree):
    page_cache.LOCAL_RESPONSES.clear()
    first = client.get("/news/")
    assert first["X-Page-Cache"] == "miss" and len(page_cache.LOCAL_RESPONSES) == 0
    assert client.get("/news/")["X-Page-Cache"] == "hit"  # read from the shared cache, kept here
    key = only_kept_key()
    assert cache.get(key) is not None
    cache.delete(key)  # the shared copy is gone; this process still has it
    third = client.get("/news/")
    assert third["X-Page-Cache"] == "hit"
    assert third.content == first.content


def test_pages_kept_by_this_process_follow_a_content_change(client, site_tree):
    from home.factories import StandardPageFactory

    page_cache.LOCAL_RESPONSES.clear()
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert client.get("/")["X-Page-Cache"] == "hit"  # from this process
    # Publishing bumps the shared version number, which the kept copy's key holds.
    page = StandardPageFactory(
        parent=site_tree["home"], title="刚发布的页面", slug="just-published", show_in_menus=True
    )
    page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "刚发布的页面" in response.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"
    # Another worker's change reaches this one only through that number.
    cache.incr(page_cache.VERSION_KEY)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_each_reader_gets_its_own_response_from_this_process(client, site_tree):
    page_cache.LOCAL_RESPONSES.clear()
    client.get("/news/")
    client.get("/news/")
    key = only_kept_key()
    first = page_cache.LOCAL_RESPONSES.get(key)
    first.content = b"changed by one reader"
    first["X-Test"] = "1"
    second = page_cache.LOCAL_RESPONSES.get(key)
    assert second is not first
    assert second.content != b"changed by one reader" and "X-Test" not in second


def test_a_kept_page_expires_with_its_shared_copy(client, site_tree, settings):
    from django.http import HttpResponse

    kept = page_cache.LocalResponses(max_bytes=1024 * 1024)
    now = time.time()
    response = HttpResponse(b"<p>page</p>")
    kept.keep("old", response)  # no expiry stored with it (cached by earlier code): not kept
    response.page_cache_expires = now - 1
    kept.keep("expired", response)
    response.page_cache_expires = now + 60
    kept.keep("fresh", response)
    assert list(kept._items) == ["fresh"]
    assert kept.get("fresh").content == b"<p>page</p>"
    with time_machine.travel(now + 61, tick=False):
        assert kept.get("fresh") is None
    assert len(kept) == 0 and kept._bytes == 0

    # Through the middleware: the expiry is the shared copy's, set when it was stored.
    settings.PAGE_CACHE_SECONDS = 120
    page_cache.LOCAL_RESPONSES.clear()
    before = time.time()
    client.get("/news/")
    client.get("/news/")
    expires, _data = page_cache.LOCAL_RESPONSES._items[only_kept_key()]
    assert before + 120 <= expires <= time.time() + 120


def test_pages_kept_by_this_process_are_bounded_by_size():
    from django.http import HttpResponse

    def page(size):
        response = HttpResponse(b"x" * size)
        response.page_cache_expires = time.time() + 60
        return response

    kept = page_cache.LocalResponses(max_bytes=48_000)  # room for eight of the pages below
    kept.keep("huge", page(7_000))  # more than an eighth of the room: never kept
    assert len(kept) == 0
    for name in "abcde":
        kept.keep(name, page(5_000))
    kept.get("a")  # used: now the most recently used
    for name in "fghijkl":
        kept.keep(name, page(5_000))
    assert kept._bytes <= 48_000
    assert list(kept._items) == list("afghijkl")  # the least recently used went first
    assert kept._bytes == sum(len(data) for _expires, data in kept._items.values())
    kept.keep("a", page(5_000))  # kept again: replaced, not counted twice
    assert len(kept) == 8
    assert kept._bytes == sum(len(data) for _expires, data in kept._items.values())


def test_another_cache_setting_forgets_the_pages_kept_by_this_process(client, site_tree):
    page_cache.LOCAL_RESPONSES.clear()
    client.get("/news/")
    client.get("/news/")
    assert len(page_cache.LOCAL_RESPONSES) == 1
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        assert len(page_cache.LOCAL_RESPONSES) == 0


def test_versioned_values_follow_a_change_made_by_another_worker(site_tree):
    builds = []

    def build():
        builds.append(1)
        return {"menu": len(builds)}

    assert page_cache.versioned("menu-test", build) == {"menu": 1}
    assert page_cache.versioned("menu-test", build) == {"menu": 1}  # this process's copy
    # Another worker publishes: only the shared version number changes.
    cache.incr(page_cache.VERSION_KEY)
    assert page_cache.versioned("menu-test", build) == {"menu": 2}
    assert len(builds) == 2


def test_a_flushed_cache_never_brings_back_an_old_version(site_tree):
    assert page_cache.versioned("flush-test", lambda: "before") == "before"
    cache.clear()  # Redis flushed or restarted: the version starts again from scratch
    assert page_cache.versioned("flush-test", lambda: "after") == "after"


def test_versioned_values_are_private_copies(site_tree):
    first = page_cache.versioned("copy-test", lambda: {"items": [1, 2]})
    first["items"].append(3)
    assert page_cache.versioned("copy-test", lambda: {"items": []}) == {"items": [1, 2]}


def test_shared_versioned_values_are_one_object_and_follow_changes(site_tree):
    from cms.templatetags.cms_tags import MenuItem

    menu = (MenuItem("新闻", "/news/", "00010001"), MenuItem("政策", "/policies/", "00010002"))
    first = page_cache.versioned("shared-test", lambda: menu, shared=True)
    assert first == menu
    assert page_cache.versioned("shared-test", lambda: (), shared=True) is first  # not unpickled again
    cache.incr(page_cache.VERSION_KEY)  # another worker changed content
    assert page_cache.versioned("shared-test", lambda: (), shared=True) == ()
    # Values read back from the shared cache by another process are shared the same way.
    page_cache._LOCAL.clear()
    again = page_cache.versioned("shared-test", lambda: ("rebuilt",), shared=True)
    assert again == () and page_cache.versioned("shared-test", lambda: ("rebuilt",), shared=True) is again


def test_a_mutable_copy_left_in_the_shared_cache_is_built_again(site_tree):
    """An earlier release stored the value as a list; the shared reader rebuilds it."""
    key = f"versioned:{page_cache.content_version()}:upgrade-test"
    cache.set(key, ["/old/"])
    assert page_cache.versioned("upgrade-test", lambda: ("/new/",), shared=True) == ("/new/",)
    assert cache.get(key) == ("/new/",)


class Mutable:
    """Hashable (by identity) but its attributes can change."""


@pytest.mark.parametrize(
    "value",
    [["a"], {"a": 1}, {"a"}, ("a", ["b"]), frozenset({("a", Mutable())})],
    ids=["list", "dict", "set", "tuple-with-list", "frozenset-with-object"],
)
def test_a_mutable_value_cannot_be_shared(site_tree, value):
    with pytest.raises(TypeError, match="not immutable"):
        page_cache.versioned("mutable-test", lambda: value, shared=True)
    with pytest.raises(TypeError, match="not immutable"):
        page_cache.set_versioned_many({"mutable-many": value}, shared=True)
    assert page_cache.versioned("mutable-test", lambda: "built", shared=True) == "built"  # nothing half-stored


def test_the_immutability_check():
    import dataclasses
    import datetime

    from cms.templatetags.cms_tags import MenuItem

    @dataclasses.dataclass
    class Open:
        name: str

    assert page_cache.is_immutable(("a", 1, 2.5, None, True, b"x", datetime.date(2023, 5, 1), frozenset({"b"})))
    assert page_cache.is_immutable(MenuItem("新闻", "/news/", "0001"))
    assert not page_cache.is_immutable(Open("a"))
    assert not page_cache.is_immutable(Open)
    assert not page_cache.is_immutable(MenuItem("新闻", ["/news/"], "0001"))


def test_a_request_reads_the_version_once_and_again_after_its_own_change(rf, site_tree):
    seen = []

    def view(request):
        seen.append(page_cache.content_version())
        cache.incr(page_cache.VERSION_KEY)  # another worker, mid-request
        seen.append(page_cache.content_version())
        page_cache.bump_version()  # this request changes content itself
        seen.append(page_cache.content_version())
        from django.http import HttpResponse

        return HttpResponse("ok")

    page_cache.AnonymousPageCacheMiddleware(view)(rf.post("/x/"))
    assert seen[0] == seen[1]  # one version for the whole response
    assert seen[2] == seen[0] + 2  # its own change (after the other worker's) is seen at once
    assert page_cache.content_version() == seen[2]  # outside a request: read every time


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_without_a_cache_versioned_values_are_built_every_time(site_tree):
    builds = []
    page_cache.versioned("dummy-test", lambda: builds.append(1) or len(builds))
    page_cache.versioned("dummy-test", lambda: builds.append(1) or len(builds))
    assert len(builds) == 2


def test_whether_the_cache_keeps_values_follows_the_caches_setting():
    """cache_is_shared_state() is worked out once, and again when CACHES changes."""
    assert page_cache.cache_is_shared_state() is True
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        assert page_cache.cache_is_shared_state() is False
        assert page_cache.cache_is_shared_state() is False
    assert page_cache.cache_is_shared_state() is True


def test_a_password_protected_page_is_never_cached_and_its_prompt_works(site_tree):
    """Wagtail marks the prompt never-cache; its CSRF slot is still filled for the visitor."""
    import re

    from django.test import Client

    from wagtail.models import PageViewRestriction

    from home.factories import StandardPageFactory

    page = StandardPageFactory(parent=site_tree["home"], title="内部通知", slug="internal")
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="pw-2026")
    visitor = Client(enforce_csrf_checks=True)
    for _ in range(2):
        prompt = visitor.get(page.url)
        assert prompt.status_code == 200
        assert "X-Page-Cache" not in prompt
        assert "no-store" in prompt["Cache-Control"]
    body = prompt.content.decode()
    assert "pcslot-" not in body
    action = re.search(r'<form[^>]+action="([^"]+)"', body).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    response = visitor.post(action, {"csrfmiddlewaretoken": token, "password": "pw-2026", "return_url": page.url})
    assert response.status_code == 302
    assert "内部通知" in visitor.get(page.url).content.decode()


def test_migrate_starts_a_new_version(site_tree):
    """A release runs migrate; what the old code cached must not be read by the new."""
    from django.core.management import call_command

    before = page_cache.content_version()
    call_command("migrate", verbosity=0)
    assert page_cache.content_version() != before


def test_a_page_full_url_is_worked_out_once_per_request_and_url_path(rf, site_tree):
    from wagtail.models import Page

    page = site_tree["news"]
    request = rf.get("/")
    expected = Page.get_full_url(page, request)  # Wagtail's own answer
    assert expected.endswith("/news/")
    assert page.get_full_url(request) == expected
    assert page._kept_full_url[0]() is request  # kept for this request, held weakly
    page._kept_full_url = (page._kept_full_url[0], page.url_path, "kept")
    assert page.get_full_url(request) == "kept"
    assert page.get_full_url(rf.get("/")) == expected  # another request works it out again
    page.url_path = page.url_path.replace("/news/", "/newsroom/")  # moved within the request
    assert page.get_full_url(request).endswith("/newsroom/")

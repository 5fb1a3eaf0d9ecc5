"""Whole-response cache for anonymous visitors, invalidated by a site-wide content version.

Any change to content the public can see (a page published, unpublished, moved or
deleted; a snippet, setting, image or document saved) bumps one version number in the
cache; cached responses are keyed by it, so every server sharing the cache (Redis) stops
serving stale pages at once. Invalidating everything on a publish is deliberately coarse:
listings, the home page, feeds and facets all show other pages' data, and tracking which
response used what is more fragile than re-rendering after the rare write.

Never cached: anything but anonymous GET/HEAD answered 200; requests carrying a session
cookie (logged-in users, passed page passwords) or pending messages; responses that set cookies, say
private/no-store/no-cache (never_cache: search with a query, tracking), or carry a CSP
nonce; /admin/.

Per-visitor values (a form's CSRF token, its signed start time) are *slots*: on a request
the cache may answer, templates render a placeholder (``slot()``), the cache keeps the
response with the placeholders, and every visitor's copy (fresh or from the cache) gets
its own values filled in as it leaves, with the CSRF cookie and never-cache headers, so
neither a browser nor a CDN keeps one visitor's token.

Each worker also keeps the responses it read from the shared cache most recently
(``LocalResponses``), under the same keys and no longer than their shared copies: a hit
then costs no file read or network reply and no inflating.
"""

import contextlib
import contextvars
import dataclasses
import datetime
import functools
import hashlib
import pickle  # nosec B403: only responses this process pickled itself
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_migrate, post_save
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.html import escape

from cms.copies import copier

VERSION_KEY = "pagecache:version"

# Models whose rows never change what an anonymous visitor sees. Everything else
# invalidates: a model forgotten here costs a re-render, never a stale page.
IGNORED_APPS = {
    "sessions",
    "admin",
    "contenttypes",
    "auth",
    "wagtailsearch",
    "modelsearch",
    "wagtailusers",
    "wagtailembeds",
    "django_tasks_db",
    "wagtailsearchpromotions_query",
}
IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pagesubscription",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.uploadedfile",
    "wagtailimages.rendition",
    "wagtailsearchpromotions.query",
    "wagtailsearchpromotions.querydailyhits",
}


def cache_is_shared_state():
    """Whether the cache keeps what it is given (the content version means something).

    Asked about ten times a request; the answer depends only on the ``CACHES`` setting,
    so it is worked out once and again when that setting changes."""
    try:
        return _SHARED_STATE["default"]
    except KeyError:
        pass
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache

    # ``cache`` is a proxy: ask the backend object it stands for.
    shared = _SHARED_STATE["default"] = not isinstance(caches["default"], DummyCache)
    return shared


_SHARED_STATE = {}


def _forget_shared_state(*, setting, **kwargs):
    if setting == "CACHES":
        _SHARED_STATE.clear()
        LOCAL_RESPONSES.clear()  # another cache: what came from the old one is not in it


setting_changed.connect(_forget_shared_state, dispatch_uid="cms.cache.shared_state")


# Per request (set up by AnonymousPageCacheMiddleware): the content version read once,
# and other values a request may ask for several times (see request_memo()).
_request_memo = contextvars.ContextVar("pagecache_request_memo", default=None)

# Per process: versioned values, each with what makes private copies of it (cms.copies),
# so a page reads the menu, the site settings and search texts from memory instead of the
# shared cache (a file or a network round trip each). Keyed by the content version like
# the shared copies, so any content change anywhere (seen through the shared version key)
# retires them all at once.
_LOCAL = OrderedDict()
_LOCAL_LOCK = threading.Lock()
LOCAL_VERSIONED_ITEMS = 5000


def request_memo(name, build):
    """``build()`` once per request (every time outside one); forgotten when content changes."""
    memo = _request_memo.get()
    if memo is None:
        return build()
    if name not in memo:
        memo[name] = build()
    return memo[name]


@contextlib.contextmanager
def request_scope():
    """For code run outside a request (a benchmark, a command): what
    ``AnonymousPageCacheMiddleware`` gives each request, so values asked for several times
    (``request_memo``) are built once inside the block."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _read_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (new cache, or one that was flushed) never reuses an old number, so
        # per-process copies keyed by an earlier version can never be taken for current.
        cache.add(VERSION_KEY, time.time_ns() // 1000, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_version():
    return request_memo("content-version", _read_version)


def _local_get(key):
    with _LOCAL_LOCK:
        item = _LOCAL.get(key)
        if item is None:
            return None
        expires, data, shared = item
        if expires < time.monotonic():
            del _LOCAL[key]
            return None
        _LOCAL.move_to_end(key)
    if shared:
        return data  # immutable: every reader may hold the same object
    return data()  # a private copy, as the shared cache would give (cms.copies)


IMMUTABLE_ATOMS = (str, bytes, int, float, bool, type(None), datetime.date, datetime.time, datetime.timedelta)


def is_immutable(value):
    """Whether ``value`` can never change: atoms, and tuples, frozensets and frozen
    dataclasses of them (a named tuple is a tuple)."""
    if isinstance(value, IMMUTABLE_ATOMS):
        return True
    if isinstance(value, (tuple, frozenset)):
        return all(is_immutable(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:
            return False
        return all(is_immutable(getattr(value, field.name)) for field in dataclasses.fields(value))
    return False


def _local_set(key, value, timeout, shared=False):
    """Keep ``value`` in this process: itself when ``shared`` (the callers have checked
    it is immutable), else what makes a private copy of it as it is now (``cms.copies``:
    the value ``pickle`` would give back, without its round trip)."""
    data = value if shared else copier(value)
    with _LOCAL_LOCK:
        _LOCAL[key] = (time.monotonic() + timeout, data, shared)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > LOCAL_VERSIONED_ITEMS:
            _LOCAL.popitem(last=False)


def versioned(name, build, timeout=3600, shared=False):
    """``build()``'s value, kept in the shared cache until any visible content changes.

    For fragments every page repeats (the site menu): computed once per content version
    across all workers instead of once per request, and read from this process's memory
    after the first time.

    ``shared``: the value is immutable (``is_immutable``: strings, numbers, tuples,
    frozensets, frozen dataclasses), so this process's memory hands out the one object
    it holds instead of unpickling a private copy for each reader (about 2 µs to 40 µs
    a read). Storing a mutable value as shared raises ``TypeError``.
    """
    return versioned_many({name: name}, timeout, build=lambda names: {name: build()}, shared=shared)[name]


def versioned_many(names, timeout=3600, build=None, shared=False):
    """``{id: value}`` of the names (``{id: name}``) kept for this content version.

    Without ``build``, only those held (this process's memory first, then the shared
    cache); with it, ``build(missing ids)`` gives ``{id: value}`` for the rest, which is
    stored for the next request. ``shared`` as for ``versioned``.
    """
    version = content_version()
    local = cache_is_shared_state()
    keys = {ident: f"versioned:{version}:{name}" for ident, name in names.items()}
    found = {}
    if local:
        for ident, key in keys.items():
            value = _local_get(key)
            if value is not None:
                found[ident] = value
    missing = {keys[ident]: ident for ident in keys if ident not in found}
    if missing:
        for key, value in cache.get_many(list(missing)).items():
            if shared and not is_immutable(value):
                continue  # stored by an earlier release as a mutable value: build it again
            found[missing[key]] = value
            if local:
                _local_set(key, value, timeout, shared)
    if build is not None:
        absent = [ident for ident in keys if ident not in found]
        if absent:
            fresh = build(absent)
            _store_versioned({keys[ident]: value for ident, value in fresh.items()}, timeout, shared)
            found.update(fresh)
    return found


def _store_versioned(values, timeout, shared=False):
    if shared:  # checked before anything is stored, so a refused value leaves nothing behind
        for key, value in values.items():
            if not is_immutable(value):
                raise TypeError(f"versioned value {key!r} is shared but not immutable: {type(value).__name__}")
    cache.set_many(values, timeout)
    if cache_is_shared_state():
        for key, value in values.items():
            _local_set(key, value, timeout, shared)


def set_versioned_many(values, timeout=3600, shared=False):
    """Store ``{name: value}`` for this content version (``shared`` as for ``versioned``)."""
    version = content_version()
    _store_versioned({f"versioned:{version}:{name}": value for name, value in values.items()}, timeout, shared)


def bump_version(**kwargs):
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()  # this request reads the new version and fresh values from here on
    if cache.add(VERSION_KEY, time.time_ns() // 1000, None):
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns() // 1000, None)


def _ignored(model):
    meta = model._meta
    label = meta.label_lower
    extra = {name.lower() for name in getattr(settings, "PAGE_CACHE_IGNORED_MODELS", ())}
    return meta.app_label in IGNORED_APPS or label in IGNORED_MODELS or label in extra


def _on_change(sender, **kwargs):
    if not _ignored(sender):
        bump_version()


def _on_delete(sender, **kwargs):
    # A rendition made during a view changes nothing anyone saw, but one deleted (a purge)
    # may be in the image HTML kept for this version (cms.fragments): its URL is gone.
    from wagtail.images.models import AbstractRendition

    if not _ignored(sender) or issubclass(sender, AbstractRendition):
        bump_version()


def connect_signals():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_delete, dispatch_uid="pagecache-delete")
    # Publishing saves the page row too, but say it explicitly: it is the main event.
    page_published.connect(bump_version, dispatch_uid="pagecache-published")
    page_unpublished.connect(bump_version, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(bump_version, dispatch_uid="pagecache-moved")
    # A release runs migrate: values cached by the previous code (in Redis or the file
    # cache, which outlive the workers) may have another shape, so start a new version.
    post_migrate.connect(_on_migrate, dispatch_uid="pagecache-migrate")


def _on_migrate(sender, **kwargs):
    if sender.label == "cms":  # once per migrate run, not once per app
        bump_version()


def _cache_key(request, version):
    raw = f"{request.get_host()}{request.get_full_path()}"
    return f"pagecache:{version}:{request.method}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _request_cacheable(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith("/admin/")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A visitor with a pending message ("留言已提交") must see it: render afresh.
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _response_cacheable(request, response):
    if response.status_code != 200 or response.cookies or getattr(response, "streaming", False):
        return False
    if getattr(request, "_csp_nonce", None):
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


# name -> callable(request) giving that visitor's value; see register_slot().
_SLOTS = {"csrf": get_token}


def register_slot(name, make):
    """Let templates leave a per-visitor value ``make(request)`` out of cached responses."""
    _SLOTS[name] = make


@functools.lru_cache(maxsize=4)
def _slot_prefix(secret_key):
    # Derived from the secret key so no visitor can plant one in echoed input.
    return f"pcslot-{hashlib.sha256(f'pagecache-slot:{secret_key}'.encode()).hexdigest()[:20]}-"


def _placeholder(name):
    return f"{_slot_prefix(settings.SECRET_KEY)}{name}"


def renders_slots(request):
    return getattr(request, "_page_cache_slots", False)


def slot(request, name):
    """``name``'s value for this visitor, or its placeholder where the response may be cached."""
    if renders_slots(request):
        return _placeholder(name)
    return _SLOTS[name](request)


def csrf_context(request):
    """Context processor: ``{% csrf_token %}`` becomes a slot on responses the cache may keep."""
    if renders_slots(request):
        return {"csrf_token": _placeholder("csrf")}
    return {}


def fill_slots(request, response):
    """This visitor's values in place of the placeholders; such a copy is never cached downstream."""
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/html"):
        return response
    content = response.content
    if _slot_prefix(settings.SECRET_KEY).encode() not in content:
        return response  # most responses: one scan, no slot
    names = [name for name in _SLOTS if _placeholder(name).encode() in content]
    csrf = CsrfViewMiddleware(lambda request: None)
    if "CSRF_COOKIE" not in request.META:
        csrf.process_request(request)  # a hit never reached the CSRF middleware: read the cookie
    for name in names:
        content = content.replace(_placeholder(name).encode(), escape(_SLOTS[name](request)).encode())
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(content))
    del response["Cache-Control"]
    add_never_cache_headers(response)
    return csrf.process_response(request, response)  # sets the CSRF cookie when get_token made one


class LocalResponses:
    """The responses this process read from the shared cache most recently.

    A hit on the shared cache reads a file (or a network reply), inflates it and unpickles
    the response: for a cached article about a fifth of its instructions (callgrind), as
    much again as the bare view the bench compares it with. Kept here pickled but not
    compressed, each reader still gets its own new response (the slots are filled into
    it), as from the shared cache.

    Exactly as fresh as the shared copies: keyed by the same key (which holds the content
    version, so a change anywhere retires them all at once) and dropped when the shared
    copy they came from expires (``page_cache_expires``, stored with it). Bounded by their
    pickled size, least recently used first out.

    Not the versioned values' store (``_local_get``/``_local_set``): that one counts items
    (5,000, a menu or a settings object each) and times them from when this process read
    them; a response is tens of kilobytes and must not outlive a copy another process
    stored earlier.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._items = OrderedDict()  # key -> (expires, pickled response)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, data = item
            if expires <= time.time():
                self._drop(key)
                return None
            self._items.move_to_end(key)
        return pickle.loads(data)  # noqa: S301  # nosec B301: pickled by this process

    def keep(self, key, response):
        """Keep ``response``, as it came from the shared cache, until its shared copy expires."""
        expires = getattr(response, "page_cache_expires", None)
        if expires is None or expires <= time.time():
            return
        data = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 8:  # one huge page must not empty the rest
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (expires, data)
            self._bytes += len(data)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key):
        _expires, data = self._items.pop(key)
        self._bytes -= len(data)

    def clear(self):
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._items)


LOCAL_RESPONSES = LocalResponses(max_bytes=16 * 1024 * 1024)


def _cached_response(key):
    """The cached response for ``key``: from this process's memory, else the shared cache."""
    response = LOCAL_RESPONSES.get(key)
    if response is None:
        response = cache.get(key)
        if response is not None:
            LOCAL_RESPONSES.keep(key, response)
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self._respond(request)
        finally:
            _request_memo.reset(token)

    def _respond(self, request):
        if not _request_cacheable(request):
            return self.get_response(request)
        request._page_cache_slots = True
        key = _cache_key(request, content_version())
        cached = _cached_response(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return fill_slots(request, cached)
        response = self.get_response(request)
        if _response_cacheable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_CACHE_BROWSER_SECONDS,
                s_maxage=settings.PAGE_CACHE_SECONDS,
            )
            response.page_cache_expires = time.time() + settings.PAGE_CACHE_SECONDS
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return fill_slots(request, response)


def _site_with_specific_root(site):
    """The site with its root page in specific form (routing starts there), or False."""
    if not site:
        return False
    site.root_page = site.root_page.specific
    return site


class SharedSiteLookupMiddleware:
    """Which Wagtail site serves this host, from the shared cache instead of a query per request.

    Wagtail keeps the answer on the request (``request._wagtail_site``) once found; this
    puts it there up front, with the sites' root paths that page URLs are made from
    (``request._wagtail_cached_site_root_paths``). Sites are content like any other: saving
    one bumps the version.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # The health check reports the cache and database itself; it must not fail in here first.
    SKIP_PREFIXES = ("/admin/", "/healthz", "/static/")

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith(self.SKIP_PREFIXES):
            from wagtail.models import Site

            key = f"site-for-host:{request._get_raw_host()}:{request.get_port()}"
            try:
                site = versioned(key, lambda: _site_with_specific_root(Site._find_for_request(request)))
                # What each page URL on the request starts from (Wagtail reads it from the
                # default cache once per request and once more per page asked for its full URL).
                request._wagtail_cached_site_root_paths = versioned(
                    "site-root-paths", lambda: tuple(Site.get_site_root_paths()), shared=True
                )
            except DatabaseError:
                # Only a shortcut: views that need the site meet the outage themselves (the
                # 503 page); those that don't (robots.txt) keep answering without a database.
                site = None
            if site:
                request._wagtail_site = site
        return self.get_response(request)

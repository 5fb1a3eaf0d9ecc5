"""The site's middleware: response headers Django's SecurityMiddleware does not set, the
site's language, Django's authentication and messages without reference cycles, and
Django's conditional GET with a cheaper ETag."""

import hashlib
import weakref
from functools import partial

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.middleware import auser, get_user
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.middleware import http as http_middleware
from django.utils import translation
from django.utils.cache import quote_etag
from django.utils.functional import SimpleLazyObject, empty

from cms.i18n import active_translation


def permissions_policy_header(policy):
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    parts = []
    for feature, allowlist in policy.items():
        origins = " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in allowlist)
        parts.append(f"{feature}=({origins})" if origins != "*" else f"{feature}=*")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) to every response that has none.

    The site uses no camera, microphone, location, payment or USB device: the collaboration
    map draws markers from our own data and never asks the browser where the visitor is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class SiteLanguageMiddleware:
    """Activates the site's language (``LANGUAGE_CODE``) while a request is handled.

    The site speaks one language and has no ``LocaleMiddleware`` (no language in URLs, no
    ``Vary: Accept-Language`` to split the page cache). Django then uses ``LANGUAGE_CODE``
    anyway, but each of a page's hundred-odd message lookups first looks for an active
    language and fails (see ``cms.i18n.active_translation``). A language someone activated
    around the request (``translation.override`` in a test, a command) is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if active_translation() is not None:
            return self.get_response(request)
        translation.activate(settings.LANGUAGE_CODE)
        try:
            return self.get_response(request)
        finally:
            translation.deactivate()


class RejectNulBytesMiddleware:
    """Keep NUL characters out of everything a URL carries into the database.

    No legitimate link has one, and PostgreSQL text cannot hold it: a filter, search or
    route lookup given one failed inside the database (a 500 before this). A NUL in the
    path answers 400; NULs in the query string are dropped, so a filter or page number
    typed with one behaves as if it were not there. Forms refuse NUL themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise BadRequest("NUL character in the URL path")
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


# Reference cycles. A request that points at itself (``request.user`` is a lazy object
# whose function holds the request; the messages storage holds it too) is freed only by
# the cyclic garbage collector, and with it everything the request holds: the page, its
# stream fields, the template context. On the policy page that was some 300 objects a
# request, enough to run a collection every other request, each walking all of them
# (about 0.14 ms a request, 4 %). The two middlewares below hold the request weakly;
# ``cms.template_backend`` and ``cms.models`` do the same for the template context, site settings
# and pages. ``cms/tests/test_cycles.py`` checks that a page view leaves no cycles.


def _user_of(request_ref):
    request = request_ref()
    if request is None:
        raise RuntimeError("request.user was asked for after its request was freed")
    if not hasattr(request, "_cached_user"):
        is_empty = getattr(request.session, "is_empty", None)
        if is_empty is not None and is_empty():
            # No session (no cookie, nothing stored in it yet), so no user in it: what
            # Django's get_user finds there, without its failed lookups. Public pages ask
            # (the user bar).
            request._cached_user = AnonymousUser()
    return get_user(request)  # the request's _cached_user when it has one


async def _auser_of(request_ref):
    request = request_ref()
    if request is None:
        raise RuntimeError("request.auser() was awaited after its request was freed")
    return await auser(request)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` and ``request.auser`` holding the request weakly."""

    def process_request(self, request):
        super().process_request(request)  # its checks, and anything a later Django adds
        request_ref = weakref.ref(request)
        request.user = SimpleLazyObject(partial(_user_of, request_ref))
        request.auser = partial(_auser_of, request_ref)


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's, with the message storage holding the request through a weak proxy, and
    made only when something adds or reads a message.

    Most public pages show no messages: making the storage (a cookie and a session
    storage behind a fallback one) and saving it untouched was about 0.7 % of a policy
    page. A storage nobody used has nothing to save.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(partial(default_storage, weakref.proxy(request)))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class ConditionalGetMiddleware(http_middleware.ConditionalGetMiddleware):
    """Django's, with the ETag from SHA-1 rather than MD5.

    Django hashes every response's content with MD5 for its ETag. On a processor with SHA
    extensions (x86 of the last several years, 64-bit ARM) SHA-1 is four times as fast:
    8 µs against 37 µs for a 14 KB policy page, about 0.9 % of it; without them the two
    are about as fast. An ETag only has to change when the content does; nothing reads it
    as a checksum.
    """

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and self.needs_etag(response)
            and not response.has_header("ETag")
            and not response.streaming
            and response.content
        ):
            digest = hashlib.sha1(response.content, usedforsecurity=False).hexdigest()
            response.headers["ETag"] = quote_etag(digest)
        return super().process_response(request, response)

"""Response headers Django's SecurityMiddleware does not set."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils import translation

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

"""django-csp's middleware, with the site's policy built once per process, not per response.

django-csp builds the ``Content-Security-Policy`` header anew for every response: it copies
the settings' directives into dataclasses and dictionaries and joins them into text, twice
(the policy and the report-only one), some 2.7 % of a cold policy page. The header depends
only on the settings, on a view's own changes (the ``csp_update``, ``csp_replace`` and
``csp_override`` decorators leave them on the response) and on the nonce, when a template
asked for one. Here a response without a view's changes gets the header built once per
settings, with the request's nonce put in its place; a response with them takes
django-csp's way. Forgotten when either policy setting changes.
"""

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy

from django.conf import settings
from django.core.signals import setting_changed

# What a view's decorators leave on a response (csp.middleware.CSPMiddleware.get_policy_parts).
RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
# (report only, header, the response attribute that exempts it, the setting).
POLICIES = (
    (False, HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (True, HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)
# Where the nonce goes: a header value can never hold a NUL, so the mark is only ever the
# nonce's place.
NONCE_MARK = "\x00"

_built = {}  # (report only, with a nonce) -> (policy with NONCE_MARK for the nonce, excluded prefixes)


def _policy(report_only, setting, nonce):
    """The policy django-csp's ``build_policy`` gives for the settings alone, and the path
    prefixes it is not sent on."""
    key = (report_only, bool(nonce))
    built = _built.get(key)
    if built is None:
        policy = build_policy(nonce=NONCE_MARK if nonce else None, report_only=report_only)
        prefixes = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
        built = _built[key] = (policy, prefixes)
    policy, prefixes = built
    return (policy.replace(NONCE_MARK, nonce) if nonce else policy), prefixes


def _forget(*, setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _built.clear()


setting_changed.connect(_forget, dispatch_uid="cms.csp")


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's, with the headers of responses without a view's changes kept (see the module)."""

    def process_response(self, request, response):
        if any(getattr(response, name, None) is not None for name in RESPONSE_PARTS):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:  # django-csp's debug pages
            return response
        nonce = getattr(request, "_csp_nonce", None)
        for report_only, header, exempt, setting in POLICIES:
            policy, prefixes = _policy(report_only, setting, nonce)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        if nonce is None:
            # As django-csp: a nonce asked for after the header was written cannot be in it.
            request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

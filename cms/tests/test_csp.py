"""cms.csp: the same headers as django-csp's middleware, with the policy built once."""

import pytest
from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF
from csp.exceptions import CSPNonceError

from django.http import HttpResponse
from django.test import RequestFactory

from cms import csp

REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE], "report-uri": "/csp-report/"}}


def respond(middleware_class, path="/", use_nonce=False, **response_attributes):
    """(request, response) after ``middleware_class`` handled a view's plain response."""

    def view(request):
        response = HttpResponse("<p>page</p>", status=response_attributes.pop("status", 200))
        if use_nonce:
            response.content = f'<script nonce="{request.csp_nonce}"></script>'.encode()
        for name, value in response_attributes.items():
            setattr(response, name, value)
        return response

    request = RequestFactory().get(path)
    return request, middleware_class(view)(request)


def headers(response):
    return {name: response.get(name) for name in (HEADER, HEADER_REPORT_ONLY)}


CASES = {
    "plain": {},
    "nonce": {"use_nonce": True},
    "excluded prefix": {"path": "/admin/pages/"},
    "exempt": {"_csp_exempt": True},
    "exempt report-only": {"_csp_exempt_ro": True},
    "view update": {"_csp_update": {"img-src": ["https://tiles.example.org"]}},
    "view replace": {"_csp_replace": {"script-src": [SELF]}, "use_nonce": True},
    "view config": {"_csp_config": {"default-src": [NONE]}},
}


@pytest.mark.parametrize("report_only", [False, True], ids=["policy", "with report-only"])
@pytest.mark.parametrize("case", CASES)
def test_headers_are_django_csps(settings, case, report_only):
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    for _ in range(2):  # the second from what the first kept
        _request, expected = respond(csp_middleware.CSPMiddleware, **CASES[case])
        request, response = respond(csp.CSPMiddleware, **CASES[case])
        if CASES[case].get("use_nonce"):
            # Each request has its own nonce: put the expected one's in this one's place.
            nonce = request._csp_nonce
            expected_nonce = _request._csp_nonce
            assert headers(response) == {
                name: value.replace(expected_nonce, nonce) if value else value
                for name, value in headers(expected).items()
            }
        else:
            assert headers(response) == headers(expected)
    if case == "plain":
        assert response[HEADER] and "script-src 'self'" in response[HEADER]
        assert (response.get(HEADER_REPORT_ONLY) is not None) == report_only
    if case == "nonce":
        assert f"'nonce-{request._csp_nonce}'" in response[HEADER]
    if case == "excluded prefix":
        assert HEADER not in response


def test_two_requests_get_their_own_nonces():
    first, first_response = respond(csp.CSPMiddleware, use_nonce=True)
    second, second_response = respond(csp.CSPMiddleware, use_nonce=True)
    assert first._csp_nonce != second._csp_nonce
    assert f"'nonce-{first._csp_nonce}'" in first_response[HEADER]
    assert f"'nonce-{second._csp_nonce}'" in second_response[HEADER]
    assert first._csp_nonce not in second_response[HEADER]
    _request, plain = respond(csp.CSPMiddleware)
    assert "nonce-" not in plain[HEADER]


def test_a_header_the_view_set_is_kept():
    def view(request):
        own = HttpResponse("")
        own[HEADER] = "default-src 'none'"
        return own

    assert csp.CSPMiddleware(view)(RequestFactory().get("/"))[HEADER] == "default-src 'none'"


@pytest.mark.parametrize("status", [404, 500])
def test_debug_error_pages_get_no_header_as_with_django_csp(settings, status):
    settings.DEBUG = True
    for middleware_class in (csp_middleware.CSPMiddleware, csp.CSPMiddleware):
        _request, response = respond(middleware_class, status=status)
        assert HEADER not in response
    settings.DEBUG = False
    _request, response = respond(csp.CSPMiddleware, status=status)
    assert HEADER in response


def test_a_nonce_asked_for_after_the_header_is_refused():
    request, _response = respond(csp.CSPMiddleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_setting_is_followed(settings):
    _request, before = respond(csp.CSPMiddleware)
    assert "https://tiles.example.org" not in before[HEADER]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": [SELF, "https://tiles.example.org"],
        },
    }
    _request, after = respond(csp.CSPMiddleware)
    assert "img-src 'self' https://tiles.example.org" in after[HEADER]

import logging
import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


@never_cache
@require_GET
def healthz(request):
    """200 with each part's state when the database and cache answer, 503 naming the failure."""
    checks = {"database": _check_database, "cache": _check_cache}
    result = {}
    healthy = True
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency is a health failure
            logger.warning("healthz: %s failed: %s", name, exc)
            result[name] = f"error: {exc.__class__.__name__}"
            healthy = False
        else:
            result[name] = "ok"
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /services/track/",
        "Disallow: /services/receipt/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Seconds a client (or the proxy) is asked to wait when the database is unreachable.
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """A 500 page that needs no database, cache or context processors.

    Django calls this for any exception no view handled, wherever it was raised (a view, a
    middleware, Wagtail's page routing). When that exception is the database being
    unreachable (connection refused, server gone, SQLite file unopenable), visitors get the
    friendly 503 page with Retry-After instead: the outage is temporary, and the next
    request reconnects by itself (connections are health-checked or opened per request).
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        html = render_to_string("503.html", {"site_name": settings.WAGTAIL_SITE_NAME})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
    html = render_to_string("500.html", {"site_name": settings.WAGTAIL_SITE_NAME})
    return HttpResponse(html, status=500)

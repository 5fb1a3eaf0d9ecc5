from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views
from cms.api import api_router

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("search/", include("search.urls")),
    # Page routes ending in .xml or .geojson (/policies/rss.xml, /collaboration/points.geojson):
    # Wagtail's own pattern allows no dots.
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:xml|geojson))/?$", wagtail_views.serve, name="wagtail_serve_xml"),
]

if settings.SERVE_MEDIA:
    from django.views.static import serve

    urlpatterns += [
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += [
    # Wagtail's page serving comes last: it matches every remaining path.
    path("", include(wagtail_urls)),
]

handler500 = "cms.views.server_error"

"""Page routes whose last segment has a file extension (``/collaboration/points.geojson``).

Wagtail's serve pattern only matches paths made of ``[\\w-]+/`` segments, so a dotted,
slash-less name never reaches the page. This pattern hands it to Wagtail's normal
serving (site lookup, privacy checks, hooks) as ``<page path><name>/``, which the
page's RoutablePageMixin route ``points.geojson/`` answers.
"""

from django.urls import re_path

from wagtail.views import serve


def serve_dotted_route(request, page_path, filename):
    return serve(request, f"{page_path}{filename}/")


urlpatterns = [
    re_path(r"^((?:[\w\-]+/)+)([\w\-]+\.geojson)$", serve_dotted_route, name="page_dotted_route"),
]

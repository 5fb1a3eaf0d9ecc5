"""File-like routes of routable pages (``/news/rss.xml``).

Wagtail's catch-all URL pattern accepts no dot in a path segment, so a feed URL that
ends in ``.xml`` never reaches the page. This pattern hands such paths to Wagtail's
own ``serve`` view, which routes them to the page's ``rss.xml/`` or ``atom.xml/``
route like any other sub-page URL. It is not tied to the news section: any routable
page with those routes (e.g. the policy library) is served the same way.
"""

from django.urls import re_path

from wagtail import views as wagtail_views

FEED_NAMES = ("rss.xml", "atom.xml")


def serve_feed(request, path):
    return wagtail_views.serve(request, f"{path}/")


urlpatterns = [
    re_path(r"^(?P<path>(?:[\w\-]+/)*(?:rss|atom)\.xml)/?$", serve_feed, name="page_feed"),
]

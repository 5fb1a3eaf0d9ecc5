from django.conf import settings

from wagtail.models import Site


def site(request):
    """The current site's name for titles and the header, on page and non-page views alike."""
    current = Site.find_for_request(request)
    return {"site_name": (current.site_name if current and current.site_name else settings.WAGTAIL_SITE_NAME)}

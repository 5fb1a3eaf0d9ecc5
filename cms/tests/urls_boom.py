"""URLconf for the 500-page test: the project's URLs plus a view that fails."""

from django.urls import path

from cms.urls import handler500
from cms.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
__all__ = ["handler500", "urlpatterns"]

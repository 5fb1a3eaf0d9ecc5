import wagtail_factories

from services.models import CollaborationMapPage, ServiceIndexPage


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "服务"
    slug = "services"

    class Meta:
        model = ServiceIndexPage


class CollaborationMapPageFactory(wagtail_factories.PageFactory):
    title = "科技协作"
    slug = "collaboration"

    class Meta:
        model = CollaborationMapPage


from services.collaboration.factories import *  # noqa: E402, F403  (collaboration map and experts)

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from services.collaboration import admin as collaboration_admin

register_snippet(collaboration_admin.TechFieldViewSet)


@hooks.register("register_admin_viewset")
def register_collaboration_viewsets():
    return [collaboration_admin.CollaborationItemListingViewSet(), collaboration_admin.ExpertQuestionViewSet()]

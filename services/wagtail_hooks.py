from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet

from services import enterprise_admin  # noqa: F401  (registers the enterprise register's admin and hooks)
from services.admin_views import (
    VIEW_PERMISSION,
    RequestIndexView,
    RequestInspectView,
    ServiceRequestFilterSet,
    download_attachment,
)
from services.collaboration import admin as collaboration_admin
from services.models import RequestStatus, ServiceRequest


class ServiceRequestViewSet(ModelViewSet):
    """Requests are created only by the public forms and removed only by purge_requests:
    the viewset offers listing, exports and the detail/handling view, nothing else."""

    model = ServiceRequest
    icon = "form"
    menu_label = _("服务申请")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = RequestIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_class = RequestInspectView
    list_display = [
        "reference",
        "category",
        "company_name",
        "masked_phone",
        "status",
        "assignee",
        "officer_group",
        "due_date",
        "overdue_label",
    ]
    filterset_class = ServiceRequestFilterSet
    search_fields = ["reference", "company_name", "credit_code"]
    search_backend_name = None  # plain ORM icontains: references and codes are not words
    list_per_page = 50
    export_filename = "service-requests"

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views exist for requests.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


service_request_viewset = ServiceRequestViewSet("servicerequest")


@hooks.register("register_admin_viewset")
def register_service_request_viewset():
    return service_request_viewset


@hooks.register("register_admin_urls")
def register_attachment_download_url():
    return [path("services/attachments/<int:pk>/", download_attachment, name="services_attachment_download")]


class RequestSummaryPanel(Component):
    """New and overdue request counts on the dashboard, for those who handle requests."""

    name = "service_requests"
    order = 90
    template_name = "services/admin/summary_panel.html"

    def get_context_data(self, parent_context=None):
        queryset = ServiceRequest.objects.all()
        return {
            "new_count": queryset.filter(status=RequestStatus.SUBMITTED).count(),
            "overdue_count": queryset.overdue().count(),
            "index_url": service_request_viewset.menu_url,
        }


@hooks.register("construct_homepage_panels")
def add_request_summary_panel(request, panels):
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(RequestSummaryPanel())


# Collaboration map items, experts' questions and the technical-field vocabulary.
register_snippet(collaboration_admin.TechFieldViewSet)


@hooks.register("register_admin_viewset")
def register_collaboration_viewsets():
    return [collaboration_admin.CollaborationItemListingViewSet(), collaboration_admin.ExpertQuestionViewSet()]

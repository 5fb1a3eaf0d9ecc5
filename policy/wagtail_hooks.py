"""Admin: a flat, filterable, exportable listing of policy documents beside the page tree."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet

from policy.models import InterpretationPage, PolicyPage


class PolicyPageListingViewSet(PageListingViewSet):
    model = PolicyPage
    icon = "doc-full"
    name = "policy_documents"
    menu_label = _("政策文件")
    menu_order = 210
    add_to_admin_menu = True
    columns = [
        *IndexView.base_columns,
        Column("doc_number", label=_("发文字号")),
        Column("publish_date", label=_("发布日期"), sort_key="publish_date"),
    ]
    list_filter = ["doc_type", "repealed", "publish_date"]
    list_export = ["title", "doc_number", "index_number", "doc_type", "publish_date", "effective_date", "expiry_date"]
    export_headings = {
        "title": _("标题"),
        "doc_number": _("发文字号"),
        "index_number": _("索引号"),
        "doc_type": _("文种"),
        "publish_date": _("发布日期"),
        "effective_date": _("施行日期"),
        "expiry_date": _("失效日期"),
    }


class InterpretationPageListingViewSet(PageListingViewSet):
    model = InterpretationPage
    icon = "help"
    name = "policy_interpretations"
    menu_label = _("政策解读")
    menu_order = 211
    add_to_admin_menu = True
    list_filter = ["format"]


@hooks.register("register_admin_viewset")
def register_policy_viewsets():
    return [PolicyPageListingViewSet(), InterpretationPageListingViewSet()]

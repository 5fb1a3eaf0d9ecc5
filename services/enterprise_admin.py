"""Admin for the enterprise register: listing with filters and exports, import, the enterprise's
requests, officer groups, “my enterprises / my open requests” and the analysis page.

Only users with the register's model permissions (Officers and superusers) see any of it.
"""

import django_filters

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.choices import EnterpriseTier
from cms.models import Region
from services import analysis, enterprise_io
from services.admin_views import SafeExportMixin, officer_users
from services.models import Enterprise, OfficerGroup, ServiceRequest

VIEW_PERMISSION = "services.view_enterprise"
ADD_PERMISSION = "services.add_enterprise"
CHANGE_PERMISSION = "services.change_enterprise"
MENU_HOOK = "register_enterprise_menu_item"


def can_view_register(user):
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def can_import(user):
    return user.is_active and user.has_perm(ADD_PERMISSION) and user.has_perm(CHANGE_PERMISSION)


class EnterpriseFilterSet(WagtailFilterSet):
    tier = django_filters.ChoiceFilter(label=gettext_lazy("企业等级"), choices=EnterpriseTier.choices)
    tier_confirmed = django_filters.BooleanFilter(label=gettext_lazy("等级已核实"))
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("所在区县"), queryset=Region.objects.filter(level=Region.Level.DISTRICT)
    )
    industry = django_filters.ChoiceFilter(label=gettext_lazy("所属行业"), choices=lambda: industry_choices())
    group = django_filters.ModelChoiceFilter(label=gettext_lazy("对接组"), queryset=OfficerGroup.objects.all())
    mine = django_filters.BooleanFilter(label=gettext_lazy("我的企业"), method="filter_mine")

    class Meta:
        model = Enterprise
        fields = ["tier", "tier_confirmed", "region", "industry", "group"]

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        mine = Enterprise.objects.for_officer(self.request.user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)


def industry_choices():
    industries = Enterprise.objects.exclude(industry="").values_list("industry", flat=True).distinct()
    return [(name, name) for name in sorted(industries)]


class EnterpriseIndexView(SafeExportMixin, IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("region", "group")
            .annotate(request_count=Count("requests", distinct=True))
        )


class EnterpriseInspectView(InspectView):
    """The enterprise's record and every request it made, with their states."""

    template_name = "services/admin/enterprise_detail.html"

    def get_fields(self):
        return [
            "name",
            "credit_code",
            "tier_label",
            "region",
            "industry",
            "employees",
            "contact_name",
            "contact_phone",
            "contact_email",
            "funding_year",
            "funding_programme",
            "funding_amount",
            "group",
            "notes",
            "sample_label",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requests"] = self.object.requests.select_related("assignee", "officer_group").order_by(
            "-submitted_at"
        )
        return context


class EnterpriseViewSet(ModelViewSet):
    model = Enterprise
    icon = "group"
    menu_label = gettext_lazy("企业")
    index_view_class = EnterpriseIndexView
    inspect_view_enabled = True
    inspect_view_class = EnterpriseInspectView
    copy_view_enabled = False
    list_display = [
        "name",
        "credit_code",
        "tier_label",
        "region",
        "industry",
        "group",
        Column("request_count", label=gettext_lazy("服务申请"), sort_key="request_count"),
    ]
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "credit_code", "industry", "contact_name"]
    search_backend_name = None  # ORM icontains: codes and Chinese names are not words
    list_per_page = 50
    list_export = enterprise_io.EXPORT_FIELDS
    export_headings = enterprise_io.EXPORT_HEADINGS
    export_filename = "enterprises"
    panels = [
        FieldPanel("name"),
        FieldPanel("credit_code"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("tier"), FieldPanel("tier_year")]), FieldPanel("tier_confirmed")],
            heading=gettext_lazy("专精特新等级"),
        ),
        FieldRowPanel([FieldPanel("region"), FieldPanel("industry"), FieldPanel("employees")]),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email")],
            heading=gettext_lazy("联系方式"),
        ),
        MultiFieldPanel(
            [FieldPanel("funding_year"), FieldPanel("funding_programme"), FieldPanel("funding_amount")],
            heading=gettext_lazy("获得资助（选填）"),
        ),
        FieldPanel("group"),
        FieldPanel("notes"),
        FieldPanel("is_sample"),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", EnterpriseImportView.as_view(), name="import")]


class OfficerGroupForm(forms.ModelForm):
    class Meta:
        model = OfficerGroup
        fields = ["name", "description", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = officer_users().order_by("username")


class OfficerGroupIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(enterprise_count=Count("enterprises", distinct=True))
            .prefetch_related("members")
        )


class OfficerGroupViewSet(ModelViewSet):
    model = OfficerGroup
    icon = "user"
    menu_label = gettext_lazy("对接组")
    form_fields = ["name", "description", "members"]
    list_display = [
        "name",
        "member_names",
        Column("enterprise_count", label=gettext_lazy("企业数"), sort_key="enterprise_count"),
    ]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    index_view_class = OfficerGroupIndexView

    def get_form_class(self, for_update=False):
        return OfficerGroupForm


class EnterpriseImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy(
            "CSV（UTF-8 或 GBK 编码）或 Excel（.xlsx）文件，第一行为标题，列名与导出文件相同；"
            "按统一社会信用代码新增或更新企业。任何一行有误则整个文件不导入。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": gettext_lazy("请选择要导入的 CSV 或 Excel（.xlsx）文件。")},
    )


class EnterpriseImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "services/admin/enterprise_import.html"
    form_class = EnterpriseImportForm
    page_title = gettext_lazy("导入企业")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("enterprise:index"), "label": _("企业")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["headings"] = [column.heading for column in enterprise_io.COLUMNS]
        context["required_headings"] = enterprise_io.REQUIRED_HEADINGS
        return context

    def form_valid(self, form):
        result = enterprise_io.import_enterprises(form.cleaned_data["file"])
        if not result.ok:
            form.add_error("file", _("文件未导入，请修改以下问题后重新上传。"))
            return self.render_to_response(self.get_context_data(form=form, import_errors=result.errors), status=400)
        messages.success(
            self.request,
            _("导入完成：新增 %(created)d 家，更新 %(updated)d 家。")
            % {"created": result.created, "updated": result.updated},
        )
        return redirect("enterprise:index")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AnalysisView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/analysis.html"
    page_title = gettext_lazy("企业与服务分析")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charts"] = analysis.dashboard_charts()
        context["figure_checks"] = checks = analysis.published_figure_checks()
        context["figures_differ"] = any(not check.agrees for check in checks)
        context["enterprise_total"] = Enterprise.objects.count()
        context["unconfirmed_total"] = Enterprise.objects.filter(tier_confirmed=False).count()
        return context


class EnterpriseRegisterGroup(ViewSetGroup):
    menu_label = gettext_lazy("中小企业库")
    menu_icon = "group"
    menu_order = 255
    submenu_hook = MENU_HOOK
    items = (EnterpriseViewSet("enterprise"), OfficerGroupViewSet("officergroup"))


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register(MENU_HOOK)
def register_my_enterprises_item():
    return PermittedMenuItem(
        _("我的企业"), reverse("enterprise:index") + "?mine=true", icon_name="user", order=10, check=can_view_register
    )


@hooks.register(MENU_HOOK)
def register_my_requests_item():
    return PermittedMenuItem(
        _("我的待办申请"),
        reverse("servicerequest:index") + "?mine=true",
        icon_name="form",
        order=11,
        check=lambda user: user.has_perm("services.view_servicerequest"),
    )


@hooks.register(MENU_HOOK)
def register_import_item():
    return PermittedMenuItem(
        _("导入企业"), reverse("enterprise:import"), icon_name="upload", order=12, check=can_import
    )


@hooks.register(MENU_HOOK)
def register_analysis_item():
    return PermittedMenuItem(
        _("分析看板"), reverse("enterprise_analysis"), icon_name="table", order=13, check=can_view_register
    )


@hooks.register("register_admin_urls")
def register_analysis_url():
    return [path("enterprise-analysis/", AnalysisView.as_view(), name="enterprise_analysis")]


@hooks.register("register_admin_viewset")
def register_enterprise_viewsets():
    return EnterpriseRegisterGroup()


class MyWorkPanel(Component):
    """On the admin home: the officer's enterprises and open requests, each a link to the filtered list."""

    name = "my_enterprise_work"
    order = 95
    template_name = "services/admin/my_work_panel.html"

    def get_context_data(self, parent_context=None):
        user = parent_context["request"].user
        return {
            "enterprise_count": Enterprise.objects.for_officer(user).count(),
            "open_request_count": ServiceRequest.objects.open().for_officer(user).count(),
            "enterprises_url": reverse("enterprise:index") + "?mine=true",
            "requests_url": reverse("servicerequest:index") + "?mine=true",
            "analysis_url": reverse("enterprise_analysis"),
        }


@hooks.register("construct_homepage_panels")
def add_my_work_panel(request, panels):
    if can_view_register(request.user) and request.user.has_perm("services.view_servicerequest"):
        panels.append(MyWorkPanel())

"""Staff side of requests in the Wagtail admin: listing, exports, detail and handling, downloads."""

import datetime

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView, InspectView

from cms import roles
from cms.choices import EnterpriseTier
from cms.models import Region
from services import pipeline
from services.detail_forms import display_value
from services.kinds import all_kinds, kind_choices
from services.models import OfficerGroup, RequestAttachment, RequestStatus, ServiceRequest

VIEW_PERMISSION = "services.view_servicerequest"
CHANGE_PERMISSION = "services.change_servicerequest"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix text a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_formula(value):
    """Undo ``neutralise_formula`` on a value read back from one of our exports."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeExportMixin:
    """For IndexViews with ``list_export``: what officers open in a spreadsheet is data, never a formula."""

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))


def officer_users():
    User = get_user_model()
    return User.objects.filter(Q(groups__name=roles.OFFICERS) | Q(is_superuser=True), is_active=True).distinct()


class ServiceRequestFilterSet(WagtailFilterSet):
    category = django_filters.ChoiceFilter(label=gettext_lazy("服务类别"), choices=kind_choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=RequestStatus.choices)
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("所在区县"), queryset=Region.objects.filter(level=Region.Level.DISTRICT)
    )
    tier = django_filters.ChoiceFilter(label=gettext_lazy("企业类型"), choices=EnterpriseTier.choices)
    assignee = django_filters.ModelChoiceFilter(label=gettext_lazy("承办人"), queryset=lambda request: officer_users())
    officer_group = django_filters.ModelChoiceFilter(
        label=gettext_lazy("对接组"), queryset=lambda request: OfficerGroup.objects.all()
    )
    submitted_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("提交日期"), widget=DateRangePickerWidget)
    overdue = django_filters.BooleanFilter(label=gettext_lazy("超期"), method="filter_overdue")
    mine = django_filters.BooleanFilter(label=gettext_lazy("我的待办申请"), method="filter_mine")

    class Meta:
        model = ServiceRequest
        fields = ["category", "status", "region", "tier", "assignee", "officer_group", "submitted_at"]

    def filter_mine(self, queryset, name, value):
        """Open requests assigned to the user or queued for one of their 对接组."""
        if value is None:
            return queryset
        mine = ServiceRequest.objects.open().for_officer(self.request.user).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = ServiceRequest.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


COMMON_EXPORT = [
    "reference",
    "get_category_display",
    "get_status_display",
    "company_name",
    "credit_code",
    "get_tier_display",
    "region",
    "industry",
    "employees",
    "contact_name",
    "phone",
    "email",
    "description",
    "submitted_at",
    "acceptance_due",
    "completion_due",
    "closed_at",
    "assignee",
    "officer_group",
    "overdue_label",
    "rating",
    "rating_comment",
]
COMMON_HEADINGS = {
    "get_category_display": gettext_lazy("服务类别"),
    "get_status_display": gettext_lazy("状态"),
    "get_tier_display": gettext_lazy("企业类型"),
}
DETAIL_PREFIX = "detail:"


def detail_columns():
    """One export column per category-specific field of every registered kind."""
    return [
        (f"{DETAIL_PREFIX}{kind.key}:{name}", f"{kind.label}·{label}")
        for kind in all_kinds()
        for name, label in kind.detail_fields()
    ]


class RequestIndexView(SafeExportMixin, IndexView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Built per request so a kind registered later (consultations) gets its columns too.
        self.detail_headings = dict(detail_columns())
        self.list_export = [*COMMON_EXPORT, *self.detail_headings]
        self.export_headings = {**COMMON_HEADINGS, **self.detail_headings}

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("assignee", "region", "officer_group")

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field.startswith(DETAIL_PREFIX):
                _prefix, key, name = field.split(":", 2)
                value = item.details.get(name) if item.category == key else None
                row[field] = "" if value in (None, "", []) else str(display_value(item.kind, name, value))
            else:
                value = getattr(item, field)
                value = value() if callable(value) else value
                if isinstance(value, datetime.datetime):
                    value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
                row[field] = value
        return row


class HandleForm(forms.Form):
    """Status, assignee and a note in one submit; each change becomes a history entry."""

    status = forms.ChoiceField(label=gettext_lazy("变更状态"), required=False)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("承办人"), queryset=officer_users(), required=False, empty_label=gettext_lazy("（未分配）")
    )
    note = forms.CharField(
        label=gettext_lazy("说明/备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    note_public = forms.BooleanField(
        label=gettext_lazy("企业可见"),
        required=False,
        initial=True,
        help_text=gettext_lazy("勾选后企业在进度查询中可以看到说明。"),
    )

    def __init__(self, *args, service_request, **kwargs):
        super().__init__(*args, initial={"assignee": service_request.assignee_id, "note_public": True}, **kwargs)
        self.service_request = service_request
        self.fields["assignee"].queryset = officer_users()
        self.fields["status"].choices = [("", _("（不变）"))] + [
            (status.value, status.label) for status in service_request.allowed_statuses()
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == RequestStatus.REJECTED and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("不予受理时必须填写原因。"))
        return cleaned

    def save(self, actor):
        service_request, cleaned = self.service_request, self.cleaned_data
        note, public = cleaned["note"].strip(), cleaned["note_public"]
        if cleaned["assignee"] != service_request.assignee:
            pipeline.assign(service_request, cleaned["assignee"], actor)
        if cleaned["status"]:
            pipeline.change_status(service_request, cleaned["status"], actor, note=note, public=public)
        elif note:
            pipeline.add_note(service_request, note, actor, public=public)


class RequestInspectView(InspectView):
    """Everything about one request, with the handling form for users who may change it."""

    template_name = "services/admin/request_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            ServiceRequest.objects.select_related("assignee", "region", "officer_group", "enterprise"), pk=self.pk
        )

    def get_fields(self):
        return [
            "reference",
            "category",
            "page",
            "status",
            "company_name",
            "credit_code",
            "tier",
            "region",
            "industry",
            "employees",
            "contact_name",
            "phone",
            "email",
            "description",
            "submitted_at",
            "acceptance_due",
            "completion_due",
            "assignee",
            "officer_group",
            "enterprise",
            "rating",
            "rating_comment",
        ]

    def get_page_subtitle(self):
        return self.object.reference

    def can_handle(self):
        return self.request.user.has_perm(CHANGE_PERMISSION)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            service_request=self.object,
            detail_items=self.object.detail_items(),
            attachments=self.object.attachments.all(),
            events=self.object.events.select_related("actor"),
            handle_form=kwargs.get("handle_form")
            or (HandleForm(service_request=self.object) if self.can_handle() else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.can_handle():
            raise PermissionDenied
        form = HandleForm(request.POST, service_request=self.object)
        if form.is_valid():
            try:
                form.save(request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("已保存。"))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(handle_form=form), status=400)


def download_attachment(request, pk):
    """Stream a private attachment to staff allowed to view requests; 404 for everyone else's guesses."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    attachment = get_object_or_404(RequestAttachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

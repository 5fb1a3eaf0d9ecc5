"""Requests SMEs make, their history and their files.

One model for every kind of request (the five services, and later consultations):
the category-specific answers live in ``details`` (JSON), validated by the kind's
Django form (``services.kinds``). Creating requests and changing them goes through
``services.pipeline`` so history, due dates and notifications stay consistent.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.choices import EnterpriseTier
from services.kinds import get_kind, kind_choices
from services.storage import attachment_path, private_storage
from services.validators import mask_phone, validate_credit_code, validate_phone


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    COMPLETED = "completed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.IN_PROGRESS)
CLOSED_STATUSES = (RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN)

# Which status may follow which; closed statuses are final.
TRANSITIONS = {
    RequestStatus.SUBMITTED: (RequestStatus.ACCEPTED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN),
    RequestStatus.ACCEPTED: (RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED, RequestStatus.WITHDRAWN),
    RequestStatus.IN_PROGRESS: (RequestStatus.COMPLETED, RequestStatus.WITHDRAWN),
    RequestStatus.COMPLETED: (),
    RequestStatus.REJECTED: (),
    RequestStatus.WITHDRAWN: (),
}


class ServiceRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_officer(self, user):
        """Requests assigned to ``user`` or queued for one of their 对接组 (“我的申请”)."""
        return self.filter(Q(assignee=user) | Q(officer_group__members=user)).distinct()

    def overdue(self, today=None):
        """Not accepted by the acceptance due date, or not closed by the completion due date."""
        today = today or timezone.localdate()
        return self.filter(
            Q(status=RequestStatus.SUBMITTED, acceptance_due__lt=today)
            | Q(status__in=OPEN_STATUSES, completion_due__lt=today)
        )

    def closed_before(self, day):
        return self.filter(status__in=CLOSED_STATUSES, closed_at__date__lt=day)


class ServiceRequest(models.Model):
    """One request from an SME, from submission to closing."""

    Status = RequestStatus

    reference = models.CharField(_("受理编号"), max_length=20, unique=True, editable=False)
    category = models.CharField(_("服务类别"), max_length=30, choices=kind_choices, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, db_index=True
    )

    # Company fields may be blank at the model level: the service forms require them, while
    # a kind for private persons (a consultation) may not ask for them.
    company_name = models.CharField(_("企业名称"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, db_index=True, validators=[validate_credit_code]
    )
    tier = models.CharField(_("企业类型"), max_length=20, choices=EnterpriseTier.choices, blank=True)
    region = models.ForeignKey(
        "cms.Region", verbose_name=_("所在区县"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("所属行业"), max_length=60, blank=True)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, validators=[validate_phone])
    email = models.EmailField(_("电子邮箱"), blank=True)
    description = models.TextField(_("需求描述"), max_length=2000)
    details = models.JSONField(_("类别信息"), default=dict, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("相关页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("提交申请的服务页面，或咨询的专家页面。"),
    )

    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    acceptance_due = models.DateField(_("受理期限"), null=True, blank=True)
    completion_due = models.DateField(_("办结期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结/关闭时间"), null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_service_requests",
    )

    enterprise = models.ForeignKey(
        "services.Enterprise",
        verbose_name=_("企业库企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    officer_group = models.ForeignKey(
        "services.OfficerGroup",
        verbose_name=_("对接组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )

    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_comment = models.TextField(_("评价"), blank=True, max_length=1000)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    purged_at = models.DateTimeField(_("个人信息清除时间"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        indexes = [models.Index(fields=["status", "completion_due"], name="services_req_status_due")]

    def __str__(self):
        return f"{self.reference} {self.company_name or self.contact_name}".strip()

    @property
    def kind(self):
        return get_kind(self.category)

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self):
        today = timezone.localdate()
        if self.status == RequestStatus.SUBMITTED and self.acceptance_due and self.acceptance_due < today:
            return True
        return self.status in OPEN_STATUSES and bool(self.completion_due) and self.completion_due < today

    is_overdue.fget.short_description = _("超期")

    def overdue_label(self):
        return _("超期") if self.is_overdue else ""

    overdue_label.short_description = _("超期")

    @property
    def due_date(self):
        """The next deadline that matters: acceptance while submitted, completion while open."""
        if self.status == RequestStatus.SUBMITTED:
            return self.acceptance_due
        if self.status in OPEN_STATUSES:
            return self.completion_due
        return None

    due_date.fget.short_description = _("期限")

    def masked_phone(self):
        return mask_phone(self.phone) if self.phone else ""

    masked_phone.short_description = _("联系电话")

    def allowed_statuses(self):
        return TRANSITIONS[RequestStatus(self.status)]

    def can_withdraw(self):
        """The SME may withdraw a request that is still open (not once it is closed or purged)."""
        return RequestStatus.WITHDRAWN in self.allowed_statuses() and self.purged_at is None

    def can_rate(self):
        return self.status == RequestStatus.COMPLETED and self.rating is None and self.purged_at is None

    def detail_items(self):
        """(label, display value) for each category-specific field, in the kind's form order."""
        from services.detail_forms import display_value

        kind = self.kind
        items = []
        for name, label in kind.detail_fields():
            items.append((label, display_value(kind, name, self.details.get(name))))
        return items

    def public_events(self):
        return [event for event in self.events.all() if event.is_public]


class RequestEvent(models.Model):
    """One line of a request's history: submission, a status change, an assignment, a note, a rating."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交申请")
        STATUS = "status", _("状态变更")
        ASSIGNED = "assigned", _("分配承办人")
        NOTE = "note", _("备注")
        RATED = "rated", _("满意度评价")
        PURGED = "purged", _("清除个人信息")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("事项"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=RequestStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True, max_length=2000)
    is_public = models.BooleanField(_("企业可见"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.request_id} {self.get_action_display()}"

    def actor_name(self):
        if self.actor is None:
            by_sme = self.action in (self.Action.SUBMITTED, self.Action.RATED) or (
                self.action == self.Action.STATUS and self.to_status == RequestStatus.WITHDRAWN
            )
            return _("申请企业") if by_sme else _("系统")
        return self.actor.get_full_name() or self.actor.get_username()


class RequestAttachment(models.Model):
    """A file sent with a request; stored privately and served only to permitted staff."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name


def local_date(value):
    """The Asia/Shanghai calendar date of an aware datetime (due dates count local days)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value

"""The request pipeline: the one place requests are created and changed.

Public API (what a consultation feature calls after ``register_kind``):

- ``create_request(category, fields, details, files=(), note="", notify=True, page=None)`` → ServiceRequest
- ``change_status(request, status, actor, note="", public=True)`` → RequestEvent
- ``assign(request, assignee, actor, note="")`` → RequestEvent
- ``add_note(request, note, actor, public=False)`` → RequestEvent
- ``rate(request, score, comment="")`` → bool
- ``find_for_tracking(reference, phone)`` → ServiceRequest or None

Every change writes a RequestEvent and, for public changes, notifies the SME after
the transaction commits (``services.notifications``).
"""

import logging
import os
import secrets
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.choices import EnterpriseTier
from services.kinds import get_kind
from services.models.enterprises import Enterprise
from services.models.requests import (
    CLOSED_STATUSES,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    local_date,
)
from services.validators import phone_digits
from services.workdays import add_working_days

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a reference read over the phone cannot be misheard or mistyped.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6
REFERENCE_ATTEMPTS = 8


def make_reference(prefix, year, choice=secrets.choice):
    return f"{prefix}{year}-{''.join(choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))}"


def _save_with_unique_reference(service_request, candidates=None):
    """Save with a fresh random reference, retrying on the (rare) collision.

    ``candidates`` lets a test force a collision; normally references are random.
    """
    kind = get_kind(service_request.category)
    year = timezone.localtime(service_request.submitted_at).year
    for attempt in range(REFERENCE_ATTEMPTS):
        service_request.reference = (
            next(candidates) if candidates is not None else make_reference(kind.reference_prefix, year)
        )
        try:
            with transaction.atomic():  # a savepoint, so a collision does not spoil the outer transaction
                service_request.save(force_insert=True)
            return service_request
        except IntegrityError:
            if not ServiceRequest.objects.filter(reference=service_request.reference).exists():
                raise
            logger.info("reference collision on attempt %d", attempt + 1)
            service_request.pk = None
    raise IntegrityError(f"no unique reference after {REFERENCE_ATTEMPTS} attempts")


def _pause_for_fault_tests():
    """TEST-ONLY HOOK, read nowhere else: hold the submission transaction open.

    With SERVICES_TEST_PAUSE_IN_TRANSACTION=<seconds> in a server's environment, every
    submission sleeps here after its rows and files are written and before the commit, so
    cms/tests/test_faults.py can kill -9 the worker at that moment. Never set in production.
    """
    seconds = os.environ.get("SERVICES_TEST_PAUSE_IN_TRANSACTION")
    if seconds:
        logger.warning("SERVICES_TEST_PAUSE_IN_TRANSACTION: pausing %s s inside the submission transaction", seconds)
        time.sleep(float(seconds))


def create_request(category, fields, details=None, files=(), note="", notify=True, page=None, candidates=None):
    """Save a request, its files and its first history entry in one transaction.

    ``fields`` holds ServiceRequest's common fields (company_name, credit_code, tier,
    region, industry, employees, contact_name, phone, email, description); ``details``
    the kind's serialised detail form data; ``files`` uploaded files already checked
    (``checked_content_type`` set by the form); ``page`` the page it came from (a
    ServicePage, an expert page). Files written before a failure are
    removed again, so a failed submission leaves nothing behind. A process killed inside
    the transaction (kill -9, power loss) cannot clean up: its rows roll back and its files
    stay without a row; ``manage.py clean_orphan_files`` removes those.
    """
    kind = get_kind(category)
    now = timezone.now()
    acceptance_days, completion_days = kind.due_days()
    service_request = ServiceRequest(
        category=kind.key,
        details=details or {},
        page=page,
        submitted_at=now,
        acceptance_due=add_working_days(local_date(now), acceptance_days),
        completion_due=add_working_days(local_date(now), completion_days),
        **fields,
    )
    service_request.full_clean(exclude=["reference", "details"])
    written = []
    try:
        with transaction.atomic():
            link_enterprise(service_request)
            _save_with_unique_reference(service_request, candidates)
            for uploaded in files:
                attachment = RequestAttachment(
                    request=service_request,
                    original_name=(uploaded.name or "")[-255:],
                    content_type=getattr(uploaded, "checked_content_type", "application/octet-stream"),
                    size=uploaded.size,
                )
                attachment.file.save(uploaded.name, uploaded, save=False)
                written.append(attachment.file.name)
                attachment.save()
            RequestEvent.objects.create(
                request=service_request,
                action=RequestEvent.Action.SUBMITTED,
                to_status=RequestStatus.SUBMITTED,
                note=note or _("申请已提交。"),
                is_public=True,
                created_at=now,
            )
            if service_request.officer_group is not None:
                RequestEvent.objects.create(
                    request=service_request,
                    action=RequestEvent.Action.ASSIGNED,
                    note=_("转入对接组：%(group)s") % {"group": service_request.officer_group.name},
                    is_public=False,
                    created_at=now,
                )
            _pause_for_fault_tests()
    except BaseException:
        from services.storage import private_storage

        storage = private_storage()
        for name in written:
            storage.delete(name)
        raise
    if notify:
        from services import notifications

        notifications.request_submitted(service_request)
    return service_request


def link_enterprise(service_request):
    """Link the request to the register's enterprise with its credit code, adding one if new.

    Runs inside create_request's transaction. A new enterprise takes the request's company
    fields, with the tier the SME declared marked as self-declared; a known one is left as
    officers keep it. The request joins the queue of the enterprise's 对接组.
    """
    if not service_request.credit_code:
        return None
    enterprise, _created = Enterprise.objects.select_related("group").get_or_create(
        credit_code=service_request.credit_code,
        defaults={
            "name": service_request.company_name or service_request.credit_code,
            "tier": service_request.tier or EnterpriseTier.OTHER,
            "tier_confirmed": False,
            "region": service_request.region,
            "industry": service_request.industry,
            "employees": service_request.employees,
            "contact_name": service_request.contact_name,
            "contact_phone": service_request.phone,
            "contact_email": service_request.email,
            "notes": _("首次提交服务申请时自动登记；企业等级为企业自报，待核实。"),
        },
    )
    service_request.enterprise = enterprise
    service_request.officer_group = enterprise.group
    return enterprise


def change_status(service_request, status, actor, note="", public=True, notify=True):
    """Move to ``status`` if the transition is allowed; 不予受理 needs a reason."""
    status = RequestStatus(status)
    if status not in service_request.allowed_statuses():
        raise ValidationError(
            _("不能从“%(old)s”变更为“%(new)s”。") % {"old": service_request.get_status_display(), "new": status.label}
        )
    if status == RequestStatus.REJECTED and not note.strip():
        raise ValidationError(_("不予受理时必须填写原因。"))
    now = timezone.now()
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
        if locked.status != service_request.status:
            raise ValidationError(_("该申请已被他人处理，请刷新后重试。"))
        old = locked.status
        locked.status = status
        if status == RequestStatus.ACCEPTED:
            locked.accepted_at = now
        if status in CLOSED_STATUSES:
            locked.closed_at = now
        locked.save(update_fields=["status", "accepted_at", "closed_at", "updated_at"])
        event = RequestEvent.objects.create(
            request=locked,
            action=RequestEvent.Action.STATUS,
            from_status=old,
            to_status=status,
            note=note,
            is_public=public,
            actor=actor,
            created_at=now,
        )
    service_request.status, service_request.accepted_at, service_request.closed_at = (
        locked.status,
        locked.accepted_at,
        locked.closed_at,
    )
    if public and notify:
        from services import notifications

        notifications.status_changed(service_request, event)
    return event


def assign(service_request, assignee, actor, note=""):
    with transaction.atomic():
        ServiceRequest.objects.filter(pk=service_request.pk).update(assignee=assignee, updated_at=timezone.now())
        service_request.assignee = assignee
        name = (assignee.get_full_name() or assignee.get_username()) if assignee else _("（未分配）")
        return RequestEvent.objects.create(
            request=service_request,
            action=RequestEvent.Action.ASSIGNED,
            note=note or _("承办人：%(name)s") % {"name": name},
            is_public=False,
            actor=actor,
        )


def add_note(service_request, note, actor, public=False):
    if not note.strip():
        raise ValidationError(_("备注不能为空。"))
    event = RequestEvent.objects.create(
        request=service_request, action=RequestEvent.Action.NOTE, note=note, is_public=public, actor=actor
    )
    if public:
        from services import notifications

        notifications.status_changed(service_request, event)
    return event


def rate(service_request, score, comment=""):
    """Record the SME's satisfaction once, after 已办结; False if not allowed or already rated."""
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("满意度应为1至5分。"))
    now = timezone.now()
    with transaction.atomic():
        # A conditional update, so two rating posts at once still record one rating.
        updated = ServiceRequest.objects.filter(
            pk=service_request.pk, status=RequestStatus.COMPLETED, rating__isnull=True, purged_at__isnull=True
        ).update(rating=score, rating_comment=comment, rated_at=now)
        if not updated:
            return False
        RequestEvent.objects.create(
            request=service_request,
            action=RequestEvent.Action.RATED,
            note=_("满意度 %(score)d 分") % {"score": int(score)},
            is_public=True,
            created_at=now,
        )
    service_request.rating, service_request.rating_comment, service_request.rated_at = score, comment, now
    return True


def find_for_tracking(reference, phone):
    """The request with this reference whose phone matches (digits compared), else None."""
    service_request = ServiceRequest.objects.filter(
        reference=reference.strip().upper(), purged_at__isnull=True
    ).first()
    if service_request is None:
        return None
    wanted = phone_digits(phone)
    if not wanted or not secrets.compare_digest(wanted, phone_digits(service_request.phone)):
        return None
    return service_request

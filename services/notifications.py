"""Email notifications, sent through django-tasks after the transaction commits.

A request is saved before anything here runs, and nothing here can undo it: enqueueing
happens in ``on_commit``; enqueue errors (a broken queue) and send errors (a dead mail
server) are logged, never raised, and the SMTP connection has a short timeout so the
immediate backend cannot hold a submission for long.
"""

import logging

from django_tasks import task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cms import roles

logger = logging.getLogger(__name__)


def _enqueue(task_function, *args):
    def run():
        try:
            task_function.enqueue(*args)
        except Exception:
            # The request is already committed; a lost notification is logged, not fatal.
            logger.exception("could not enqueue %s%r", getattr(task_function, "name", task_function), args)

    transaction.on_commit(run)


def request_submitted(service_request):
    if service_request.email:
        _enqueue(send_submission_receipt, service_request.pk)
    _enqueue(notify_officers, service_request.pk)


def status_changed(service_request, event):
    if service_request.email and event.is_public:
        _enqueue(send_status_update, service_request.pk, event.pk)


def _send(subject, body, recipients):
    """Send one message; True on success, False (logged) on any mail failure."""
    if not recipients:
        return False
    try:
        connection = get_connection(timeout=getattr(settings, "SERVICES_EMAIL_TIMEOUT", 10))
        send_mail(subject, body, None, recipients, connection=connection)
    except Exception:
        logger.exception("notification mail failed: %s", subject)
        return False
    return True


def _request(request_id):
    from services.models import ServiceRequest

    return ServiceRequest.objects.filter(pk=request_id, purged_at__isnull=True).first()


@task()
def send_submission_receipt(request_id):
    service_request = _request(request_id)
    if service_request is None:
        return False
    kind = service_request.kind
    body = _(
        "您好：\n\n贵单位的“%(category)s”申请已提交，受理编号 %(reference)s。\n"
        "受理期限：%(acceptance_due)s；办结期限：%(completion_due)s（工作日计算）。\n"
        "%(next_steps)s\n\n可凭受理编号和联系电话查询办理进度。"
    ) % {
        "category": kind.label,
        "reference": service_request.reference,
        "acceptance_due": service_request.acceptance_due,
        "completion_due": service_request.completion_due,
        "next_steps": kind.next_steps,
    }
    return _send(
        _("申请已提交：%(reference)s") % {"reference": service_request.reference}, body, [service_request.email]
    )


@task()
def send_status_update(request_id, event_id):
    service_request = _request(request_id)
    if service_request is None:
        return False
    event = service_request.events.filter(pk=event_id).first()
    if event is None or not event.is_public:
        return False
    body = _(
        "您好：\n\n受理编号 %(reference)s 的申请当前状态：%(status)s。\n%(note)s\n\n可凭受理编号和联系电话查询办理进度。"
    ) % {
        "reference": service_request.reference,
        "status": service_request.get_status_display(),
        "note": event.note,
    }
    return _send(
        _("办理进度更新：%(reference)s") % {"reference": service_request.reference}, body, [service_request.email]
    )


@task()
def notify_officers(request_id):
    """Tell officers a request arrived; no personal data in the mail, only the admin link."""
    service_request = _request(request_id)
    if service_request is None:
        return False
    User = get_user_model()
    emails = sorted(
        User.objects.filter(Q(groups__name=roles.OFFICERS) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    link = settings.WAGTAILADMIN_BASE_URL + reverse("servicerequest:inspect", args=[service_request.pk])
    body = _("新的“%(category)s”申请 %(reference)s 待受理，受理期限 %(due)s。\n%(link)s") % {
        "category": service_request.kind.label,
        "reference": service_request.reference,
        "due": service_request.acceptance_due,
        "link": link,
    }
    return _send(_("新服务申请：%(reference)s") % {"reference": service_request.reference}, body, emails)

"""Public views: the service form, the receipt and tracking (served by the pages' routes)."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from cms import cache as page_cache
from cms.models import SiteSettings
from services import pipeline, ratelimit
from services.forms import RatingForm, TrackForm, WithdrawForm, detail_form_helper
from services.models.requests import RequestStatus, ServiceRequest

logger = logging.getLogger(__name__)

SUBMITTED_SESSION_KEY = "services_submitted"
TRACKED_SESSION_KEY = "services_tracked"


def max_body_bytes():
    # Five 10 MB files plus the text fields; Django would otherwise spool any size to disk.
    return getattr(settings, "SERVICES_MAX_BODY_BYTES", 52 * 1024 * 1024)


def _privacy_url(request):
    page = SiteSettings.for_request(request).privacy_page
    return page.url if page is not None and page.live else None


def _remember(request, key, reference):
    references = list(request.session.get(key, []))[-19:]
    if reference not in references:
        references.append(reference)
    request.session[key] = references


def _never_cache(response):
    add_never_cache_headers(response)
    return response


def redirect_to_receipt(request, service_request):
    """After ``pipeline.create_request``: let this session see the receipt, and go there.

    Any kind (a consultation too) uses the one receipt page under the service index.
    """
    from services.models import ServiceIndexPage

    _remember(request, SUBMITTED_SESSION_KEY, service_request.reference)
    index = ServiceIndexPage.objects.live().first()
    if index is None:
        raise Http404
    return redirect(index.url + index.reverse_subpage("receipt", args=[service_request.reference]))


def serve_service_page(page, request):
    """GET shows the form; POST validates, saves through the pipeline and redirects to the receipt."""
    form_class, detail_class = page.get_form_class(), page.get_detail_form_class()
    privacy_url = _privacy_url(request)
    status = 200
    page_error = None
    if request.method == "POST":
        form, detail_form, page_error, status = _bind_forms(request, form_class, detail_class, privacy_url)
        if page_error is None and form.is_valid() & detail_form.is_valid():
            try:
                service_request = pipeline.create_request(
                    page.category,
                    form.common_data(),
                    detail_form.serialised(),
                    files=form.cleaned_data["attachments"],
                    page=page,
                )
            except ValidationError as error:
                # The model's own checks repeat the form's; reaching here means the two disagree.
                logger.warning("request failed model validation: %s", error)
                page_error = _("提交的信息未通过校验，请检查后重试。")
                status = 400
            else:
                return redirect_to_receipt(request, service_request)
        else:
            status = status if page_error else 400
            form.add_refile_hint()
    else:
        form = form_class(privacy_url=privacy_url)
        form.initial["started"] = page_cache.slot(request, "started")
        detail_form = detail_class(prefix="detail")
    context = page.get_context(request)
    context.update(
        form=form,
        detail_form=detail_form,
        detail_helper=detail_form_helper(),
        page_error=page_error,
        privacy_url=privacy_url,
        due_days=page.kind.due_days(),
    )
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    if request.method == "POST" or not page_cache.renders_slots(request):
        return _never_cache(response)
    # The empty form is the same for every anonymous visitor: the page cache may keep it
    # and fills in each visitor's CSRF token and start time (cms.cache slots).
    return response


def _bind_forms(request, form_class, detail_class, privacy_url):
    """Bound forms, or unbound ones plus a page-level message when the body cannot be read or is limited."""
    limit = ratelimit.setting_limit("SERVICES_SUBMIT_RATE", (20, 3600))
    ip = ratelimit.client_ip(request)
    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > max_body_bytes()
    data = files = None
    error = None
    if too_big:
        error = _("提交的内容过大（附件合计不能超过50MB），请减少或压缩附件后重试。")
    else:
        try:
            data, files = request.POST, request.FILES
        except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
            error = _("提交的内容过大或格式不正确，请减少内容后重试。")
    if error:
        # Nothing typed can be recovered from an unread body; show a fresh form with the reason.
        return form_class(privacy_url=privacy_url), detail_class(prefix="detail"), error, 413
    form = form_class(data, files, privacy_url=privacy_url)
    detail_form = detail_class(data, prefix="detail")
    if ratelimit.is_limited("submit", ip, limit):
        form.is_valid()  # show the typed values back, without saving
        return form, detail_form, _("提交过于频繁，请稍后再试。您填写的内容已保留。"), 429
    ratelimit.hit("submit", ip, limit)
    return form, detail_form, None, 200


def receipt(index_page, request, reference):
    """Reference, category, next steps and time limits; shown only to the session that submitted it."""
    if reference not in request.session.get(SUBMITTED_SESSION_KEY, []):
        raise Http404
    service_request = ServiceRequest.objects.filter(reference=reference).first()
    if service_request is None:
        raise Http404
    context = index_page.get_context(request)
    context.update(
        service_request=service_request,
        kind=service_request.kind,
        track_url=index_page.url + index_page.reverse_subpage("track"),
    )
    return _never_cache(TemplateResponse(request, "services/receipt.html", context))


def track(index_page, request):
    """Reference + phone → public history; one generic message for any wrong pair; rating after 已办结."""
    context = index_page.get_context(request)
    form = TrackForm(initial={"reference": request.GET.get("reference", "")[:20]})
    rating_form = withdraw_form = None
    service_request = None
    message = None
    status = 200
    if request.method == "POST" and request.POST.get("action") == "rate":
        service_request, rating_form, message = _rate(request)
        if service_request is None:
            status = 400
    elif request.method == "POST" and request.POST.get("action") == "withdraw":
        service_request, withdraw_form, message = _withdraw(request)
        if service_request is None or withdraw_form is not None:
            status = 400
    elif request.method == "POST":
        form = TrackForm(request.POST)
        ip = ratelimit.client_ip(request)
        limit = ratelimit.setting_limit("SERVICES_TRACK_FAILURE_RATE", (5, 900))
        if ratelimit.is_limited("track", ip, limit):
            message, status = _("查询失败次数过多，请15分钟后再试。"), 429
        elif form.is_valid():
            service_request = pipeline.find_for_tracking(form.cleaned_data["reference"], form.cleaned_data["phone"])
            if service_request is None:
                ratelimit.hit("track", ip, limit)
                message, status = _("未找到匹配的申请，请核对受理编号和联系电话后重试。"), 404
            else:
                _remember(request, TRACKED_SESSION_KEY, service_request.reference)
    if service_request is not None and rating_form is None and service_request.can_rate():
        rating_form = RatingForm()
    if service_request is not None and withdraw_form is None and service_request.can_withdraw():
        withdraw_form = WithdrawForm()
    context.update(
        form=form,
        rating_form=rating_form,
        withdraw_form=withdraw_form,
        service_request=service_request,
        events=service_request.public_events() if service_request else [],
        message=message,
    )
    return _never_cache(TemplateResponse(request, "services/track.html", context, status=status))


def _tracked_request(request):
    """The request named in the POST, if this session looked it up successfully before."""
    reference = request.POST.get("reference", "")
    if reference not in request.session.get(TRACKED_SESSION_KEY, []):
        return None
    return ServiceRequest.objects.filter(reference=reference, purged_at__isnull=True).first()


def _withdraw(request):
    """Only a session that tracked the request may withdraw it, and only while it is open.

    Returns (request, form to show again with its errors or None, message)."""
    service_request = _tracked_request(request)
    if service_request is None:
        return None, None, _("请先查询申请后再撤回。")
    if not service_request.can_withdraw():
        return service_request, None, _("该申请已办结或已撤回，不能再撤回。")
    withdraw_form = WithdrawForm(request.POST)
    if not withdraw_form.is_valid():
        return service_request, withdraw_form, None
    reason = withdraw_form.cleaned_data["reason"].strip()
    note = _("申请人撤回申请。") + (_("原因：%(reason)s") % {"reason": reason} if reason else "")
    try:
        pipeline.change_status(service_request, RequestStatus.WITHDRAWN, actor=None, note=note, public=True)
    except ValidationError as error:
        return service_request, None, " ".join(error.messages)
    return service_request, None, _("申请已撤回。")


def _rate(request):
    """Only a session that tracked the request successfully may rate it, once."""
    service_request = _tracked_request(request)
    if service_request is None:
        return None, None, _("请先查询申请后再评价。")
    rating_form = RatingForm(request.POST)
    if not service_request.can_rate():
        return service_request, None, _("该申请目前不能评价（仅办结后可评价一次）。")
    if not rating_form.is_valid():
        return service_request, rating_form, None
    if pipeline.rate(service_request, rating_form.cleaned_data["rating"], rating_form.cleaned_data["comment"]):
        return service_request, None, _("感谢您的评价！")
    return service_request, None, _("该申请已评价过。")

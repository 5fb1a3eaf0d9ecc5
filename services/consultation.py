"""在线咨询: a private consultation with an expert, as one more kind of the request pipeline.

It registers a request kind, so references, status history, tracking, officers' handling,
exports and notifications are the service requests' own; nothing is copied. The expert
page's /consult/ route reaches ``consult`` through ``EXPERT_CONSULTATION_VIEW``.
"""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from services import pipeline, ratelimit
from services.antispam import SpamProtectedForm
from services.kinds import RequestKind, register_kind
from services.validators import normalise_phone, validate_phone
from services.views import _never_cache, _privacy_url, redirect_to_receipt

logger = logging.getLogger(__name__)


class ConsultationDetailForm(forms.Form):
    """What the officers' view and the exports show as the consultation's own fields."""

    expert = forms.CharField(label=_("咨询专家"), max_length=100)
    topic = forms.CharField(label=_("咨询主题"), max_length=100)


CONSULTATION = register_kind(
    RequestKind(
        key="consultation",
        label=_("在线咨询"),
        detail_form=ConsultationDetailForm,
        acceptance_days=2,
        completion_days=10,
        reference_prefix="ZX",
        next_steps=_(
            "工作人员将在 2 个工作日内把您的问题转给专家，并通过您留下的电话联系您；"
            "进度可凭咨询编号和联系电话在“进度查询”中查看。咨询内容不会公开。"
        ),
    )
)


class ConsultationForm(SpamProtectedForm):
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        validators=[validate_phone],
        help_text=_("手机号或带区号的固定电话；查询进度时需要填写此号码"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("选填；填写后可收到进度通知"))
    company_name = forms.CharField(label=_("单位或合作社名称"), max_length=100, required=False)
    topic = forms.CharField(label=_("咨询主题"), max_length=100, help_text=_("如：高山蔬菜病虫害防治"))
    description = forms.CharField(
        label=_("咨询内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}), help_text=_("最多2000字")
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私政策"),
        error_messages={"required": _("请阅读并同意隐私政策后再提交。")},
    )

    def __init__(self, *args, privacy_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if privacy_url:
            self.fields["consent"].label = format_html(
                '我已阅读并同意<a href="{}" target="_blank" rel="noopener">隐私政策</a>', privacy_url
            )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


def consult(request, expert):
    """GET shows the form; POST creates a consultation request and redirects to its receipt."""
    privacy_url = _privacy_url(request)
    status, page_error = 200, None
    if request.method == "POST":
        form = ConsultationForm(request.POST, privacy_url=privacy_url)
        ip = ratelimit.client_ip(request)
        limit = ratelimit.setting_limit("SERVICES_SUBMIT_RATE", (20, 3600))
        if ratelimit.is_limited("submit", ip, limit):
            page_error, status = _("提交过于频繁，请稍后再试。您填写的内容已保留。"), 429
        elif form.is_valid():
            data = form.cleaned_data
            fields = {key: data[key] for key in ("contact_name", "phone", "email", "company_name", "description")}
            try:
                consultation = pipeline.create_request(
                    CONSULTATION.key, fields, {"expert": expert.title, "topic": data["topic"]}, page=expert
                )
            except ValidationError as error:
                logger.warning("consultation failed model validation: %s", error)
                page_error, status = _("提交的信息未通过校验，请检查后重试。"), 400
            else:
                ratelimit.hit("submit", ip, limit)
                return redirect_to_receipt(request, consultation)
        else:
            status = 400
    else:
        form = ConsultationForm(privacy_url=privacy_url)
    context = {"page": expert, "self": expert, "form": form, "page_error": page_error, "kind": CONSULTATION}
    return _never_cache(TemplateResponse(request, "services/consult.html", context, status=status))

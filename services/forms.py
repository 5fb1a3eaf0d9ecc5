"""Public forms: the common part of every request, tracking and rating."""

from crispy_forms.helper import FormHelper

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cms.choices import EnterpriseTier
from cms.models import Region
from services.antispam import SpamProtectedForm
from services.uploads import check_attachment, max_attachments
from services.validators import normalise_phone, validate_credit_code, validate_phone


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in ``clean``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ofd"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > max_attachments():
            raise forms.ValidationError(
                _("最多上传 %(count)d 个附件，您选择了 %(chosen)d 个。"),
                params={"count": max_attachments(), "chosen": len(files)},
                code="too_many",
            )
        errors = []
        for uploaded in files:
            content_type, error = check_attachment(uploaded)
            if error:
                errors.append(forms.ValidationError(error, code="bad_file"))
            else:
                uploaded.checked_content_type = content_type
        if errors:
            raise forms.ValidationError(errors)
        return files


def _crispy_helper():
    helper = FormHelper()
    helper.form_tag = False  # the common and category forms share one <form>
    helper.disable_csrf = True
    return helper


class ServiceRequestForm(SpamProtectedForm):
    """What every service request asks; the honeypot and fill time come from SpamProtectedForm."""

    company_name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        min_length=1,
        max_length=40,  # longer input reaches the validator, which says how long it was
        strip=True,
        validators=[validate_credit_code],
        help_text=_("18位，见营业执照，字母大写"),
    )
    tier = forms.ChoiceField(label=_("企业类型"), choices=EnterpriseTier.choices)
    region = forms.ModelChoiceField(
        label=_("所在区县"), queryset=Region.objects.filter(level=Region.Level.DISTRICT), empty_label=_("请选择")
    )
    industry = forms.CharField(
        label=_("所属行业"), max_length=60, help_text=_("如：汽车零部件制造、软件和信息技术服务")
    )
    employees = forms.IntegerField(label=_("职工人数"), min_value=1, max_value=100000)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        validators=[validate_phone],
        help_text=_("手机号或带区号的固定电话；查询进度时需要填写此号码"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("选填；填写后可收到受理和办理进度通知"))
    description = forms.CharField(label=_("需求描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("选填；最多5个，每个不超过10MB；支持 PDF、JPG、PNG、Word、Excel、OFD"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意隐私政策"),
        error_messages={"required": _("请阅读并同意隐私政策后再提交。")},
    )

    def __init__(self, *args, privacy_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _crispy_helper()
        if privacy_url:
            self.fields["consent"].label = format_html(
                '我已阅读并同意<a href="{}" target="_blank" rel="noopener">隐私政策</a>', privacy_url
            )
        self.fields["region"].queryset = self.fields["region"].queryset.order_by("sort_order", "name")

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def common_data(self):
        """The cleaned values ServiceRequest stores (everything but files and anti-spam fields)."""
        skip = {"attachments", "consent", "website", "started"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}

    def add_refile_hint(self):
        """Browsers never re-send files: say so when the form comes back with errors."""
        if self.is_bound and self.errors and self.files.getlist("attachments"):
            hint = _("表单有错误，已选择的附件未保存，请重新选择文件后再提交。")
            # The bound field copied help_text when validation ran; update both.
            self.fields["attachments"].help_text = hint
            self["attachments"].help_text = hint
            self.refile_needed = True


def detail_form_helper():
    return _crispy_helper()


class TrackForm(forms.Form):
    reference = forms.CharField(label=_("受理编号"), max_length=20, help_text=_("如：FW2026-7K3QX9"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, help_text=_("提交申请时填写的电话"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因（选填）"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(
        label=_("我确认撤回该申请，撤回后不能恢复"),
        error_messages={"required": _("请勾选确认后再撤回。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RatingForm(forms.Form):
    SCORES = [(str(score), str(score)) for score in range(5, 0, -1)]

    rating = forms.TypedChoiceField(
        label=_("满意度（5分最满意）"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("评价"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

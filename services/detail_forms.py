"""The category-specific part of each service form, and the five service kinds.

Why a JSONField validated by these forms rather than five detail models: the pipeline
(reference, history, tracking, admin, exports, purge) then works on one table, a new
kind (consultation) joins by registering a form without a migration or a new admin,
and the form's labels give the admin its labelled fields and the exports their column
headings. The cost is that detail fields cannot be filtered in SQL, which staff did not
ask for (they filter by category, status, region, tier, assignee and date).
"""

import datetime
import decimal
import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.choices import ServiceCategory
from services.kinds import DEFAULT_NEXT_STEPS, RequestKind, register_kind


def not_in_past(value):
    if value and value < timezone.localdate():
        raise forms.ValidationError(_("日期不能早于今天。"), code="past")


class DetailForm(forms.Form):
    """Base: cleaned data turned into JSON-safe values for ServiceRequest.details."""

    def serialised(self):
        return {name: to_json(value) for name, value in self.cleaned_data.items()}


def to_json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def _text(label, max_length=200, required=True, help_text="", rows=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text, widget=widget)


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        validators=[not_in_past],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


UNIT_WAN = _("单位：万元")


def _amount(label, minimum, maximum, help_text=UNIT_WAN, required=True):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(decimal.Decimal(minimum)), MaxValueValidator(decimal.Decimal(maximum))],
    )


def _count(label, maximum, help_text=""):
    return forms.IntegerField(label=label, min_value=1, max_value=maximum, help_text=help_text)


class TalentForm(DetailForm):
    MODES = [("training", _("人才培训")), ("recruitment", _("人才引进")), ("both", _("培训与引进"))]

    mode = forms.ChoiceField(label=_("需求类型"), choices=MODES, widget=forms.RadioSelect)
    skills_or_positions = _text(
        _("培训技能或引进岗位"), 1000, rows=3, help_text=_("如：工业机器人运维、嵌入式软件工程师")
    )
    headcount = _count(_("人数"), 10000)
    period_start = _date(_("期望开始日期"))
    period_end = _date(_("期望结束日期"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("结束日期不能早于开始日期。"))
        return cleaned


STANDARD_RE = re.compile(r"^[A-Z]{2,5}(/[A-Z])?\s?\d+(\.\d+)*(-\d+)*(:\d{4})?$")


class TestingForm(DetailForm):
    REPORTS = [("CMA", _("需要 CMA 报告")), ("CNAS", _("需要 CNAS 报告"))]

    product = _text(_("产品名称"), 100)
    product_category = _text(_("产品类别"), 100, help_text=_("如：电子电器、汽车零部件、医疗器械"))
    standards = _text(
        _("依据标准"), 500, required=False, help_text=_("标准编号，多个用逗号或顿号分隔，如：GB/T 2423.1-2008")
    )
    test_items = _text(_("检测项目"), 1000, rows=3)
    sample_count = _count(_("样品数量"), 1000)
    reports = forms.MultipleChoiceField(
        label=_("报告资质"), choices=REPORTS, required=False, widget=forms.CheckboxSelectMultiple
    )
    wanted_by = _date(_("期望完成日期"))

    def clean_standards(self):
        value = self.cleaned_data["standards"].strip()
        items = [item.strip() for item in re.split(r"[,，、;；\n]+", value) if item.strip()]
        bad = [item for item in items if not STANDARD_RE.match(item)]
        if bad:
            raise forms.ValidationError(
                _("无法识别的标准编号：%(items)s。请填写如 GB/T 2423.1-2008 的编号。"),
                params={"items": "、".join(bad)},
                code="standard",
            )
        return "、".join(items)


class FinancingForm(DetailForm):
    TYPES = [
        ("loan", _("贷款")),
        ("equity", _("股权")),
        ("leasing", _("融资租赁")),
        ("guarantee", _("担保")),
        ("other", _("其他")),
    ]

    amount = _amount(_("融资金额"), "1", "1000000", help_text=_("单位：万元，1 至 1000000"))
    purpose = _text(_("资金用途"), 1000, rows=3)
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=360)
    financing_type = forms.ChoiceField(label=_("融资方式"), choices=TYPES)
    collateral = _text(_("可提供的抵质押物"), 500, required=False)
    last_year_revenue = _amount(_("上年营业收入"), "0", "10000000", help_text=_("单位：万元"))


class DesignForm(DetailForm):
    STAGES = [
        ("concept", _("概念设计")),
        ("appearance", _("外观设计")),
        ("structure", _("结构设计")),
        ("prototype", _("样机")),
    ]

    product = _text(_("产品名称"), 100)
    stage = forms.ChoiceField(label=_("设计阶段"), choices=STAGES)
    deliverables = _text(_("期望交付成果"), 1000, rows=3, help_text=_("如：效果图、三维模型、样机"))
    budget = _amount(_("预算"), "0.1", "100000", help_text=_("单位：万元"))
    wanted_by = _date(_("期望完成日期"))


class TechnologyForm(DetailForm):
    PARTNERS = [("university", _("高校")), ("institute", _("科研院所")), ("enterprise", _("大型企业"))]
    MODES = [
        ("commissioned", _("委托开发")),
        ("joint", _("合作研发")),
        ("transfer", _("技术转让")),
        ("consortium", _("创新联合体")),
    ]

    problem = _text(_("技术难题"), 2000, rows=4)
    field = _text(_("技术领域"), 100)
    partners = forms.MultipleChoiceField(label=_("希望对接"), choices=PARTNERS, widget=forms.CheckboxSelectMultiple)
    mode = forms.ChoiceField(label=_("合作方式"), choices=MODES)
    budget = _amount(_("预算"), "0", "1000000", help_text=_("单位：万元"))


def display_value(kind, name, value):
    """A stored detail value as staff read it: choice labels, 是/否, lists joined."""
    if value in (None, "", []):
        return "—"
    form_field = kind.detail_form.base_fields.get(name) if kind.detail_form else None
    choices = dict(getattr(form_field, "choices", []) or [])
    if isinstance(value, list):
        return "、".join(str(choices.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(choices.get(value, value))


SERVICE_KINDS = {
    ServiceCategory.TALENT: (
        TalentForm,
        2,
        20,
        _("专员核实培训或引进需求后，对接培训机构或人才资源，并与您商定方案。"),
    ),
    ServiceCategory.TESTING: (TestingForm, 2, 15, _("专员核实检测项目和标准后，推荐具备资质的检测机构并协助送样。")),
    ServiceCategory.FINANCING: (FinancingForm, 3, 20, _("专员核实融资需求后，推荐合作金融机构并组织对接。")),
    ServiceCategory.DESIGN: (DesignForm, 2, 20, _("专员核实设计需求后，对接工业设计中心或设计机构。")),
    ServiceCategory.TECHNOLOGY: (
        TechnologyForm,
        3,
        30,
        _("专员核实技术难题后，联系高校、科研院所或大型企业，协助组建创新联合体或开展合作研发。"),
    ),
}

for _category, (_form, _accept, _complete, _steps) in SERVICE_KINDS.items():
    register_kind(
        RequestKind(
            key=_category.value,
            label=_category.label,
            detail_form=_form,
            acceptance_days=_accept,
            completion_days=_complete,
            next_steps=_steps or DEFAULT_NEXT_STEPS,
        )
    )

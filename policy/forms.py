"""Forms read from query strings: the library filters and the policy matcher.

Both are answered on GET so results can be shared as links; anything a visitor can type
into the address bar ends up as a form error or an ignored filter, never a 500.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.choices import EnterpriseTier, ServiceCategory
from cms.models import Region
from policy.choices import DocType, Industry
from policy.validity import Validity

INVALID_CHOICE = _("“%(value)s”不是有效的选项。")


class PolicyFilterForm(forms.Form):
    SORT_DATE = "date"
    SORT_RELEVANCE = "relevance"

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    issuer = forms.SlugField(label=_("发文机关"), required=False, allow_unicode=True, max_length=140)
    topic = forms.SlugField(label=_("主题分类"), required=False, allow_unicode=True, max_length=60)
    doc_type = forms.ChoiceField(
        label=_("文种"), required=False, choices=DocType.choices, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    year = forms.IntegerField(
        label=_("发布年份"),
        required=False,
        min_value=1949,
        max_value=2100,
        error_messages={"invalid": _("年份应为四位数字。")},
    )
    status = forms.ChoiceField(
        label=_("时效性"), required=False, choices=Validity.choices, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    tier = forms.ChoiceField(
        label=_("适用企业"),
        required=False,
        choices=EnterpriseTier.choices,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[(SORT_RELEVANCE, _("相关度")), (SORT_DATE, _("发布日期"))],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    FACETS = ["issuer", "topic", "doc_type", "year", "status", "tier"]

    def values(self):
        """The valid values only; a bad parameter is dropped (and its error shown) rather than failing."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if data.get(name) not in (None, "")}


class MatchForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("企业层级"),
        choices=EnterpriseTier.choices,
        error_messages={"required": _("请选择企业层级。"), "invalid_choice": INVALID_CHOICE},
    )
    region = forms.ModelChoiceField(
        label=_("所在地区"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("未选择"),
        error_messages={"invalid_choice": _("所选地区不存在。")},
    )
    industry = forms.ChoiceField(
        label=_("所属行业"),
        required=False,
        choices=[("", _("未选择")), *Industry.choices],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    needs = forms.MultipleChoiceField(
        label=_("需要的服务"),
        required=False,
        choices=ServiceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示全部。"),
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "needs":
                field.widget.attrs["class"] = "form-select"
        for name in self.errors:
            if name in self.fields and name != "needs":
                self.fields[name].widget.attrs["class"] = "form-select is-invalid"
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}-error"

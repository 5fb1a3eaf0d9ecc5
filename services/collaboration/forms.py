"""Forms of the collaboration map and the expert board: filters and the 留言 form."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.models import Region
from cms.queries import children
from services.antispam import SpamProtectedForm
from services.models import CollaborationItemPage, ExpertQuestion, TechField

_INVALID_CHOICE = _("没有“%(value)s”这一选项，此条件已忽略。")


def _choice(label, **kwargs):
    return forms.ChoiceField(label=label, required=False, error_messages={"invalid_choice": _INVALID_CHOICE}, **kwargs)


class CollaborationFilterForm(forms.Form):
    """One form drives the list, the map and points.geojson, so all three show the same items."""

    kind = _choice(_("类型"))
    field = _choice(_("技术领域"))
    region = _choice(_("区县"))
    year = _choice(_("年份"))
    partner_province = _choice(_("合作方省份"))

    def __init__(self, data, *, page):
        super().__init__(data)
        mine = children(CollaborationItemPage.objects.live(), page)
        everything = [("", _("全部"))]
        self.fields["kind"].choices = [*everything, *CollaborationItemPage.Kind.choices]
        self.fields["field"].choices = [*everything, *TechField.objects.values_list("slug", "name")]
        self.fields["region"].choices = [
            *everything,
            *Region.objects.filter(pk__in=mine.values("region")).values_list("slug", "name"),
        ]
        years = sorted(set(mine.values_list("year", flat=True)), reverse=True)
        self.fields["year"].choices = [*everything, *((str(year), str(year)) for year in years)]
        self.fields["partner_province"].choices = [
            *everything,
            *Region.objects.filter(level=Region.Level.PROVINCE).values_list("slug", "name"),
        ]

    def filter(self, items):
        """Apply the valid conditions; invalid ones are reported by the form and ignored."""
        self.is_valid()
        data = {key: value for key, value in getattr(self, "cleaned_data", {}).items() if value}
        if "kind" in data:
            items = items.filter(kind=data["kind"])
        if "field" in data:
            items = items.filter(field__slug=data["field"])
        if "region" in data:
            items = items.filter(region__slug=data["region"])
        if "year" in data:
            items = items.filter(year=int(data["year"]))
        if "partner_province" in data:
            province = data["partner_province"]
            partnered = CollaborationItemPage.objects.filter(
                Q(partners__region__slug=province) | Q(partners__region__parent__slug=province)
            )
            items = items.filter(pk__in=partnered.values("pk"))
        return items

    def active_query(self):
        """The valid conditions as a query string (no page number), for links and the GeoJSON URL."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in getattr(self, "cleaned_data", {}).items():
            if value:
                query[key] = value
        return query.urlencode()


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50, strip=True)
    field = _choice(_("技术领域"))
    province = _choice(_("省市"))

    def __init__(self, data):
        super().__init__(data)
        everything = [("", _("全部"))]
        self.fields["field"].choices = [*everything, *TechField.objects.values_list("slug", "name")]
        self.fields["province"].choices = [
            *everything,
            *Region.objects.filter(level=Region.Level.PROVINCE).values_list("slug", "name"),
        ]
        self.fields["q"].error_messages["max_length"] = _("关键词最多 %(limit_value)d 个字。")

    def filter(self, experts):
        from services.models import ExpertPage

        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("field"):
            experts = experts.filter(tech_fields__slug=data["field"])
        if data.get("province"):
            experts = experts.filter(province__slug=data["province"])
        query = data.get("q")
        if query:
            # Substring match works for Chinese on every database; the site search handles ranking.
            matches = ExpertPage.objects.filter(
                Q(title__icontains=query)
                | Q(job_title__icontains=query)
                | Q(specialities__icontains=query)
                | Q(organisation__name__icontains=query)
                | Q(organisation__short_name__icontains=query)
                | Q(tech_fields__name__icontains=query)
            )
            experts = experts.filter(pk__in=matches.values("pk"))
        return experts.distinct()


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_EMAIL = forms.EmailField()


class ExpertQuestionForm(SpamProtectedForm, forms.ModelForm):
    consent_to_publish = forms.BooleanField(
        label=_("我同意在专家页面公开我的问题和专家答复（只显示姓氏，不显示联系方式）"),
        error_messages={"required": _("请勾选同意公开；不希望公开的问题请使用“在线咨询”。")},
    )

    class Meta:
        model = ExpertQuestion
        fields = ["name", "contact", "question", "consent_to_publish"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
            "contact": forms.TextInput(attrs={"autocomplete": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        error_messages = {
            "name": {"required": _("请填写您的姓名。"), "max_length": _("姓名最多 %(limit_value)d 个字。")},
            "contact": {"required": _("请填写联系方式，以便专家答复时联系您。")},
            "question": {
                "required": _("请填写您的问题。"),
                "max_length": _("问题最多 %(limit_value)d 个字（现在 %(show_value)d 个字）。"),
            },
        }

    def clean_contact(self):
        contact = re.sub(r"\s+", "", self.cleaned_data["contact"])
        if _MOBILE.match(contact) or _LANDLINE.match(contact):
            return contact
        try:
            return _EMAIL.clean(contact)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("请填写有效的手机号码（11 位）、座机号码（如 023-12345678）或电子邮箱。"), code="invalid"
            ) from None

    def clean_question(self):
        question = self.cleaned_data["question"].strip()
        if len(question) < 10:
            raise forms.ValidationError(_("问题至少写 10 个字，请说明作物、地点和遇到的情况。"), code="too_short")
        return question

"""The enterprise register (the seed's 中小企业专题数据库) and the officers' 对接组.

An enterprise is keyed by its 统一社会信用代码. Officers maintain the register in the
admin (or import it); the request pipeline adds an enterprise the first time a code it
does not know asks for a service, with the tier the SME declared marked as self-declared
until an officer confirms it. Each enterprise belongs to at most one officer group, and
its new requests land in that group's queue.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.choices import EnterpriseTier
from services.validators import validate_credit_code, validate_phone

FIRST_TIER_YEAR = 2011  # the first year 专精特新 tiers were recognised


class OfficerGroup(models.Model):
    """A team of officers in long-term contact with a set of enterprises (平台分组对接企业)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.TextField(_("说明"), blank=True, max_length=1000)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="officer_groups"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("对接组")
        verbose_name_plural = _("对接组")

    def __str__(self):
        return self.name

    def member_names(self):
        return "、".join(member.get_full_name() or member.get_username() for member in self.members.all())

    member_names.short_description = _("成员")


class EnterpriseQuerySet(models.QuerySet):
    def for_officer(self, user):
        """The enterprises of the groups ``user`` belongs to (“我的企业”)."""
        return self.filter(group__members=user).distinct()


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    tier = models.CharField(
        _("企业等级"), max_length=20, choices=EnterpriseTier.choices, default=EnterpriseTier.OTHER, db_index=True
    )
    tier_year = models.PositiveSmallIntegerField(
        _("认定年度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_TIER_YEAR), MaxValueValidator(2100)],
    )
    tier_confirmed = models.BooleanField(
        _("等级已核实"),
        default=True,
        help_text=_("企业在服务申请中自报的等级未经核实；服务专员核实后勾选。"),
    )
    region = models.ForeignKey(
        "cms.Region", verbose_name=_("所在区县"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("所属行业"), max_length=60, blank=True, db_index=True)
    employees = models.PositiveIntegerField(_("职工人数"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    funding_year = models.PositiveSmallIntegerField(
        _("资助年度"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    funding_programme = models.CharField(_("资助项目"), max_length=100, blank=True)
    funding_amount = models.DecimalField(
        _("资助金额（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    group = models.ForeignKey(
        OfficerGroup,
        verbose_name=_("对接组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    notes = models.TextField(_("备注"), blank=True, max_length=2000)
    is_sample = models.BooleanField(_("示例数据"), default=False, help_text=_("演示用的示例信息，并非真实登记数据。"))
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("企业")
        verbose_name_plural = _("中小企业库")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (self.funding_programme or self.funding_amount is not None) and not self.funding_year:
            raise ValidationError({"funding_year": _("填写资助项目或金额时，请同时填写资助年度。")})

    def tier_label(self):
        label = self.get_tier_display()
        if self.tier_year:
            label = f"{label}（{self.tier_year}）"
        if not self.tier_confirmed:
            label = f"{label} {_('[企业自报，待核实]')}"
        return label

    tier_label.short_description = _("企业等级")

    def tier_status(self):
        return _("已核实") if self.tier_confirmed else _("企业自报")

    tier_status.short_description = _("等级核实")

    def sample_label(self):
        return _("是") if self.is_sample else _("否")

    sample_label.short_description = _("示例数据")

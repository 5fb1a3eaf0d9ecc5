"""Vocabularies of the policy app. Keys are stored in the database and used in URLs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.choices import ServiceCategory


class DocType(models.TextChoices):
    """体裁/文种: the kinds Chinese policy libraries list."""

    NOTICE = "notice", _("通知")
    OPINION = "opinion", _("意见")
    MEASURES = "measures", _("办法")
    PLAN = "plan", _("方案")
    PROGRAMME = "programme", _("规划")
    DECISION = "decision", _("决定")
    REGULATION = "regulation", _("规定")
    RULES = "rules", _("细则")
    GUIDE = "guide", _("指南")
    ANNOUNCEMENT = "announcement", _("公告")
    LETTER = "letter", _("函")
    OTHER = "other", _("其他")


class DatePrecision(models.TextChoices):
    """How much of a date is known: a news story often gives only the month a policy came out."""

    DAY = "day", _("精确到日")
    MONTH = "month", _("精确到月")
    YEAR = "year", _("精确到年")


class MeasureKind(models.TextChoices):
    TALENT = "talent", _("人才")
    TESTING = "testing", _("检测")
    FINANCING = "financing", _("融资")
    DESIGN = "design", _("工业设计")
    TECHNOLOGY = "technology", _("技术创新")
    SUBSIDY = "subsidy", _("资金奖补")
    BRAND = "brand", _("品牌")
    OTHER = "other", _("其他")


# A measure of these kinds is delivered by the matching service unless the editor names another.
KIND_TO_SERVICE = {
    MeasureKind.TALENT: ServiceCategory.TALENT,
    MeasureKind.TESTING: ServiceCategory.TESTING,
    MeasureKind.FINANCING: ServiceCategory.FINANCING,
    MeasureKind.DESIGN: ServiceCategory.DESIGN,
    MeasureKind.TECHNOLOGY: ServiceCategory.TECHNOLOGY,
}


class Industry(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, top-level sections (门类); the codes are the standard's letters."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class InterpretationFormat(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频")

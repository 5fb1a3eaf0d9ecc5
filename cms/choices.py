"""Vocabularies several apps share (policy measures, the matcher, service forms, the register).

Keys are stable identifiers used in URLs and the database; labels are what users read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, trans_real

from cms.i18n import use_i18n


def label_of(choices, value, default=""):
    """The label of ``value`` in the ``choices`` class, else ``default``.

    ``value in SomeChoices.values`` builds the list of choices again on each test (about
    10 µs); the enumeration's own value map answers at once.
    """
    member = choices._value2member_map_.get(value)
    return default if member is None else member.label


def label_text(choices, value, default=""):
    """``str(label_of(choices, value))``: the label as text in the active language, else
    ``default``.

    A label is a lazy string: each ``str()`` (and each truth test) translates it again
    through the lazy proxy, about 2 µs; the policy page shows some sixty labels (each
    measure's kind, tiers and service). The active translation object keeps the text of
    each member it has given, as ``cms.i18n`` keeps its messages: its catalogs do not
    change once Django has built it.
    """
    return label_texts()(choices, value, default)


def label_texts():
    """``label_text`` for many labels at once: a function of ``(choices, value,
    default="")`` bound to the translation active now, so the active translation and its
    kept texts are found once (a measure shows four or five labels), not for each label.
    """
    if not use_i18n():
        return _untranslated_label
    translation = trans_real.catalog()  # the object gettext would use now
    texts = translation.__dict__.get("_kept_labels")
    if texts is None:
        texts = translation._kept_labels = {}

    def text_of(choices, value, default=""):
        key = (choices, value)  # not the member: members are str, equal across classes
        text = texts.get(key)
        if text is None:
            member = choices._value2member_map_.get(value)
            if member is None:
                return default
            if trans_real.catalog() is translation:
                text = str(member.label)
            else:  # called after another language was activated: still this one's text
                with override(translation.language()):
                    text = str(member.label)
            texts[key] = text
        return text

    return text_of


def _untranslated_label(choices, value, default=""):
    member = choices._value2member_map_.get(value)
    return default if member is None else str(member.label)


class ServiceCategory(models.TextChoices):
    """The five services the seed's action plan promises; keys are the /services/<key>/ slugs."""

    TALENT = "talent", _("人才培训与引入")
    TESTING = "testing", _("产品检测")
    FINANCING = "financing", _("融资服务")
    DESIGN = "design", _("工业设计")
    TECHNOLOGY = "technology", _("技术创新")


class EnterpriseTier(models.TextChoices):
    """专精特新 tiers, highest first."""

    NATIONAL_LITTLE_GIANT = "national", _("国家级专精特新“小巨人”")
    MUNICIPAL = "municipal", _("市级专精特新")
    CULTIVATION = "cultivation", _("专精特新培育入库")
    OTHER = "other", _("其他中小企业")

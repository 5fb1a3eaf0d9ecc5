"""Which page types the site search groups under which tab.

Keys are model labels; a model also covers its subclasses (every service
category page under ``services.ServicePage``). Models whose app is not
installed yet are skipped, so tabs appear as the content apps land. The
``SITE_SEARCH_TYPES`` setting replaces the mapping when a project needs to.
A page model can also opt in itself with ``search_result_type = "news"``
(one of the keys below) without touching this module.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

DEFAULT_TYPES = (
    ("news", _("新闻"), ("news.ArticlePage",)),
    ("policy", _("政策"), ("policy.PolicyPage",)),
    ("interpretation", _("解读"), ("policy.InterpretationPage",)),
    ("service", _("服务"), ("services.ServicePage", "services.ServiceIndexPage")),
    ("expert", _("专家"), ("services.ExpertPage",)),
    ("collaboration", _("协作"), ("services.CollaborationItemPage",)),
)
OTHER = "other"
OTHER_LABEL = _("其他")


@dataclass(frozen=True)
class ResultType:
    key: str
    label: str
    models: tuple


# Kept per process: both answers depend only on the installed models and the setting
# (the content type ids come from Django's own per-process cache).
_MEMO = {}


def forget():
    """Compute both again (a model's ``search_result_type`` set after start-up, in a test)."""
    _MEMO.clear()


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in {"SITE_SEARCH_TYPES", "INSTALLED_APPS"}:
        forget()


def result_types():
    """Configured types; a type has models when its models exist or a page declares it."""
    types = _MEMO.get("types")
    if types is None:
        types = _MEMO["types"] = _result_types()
    return types


def _result_types():
    declared = {
        getattr(model, "search_result_type", None)
        for model in apps.get_models()
        if getattr(model, "search_result_type", None)
    }
    configured = getattr(settings, "SITE_SEARCH_TYPES", DEFAULT_TYPES)
    types = []
    for key, label, labels in configured:
        models = []
        for model_label in labels:
            try:
                models.append(apps.get_model(model_label))
            except (LookupError, ValueError):
                continue
        if not models and key in declared:
            models = [m for m in apps.get_models() if getattr(m, "search_result_type", None) == key]
        types.append(ResultType(key, label, tuple(models)))
    return types


def content_type_map():
    """``{content_type_id: type key}`` for every mapped model and its subclasses."""
    models = _MEMO.get("models")
    if models is None:
        models = _MEMO["models"] = _mapped_models()
    mapping = {}
    for model, key, overrides in models:
        ct_id = ContentType.objects.get_for_model(model).id
        if overrides:
            mapping[ct_id] = key
        else:
            mapping.setdefault(ct_id, key)
    return mapping


def _mapped_models():
    """``[(model, type key, whether it overrides)]`` in the order the mapping is built: a
    page's own ``search_result_type`` first, then each type's models and subclasses
    (the first type to claim a model keeps it)."""
    from wagtail.models import Page

    mapped = []
    keys = {t.key for t in result_types()}
    for candidate in apps.get_models():
        declared = getattr(candidate, "search_result_type", None)
        if declared in keys and issubclass(candidate, Page):
            mapped.append((candidate, declared, True))
    for result_type in result_types():
        for model in result_type.models:
            if not issubclass(model, Page):
                continue
            for candidate in apps.get_models():
                if issubclass(candidate, model) and not candidate._meta.abstract:
                    mapped.append((candidate, result_type.key, False))
    return mapped


def type_key_for(page, mapping):
    return mapping.get(page.content_type_id, OTHER)

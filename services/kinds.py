"""Registry of request kinds: what can be asked for through the request pipeline.

The five services of ``cms.choices.ServiceCategory`` register here (see
``services/detail_forms.py``); another feature (consultations) registers its own
kind with ``register_kind`` and then uses ``services.pipeline`` for references,
status history, tracking, staff handling and notifications without copying them.

``ServiceRequest.category`` stores the kind's key; its choices are the callable
``kind_choices`` so a new kind needs no migration.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RequestKind:
    key: str  # stored in ServiceRequest.category; also the /services/<key>/ slug for services
    label: str
    detail_form: type | None  # a django.forms.Form validating the category-specific data
    acceptance_days: int = 2  # working days from submission to 已受理
    completion_days: int = 15  # working days from submission to 已办结
    reference_prefix: str = "FW"
    next_steps: str = ""  # shown on the receipt page
    extra: dict = field(default_factory=dict)

    def due_days(self):
        """(acceptance, completion) in working days; settings.SERVICES_DUE_DAYS overrides per key."""
        override = getattr(settings, "SERVICES_DUE_DAYS", {}).get(self.key)
        if override:
            return tuple(override)
        return self.acceptance_days, self.completion_days

    def detail_fields(self):
        """(name, label) of each category-specific field, in form order, for admin and exports."""
        if self.detail_form is None:
            return []
        return [(name, str(form_field.label or name)) for name, form_field in self.detail_form.base_fields.items()]


_KINDS: dict[str, RequestKind] = {}


def register_kind(kind):
    """Add (or replace, keyed by ``kind.key``) a request kind."""
    _KINDS[kind.key] = kind
    return kind


def unregister_kind(key):
    """Remove a kind (tests that register a throwaway kind clean up with this)."""
    _KINDS.pop(key, None)


def get_kind(key):
    _ensure_loaded()
    return _KINDS[key]


def all_kinds():
    _ensure_loaded()
    return list(_KINDS.values())


def kind_choices():
    """Choices for ServiceRequest.category (a callable: Django evaluates it when needed)."""
    _ensure_loaded()
    return [(kind.key, kind.label) for kind in _KINDS.values()]


def _ensure_loaded():
    # The five services register when their forms module is imported; 在线咨询 in its own.
    import services.consultation
    import services.detail_forms  # noqa: F401


DEFAULT_NEXT_STEPS = _(
    "服务专员将在受理时限内与您联系，核实需求后受理；办理进度可凭受理编号和提交时填写的联系电话在“进度查询”中查看。"
)

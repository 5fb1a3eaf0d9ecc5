"""Reading support measures straight from a StreamField's raw data.

The matcher and the tier facet need only keys and ids; reading the raw JSON avoids
Wagtail's per-page block conversion (a query per page for chooser blocks), so the matcher
costs the same few queries for ten policies or a thousand.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cms.choices import EnterpriseTier, ServiceCategory, label_of
from policy.choices import KIND_TO_SERVICE, MeasureKind

TIER_ORDER = [tier.value for tier in EnterpriseTier]  # highest first


def tiers_at_or_above(tier):
    """Enterprise tiers that qualify for a measure naming ``tier`` (a 小巨人 is also 专精特新)."""
    if tier not in TIER_ORDER:
        return set()
    return set(TIER_ORDER[: TIER_ORDER.index(tier) + 1])


def eligible_tiers(listed):
    if not listed:
        return set(TIER_ORDER)
    eligible = set()
    for tier in listed:
        eligible |= tiers_at_or_above(tier)
    return eligible


def qualifying_tiers(raw_measures):
    tiers = set()
    for measure in iter_measures(raw_measures):
        tiers |= eligible_tiers(measure.tiers)
    return tiers


def tiers_key(tiers):
    """Tiers stored as "|national|municipal|" so a facet filters with one LIKE."""
    ordered = [tier for tier in TIER_ORDER if tier in tiers]
    return f"|{'|'.join(ordered)}|" if ordered else ""


@dataclass
class Measure:
    title: str
    kind: str
    benefit: str
    tiers: list = field(default_factory=list)
    region_ids: list = field(default_factory=list)
    industries: list = field(default_factory=list)
    conditions: str = ""
    amount: Decimal | None = None
    deadline: datetime.date | None = None
    clause: str = ""
    service: str = ""
    link_id: int | None = None

    @property
    def service_key(self):
        return self.service or KIND_TO_SERVICE.get(self.kind, "")

    @property
    def service_label(self):
        return label_of(ServiceCategory, self.service_key)

    @property
    def kind_label(self):
        return label_of(MeasureKind, self.kind, MeasureKind.OTHER.label)


def iter_measures(raw_measures):
    for child in raw_measures or []:
        if not isinstance(child, dict) or child.get("type") != "measure":
            continue
        value = child.get("value") or {}
        yield Measure(
            title=value.get("title") or "",
            kind=value.get("kind") or MeasureKind.OTHER,
            benefit=value.get("benefit") or "",
            tiers=[t for t in value.get("tiers") or [] if t in TIER_ORDER],
            region_ids=[_item_value(item) for item in value.get("regions") or [] if _item_value(item)],
            industries=list(value.get("industries") or []),
            conditions=value.get("conditions") or "",
            amount=_decimal(value.get("amount")),
            deadline=_date(value.get("deadline")),
            clause=value.get("clause") or "",
            service=value.get("service") or "",
            link_id=value.get("link") or None,
        )


def _item_value(item):
    # ListBlock raw data is either plain values or {"type": "item", "value": ..., "id": ...}.
    return item.get("value") if isinstance(item, dict) else item


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value):
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None

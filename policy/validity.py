"""Validity (时效性) derived from dates and relations, never typed by hand.

One rule, written twice: ``derive`` in Python for the page being viewed (and previews of
unsaved drafts), ``expression`` in SQL so listings can filter and count by it without a
query per row. tests/test_validity.py moves the clock through every state and checks the
two agree.
"""

import functools

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Validity(models.TextChoices):
    PENDING = "pending", _("未生效")
    IN_FORCE = "in_force", _("现行有效")
    AMENDED = "amended", _("已修订")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


# Bootstrap colour per state for the label in listings and the banner on the page.
COLOURS = {
    Validity.PENDING: "info",
    Validity.IN_FORCE: "success",
    Validity.AMENDED: "warning",
    Validity.REPEALED: "danger",
    Validity.EXPIRED: "secondary",
}


def today():
    return timezone.localdate()


def in_force_since(page):
    """The day a document starts to apply: 施行日期, or 发布日期 when none is given."""
    return page.effective_date or page.publish_date


def derive(*, on, effective_date, expiry_date, repealed, repeal_date, superseded_since, amended_since):
    """The state on day ``on``. ``superseded_since``/``amended_since``: when the newer document applies."""
    if (repealed and (repeal_date is None or repeal_date <= on)) or (superseded_since and superseded_since <= on):
        return Validity.REPEALED
    if expiry_date and expiry_date < on:
        return Validity.EXPIRED
    if effective_date and effective_date > on:
        return Validity.PENDING
    if amended_since and amended_since <= on:
        return Validity.AMENDED
    return Validity.IN_FORCE


def expression(on, model):
    """A ``Case`` computing ``derive`` in SQL for ``model`` (PolicyPage) rows on day ``on``.

    Built once per day and model and kept: building it (two subquerysets and their
    filters) took about 0.5 ms, paid by every listing of policies, twice on a library
    page. Django copies an expression when a queryset uses it (``resolve_expression``),
    so the kept one is never changed by its uses.
    """
    return _expression(on, model)


@functools.lru_cache(maxsize=8)
def _expression(on, model):
    newer_in_force = Q(live=True) & (Q(effective_date__lte=on) | Q(effective_date__isnull=True, publish_date__lte=on))
    superseded = Exists(model.objects.filter(newer_in_force, supersedes=OuterRef("pk")))
    amended = Exists(model.objects.filter(newer_in_force, pk=OuterRef("amended_by_id")))
    return Case(
        When(Q(repealed=True) & (Q(repeal_date__isnull=True) | Q(repeal_date__lte=on)), then=Value(Validity.REPEALED)),
        When(superseded, then=Value(Validity.REPEALED)),
        When(expiry_date__lt=on, then=Value(Validity.EXPIRED)),
        When(effective_date__gt=on, then=Value(Validity.PENDING)),
        When(amended, then=Value(Validity.AMENDED)),
        default=Value(Validity.IN_FORCE),
        output_field=models.CharField(),
    )


__all__ = ["COLOURS", "Validity", "derive", "expression", "in_force_since", "today"]

"""Validity is derived from dates and relations: move the clock and watch it change."""

import datetime

import pytest
import time_machine

from policy.factories import PolicyPageFactory
from policy.models import PolicyPage
from policy.validity import Validity, derive

D = datetime.date


def sql_state(page):
    return PolicyPage.objects.with_validity().get(pk=page.pk).validity


@pytest.mark.django_db
def test_clock_moves_one_document_through_every_state(library):
    old = PolicyPageFactory(
        parent=library,
        publish_date=D(2024, 1, 10),
        effective_date=D(2024, 3, 1),
        expiry_date=D(2029, 12, 31),
    )
    PolicyPageFactory(parent=library, publish_date=D(2025, 1, 1), effective_date=D(2025, 2, 1))
    amending = PolicyPageFactory(parent=library, publish_date=D(2025, 5, 1), effective_date=D(2025, 6, 1))
    replacing = PolicyPageFactory(
        parent=library, publish_date=D(2026, 6, 1), effective_date=D(2026, 7, 1), supersedes=old
    )
    old.amended_by = amending
    old.save()

    timeline = [
        ("2024-02-01", Validity.PENDING),  # published, not yet in force
        ("2024-03-01", Validity.IN_FORCE),  # the day it takes effect
        ("2025-05-31", Validity.IN_FORCE),  # amendment published but not yet in force
        ("2025-06-01", Validity.AMENDED),
        ("2026-06-30", Validity.AMENDED),  # replacement published, not yet in force
        ("2026-07-01", Validity.REPEALED),  # superseded
    ]
    for day, expected in timeline:
        with time_machine.travel(f"{day} 12:00 +0800", tick=False):
            old.refresh_from_db()
            assert old.get_validity() == expected, day
            assert sql_state(old) == expected, day

    # Without the replacement, the document runs out on its 失效日期.
    replacing.supersedes = None
    replacing.save()
    with time_machine.travel("2029-12-31 12:00 +0800", tick=False):
        assert old.get_validity() == sql_state(old) == Validity.AMENDED
    with time_machine.travel("2030-01-01 12:00 +0800", tick=False):
        assert old.get_validity() == sql_state(old) == Validity.EXPIRED


@pytest.mark.django_db
def test_repeal_flag_takes_effect_on_its_date(library):
    page = PolicyPageFactory(parent=library, publish_date=D(2020, 1, 1), repealed=True, repeal_date=D(2027, 1, 1))
    with time_machine.travel("2026-12-31 12:00 +0800", tick=False):
        assert page.get_validity() == sql_state(page) == Validity.IN_FORCE
    with time_machine.travel("2027-01-01 12:00 +0800", tick=False):
        assert page.get_validity() == sql_state(page) == Validity.REPEALED


@pytest.mark.django_db
def test_draft_replacement_does_not_repeal(library):
    old = PolicyPageFactory(parent=library, publish_date=D(2020, 1, 1))
    draft = PolicyPageFactory(parent=library, publish_date=D(2021, 1, 1), supersedes=old)
    draft.unpublish()
    assert old.get_validity() == sql_state(old) == Validity.IN_FORCE


def test_repeal_wins_over_expiry_and_pending():
    state = derive(
        on=D(2030, 1, 1),
        effective_date=D(2031, 1, 1),
        expiry_date=D(2020, 1, 1),
        repealed=True,
        repeal_date=None,
        superseded_since=None,
        amended_since=None,
    )
    assert state == Validity.REPEALED


@pytest.mark.django_db
def test_kept_expression_is_one_per_day_and_unchanged_by_its_uses(library):
    from policy.validity import _expression, expression

    on, next_day = D(2026, 1, 1), D(2026, 1, 2)
    page = PolicyPageFactory(parent=library, publish_date=D(2025, 12, 1), effective_date=next_day)
    kept = expression(on, PolicyPage)
    assert expression(on, PolicyPage) is kept
    assert expression(next_day, PolicyPage) is not kept

    fresh = _expression.__wrapped__(on, PolicyPage)
    expected = str(PolicyPage.objects.annotate(validity=fresh).filter(validity=Validity.PENDING).query)
    for _use in range(3):
        queryset = PolicyPage.objects.annotate(validity=kept).filter(validity=Validity.PENDING)
        assert str(queryset.query) == expected
        assert list(queryset.values_list("pk", flat=True)) == [page.pk]
    assert PolicyPage.objects.annotate(validity=expression(next_day, PolicyPage)).get(pk=page.pk).validity == (
        Validity.IN_FORCE
    )

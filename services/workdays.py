"""Working-day arithmetic for due dates (weekends skipped; extra holidays from settings)."""

import datetime

from django.conf import settings


def _holidays():
    return {datetime.date.fromisoformat(day) for day in getattr(settings, "SERVICES_HOLIDAYS", [])}


def is_working_day(day, holidays=None):
    holidays = _holidays() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (a request made on Friday with 1 day is due Monday)."""
    holidays = _holidays()
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day

from django import template
from django.utils.html import format_html

from policy import validity
from policy.choices import DatePrecision

register = template.Library()


@register.filter
def policy_date(value, precision=DatePrecision.DAY):
    """A date in Chinese, showing only the part that is known (2021年9月 when only the month is)."""
    if not value:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}年"
    if precision == DatePrecision.MONTH:
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


@register.simple_tag
def validity_badge(state):
    state = validity.Validity(state)
    return format_html(
        '<span class="badge text-bg-{} validity validity-{}">{}</span>',
        validity.COLOURS[state],
        state.value,
        state.label,
    )

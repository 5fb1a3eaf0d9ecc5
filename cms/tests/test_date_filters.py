"""cms_tags' date filters print what Django's ``date`` filter printed with the same format."""

import datetime

import pytest

from django.template import Context, Template
from django.utils import timezone

SAME_AS = {
    "iso_datetime": 'date:"Y-m-d\\TH:i:sO"',
    "cn_date": 'date:"Y年n月j日"',
    "cn_month_day": 'date:"n月j日"',
}

VALUES = [
    timezone.make_aware(datetime.datetime(2021, 9, 1, 8, 5, 3)),  # Asia/Shanghai
    datetime.datetime(2021, 8, 31, 23, 30, tzinfo=datetime.UTC),  # 07:30 on 1 September in Chongqing
    datetime.datetime(2024, 2, 29, 16, 0, 0, 999999, tzinfo=datetime.UTC),
    datetime.datetime(2021, 9, 1, 8, 0),  # naive
    datetime.date(2021, 12, 31),
    None,
    "",
    "2021-09-01",
]


def render(expression, value):
    return Template("{% load cms_tags %}{{ value|" + expression + " }}").render(Context({"value": value}))


@pytest.mark.parametrize("name", SAME_AS)
@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_same_output_as_djangos_date_filter(name, zone, recwarn):
    with timezone.override(zone):
        for value in VALUES:
            if name == "iso_datetime" and type(value) is datetime.date:
                # Django's filter raises TypeError (a time format for a date): print nothing.
                assert render(name, value) == ""
                continue
            assert render(name, value) == render(SAME_AS[name], value), value


def test_examples():
    value = datetime.datetime(2021, 8, 31, 23, 30, tzinfo=datetime.UTC)
    assert render("iso_datetime", value) == "2021-09-01T07:30:00+0800"
    assert render("cn_date", value) == "2021年9月1日"
    assert render("cn_month_day", value) == "9月1日"
    template = "{% load cms_tags tz %}{% localtime off %}{{ value|iso_datetime }}{% endlocaltime %}"
    assert Template(template).render(Context({"value": value})) == "2021-08-31T23:30:00+0000"

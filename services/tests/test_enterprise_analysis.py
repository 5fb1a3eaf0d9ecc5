"""The analysis page draws its charts from the data: the numbers in each chart are asserted."""

import datetime

import pytest

from django.utils import timezone

from cms.models import Region
from services import analysis
from services.factories import EnterpriseFactory, ServiceRequestFactory
from services.models import RequestEvent

pytestmark = pytest.mark.django_db

URL = "/admin/enterprise-analysis/"


def at(month_start, day=2, hour=10):
    return timezone.make_aware(datetime.datetime.combine(month_start.replace(day=day), datetime.time(hour)))


def with_events(category, submitted_at, accepted_after=None, completed_after=None, status="submitted", rating=None):
    service_request = ServiceRequestFactory(category=category, submitted_at=submitted_at, status=status, rating=rating)
    for to_status, days in (("accepted", accepted_after), ("completed", completed_after)):
        if days is not None:
            RequestEvent.objects.create(
                request=service_request,
                action=RequestEvent.Action.STATUS,
                to_status=to_status,
                created_at=submitted_at + datetime.timedelta(days=days),
            )
    return service_request


@pytest.fixture
def data(district):
    other_district = Region.objects.create(name="武隆区", slug="wulong", level="district", parent=district.parent)
    for _n in range(3):
        EnterpriseFactory(tier="national", region=district, industry="汽车制造业")
    EnterpriseFactory(tier="municipal", region=district, industry="医药制造业")
    EnterpriseFactory(tier="municipal", region=other_district, industry="医药制造业")
    EnterpriseFactory(tier="cultivation", region=None, industry="")
    this_month, last_month = analysis.last_months(count=2)
    # talent: accepted after 1, 2 and 4 days (median 2), completed after 10 and 20 days (median 15)
    with_events("talent", at(this_month), accepted_after=1, status="accepted")
    with_events("talent", at(this_month), accepted_after=2, completed_after=10, status="completed", rating=5)
    with_events("talent", at(last_month), accepted_after=4, completed_after=20, status="completed", rating=4)
    # testing: one accepted after 3 days, one still submitted, one rated 3
    with_events("testing", at(last_month), accepted_after=3, completed_after=6, status="completed", rating=3)
    with_events("testing", at(last_month))
    # Older than the months shown: counts for medians, not for the monthly charts.
    with_events("financing", at(this_month) - datetime.timedelta(days=500), accepted_after=7, status="rejected")
    return this_month, last_month


def chart(context, slug):
    return next(item for item in context["charts"] if item.slug == slug)


def values(item):
    return {label: row[-1] if len(row) == 1 else row for label, row in item.table}


def test_dashboard_charts_come_from_the_data(client, officer, data):
    this_month, last_month = data
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    context = response.context

    assert values(chart(context, "tier")) == {
        "国家级专精特新“小巨人”": 3,
        "市级专精特新": 2,
        "专精特新培育入库": 1,
        "其他中小企业": 0,
    }
    assert values(chart(context, "region")) == {"江北区": 4, "武隆区": 1, "未填写": 1}
    assert list(values(chart(context, "region")))[-1] == "未填写"
    assert values(chart(context, "industry")) == {"汽车制造业": 3, "医药制造业": 2, "未填写": 1}

    by_status = chart(context, "status-month")
    assert len(by_status.bars) == analysis.MONTHS_SHOWN
    rows = dict(by_status.table)
    headings = by_status.columns
    this_row = dict(zip(headings, rows[this_month.strftime("%Y-%m")], strict=True))
    last_row = dict(zip(headings, rows[last_month.strftime("%Y-%m")], strict=True))
    assert (this_row["已受理"], this_row["已办结"], this_row["合计"]) == (1, 1, 2)
    assert (last_row["已提交"], last_row["已办结"], last_row["合计"]) == (1, 2, 3)
    assert sum(bar.value for bar in by_status.bars) == 5  # the 500-day-old request is outside the window

    by_category = chart(context, "category-month")
    last_row = dict(zip(by_category.columns, dict(by_category.table)[last_month.strftime("%Y-%m")], strict=True))
    assert (last_row["人才培训与引入"], last_row["产品检测"], last_row["合计"]) == (1, 2, 3)

    accept = values(chart(context, "accept-days"))
    assert accept["人才培训与引入"] == 2.0 and accept["产品检测"] == 3.0 and accept["融资服务"] == 7.0
    assert accept["工业设计"] is None
    complete = values(chart(context, "complete-days"))
    assert complete["人才培训与引入"] == 15.0 and complete["产品检测"] == 6.0 and complete["融资服务"] is None

    satisfaction = values(chart(context, "satisfaction"))
    assert satisfaction["人才培训与引入"] == 4.5 and satisfaction["产品检测"] == 3.0
    assert satisfaction["融资服务"] is None


def test_dashboard_html_carries_titles_tables_and_no_external_assets(client, officer, data):
    client.force_login(officer)
    html = client.get(URL).content.decode()
    assert html.count("<svg") >= 8 and html.count('<title id="chart-') == 8
    assert 'data-label="国家级专精特新“小巨人”" data-value="3"' in html
    assert '<table class="listing analysis-table" data-chart="satisfaction">' in html
    assert '<script src="http' not in html and 'rel="stylesheet" href="http' not in html  # no CDN


def test_bars_scale_with_values(data):
    tier = analysis.dashboard_charts()[0]
    widths = {bar.label: bar.width for bar in tier.bars}
    assert widths["国家级专精特新“小巨人”"] == analysis.BAR_AREA
    assert widths["市级专精特新"] == pytest.approx(analysis.BAR_AREA * 2 / 3, abs=0.1)
    assert widths["其他中小企业"] == 0
    for item in analysis.dashboard_charts():
        for bar in item.bars:
            assert 0 <= bar.text_x < item.width and 0 <= bar.y < item.height


def test_empty_dashboard_renders(client, superuser):
    client.force_login(superuser)
    response = client.get(URL)
    assert response.status_code == 200
    assert values(chart(response.context, "tier"))["市级专精特新"] == 0

"""Figures for the officers' analysis page (the “面” of the seed's 点面结合) and their charts.

Each figure is a plain list computed with a few aggregate queries; charts are inline SVG
drawn on the server from the same lists (no JavaScript, no CDN), each with a title, a
description and the data table beside it for screen readers and copying.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from cms.choices import EnterpriseTier
from services.kinds import all_kinds
from services.models import Enterprise, RequestEvent, RequestStatus, ServiceRequest

MONTHS_SHOWN = 12
PALETTE = ["#b3161e", "#1f5fa8", "#2e8540", "#d98a00", "#6b3fa0", "#00838f", "#7a7a7a", "#c2185b"]
STATUS_COLOURS = {
    RequestStatus.SUBMITTED: "#d98a00",
    RequestStatus.ACCEPTED: "#1f5fa8",
    RequestStatus.IN_PROGRESS: "#00838f",
    RequestStatus.COMPLETED: "#2e8540",
    RequestStatus.REJECTED: "#b3161e",
    RequestStatus.WITHDRAWN: "#7a7a7a",
}
# Hook for apps above services (home) to say which published figures should match the register:
# each function returns [(label, tier key, published value, where it is edited)].
PUBLISHED_FIGURES_HOOK = "services_published_enterprise_figures"


# ---------------------------------------------------------------------------
# Figures


def _counted(rows, key, blank_label):
    """(label, n) biggest first; the blank group (“未填写”) last whatever its size."""
    items = sorted(((row[key], row["n"]) for row in rows), key=lambda item: (not item[0], -item[1], str(item[0])))
    return [(label or blank_label, n) for label, n in items]


def enterprises_by_tier():
    counts = dict(Enterprise.objects.values_list("tier").annotate(n=Count("pk")).order_by())
    return [(str(label), counts.get(key, 0)) for key, label in EnterpriseTier.choices]


def enterprises_by_region():
    rows = Enterprise.objects.values("region__name").annotate(n=Count("pk")).order_by()
    return _counted(rows, "region__name", _("未填写"))


def enterprises_by_industry():
    rows = Enterprise.objects.values("industry").annotate(n=Count("pk")).order_by()
    return _counted(rows, "industry", _("未填写"))


def last_months(today=None, count=MONTHS_SHOWN):
    """The first days of the last ``count`` months, oldest first, ending with this month."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _index in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _monthly(dimension, months):
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    rows = (
        ServiceRequest.objects.filter(submitted_at__gte=start)
        .annotate(month=TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("month", dimension)
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = defaultdict(dict)
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        table[month][row[dimension]] = row["n"]
    return table


def requests_per_month(today=None):
    """{"months": [date], "by_status": {month: {status: n}}, "by_category": {month: {category: n}}}."""
    months = last_months(today)
    return {
        "months": months,
        "by_status": _monthly("status", months),
        "by_category": _monthly("category", months),
    }


def _days(start, end):
    return (end - start).total_seconds() / 86400


def median_days():
    """[(category label, median days to 已受理 or None, n, median days to 已办结 or None, n)]."""
    durations = {"accepted": defaultdict(list), "completed": defaultdict(list)}
    events = RequestEvent.objects.filter(
        action=RequestEvent.Action.STATUS, to_status__in=[RequestStatus.ACCEPTED, RequestStatus.COMPLETED]
    ).values_list("to_status", "request__category", "request__submitted_at", "created_at")
    for to_status, category, submitted_at, created_at in events:
        durations[to_status][category].append(_days(submitted_at, created_at))
    rows = []
    for kind in all_kinds():
        accepted, completed = durations["accepted"][kind.key], durations["completed"][kind.key]
        rows.append(
            (
                str(kind.label),
                round(statistics.median(accepted), 1) if accepted else None,
                len(accepted),
                round(statistics.median(completed), 1) if completed else None,
                len(completed),
            )
        )
    return rows


def satisfaction():
    """[(category label, average rating or None, number of ratings)]."""
    rows = {
        row["category"]: row
        for row in ServiceRequest.objects.filter(rating__isnull=False)
        .values("category")
        .annotate(average=Avg("rating"), n=Count("pk"))
        .order_by()
    }
    result = []
    for kind in all_kinds():
        row = rows.get(kind.key)
        result.append((str(kind.label), round(row["average"], 2) if row else None, row["n"] if row else 0))
    return result


@dataclass
class FigureCheck:
    label: str
    published: str
    register: int
    source: str
    edit_url: str = ""

    @property
    def agrees(self):
        return self.published.strip() == str(self.register)


def published_figure_checks():
    """Home-page figures next to the register's count for the same tier (shown whether or not they agree)."""
    counts = dict(Enterprise.objects.values_list("tier").annotate(n=Count("pk")).order_by())
    checks = []
    for fn in hooks.get_hooks(PUBLISHED_FIGURES_HOOK):
        for label, tier, published, source, edit_url in fn():
            checks.append(FigureCheck(label, str(published), counts.get(tier, 0), source, edit_url))
    return checks


# ---------------------------------------------------------------------------
# Charts: geometry for templates/services/admin/charts/*.html


BAR_HEIGHT = 22
ROW_GAP = 8
LABEL_WIDTH = 190
BAR_AREA = 420
VALUE_WIDTH = 70


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: float
    colour: str
    segments: list = field(default_factory=list)  # stacked bars: (x, width, colour, label, value)

    @property
    def text_x(self):
        """Where the value is written: just after the end of the bar."""
        return round(LABEL_WIDTH + self.width + 6, 1)


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    bars: list
    legend: list = field(default_factory=list)  # [(label, colour)]
    columns: list = field(default_factory=list)  # data table headings after the row label
    table: list = field(default_factory=list)  # [(row label, [values])]
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self):
        return max(1, len(self.bars)) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP

    @property
    def bar_height(self):
        return BAR_HEIGHT


def _scale(maximum):
    return BAR_AREA / maximum if maximum else 0


def bar_chart(slug, title, description, items, column=None):
    """Horizontal bars, one per (label, value); values may be None (drawn as no bar, “—”)."""
    scale = _scale(max((value or 0 for _label, value in items), default=0))
    bars = [
        Bar(
            label=str(label),
            value=value,
            y=ROW_GAP + index * (BAR_HEIGHT + ROW_GAP),
            width=round((value or 0) * scale, 1),
            colour=PALETTE[0],
        )
        for index, (label, value) in enumerate(items)
    ]
    return Chart(
        slug=slug,
        title=title,
        description=description,
        bars=bars,
        columns=[column or _("数量")],
        table=[(str(label), [value]) for label, value in items],
    )


def stacked_chart(slug, title, description, rows, series):
    """Horizontal stacked bars: ``rows`` [(label, {series key: n})], ``series`` [(key, label, colour)]."""
    totals = [sum(values.get(key, 0) for key, _label, _colour in series) for _row, values in rows]
    scale = _scale(max(totals, default=0))
    bars = []
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        x, segments = LABEL_WIDTH, []
        for key, series_label, colour in series:
            value = values.get(key, 0)
            if value:
                width = round(value * scale, 1)
                segments.append((round(x, 1), width, colour, str(series_label), value))
                x += width
        bars.append(
            Bar(
                label=str(label),
                value=total,
                y=ROW_GAP + index * (BAR_HEIGHT + ROW_GAP),
                width=round(total * scale, 1),
                colour="",
                segments=segments,
            )
        )
    return Chart(
        slug=slug,
        title=title,
        description=description,
        bars=bars,
        legend=[(str(label), colour) for _key, label, colour in series],
        columns=[*(str(label) for _key, label, _colour in series), _("合计")],
        table=[
            (str(label), [*(values.get(key, 0) for key, _l, _c in series), total])
            for (label, values), total in zip(rows, totals, strict=True)
        ],
    )


def dashboard_charts(today=None):
    monthly = requests_per_month(today)
    month_labels = [(month, month.strftime("%Y-%m")) for month in monthly["months"]]
    kinds = all_kinds()
    medians = median_days()
    return [
        bar_chart("tier", _("企业库：按企业等级"), _("中小企业库中各等级的企业数量。"), enterprises_by_tier()),
        bar_chart("region", _("企业库：按区县"), _("中小企业库中各区县的企业数量。"), enterprises_by_region()),
        bar_chart("industry", _("企业库：按行业"), _("中小企业库中各行业的企业数量。"), enterprises_by_industry()),
        stacked_chart(
            "status-month",
            _("服务申请：按月份和状态"),
            _("近 %(n)d 个月每月提交的服务申请数量，按当前状态分段。") % {"n": MONTHS_SHOWN},
            [(text, monthly["by_status"].get(month, {})) for month, text in month_labels],
            [(status.value, status.label, STATUS_COLOURS[status]) for status in RequestStatus],
        ),
        stacked_chart(
            "category-month",
            _("服务申请：按月份和服务类别"),
            _("近 %(n)d 个月每月提交的服务申请数量，按服务类别分段。") % {"n": MONTHS_SHOWN},
            [(text, monthly["by_category"].get(month, {})) for month, text in month_labels],
            [(kind.key, kind.label, PALETTE[index % len(PALETTE)]) for index, kind in enumerate(kinds)],
        ),
        bar_chart(
            "accept-days",
            _("受理用时中位数（天）"),
            _("各服务类别从提交到受理所用天数的中位数。"),
            [(label, accepted) for label, accepted, _n, _completed, _m in medians],
            column=_("天"),
        ),
        bar_chart(
            "complete-days",
            _("办结用时中位数（天）"),
            _("各服务类别从提交到办结所用天数的中位数。"),
            [(label, completed) for label, _accepted, _n, completed, _m in medians],
            column=_("天"),
        ),
        bar_chart(
            "satisfaction",
            _("满意度（平均分，满分 5 分）"),
            _("各服务类别已评价申请的平均满意度。"),
            [(label, average) for label, average, _n in satisfaction()],
            column=_("平均分"),
        ),
    ]

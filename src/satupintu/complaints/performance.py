"""Public performance per OPD (/pengaduan/kinerja/): reports received, the share answered
within the response deadline, median response and completion times, and the average rating.

Definitions (also printed on the page, so the numbers can be checked):
- received: reports sent in the period, merged duplicates not counted;
- answered on time: of the reports whose response deadline has passed or that were answered,
  those answered (first response) before the deadline;
- response / completion time: calendar days from sending to the first response / to
  "Selesai ditangani", median over the reports that have one;
- rating: the reporters' average (1–5) over rated reports.
Numbers are computed in Python from one narrow query and cached while no report changes.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Organisation

from .models import Report

CACHE_SECONDS = 300
PERIODS = {
    "30": (_("30 hari terakhir"), 30),
    "90": (_("90 hari terakhir"), 90),
    "365": (_("12 bulan terakhir"), 365),
    "semua": (_("Sejak awal"), None),
}
DEFAULT_PERIOD = "365"


@dataclass
class OpdPerformance:
    organisation_id: int
    name: str = ""
    short_name: str = ""
    received: int = 0
    open: int = 0
    due: int = 0  # reports whose response was owed by now (answered, or deadline passed)
    on_time: int = 0
    response_days: list[float] = field(default_factory=list)
    completion_days: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    @property
    def median_response_days(self) -> float | None:
        return round(statistics.median(self.response_days), 1) if self.response_days else None

    @property
    def median_completion_days(self) -> float | None:
        return round(statistics.median(self.completion_days), 1) if self.completion_days else None

    @property
    def average_rating(self) -> float | None:
        return round(statistics.fmean(self.ratings), 1) if self.ratings else None

    @property
    def rated(self) -> int:
        return len(self.ratings)


def _days(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 86400)


def compute(
    period: str = DEFAULT_PERIOD, *, now: dt.datetime | None = None
) -> list[OpdPerformance]:
    """One row per OPD that received reports in the period, most reports first."""
    now = now or timezone.now()
    days = PERIODS.get(period, PERIODS[DEFAULT_PERIOD])[1]
    reports = Report.objects.filter(duplicate_of__isnull=True)
    if days is not None:
        reports = reports.filter(created_at__gte=now - dt.timedelta(days=days))
    rows: dict[int, OpdPerformance] = {}
    fields = (
        "organisation_id",
        "status",
        "created_at",
        "response_due",
        "responded_at",
        "resolved_at",
        "rating",
    )
    for org_id, status, created, response_due, responded, resolved, rating in (
        reports.order_by().values_list(*fields).iterator(chunk_size=5000)
    ):
        row = rows.get(org_id) or rows.setdefault(org_id, OpdPerformance(org_id))
        row.received += 1
        if status not in Report.CLOSED_STATUSES:
            row.open += 1
        if responded is not None:
            row.response_days.append(_days(created, responded))
            if response_due is not None:
                row.due += 1
                row.on_time += responded <= response_due
        elif response_due is not None and response_due < now:
            row.due += 1
        if resolved is not None:
            row.completion_days.append(_days(created, resolved))
        if rating:
            row.ratings.append(rating)
    names = Organisation.objects.filter(pk__in=rows).values_list("pk", "name", "short_name")
    for pk, name, short_name in names:
        rows[pk].name, rows[pk].short_name = name, short_name or name
    return sorted(rows.values(), key=lambda r: (-r.received, r.name))


def cached(period: str = DEFAULT_PERIOD) -> list[OpdPerformance]:
    """compute(), reused for a few minutes while no report changes: the key carries the number
    of reports and the last change, so a new or updated report shows at once (a deadline that
    merely passes shows within CACHE_SECONDS)."""
    state = Report.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    last = state["last"].timestamp() if state["last"] else 0
    key = f"complaints:performance:{period}:{state['count']}:{last}"
    rows = cache.get(key)
    if rows is None:
        rows = compute(period)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def totals(rows: list[OpdPerformance]) -> OpdPerformance:
    """The whole regency as one row (medians over every report, not medians of medians)."""
    total = OpdPerformance(0, name=str(_("Seluruh perangkat daerah")))
    for row in rows:
        total.received += row.received
        total.open += row.open
        total.due += row.due
        total.on_time += row.on_time
        total.response_days += row.response_days
        total.completion_days += row.completion_days
        total.ratings += row.ratings
    return total


def chart_data(rows: list[OpdPerformance]) -> dict:
    """What static/complaints/performance.js draws (embedded with json_script)."""
    return {
        "labels": [row.short_name for row in rows],
        "on_time_percent": [row.on_time_percent for row in rows],
        "median_response_days": [row.median_response_days for row in rows],
        "median_completion_days": [row.median_completion_days for row in rows],
        "on_time_label": str(_("% ditanggapi tepat waktu")),
        "response_label": str(_("Median waktu tanggapan (hari)")),
        "completion_label": str(_("Median waktu penyelesaian (hari)")),
    }

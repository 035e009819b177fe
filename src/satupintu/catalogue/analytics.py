"""Usage numbers and the consolidation report Diskominfo needs to rationalise applications:
launches per app per day, unique (hashed) users, apps unused for 90 days, apps not on SSO,
apps without a technical contact, and categories served by apps of several OPDs.

Counts come from Launch rows (one per /go/ open) and ServiceView daily counters; no personal
data is read. Retired apps are left out of "unused" and "not on SSO": they are already gone.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Answer, Application, Launch, ServiceView

UNUSED_DAYS = 90
DAILY_DAYS = 30
# Inactive apps still run somewhere (and cost something): only retired ones are left out.
LIVE = (
    Application.Lifecycle.ACTIVE,
    Application.Lifecycle.PILOT,
    Application.Lifecycle.INACTIVE,
)


@dataclass
class AppUsage:
    app: Application
    launches: int
    users: int
    last_launch: datetime.datetime | None


def app_usage(days: int = UNUSED_DAYS) -> list[AppUsage]:
    since = timezone.now() - datetime.timedelta(days=days)
    recent = Q(launches__launched_at__gte=since)
    rows = (
        Application.objects.select_related("organisation")
        .annotate(
            recent_launches=Count("launches", filter=recent),
            recent_users=Count(
                "launches__user_hash",
                filter=recent & Q(launches__user_hash__gt=""),
                distinct=True,
            ),
            last=Max("launches__launched_at"),
        )
        .order_by("-recent_launches", "name")
    )
    return [AppUsage(a, a.recent_launches, a.recent_users, a.last) for a in rows]


def daily_launches(days: int = DAILY_DAYS) -> list[tuple[datetime.date, str, int, int]]:
    """(day in the installation's time zone, app name, launches, unique users), newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    rows = (
        Launch.objects.filter(launched_at__gte=since)
        .annotate(day=TruncDate("launched_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "application__name")
        .annotate(
            launches=Count("id"),
            users=Count("user_hash", filter=Q(user_hash__gt=""), distinct=True),
        )
        .order_by("-day", "application__name")
    )
    return [(r["day"], r["application__name"], r["launches"], r["users"]) for r in rows]


def unused(usage: list[AppUsage]) -> list[AppUsage]:
    return [u for u in usage if u.launches == 0 and u.app.lifecycle in LIVE]


def not_on_sso() -> list[Application]:
    return list(
        Application.objects.filter(lifecycle__in=LIVE)
        .exclude(uses_sso=Answer.YES)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def without_contact() -> list[Application]:
    return list(
        Application.objects.filter(lifecycle__in=LIVE, technical_contact="")
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def overlapping_categories() -> list[tuple[str, list[Application]]]:
    """Categories with live apps owned by two or more OPDs: candidates to merge."""
    by_category: dict[str, list[Application]] = defaultdict(list)
    for app in (
        Application.objects.filter(lifecycle__in=LIVE)
        .exclude(category="")
        .select_related("organisation")
        .order_by("name")
    ):
        by_category[app.category.strip().lower()].append(app)
    return sorted(
        (apps[0].category, apps)
        for apps in by_category.values()
        if len({a.organisation_id for a in apps}) > 1
    )


def service_views(days: int = DAILY_DAYS, limit: int = 10) -> list[tuple[str, int]]:
    since = timezone.localdate() - datetime.timedelta(days=days)
    rows = (
        ServiceView.objects.filter(day__gte=since)
        .values("service__name")
        .annotate(total=Sum("views"))
        .order_by("-total", "service__name")[:limit]
    )
    return [(r["service__name"], r["total"]) for r in rows]

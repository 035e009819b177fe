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
    """(day in the installation's time zone, app name, launches, unique users), newest first.

    Grouped in Python: MariaDB without its time-zone tables turns a database-side local date
    into NULL, and a month of one regency's launches is a small read."""
    since = timezone.now() - datetime.timedelta(days=days)
    launches: dict[tuple[datetime.date, str], int] = defaultdict(int)
    users: dict[tuple[datetime.date, str], set[str]] = defaultdict(set)
    rows = Launch.objects.filter(launched_at__gte=since).values_list(
        "launched_at", "application__name", "user_hash"
    )
    for launched_at, name, user_hash in rows.iterator(chunk_size=5000):
        key = (timezone.localtime(launched_at).date(), name)
        launches[key] += 1
        if user_hash:
            users[key].add(user_hash)
    ordered = sorted(launches, key=lambda key: (-key[0].toordinal(), key[1]))
    return [(day, name, launches[(day, name)], len(users[(day, name)])) for day, name in ordered]


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


def _days(days: int) -> list[datetime.date]:
    """The last `days` local dates, oldest first, ending today."""
    today = timezone.localdate()
    return [today - datetime.timedelta(days=back) for back in range(days - 1, -1, -1)]


def _searches_per_day(days: list[datetime.date]) -> tuple[list[int], list[int]]:
    """Searches on the portal per day, and those that found nothing (core's search counter)."""
    from satupintu.core.search import daily_searches

    counts = {day: (searches, zero) for day, searches, zero in daily_searches(len(days))}
    return (
        [counts.get(day, (0, 0))[0] for day in days],
        [counts.get(day, (0, 0))[1] for day in days],
    )


@dataclass
class DailySeries:
    days: list[datetime.date]
    launches_by_app: list[tuple[str, list[int]]]  # the most opened apps, then "others"
    unique_users: list[int]  # distinct (hashed) users who opened any app that day
    service_views: list[int]
    searches: list[int]
    zero_result_searches: list[int]


def daily_series(days: int = DAILY_DAYS, top: int = 5) -> DailySeries:
    """Day-by-day numbers for the charts; every day is present, quiet days as 0."""
    dates = _days(days)
    index = {day: position for position, day in enumerate(dates)}
    since = timezone.now() - datetime.timedelta(days=days)
    per_app: dict[str, list[int]] = defaultdict(lambda: [0] * len(dates))
    users: list[set[str]] = [set() for _day in dates]
    rows = Launch.objects.filter(launched_at__gte=since).values_list(
        "launched_at", "application__name", "user_hash"
    )
    for launched_at, name, user_hash in rows.iterator(chunk_size=5000):
        position = index.get(timezone.localtime(launched_at).date())
        if position is None:
            continue
        per_app[name][position] += 1
        if user_hash:
            users[position].add(user_hash)
    ranked = sorted(per_app.items(), key=lambda item: (-sum(item[1]), item[0]))
    launches = ranked[:top]
    if len(ranked) > top:
        others = [sum(values) for values in zip(*(v for _n, v in ranked[top:]), strict=True)]
        launches.append(("", others))  # the template labels it "Aplikasi lain"
    views = [0] * len(dates)
    for day, total in (
        ServiceView.objects.filter(day__gte=dates[0])
        .values("day")
        .annotate(total=Sum("views"))
        .values_list("day", "total")
    ):
        if day in index:
            views[index[day]] = total
    searches, zero_result_searches = _searches_per_day(dates)
    return DailySeries(
        days=dates,
        launches_by_app=launches,
        unique_users=[len(day_users) for day_users in users],
        service_views=views,
        searches=searches,
        zero_result_searches=zero_result_searches,
    )


@dataclass
class Summary:
    """The headline numbers of the leadership's one-page summary."""

    live_apps: int
    active_apps: int
    on_sso: int
    launches: int
    users: int
    service_views: int
    unused: list[AppUsage]
    not_on_sso: list[Application]
    without_contact: list[Application]
    overlapping: list[tuple[str, list[Application]]]

    @property
    def sso_percent(self) -> int:
        return round(100 * self.on_sso / self.live_apps) if self.live_apps else 0


def summary() -> Summary:
    usage = app_usage()
    live = Application.objects.filter(lifecycle__in=LIVE)
    since = timezone.now() - datetime.timedelta(days=UNUSED_DAYS)
    users = (
        Launch.objects.filter(launched_at__gte=since)
        .exclude(user_hash="")
        .values("user_hash")
        .distinct()
        .count()
    )
    views_since = timezone.localdate() - datetime.timedelta(days=UNUSED_DAYS)
    views = ServiceView.objects.filter(day__gte=views_since).aggregate(n=Sum("views"))["n"]
    return Summary(
        live_apps=live.count(),
        active_apps=live.filter(lifecycle=Application.Lifecycle.ACTIVE).count(),
        on_sso=live.filter(uses_sso=Answer.YES).count(),
        launches=sum(u.launches for u in usage),
        users=users,
        service_views=views or 0,
        unused=unused(usage),
        not_on_sso=not_on_sso(),
        without_contact=without_contact(),
        overlapping=overlapping_categories(),
    )

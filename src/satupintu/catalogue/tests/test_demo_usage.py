"""The demo's month of usage: some apps used, the rest unused (the report has something to
show), reproducible, and never added to an installation that already has real usage."""

from __future__ import annotations

from satupintu.catalogue import analytics
from satupintu.catalogue.demo_usage import LAUNCHES_PER_WORKDAY, load_demo_usage
from satupintu.catalogue.models import Application, Launch, ServiceView


def test_demo_usage_fills_the_report_and_leaves_unused_apps(demo):
    load_demo_usage(demo)
    assert Launch.objects.count() > 1000
    used = set(Launch.objects.values_list("application__slug", flat=True).distinct())
    assert used == set(LAUNCHES_PER_WORKDAY)
    unused = {u.app.slug for u in analytics.unused(analytics.app_usage())}
    assert unused and not (unused & used)
    series = analytics.daily_series()
    assert series.launches_by_app[0][0] == "OKU Cinde"
    assert sum(series.service_views) > 0 and max(series.unique_users) > 10
    assert all(len(launch.user_hash) == 32 for launch in Launch.objects.all()[:50])


def test_demo_usage_is_idempotent_and_respects_real_usage(demo):
    Launch.objects.create(application=Application.objects.get(slug="sipd"), user_hash="")
    assert "dilewati" in load_demo_usage(demo)
    assert Launch.objects.count() == 1 and not ServiceView.objects.exists()

"""The usage report's charts (data embedded with json_script, drawn by a static file) and the
leadership's printable summary (pimpinan and platform admins only)."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone

from satupintu.catalogue import analytics
from satupintu.catalogue.models import Application, Launch, PublicService, ServiceView
from satupintu.core.models import SearchDay
from satupintu.core.roles import Role

from .conftest import make_user

REPORT = "/kelola/katalog/penggunaan/"
SUMMARY = "/kelola/katalog/ringkasan/"


def _launch(slug: str, user_hash: str, days_ago: int = 0) -> None:
    row = Launch.objects.create(application=Application.objects.get(slug=slug), user_hash=user_hash)
    if days_ago:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Launch.objects.filter(pk=row.pk).update(launched_at=when)


def test_daily_series_has_every_day_and_groups_small_apps(demo):
    for slug in ("sipd", "sipd", "srikandi", "e-office", "sakip", "e-kir", "apede", "oku-go"):
        _launch(slug, user_hash=slug)
    _launch("sipd", user_hash="sipd", days_ago=2)
    ServiceView.objects.create(
        service=PublicService.objects.get(slug="sip-dokter"), day=timezone.localdate(), views=7
    )
    series = analytics.daily_series(days=30, top=5)
    assert len(series.days) == 30 and series.days[-1] == timezone.localdate()
    names = [name for name, _values in series.launches_by_app]
    assert names[0] == "SIPD" and names[-1] == "" and len(names) == 6
    sipd = dict(series.launches_by_app)["SIPD"]
    assert sipd[-1] == 2 and sipd[-3] == 1 and sum(sipd) == 3
    assert series.unique_users[-1] == 7  # seven distinct hashes today
    assert series.service_views[-1] == 7 and sum(series.service_views) == 7
    # Every launch of today is in one of the stacked bars.
    assert sum(values[-1] for _name, values in series.launches_by_app) == 8


def test_report_embeds_chart_data_and_loads_the_static_chart_script(client, demo):
    _launch("sipd", "a")
    client.force_login(make_user("rina", demo["organisations"]["diskominfo"], Role.WALIDATA))
    response = client.get(REPORT)
    html = response.content.decode()
    assert '<script id="usage-chart-data" type="application/json">' in html
    data = response.context["chart"]
    assert data["launches"][0] == {"label": "SIPD", "data": [0] * 29 + [1]}
    assert len(data["labels"]) == 30
    assert "/static/catalogue/usage-charts.js" in html and "chart.umd.min.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    json.loads(
        html.split('id="usage-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert SUMMARY not in html  # the walidata reads the report, the summary is the leaders'
    assert "Belum ada pencarian di portal dalam 30 hari terakhir." in html
    assert 'id="chart-searches"' not in html


def test_searches_per_day_come_from_the_portals_counter(client, demo):
    today = timezone.localdate()
    SearchDay.objects.create(day=today, searches=12, zero_results=3)
    SearchDay.objects.create(day=today - datetime.timedelta(days=40), searches=99, zero_results=9)
    client.force_login(make_user("admin", demo["organisations"]["diskominfo"], Role.PLATFORM_ADMIN))
    response = client.get(REPORT)
    searches, zero = response.context["chart"]["searches"]
    assert searches["data"] == [0] * 29 + [12] and zero["data"] == [0] * 29 + [3]
    assert 'id="chart-searches"' in response.content.decode()


def test_summary_headline_numbers_and_lists(client, demo):
    _launch("sipd", "a")
    _launch("sipd", "b")
    _launch("srikandi", "a")
    _launch("oku-go", "c", days_ago=120)
    bupati = make_user("bupati", demo["organisations"]["diskominfo"], Role.PIMPINAN)
    client.force_login(bupati)
    response = client.get(SUMMARY)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.launches == 3 and summary.users == 2
    assert summary.live_apps == Application.objects.exclude(lifecycle="retired").count()
    assert "oku-go" in {u.app.slug for u in summary.unused}
    assert "sipd" not in {u.app.slug for u in summary.unused}
    html = response.content.decode()
    assert "Naskah dinas" in html and "E-office" in html and "SRIKANDI" in html
    assert "/static/catalogue/usage.css" in html and "/static/catalogue/print.js" in html
    assert f"{summary.sso_percent}%" in html
    assert SUMMARY in client.get(REPORT).content.decode()


def test_summary_is_for_leaders_and_platform_admins_only(client, demo, dinkes_operator):
    assert client.get(SUMMARY).status_code == 302
    for user in (
        dinkes_operator,
        make_user("warga", None, Role.CITIZEN),
        make_user("rina", demo["organisations"]["diskominfo"], Role.WALIDATA),
    ):
        client.force_login(user)
        assert client.get(SUMMARY).status_code == 403
    client.force_login(make_user("admin", demo["organisations"]["diskominfo"], Role.PLATFORM_ADMIN))
    assert client.get(SUMMARY).status_code == 200


def test_summary_with_no_launches_says_so(client, demo):
    client.force_login(make_user("admin", demo["organisations"]["diskominfo"], Role.PLATFORM_ADMIN))
    html = client.get(SUMMARY).content.decode()
    live = Application.objects.exclude(lifecycle="retired").count()
    assert f"Tidak dibuka dalam 90 hari ({live})" in html
    assert "belum pernah" in html

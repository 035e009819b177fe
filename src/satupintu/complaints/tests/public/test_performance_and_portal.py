"""The public performance page per OPD, and what the citizen side plugs into the portal: the
"Pengaduan terbaru" widget and the "Layanan saya" provider (search: test_search_index.py)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from satupintu.core.registry import registry

from ... import performance, public_registration
from ...models import Report
from .helpers import EMAIL, NIK, PHONE, resolve, send


def _at(report: Report, **moments) -> None:
    """Move a report's times, as if it had been handled days ago."""
    Report.objects.filter(pk=report.pk).update(**moments)


@pytest.fixture
def handled(regency, road, clinic):
    """PUPR: one answered in time and resolved and rated, one answered late, one still waiting
    past its deadline. Dinkes: one waiting within its deadline."""
    now = timezone.now()
    fast = resolve(send(road, reporter=regency.siti), regency.budi)
    _at(
        fast,
        created_at=now - dt.timedelta(days=10),
        response_due=now - dt.timedelta(days=7),
        responded_at=now - dt.timedelta(days=9),
        resolved_at=now - dt.timedelta(days=6),
    )
    fast.refresh_from_db()
    from ... import services

    services.rate(fast, user=regency.siti, rating=4, comment="Cepat.")
    late = send(road)
    services.change_status(late, Report.Status.IN_PROGRESS, actor=regency.budi, message="OK")
    _at(
        late,
        created_at=now - dt.timedelta(days=8),
        response_due=now - dt.timedelta(days=5),
        responded_at=now - dt.timedelta(days=4),
    )
    waiting = send(road)
    _at(waiting, created_at=now - dt.timedelta(days=6), response_due=now - dt.timedelta(days=1))
    fresh = send(clinic)
    _at(fresh, response_due=now + dt.timedelta(days=3))
    old = send(road)
    _at(old, created_at=now - dt.timedelta(days=400))
    return {"fast": fast, "late": late, "waiting": waiting, "fresh": fresh}


def test_numbers_per_opd(regency, handled):
    rows = {row.short_name: row for row in performance.compute("365")}
    pupr = rows["DINAS-PUPR"]
    assert pupr.received == 3  # the 400-day-old report is outside the year
    assert (pupr.due, pupr.on_time) == (3, 1)
    assert pupr.on_time_percent == pytest.approx(33.3)
    assert pupr.median_response_days == pytest.approx(2.5)  # 1 day and 4 days
    assert pupr.median_completion_days == pytest.approx(4.0)
    assert pupr.average_rating == 4.0 and pupr.rated == 1
    assert pupr.open == 2
    dinkes = rows["DINAS-KESEHATAN"]
    assert (dinkes.received, dinkes.due, dinkes.on_time_percent) == (1, 0, None)
    everything = {row.short_name: row for row in performance.compute("semua")}
    assert everything["DINAS-PUPR"].received == 4


def test_merged_duplicates_are_not_counted_twice(regency, road):
    from ... import services

    original = send(road)
    services.merge(send(road), original, actor=regency.budi)
    (pupr,) = performance.compute("30")
    assert pupr.received == 1


def test_the_performance_page_has_a_table_and_chart_data(client, handled):
    page = client.get("/pengaduan/kinerja/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="performance-table"' in html
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html
    assert "33.3%" in html or "33,3%" in html
    data = json.loads(
        re.search(r'id="complaints-performance-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert data["labels"][0] == "DINAS-PUPR"
    assert data["on_time_percent"][0] == pytest.approx(33.3)
    assert "vendor/chart.umd.min.js" in html and "complaints/performance.js" in html
    assert "<script>" not in html  # data via json_script, code in a static file (CSP)
    for secret in (PHONE, EMAIL, NIK, "Siti"):
        assert secret not in html
    # An unknown period falls back to the default one instead of failing.
    assert client.get("/pengaduan/kinerja/", {"periode": "x' OR 1=1"}).status_code == 200


def test_the_performance_page_without_reports(client, regency):
    page = client.get("/pengaduan/kinerja/")
    assert page.status_code == 200
    assert "Belum ada laporan pada periode ini" in page.content.decode()


def test_the_portal_widget_lists_the_latest_public_reports(rf, regency, road):
    public = send(road, title="Lampu jalan mati di Simpang Lengkiti")
    private = send(road, title="Laporan rahasia", is_public=False)
    request = rf.get("/")
    request.user = regency.siti
    html = public_registration.latest_reports_widget(request)
    assert public.title in html and private.title not in html
    assert "/pengaduan/baru/" in html
    assert registry.portal_widgets["complaints.latest"].render is (
        public_registration.latest_reports_widget
    )


def test_the_home_page_shows_the_widget(client, regency, road):
    send(road, title="Lampu jalan mati di Simpang Lengkiti")
    html = client.get("/").content.decode()
    assert "Pengaduan terbaru" in html and "Lampu jalan mati di Simpang Lengkiti" in html


def test_layanan_saya_lists_the_citizens_own_reports(regency, road, clinic):
    mine = send(road, reporter=regency.siti, title="Drainase tersumbat")
    private = send(clinic, reporter=regency.siti, is_public=False, title="Antrean lama")
    send(road, title="Laporan orang lain")
    rows = public_registration.my_reports(regency.siti, 10)
    assert {r.reference for r in rows} == {mine.reference, private.reference}
    assert all(r.kind == "Pengaduan" and r.is_open and r.status == "Diterima" for r in rows)
    assert public_registration.my_reports(regency.budi, 10) == []
    from django.contrib.auth.models import AnonymousUser

    assert public_registration.my_reports(AnonymousUser(), 10) == []
    resolve(mine, regency.budi)
    done = {r.reference: r for r in public_registration.my_reports(regency.siti, 10)}
    assert not done[mine.reference].is_open
    assert registry.my_requests_providers["complaints"].list is public_registration.my_reports


def test_the_public_menu_links_to_the_complaints(client, regency):
    html = client.get("/").content.decode()
    assert 'href="/pengaduan/"' in html


def test_the_cached_numbers_follow_new_reports(regency, road):
    send(road)
    assert performance.cached("30")[0].received == 1
    send(road)
    assert performance.cached("30")[0].received == 2

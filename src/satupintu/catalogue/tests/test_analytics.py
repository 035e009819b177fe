"""The usage report: a launch through /go/ shows in the numbers; unused, overlapping, non-SSO
and contactless demo apps are listed; CSV/XLSX export; only regency-wide readers get in."""

from __future__ import annotations

import datetime

from django.utils import timezone

from satupintu.catalogue.models import Application, Launch
from satupintu.core.roles import Role

from .conftest import make_user


def demo_app_id(slug: str) -> int:
    return Application.objects.get(slug=slug).pk


def test_report_lists_launches_unused_and_overlapping_apps(client, demo, dinkes_operator):
    client.force_login(dinkes_operator)
    client.get("/go/sipd")
    client.get("/go/sipd")
    old = Launch.objects.create(application_id=demo_app_id("oku-go"), user_hash="x" * 32)
    Launch.objects.filter(pk=old.pk).update(
        launched_at=timezone.now() - datetime.timedelta(days=120)
    )
    walidata = make_user("rina", demo["organisations"]["diskominfo"], Role.WALIDATA)
    client.force_login(walidata)
    page = client.get("/kelola/katalog/penggunaan/")
    assert page.status_code == 200
    sipd = next(u for u in page.context["usage"] if u.app.slug == "sipd")
    assert (sipd.launches, sipd.users) == (2, 1)
    assert page.context["daily"][0][1:] == ("SIPD", 2, 1)
    unused = {u.app.slug for u in page.context["unused"]}
    assert "oku-go" in unused and "sipd" not in unused  # a launch 120 days ago is not use
    overlap = dict(page.context["overlapping"])
    assert {a.name for a in overlap["Naskah dinas"]} == {"E-office", "SRIKANDI"}
    assert "OKU Cinde" not in {a.name for a in page.context["not_on_sso"]}
    assert "SIPD" in {a.name for a in page.context["not_on_sso"]}
    assert len(page.context["without_contact"]) == 15  # the demo inventory has no contacts


def test_exports(client, demo):
    client.force_login(make_user("admin", demo["organisations"]["diskominfo"], "platform_admin"))
    client.get("/go/satu-data")
    csv_response = client.get("/kelola/katalog/penggunaan/", {"export": "csv"})
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Aplikasi,Perangkat daerah")
    assert "Satu Data,Dinas Komunikasi dan Informatika,Data,Aktif,Ya,1,1," in body
    daily = client.get("/kelola/katalog/penggunaan/", {"export": "xlsx", "tabel": "harian"})
    assert daily["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_refuses_anonymous_citizens_and_opd_operators(client, demo, dinkes_operator):
    assert client.get("/kelola/katalog/penggunaan/").status_code == 302
    client.force_login(dinkes_operator)
    assert client.get("/kelola/katalog/penggunaan/").status_code == 403
    client.force_login(make_user("warga", None, Role.CITIZEN))
    assert client.get("/kelola/katalog/penggunaan/", {"export": "csv"}).status_code == 403

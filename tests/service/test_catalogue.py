"""The catalogue on the configured database (SQLite by default; PostgreSQL and MariaDB in
`make test-service`): Indonesian search, the import transaction and the usage numbers (daily
launches are grouped by the local date, which needs the server's time-zone support)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.catalogue import analytics
from satupintu.catalogue.models import Application, Launch, PublicService, hash_user
from satupintu.catalogue.search import find
from satupintu.catalogue.tests.conftest import demo, make_user, organisations  # noqa: F401
from satupintu.core.roles import Role


def test_search_meets_indonesian_queries(demo):  # noqa: F811
    services = PublicService.objects.all()
    assert find(services, "praktek dokter")[0].slug == "sip-dokter"
    assert find(services, "mengurus perizinan usaha")  # stems: izin, usaha
    assert "akta-kelahiran" in [s.slug for s in find(services, "kelahiran bayi")]
    assert find(services, "%_%") == []
    assert find(services, "praktk dokter")[0].slug == "sip-dokter"


def test_import_is_all_or_nothing(client, demo):  # noqa: F811
    user = make_user("andi", demo["organisations"]["diskominfo"], Role.OPERATOR)
    client.force_login(user)
    before = Application.objects.count()
    content = b"nama,opd\nSIMPEG OKU,diskominfo\nSIMPEG OKU,diskominfo\n"
    client.post("/kelola/katalog/impor/", {"file": SimpleUploadedFile("a.csv", content)})
    client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert Application.objects.count() == before
    content = b"nama,opd\nSIMPEG OKU,diskominfo\n"
    client.post("/kelola/katalog/impor/", {"file": SimpleUploadedFile("a.csv", content)})
    client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert Application.objects.count() == before + 1


def test_usage_numbers(demo):  # noqa: F811
    user = make_user("rina", demo["organisations"]["bapelitbangda"], Role.WALIDATA)
    sipd = Application.objects.get(slug="sipd")
    Launch.objects.create(application=sipd, user_hash=hash_user(user))
    Launch.objects.create(application=sipd, user_hash=hash_user(user))
    Launch.objects.create(application=sipd, user_hash="")
    usage = {u.app.slug: (u.launches, u.users) for u in analytics.app_usage()}
    assert usage["sipd"] == (3, 1)
    daily = analytics.daily_launches()
    assert [row[1:] for row in daily] == [("SIPD", 3, 1)]
    assert daily[0][0] is not None


def test_charts_summary_launcher_and_api(client, demo):  # noqa: F811
    sipd = Application.objects.get(slug="sipd")
    Launch.objects.create(application=sipd, user_hash="a" * 32)
    Launch.objects.create(application=sipd, user_hash="b" * 32)
    series = analytics.daily_series()
    assert series.launches_by_app == [("SIPD", [0] * 29 + [2])]
    assert series.unique_users[-1] == 2 and len(series.searches) == 30
    summary = analytics.summary()
    assert summary.launches == 2 and summary.users == 2
    staff = make_user("budi", demo["organisations"]["dinkes"], Role.OPERATOR)
    client.force_login(staff)
    launcher = client.get("/kelola/peluncur/")
    assert launcher.status_code == 200 and launcher.context["mine"] == []
    body = client.get("/api/v1/catalogue/services/", {"q": "praktek dokter"}).json()
    assert body["results"][0]["slug"] == "sip-dokter"
    assert client.get("/api/v1/catalogue/opds/").json()["count"] > 10


def test_search_page_ranks_counts_and_windows_on_this_database(client, demo, monkeypatch):  # noqa: F811
    from satupintu.core import search_index

    page = client.get("/cari/", {"q": "praktek dokter"})
    services = next(g for g in page.context["groups"] if g["kind"].key == "layanan")
    assert services["results"][0].url == "/layanan/sip-dokter/"
    assert not services["more"] and page.context["facets"]
    # Past the match window (a LIMIT inside a derived table on every engine) counts say "+".
    monkeypatch.setattr(search_index, "MATCH_WINDOW", 3)
    page = client.get("/cari/", {"q": "izin"})
    services = next(g for g in page.context["groups"] if g["kind"].key == "layanan")
    assert services["count"] == 3 and services["more"] and len(services["results"]) == 5

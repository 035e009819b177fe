"""The catalogue in the shared search index: rows are indexed on save and removed on delete,
the list pages and /cari/ find the practice permit from everyday words, drafts stay with their
OPD, facets and highlights on /cari/, and searches that find nothing are logged for admins."""

from __future__ import annotations

from django.utils import timezone

from satupintu.catalogue.models import Application, PublicService, ServiceView
from satupintu.catalogue.search import find, service_document
from satupintu.core import search_index
from satupintu.core.models import SearchDocument, ZeroResultQuery
from satupintu.core.roles import Role
from satupintu.core.search import daily_searches

from .conftest import make_user


def slugs(rows) -> list[str]:
    return [row.slug for row in rows]


def test_every_demo_row_is_indexed_and_kept_current(demo):
    assert SearchDocument.objects.filter(kind="layanan").count() == PublicService.objects.count()
    assert SearchDocument.objects.filter(kind="aplikasi").count() == Application.objects.count()
    service = PublicService.objects.get(slug="sip-dokter")
    service.status = "draft"
    service.save()
    document = SearchDocument.objects.get(kind="layanan", key=str(service.pk))
    assert document.visibility == "private"
    assert document.life_event_list() == ["pekerjaan", "kesehatan"]
    service.delete()
    assert not SearchDocument.objects.filter(kind="layanan", key=str(service.pk)).exists()


def test_find_meets_everyday_words(demo):
    services = PublicService.objects.all()
    for query in ("praktek dokter", "izin praktik dokter", "SIP dokter", "perizinan dokter"):
        found = slugs(find(services, query))
        assert found[0] == "sip-dokter", query
        assert "ktp-el" not in found
    assert slugs(find(services, "KTP"))[0].startswith("ktp-el")
    assert "sip-dokter" in slugs(find(services, "praktk dokter"))  # typo
    assert "akta-kelahiran" in slugs(find(services, "bayi lahir"))  # kelahiran → lahir
    assert find(services, "") == []
    assert find(services, "?" * 2000) == []
    assert find(services, "kapal selam nuklir") == []
    # find() keeps to the caller's queryset (a list page's OPD filter).
    assert find(services.filter(organisation__code="disdukcapil"), "praktek dokter") == []


def test_popularity_follows_views(demo):
    services = PublicService.objects.all()
    # Of two equally good matches the more viewed comes first.
    before = slugs(find(services, "dokter"))
    assert set(before[:2]) == {"sip-dokter", "sip-dokter-gigi"}
    second = PublicService.objects.get(slug=before[1])
    ServiceView.objects.create(service=second, day=timezone.localdate(second.created_at), views=90)
    assert search_index.refresh_popularity() == 1
    assert slugs(find(services, "dokter"))[:2] == [before[1], before[0]]


def test_search_page_finds_the_practice_permit_with_highlights(client, demo):
    page = client.get("/cari/", {"q": "praktek dokter"})
    assert page.status_code == 200
    first = page.context["groups"][0]
    assert first["provider"].key == "layanan"
    assert first["results"][0].url == "/layanan/sip-dokter/"
    html = page.content.decode()
    assert "<mark>Praktik</mark>" in html and "<mark>dokter</mark>" in html
    assert "DPMPTSP" in html  # the owning OPD under the title
    for query in ("", "%%%", "a" * 1500, "<script>alert(1)</script>", '"NEAR(izin*', "-:"):
        response = client.get("/cari/", {"q": query})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


def test_search_page_tells_the_correction(client, demo):
    html = client.get("/cari/", {"q": "praktk dokter"}).content.decode()
    assert "menampilkan hasil untuk “praktik dokter”" in html
    assert "/layanan/sip-dokter/" in html


def test_search_page_facets_filter_by_opd_and_life_event(client, demo):
    page = client.get("/cari/", {"q": "izin"})
    facets = {facet["key"]: facet for facet in page.context["facets"]}
    opds = {value["label"]: value for value in facets["opd"]["values"]}
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in opds
    events = {value["label"]: value for value in facets["peristiwa"]["values"]}
    assert events["Kesehatan"]["count"] >= 5
    page = client.get("/cari/", {"q": "izin", "peristiwa": "kesehatan"})
    assert page.context["filtered"] and page.context["event_label"] == "Kesehatan"
    services = next(g for g in page.context["groups"] if g["kind"].key == "layanan")
    assert services["count"] == events["Kesehatan"]["count"]
    assert all("Kesehatan" in result.meta for result in services["results"])
    # Other providers (OPDs, villages) cannot filter by life event: they step aside.
    assert {g["kind"].key for g in page.context["groups"]} <= {"layanan", "aplikasi"}
    page = client.get("/cari/", {"q": "izin", "opd": "disdukcapil", "peristiwa": "kesehatan"})
    assert page.context["total"] == 0
    assert "Tidak ada hasil dengan saringan yang dipilih." in page.content.decode()
    # Unknown filter values are ignored, not errors.
    page = client.get("/cari/", {"q": "izin", "opd": "tidak-ada", "peristiwa": "<x>"})
    assert page.status_code == 200 and not page.context["filtered"]


def test_drafts_are_found_only_by_their_opd(client, demo):
    PublicService.objects.filter(slug="sip-bidan").update(status="draft")
    search_index.rebuild(["layanan"])

    def found(user=None) -> bool:
        client.logout()
        if user is not None:
            client.force_login(user)
        return "/layanan/sip-bidan/" in client.get("/cari/", {"q": "bidan"}).content.decode()

    assert not found()
    assert not found(make_user("dina", demo["organisations"]["dinkes"], Role.OPERATOR))
    assert found(make_user("sari", demo["organisations"]["dpmptsp"], Role.OPERATOR))


def test_searches_without_results_are_logged_for_admins(client, demo, admin_client):
    client.get("/cari/", {"q": "Izin  Kapal Selam"})
    client.get("/cari/", {"q": "izin kapal selam"})
    client.get("/cari/", {"q": "praktek dokter"})  # found: not logged
    client.get("/cari/", {"q": "%%%"})  # no words: not a search
    client.get("/cari/", {"q": "izin", "opd": "disdukcapil", "peristiwa": "kesehatan"})  # filtered
    assert list(ZeroResultQuery.objects.values_list("query", "count")) == [("izin kapal selam", 2)]
    # The usage report's chart: searches per local day (filtered views are not new searches).
    assert daily_searches(7) == [(timezone.localdate(), 3, 2)]
    page = admin_client.get("/admin/core/zeroresultquery/")
    assert page.status_code == 200 and "izin kapal selam" in page.content.decode()


def test_search_page_says_at_least_past_the_match_window(client, demo, monkeypatch):
    monkeypatch.setattr(search_index, "MATCH_WINDOW", 3)
    page = client.get("/cari/", {"q": "izin"})
    services = next(g for g in page.context["groups"] if g["kind"].key == "layanan")
    assert services["count"] == 3 and services["more"]
    html = page.content.decode()
    assert "Layanan (3+)" in html and "hasil ditemukan" in html
    assert page.context["total_label"].endswith("+")
    facets = {facet["key"]: facet for facet in page.context["facets"]}
    assert all(value["count_label"].endswith("+") for value in facets["opd"]["values"])
    assert services["results"][0].url  # the best hits are still shown


def test_a_service_document_keeps_its_requirements_apart(demo):
    # The snippet under a search result quotes the body: lines run together read as one sentence.
    service = PublicService.objects.exclude(requirements="").first()
    body = service_document(service).body
    first, second = service.requirement_list()[:2]
    assert f"{first}; {second}" in body
    assert body.count(". ") >= 2

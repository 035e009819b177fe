"""Public pages: service list filters, the service page (requirements, fee, channels), the app
catalogue, the home widgets, and /go/
recording a launch and redirecting only to the registered URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satupintu.catalogue.models import (
    Application,
    Launch,
    PublicService,
    ServiceView,
    hash_user,
)
from satupintu.core.roles import Role

from .conftest import make_user


def test_service_list_filters_by_opd_and_life_event(client, demo):
    page = client.get("/layanan/", {"opd": "disdukcapil", "peristiwa": "kelahiran"})
    assert page.status_code == 200
    names = [s.name for s in page.context["page_obj"]]
    assert names == ["Akta kelahiran", "Kartu Identitas Anak (KIA)"]
    everything = client.get("/layanan/")
    assert everything.context["page_obj"].paginator.count == PublicService.objects.count()
    # Unknown filter values are ignored or simply match nothing, never an error.
    assert client.get("/layanan/", {"peristiwa": "<script>", "page": "x"}).status_code == 200
    assert client.get("/layanan/", {"opd": "tidak-ada"}).context["page_obj"].paginator.count == 0


def test_service_page_shows_standard_and_counts_the_view(client, demo):
    page = client.get("/layanan/sip-dokter/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Persyaratan" in html and "STR yang masih berlaku" in html
    assert "Gratis" in html
    assert reverse("catalogue:launch", args=["sip"]) in html
    assert ServiceView.objects.get(service__slug="sip-dokter").views == 1
    client.get("/layanan/sip-dokter/")
    assert ServiceView.objects.get(service__slug="sip-dokter").views == 2
    assert "Rp 1.250.000" in client.get("/layanan/pbg/").content.decode()
    assert '<meta property="og:title" content="Surat Izin Praktik (SIP) dokter">' in html


def test_draft_service_is_hidden_from_the_public_and_other_opds(client, demo):
    service = PublicService.objects.get(slug="sip-bidan")
    PublicService.objects.filter(pk=service.pk).update(status="draft")
    assert client.get("/layanan/sip-bidan/").status_code == 404
    other = make_user("tono", demo["organisations"]["dinkes"], Role.OPERATOR)
    client.force_login(other)
    assert client.get("/layanan/sip-bidan/").status_code == 404
    owner = make_user("sari", demo["organisations"]["dpmptsp"], Role.OPERATOR)
    client.force_login(owner)
    assert client.get("/layanan/sip-bidan/").status_code == 200


def test_home_shows_popular_services_and_life_events(client, demo):
    html = client.get("/").content.decode()
    assert "<h2>Layanan terpopuler</h2>" not in html  # nobody has looked at a service yet
    assert "Belum ada cukup kunjungan" in html
    client.get("/layanan/akta-kelahiran/")
    html = client.get("/").content.decode()
    assert "Layanan terpopuler" in html
    assert html.index("Akta kelahiran") < html.index("Akta kematian")
    assert "/layanan/?peristiwa=kelahiran" in html


def test_home_popular_services_load_only_what_the_list_shows(demo, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from satupintu.catalogue.search import popular_services

    services = popular_services(AnonymousUser(), 6)
    assert len(services) == 6
    # The long texts (requirements, procedure, legal basis...) stay in the database.
    assert {"description", "requirements", "procedure", "legal_basis"} <= set(
        services[0].get_deferred_fields()
    )
    with django_assert_num_queries(0):  # the list reads nothing that was left out
        html = render_to_string("catalogue/widget_popular.html", {"services": services})
    assert services[0].get_absolute_url() in html and services[0].organisation.short_name in html


def test_app_catalogue_and_detail(client, demo):
    page = client.get("/aplikasi/", {"kategori": "Naskah dinas"})
    assert [a.name for a in page.context["page_obj"]] == ["E-office", "SRIKANDI"]
    detail = client.get("/aplikasi/pindang-gabus/").content.decode()
    assert "Tidak diketahui" in detail
    assert "Alamat aplikasi ini belum tercatat" in detail
    assert client.get("/aplikasi/tidak-ada/").status_code == 404


def test_launch_records_a_hashed_user_and_redirects_to_the_registered_url(client, demo):
    user = make_user("warga", None, Role.CITIZEN)
    client.force_login(user)
    response = client.get("/go/oku-menyapa", {"next": "https://evil.example"})
    assert response.status_code == 302
    assert response["Location"] == "https://okumenyapa.okukab.go.id"
    launch = Launch.objects.get()
    assert launch.application.slug == "oku-menyapa"
    # A keyed hash: the same person counts once, but the row does not say who it was.
    assert launch.user_hash == hash_user(user) != hash_user(make_user("lain", None, Role.CITIZEN))
    assert len(launch.user_hash) == 32 and launch.user_hash != str(user.pk)
    client.logout()
    client.get("/go/oku-menyapa")
    assert Launch.objects.filter(user_hash="").count() == 1


@pytest.mark.parametrize("slug", ["tidak-ada", "pindang-gabus", "..%2F..%2Fevil"])
def test_launch_of_unknown_or_addressless_app_is_404(client, demo, slug):
    assert client.get(f"/go/{slug}").status_code == 404
    assert not Launch.objects.exists()


def test_launch_refuses_a_draft_app_for_anonymous(client, demo):
    Application.objects.filter(slug="satu-data").update(status="draft")
    assert client.get("/go/satu-data").status_code == 404


def test_sitemap_lists_published_services_and_apps_only(client, demo):
    PublicService.objects.filter(slug="sip-bidan").update(status="draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/layanan/sip-dokter/</loc>" in xml
    assert "/aplikasi/oku-cinde/</loc>" in xml
    assert "/layanan/sip-bidan/" not in xml

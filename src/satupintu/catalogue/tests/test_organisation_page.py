"""The OPD page (/opd/<code>/) lists that OPD's public services and applications through the
registry's organisation-section hook; drafts only for the owning OPD."""

from __future__ import annotations

from satupintu.catalogue.models import Application, PublicService
from satupintu.core.registry import OrganisationSection, registry
from satupintu.core.roles import Role

from .conftest import make_user


def test_opd_page_lists_its_services_and_apps(client, demo):
    html = client.get("/opd/dpmptsp/").content.decode()
    published = PublicService.objects.filter(organisation__code="dpmptsp", status="published")
    assert published.exists()
    for service in published.order_by("name")[:10]:
        assert f'href="{service.get_absolute_url()}"' in html
    other = PublicService.objects.exclude(organisation__code="dpmptsp").first()
    assert f'href="{other.get_absolute_url()}"' not in html
    apps = Application.objects.filter(organisation__code="dpmptsp", status="published")
    for app in apps.exclude(lifecycle="retired"):
        assert f'href="{app.get_absolute_url()}"' in html


def test_more_than_ten_services_link_to_the_filtered_list(client, demo):
    dpmptsp = demo["organisations"]["dpmptsp"]
    template = PublicService.objects.filter(organisation=dpmptsp).first()
    for number in range(11):
        PublicService.objects.create(
            organisation=dpmptsp,
            name=f"Izin reklame titik {number + 1}",
            slug=f"izin-reklame-{number + 1}",
            requirements=template.requirements,
            procedure=template.procedure,
            completion_time="5 hari kerja",
            status="published",
        )
    html = client.get("/opd/dpmptsp/").content.decode()
    assert 'href="/layanan/?opd=dpmptsp"' in html


def test_draft_service_only_on_the_owning_opds_view(client, demo):
    PublicService.objects.filter(slug="sip-bidan").update(status="draft")
    assert "/layanan/sip-bidan/" not in client.get("/opd/dpmptsp/").content.decode()
    client.force_login(make_user("tono", demo["organisations"]["dinkes"], Role.OPERATOR))
    assert "/layanan/sip-bidan/" not in client.get("/opd/dpmptsp/").content.decode()
    client.force_login(make_user("sari", demo["organisations"]["dpmptsp"], Role.OPERATOR))
    assert "/layanan/sip-bidan/" in client.get("/opd/dpmptsp/").content.decode()


def test_opd_without_services_shows_no_empty_block(client, demo):
    organisation = demo["organisations"]["bpkad"]
    PublicService.objects.filter(organisation=organisation).delete()
    Application.objects.filter(organisation=organisation).delete()
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert 'aria-label="Layanan publik"' not in html
    assert 'aria-label="Aplikasi"' not in html


def test_plain_string_sections_are_escaped(client, demo, monkeypatch):
    monkeypatch.setattr(registry, "organisation_sections", dict(registry.organisation_sections))
    registry.add_organisation_section(
        OrganisationSection("uji", "Uji", lambda request, organisation: "<b>Pengumuman</b>")
    )
    html = client.get("/opd/dpmptsp/").content.decode()
    assert "&lt;b&gt;Pengumuman&lt;/b&gt;" in html

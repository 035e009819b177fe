"""The OPD workspace: an operator edits their own OPD's services and apps; another OPD's
operator gets a 404 and anonymous users are sent to sign in; bad input is a form error."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile

from satupintu.catalogue.models import Application, PublicService
from satupintu.core.roles import Role

from .conftest import make_user

SERVICE_FORM = {
    "name": "Rekomendasi izin praktik tenaga gizi",
    "slug": "",
    "organisation": None,
    "description": "Rekomendasi Dinas Kesehatan bagi nutrisionis sebelum SIP diterbitkan.",
    "requirements": "STR nutrisionis\nFotokopi KTP-el",
    "procedure": "Ajukan permohonan\nVerifikasi berkas\nRekomendasi terbit",
    "completion_time": "3 hari kerja",
    "fee": "0",
    "life_event_choices": ["pekerjaan", "kesehatan"],
}


def test_anonymous_is_sent_to_sign_in(client, demo):
    for url in ("/kelola/katalog/", "/kelola/katalog/layanan/baru/",
                "/kelola/katalog/layanan/surat-sehat/ubah/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/akun/" in response["Location"]


def test_operator_creates_a_draft_service_of_their_own_opd(client, demo, dinkes_operator):
    client.force_login(dinkes_operator)
    data = dict(SERVICE_FORM, organisation=demo["organisations"]["dinkes"].pk)
    response = client.post("/kelola/katalog/layanan/baru/", data)
    assert response.status_code == 302
    service = PublicService.objects.get(slug="rekomendasi-izin-praktik-tenaga-gizi")
    assert service.status == "draft"
    assert service.life_event_list() == ["pekerjaan", "kesehatan"]
    # Drafts are invisible to the public until published.
    client.logout()
    assert client.get(service.get_absolute_url()).status_code == 404


def test_operator_cannot_create_for_another_opd(client, demo, dinkes_operator):
    client.force_login(dinkes_operator)
    data = dict(SERVICE_FORM, organisation=demo["organisations"]["dpmptsp"].pk)
    response = client.post("/kelola/katalog/layanan/baru/", data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not PublicService.objects.filter(name=SERVICE_FORM["name"]).exists()


def test_other_opds_operator_gets_404_on_edit(client, demo, dinkes_operator, dpmptsp_operator):
    client.force_login(dinkes_operator)
    assert client.get("/kelola/katalog/layanan/surat-sehat/ubah/").status_code == 200
    assert client.get("/kelola/katalog/layanan/sip-dokter/ubah/").status_code == 404
    assert client.get("/kelola/katalog/aplikasi/sip/ubah/").status_code == 404
    response = client.post("/kelola/katalog/service/sip-dokter/ajukan/")
    assert response.status_code == 404
    client.force_login(dpmptsp_operator)
    workspace = client.get("/kelola/katalog/").content.decode()
    assert "Surat Izin Praktik (SIP) dokter" in workspace
    assert "Surat keterangan sehat" not in workspace


def test_bad_input_is_a_form_error_in_indonesian(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    before = Application.objects.count()
    response = client.post(
        "/kelola/katalog/aplikasi/baru/",
        {
            "name": "OKU Cinde",  # duplicate name
            "slug": "satu-data",  # duplicate slug
            "organisation": demo["organisations"]["diskominfo"].pk,
            "url": "javascript:alert(1)",
            "audience": "both",
            "lifecycle": "active",
            "hosting": "unknown",
            "database_engine": "unknown",
            "uses_sso": "yes",
            "has_api": "unknown",
            "holds_personal_data": "unknown",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "slug", "url"} <= set(errors)
    assert "Slug ini sudah dipakai" in str(errors["slug"])
    assert Application.objects.count() == before


def test_operator_edits_and_submits_own_app(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    app = Application.objects.get(slug="oku-menyapa")
    Application.objects.filter(pk=app.pk).update(status="draft")
    page = client.get("/kelola/katalog/aplikasi/oku-menyapa/ubah/")
    assert page.status_code == 200
    data = {
        k: v
        for k, v in page.context["form"].initial.items()
        if v is not None and not isinstance(v, FieldFile)  # a browser never posts stored files
    }
    data.update(technical_contact="Seksi Aplikasi Informatika, aptika@okukab.go.id")
    response = client.post("/kelola/katalog/aplikasi/oku-menyapa/ubah/", data)
    assert response.status_code == 302, response.context["form"].errors
    app.refresh_from_db()
    assert app.technical_contact.startswith("Seksi Aplikasi")
    client.post("/kelola/katalog/app/oku-menyapa/ajukan/")
    app.refresh_from_db()
    assert app.status == "submitted"


def test_launcher_lists_staff_apps_sso_first(client, demo, dinkes_operator):
    assert client.get("/kelola/peluncur/").status_code == 302
    client.force_login(dinkes_operator)
    page = client.get("/kelola/peluncur/")
    assert page.status_code == 200
    assert [a.name for a in page.context["on_sso"]] == ["OKU Cinde", "Satu Data"]
    others = [a.name for a in page.context["others"]]
    assert "SIPD" in others and "E-office" not in others  # inactive
    assert "OKU Menyapa" not in others  # for citizens only
    assert "/go/sipd" in page.content.decode()


def test_launcher_refuses_citizens(client, demo):
    client.force_login(make_user("warga", None, Role.CITIZEN))
    assert client.get("/kelola/peluncur/").status_code == 403


def test_launcher_puts_the_users_own_sso_apps_first(client, demo, dinkes_operator):
    from oauth2_provider.models import get_application_model

    from satupintu.accounts.models.clients import Consent

    sakip = Application.objects.get(slug="sakip")
    oidc_client = get_application_model().objects.create(
        name="Sakip",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://sakip.okukab.go.id/oidc/callback",
        algorithm="RS256",
        organisation=sakip.organisation,
        catalogue_entry=sakip,
    )
    Consent.objects.create(user=dinkes_operator, client=oidc_client, scopes="openid profile")
    client.force_login(dinkes_operator)
    page = client.get("/kelola/peluncur/")
    assert [a.name for a in page.context["mine"]] == ["Sakip"]
    assert "Sakip" not in [a.name for a in page.context["on_sso"]]
    assert "Tersambung ke akun Anda" in page.content.decode()
    # Another member of staff has not used it: Sakip is an SSO app for them, not "theirs".
    client.force_login(make_user("tono", demo["organisations"]["dinsos"], Role.OPERATOR))
    other = client.get("/kelola/peluncur/")
    assert other.context["mine"] == []
    assert "Sakip" in [a.name for a in other.context["on_sso"]]

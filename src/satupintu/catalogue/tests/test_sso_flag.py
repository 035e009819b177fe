"""'Memakai SSO satupintu' of a catalogue entry linked to OIDC clients follows the links: the
staff form shows it disabled with the client that drives it, and a posted value (by the form,
an inventory import or a forged request) never changes it. Another OPD's operator and
anonymous users cannot reach the form at all."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from oauth2_provider.models import get_application_model

from satupintu.catalogue.forms import ApplicationForm
from satupintu.catalogue.models import Answer, Application

EDIT = "/kelola/katalog/aplikasi/oku-menyapa/ubah/"


@pytest.fixture
def menyapa(demo) -> Application:
    """Diskominfo's complaints app with its web client linked (the link sets 'Ya')."""
    app = Application.objects.get(slug="oku-menyapa")
    get_application_model().objects.create(
        name="OKU Menyapa web",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://okumenyapa.okukab.go.id/oidc/callback",
        algorithm="RS256",
        organisation=app.organisation,
        catalogue_entry=app,
    )
    app.refresh_from_db()
    assert app.uses_sso == Answer.YES
    return app


def posted(page, **changes) -> dict:
    # As a browser posts it back: text values, never the stored logo/screenshot files.
    data = {
        k: v
        for k, v in page.context["form"].initial.items()
        if v is not None and not isinstance(v, FieldFile)
    }
    data.update(changes)
    return data


def test_linked_entry_shows_the_flag_disabled_with_the_driving_client(
    client, menyapa, diskominfo_operator
):
    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    assert page.status_code == 200
    field = page.context["form"]["uses_sso"]
    assert field.field.disabled
    assert "OKU Menyapa web" in str(field.help_text)
    html = page.content.decode()
    assert 'name="uses_sso"' in html and "disabled" in html.split('name="uses_sso"')[1][:80]
    assert "terhubung ke aplikasi SSO OKU Menyapa web" in html


def test_a_posted_value_is_ignored_while_a_client_is_linked(client, menyapa, diskominfo_operator):
    client.force_login(diskominfo_operator)
    data = posted(client.get(EDIT), uses_sso="no", technical_contact="aptika@okukab.go.id")
    response = client.post(EDIT, data)
    assert response.status_code == 302, response.context["form"].errors
    menyapa.refresh_from_db()
    assert menyapa.technical_contact == "aptika@okukab.go.id"  # the rest of the form saved
    assert menyapa.uses_sso == Answer.YES


def test_a_stale_flag_is_put_right_by_the_next_save(menyapa, diskominfo_operator):
    # A row written around the model (e.g. a bulk update) is corrected, not kept.
    Application.objects.filter(pk=menyapa.pk).update(uses_sso=Answer.UNKNOWN)
    menyapa.refresh_from_db()
    form = ApplicationForm(instance=menyapa, user=diskominfo_operator)
    data = {name: form[name].value() for name in form.fields}
    form = ApplicationForm(dict(data, uses_sso="no"), instance=menyapa, user=diskominfo_operator)
    assert form.is_valid(), form.errors
    assert form.save().uses_sso == Answer.YES


def test_an_unlinked_entry_keeps_the_flag_editable(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    page = client.get(EDIT)
    assert not page.context["form"].fields["uses_sso"].disabled
    response = client.post(EDIT, posted(page, uses_sso="no"))
    assert response.status_code == 302
    assert Application.objects.get(slug="oku-menyapa").uses_sso == Answer.NO


def test_an_inventory_import_cannot_change_a_linked_flag(client, menyapa, diskominfo_operator):
    client.force_login(diskominfo_operator)
    content = b"nama,opd,sso\nOKU Menyapa,diskominfo,Tidak\n"
    preview = client.post(
        "/kelola/katalog/impor/", {"file": SimpleUploadedFile("inventaris.csv", content)}
    )
    assert [row.errors for row in preview.context["checked"]] == [[]]
    assert client.post("/kelola/katalog/impor/", {"confirm": "1"}).status_code == 302
    menyapa.refresh_from_db()
    assert menyapa.uses_sso == Answer.YES


def test_another_opds_operator_and_anonymous_are_refused(
    client, menyapa, diskominfo_operator, dinkes_operator
):
    client.force_login(diskominfo_operator)
    data = posted(client.get(EDIT), uses_sso="no")
    client.force_login(dinkes_operator)
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, data).status_code == 404
    client.logout()
    response = client.post(EDIT, data)
    assert response.status_code == 302 and "/akun/" in response["Location"]
    menyapa.refresh_from_db()
    assert menyapa.uses_sso == Answer.YES


def test_the_django_admin_shows_a_linked_flag_read_only(client, menyapa, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "x-Panjang-123")
    client.force_login(admin)
    page = client.get(f"/admin/catalogue/application/{menyapa.pk}/change/")
    assert page.status_code == 200
    assert 'name="uses_sso"' not in page.content.decode()
    unlinked = Application.objects.get(slug="sakip")
    page = client.get(f"/admin/catalogue/application/{unlinked.pk}/change/")
    assert 'name="uses_sso"' in page.content.decode()

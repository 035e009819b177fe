"""An OIDC client links to its entry in the application catalogue (same OPD only), and the
entry's "memakai SSO satupintu" follows from the link."""

from __future__ import annotations

import pytest

from satupintu.accounts.models import Client
from satupintu.accounts.tests.factories import Regency
from satupintu.accounts.tests.oidc_helpers import make_client
from satupintu.catalogue.models import Answer, Application

pytestmark = pytest.mark.django_db

CREATE = "/akun/aplikasi/baru/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


def entry(organisation, name: str, uses_sso: str = Answer.UNKNOWN) -> Application:
    from django.utils.text import slugify

    return Application.objects.create(
        name=name,
        slug=slugify(name),
        organisation=organisation,
        uses_sso=uses_sso,
        status=Application.Status.PUBLISHED,
    )


def form_data(organisation, **overrides) -> dict:
    return {
        "name": "SIMPUS Puskesmas",
        "organisation": organisation.pk,
        "client_type": Client.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Client.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": "https://simpus.okukab.go.id/oidc/callback",
        "post_logout_redirect_uris": "https://simpus.okukab.go.id/",
        "allowed_scopes": ["openid", "profile", "email"],
    } | overrides


def test_opd_admin_links_an_app_to_their_own_catalogue_entry(client, regency):
    simpus = entry(regency.dinkes, "SIMPUS")
    entry(regency.pupr, "SIMBG")
    client.force_login(regency.dinkes_admin)
    page = client.get(CREATE).content.decode()
    assert "SIMPUS (" in page and "SIMBG" not in page  # only their own OPD's entries offered
    response = client.post(CREATE, form_data(regency.dinkes, catalogue_entry=simpus.pk))
    assert response.status_code == 200, response.content.decode()[:2000]
    app = Client.objects.get(name="SIMPUS Puskesmas")
    assert app.catalogue_entry == simpus
    simpus.refresh_from_db()
    assert simpus.uses_sso == Answer.YES
    detail = client.get(f"/akun/aplikasi/{app.pk}/").content.decode()
    assert simpus.get_absolute_url() in detail
    export = client.get("/akun/aplikasi/", {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "Di katalog" in text and ",SIMPUS," in text


def test_another_opds_catalogue_entry_is_refused(client, regency):
    simbg = entry(regency.pupr, "SIMBG")
    client.force_login(regency.dinkes_admin)
    response = client.post(CREATE, form_data(regency.dinkes, catalogue_entry=simbg.pk))
    assert response.status_code == 400
    assert not Client.objects.filter(name="SIMPUS Puskesmas").exists()
    simbg.refresh_from_db()
    assert simbg.uses_sso == Answer.UNKNOWN


def test_platform_admin_cannot_link_an_entry_of_a_different_opd_than_the_owner(client, regency):
    simbg = entry(regency.pupr, "SIMBG")
    client.force_login(regency.admin)
    response = client.post(CREATE, form_data(regency.dinkes, catalogue_entry=simbg.pk))
    assert response.status_code == 400
    assert "Pilih entri katalog milik OPD pemilik aplikasi ini" in response.content.decode()


def test_uses_sso_follows_links_changed_and_removed(regency):
    simpus, remik = entry(regency.dinkes, "SIMPUS"), entry(regency.dinkes, "REMIK", Answer.YES)
    web = make_client(regency.dinkes, name="SIMPUS web")
    web.catalogue_entry = simpus
    web.save()
    mobile = make_client(regency.dinkes, name="SIMPUS ponsel", public=True)
    mobile.catalogue_entry = simpus
    mobile.save(update_fields=["catalogue_entry"])
    simpus.refresh_from_db()
    assert simpus.uses_sso == Answer.YES
    # Moving one client to another entry leaves SIMPUS on SSO through the other client.
    web.catalogue_entry = remik
    web.save()
    simpus.refresh_from_db()
    assert simpus.uses_sso == Answer.YES
    # Deleting its last client: SIMPUS no longer signs people in through satupintu.
    mobile.delete()
    simpus.refresh_from_db()
    assert simpus.uses_sso == Answer.NO
    web.catalogue_entry = None
    web.save()
    remik.refresh_from_db()
    assert remik.uses_sso == Answer.NO


def test_anonymous_and_operators_cannot_reach_the_form(client, regency):
    assert client.get(CREATE).status_code == 302
    client.force_login(regency.dina)  # an operator of Dinkes, not its OPD admin
    assert client.get(CREATE).status_code == 403


def test_demo_clients_link_to_their_demo_catalogue_entries():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    sakip = Client.objects.get(client_id="sakip-bapelitbangda")
    assert sakip.catalogue_entry is not None and sakip.catalogue_entry.slug == "sakip"
    assert sakip.catalogue_entry.organisation_id == sakip.organisation_id
    assert sakip.catalogue_entry.uses_sso == Answer.YES
    assert Client.objects.get(client_id="e-kir-dishub").catalogue_entry.slug == "e-kir"

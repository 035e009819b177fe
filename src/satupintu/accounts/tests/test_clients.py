"""Client management (platform admin: every app; OPD admin: own OPD's apps only), the secret
shown once, and "Aplikasi yang terhubung" where a person revokes an app."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from satupintu.accounts.models import AuthEvent, Client, Consent
from satupintu.accounts.tests.factories import Regency
from satupintu.accounts.tests.oidc_helpers import (
    REDIRECT,
    SECRET,
    authorize,
    authorize_params,
    exchange,
    make_client,
    pkce_pair,
)

pytestmark = pytest.mark.django_db

LIST = "/akun/aplikasi/"
CREATE = "/akun/aplikasi/baru/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


def form_data(organisation, **overrides) -> dict:
    return {
        "name": "SIMPUS Puskesmas",
        "description": "Rekam medis puskesmas se-Kabupaten OKU",
        "organisation": organisation.pk,
        "client_type": Client.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Client.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": "https://simpus.okukab.go.id/oidc/callback",
        "post_logout_redirect_uris": "https://simpus.okukab.go.id/",
        "allowed_scopes": ["openid", "profile", "email"],
    } | overrides


def png_bytes(size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 102, 68)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_logo_is_kept_and_shown_on_the_consent_screen(client, regency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(regency.dinkes_admin)
    logo = SimpleUploadedFile("simpus.png", png_bytes((600, 300)), content_type="image/png")
    response = client.post(CREATE, form_data(regency.dinkes, logo=logo))
    assert response.status_code == 200
    app = Client.objects.get(name="SIMPUS Puskesmas")
    assert app.logo.name.startswith("client-logos/") and "simpus" not in app.logo.name
    with Image.open(app.logo.path) as stored:  # re-encoded by core/images.py
        assert (stored.format, stored.size) == ("PNG", (256, 128))
    # Editing the app without a new upload keeps the stored logo.
    edit = f"/akun/aplikasi/{app.pk}/ubah/"
    assert client.post(edit, form_data(regency.dinkes)).status_code == 302
    app.refresh_from_db()
    assert app.logo
    client.force_login(regency.siti)
    params = authorize_params(app, pkce_pair()[1], redirect_uri=app.redirect_uris)
    consent = client.get("/o/authorize/?" + urlencode(params))
    assert consent.status_code == 200
    assert f'src="{app.logo.url}"' in consent.content.decode()


def test_opd_admin_registers_an_app_and_sees_the_secret_once(client, regency):
    client.force_login(regency.dinkes_admin)
    page = client.get(CREATE)
    assert page.status_code == 200
    options = re.findall(r'<option value="(\d+)"', page.content.decode())
    assert options == [str(regency.dinkes.pk)]  # only their own OPD to choose from

    response = client.post(CREATE, form_data(regency.dinkes))
    assert response.status_code == 200
    app = Client.objects.get(name="SIMPUS Puskesmas")
    secret = re.search(r'<code class="secret-key">([^<]+)</code>', response.content.decode())[1]
    assert app.check_secret(secret) and secret not in app.client_secret  # hashed, shown once
    # A random 128-character secret needs no slow KDF (accounts/hashers.py).
    assert app.client_secret.startswith("client_secret_sha256$") and len(secret) == 128
    assert app.organisation == regency.dinkes and app.algorithm == "RS256"
    assert app.allowed_scopes == "email openid profile"
    detail = client.get(f"/akun/aplikasi/{app.pk}/").content.decode()
    assert secret not in detail and app.client_id in detail
    assert app.name in client.get(LIST).content.decode()


def test_rotating_the_secret_invalidates_the_old_one(client, regency):
    app = make_client(regency.dinkes, grant=Client.GRANT_CLIENT_CREDENTIALS, scopes="introspection")
    client.force_login(regency.dinkes_admin)
    response = client.post(f"/akun/aplikasi/{app.pk}/rahasia-baru/")
    assert response.status_code == 200
    new = re.search(r'<code class="secret-key">([^<]+)</code>', response.content.decode())[1]
    client.logout()
    old = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": SECRET},
    )
    assert old.status_code == 401
    fresh = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": new},
    )
    assert fresh.status_code == 200


def test_opd_admin_cannot_touch_another_opds_apps(client, regency):
    pupr_app = make_client(regency.pupr, name="SIMBG PUPR")
    client.force_login(regency.dinkes_admin)
    assert "SIMBG PUPR" not in client.get(LIST).content.decode()
    for path in (f"/akun/aplikasi/{pupr_app.pk}/", f"/akun/aplikasi/{pupr_app.pk}/ubah/"):
        assert client.get(path).status_code == 404, path
    assert (
        client.post(f"/akun/aplikasi/{pupr_app.pk}/ubah/", form_data(regency.dinkes)).status_code
        == 404
    )
    assert client.post(f"/akun/aplikasi/{pupr_app.pk}/rahasia-baru/").status_code == 404
    # Registering an app for another OPD is refused at the field.
    response = client.post(CREATE, form_data(regency.pupr))
    assert response.status_code == 400
    assert not Client.objects.filter(name="SIMPUS Puskesmas").exists()
    pupr_app.refresh_from_db()
    assert pupr_app.name == "SIMBG PUPR" and pupr_app.organisation == regency.pupr


def test_operators_citizens_and_anonymous_are_refused(client, regency):
    app = make_client(regency.dinkes)
    for path in (LIST, CREATE, f"/akun/aplikasi/{app.pk}/"):
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/akun/masuk/")
    for person in (regency.dina, regency.siti, regency.rina):
        client.force_login(person)
        assert client.get(LIST).status_code == 403
        assert client.post(CREATE, form_data(regency.dinkes)).status_code == 403
        assert client.get(f"/akun/aplikasi/{app.pk}/").status_code == 403
    assert Client.objects.count() == 1


def test_platform_admin_manages_every_app_and_alone_grants_nik(client, regency):
    make_client(regency.pupr, name="SIMBG PUPR")
    client.force_login(regency.dinkes_admin)
    refused = client.post(CREATE, form_data(regency.dinkes, allowed_scopes=["openid", "nik"]))
    assert refused.status_code == 400
    assert "hanya bisa diberikan oleh admin platform" in refused.content.decode()

    client.force_login(regency.admin)
    assert "SIMBG PUPR" in client.get(LIST).content.decode()
    granted = client.post(CREATE, form_data(regency.dinkes, allowed_scopes=["openid", "nik"]))
    assert granted.status_code == 200
    assert Client.objects.get(name="SIMPUS Puskesmas").allowed_scope_set == {"openid", "nik"}


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"redirect_uris": "bukan-alamat"}, "bukan alamat web yang lengkap"),
        ({"redirect_uris": "https://simpus.okukab.go.id/cb#x"}, "tidak boleh memuat #"),
        ({"redirect_uris": ""}, "perlu alamat kembali"),
        ({"name": ""}, ""),
        ({"allowed_scopes": ["openid", "rahasia"]}, ""),
        (
            {
                "client_type": Client.CLIENT_PUBLIC,
                "authorization_grant_type": Client.GRANT_CLIENT_CREDENTIALS,
            },
            "harus jenis rahasia",
        ),
        ({"logo": SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * 210_000)}, "lebih dari 200"),
        ({"logo": SimpleUploadedFile("logo.svg", b"<svg/>")}, ""),
        # A .png name on something that is not a picture (or a truncated one) is refused.
        ({"logo": SimpleUploadedFile("logo.png", b"<script>alert(1)</script>")}, "bukan gambar"),
        ({"logo": SimpleUploadedFile("logo.png", png_bytes()[:40])}, "bukan gambar"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(client, regency, overrides, field_error):
    client.force_login(regency.dinkes_admin)
    response = client.post(CREATE, form_data(regency.dinkes, **overrides))
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Client.objects.exists()


def test_connected_apps_lists_and_revokes(client, regency):
    app = make_client(regency.dinkes)
    client.force_login(regency.siti)
    verifier, challenge = pkce_pair()
    query = authorize(client, app, challenge)
    tokens = exchange(client, app, query["code"], verifier).json()
    page = client.get("/akun/aplikasi-terhubung/").content.decode()
    assert "SIPADU Dinkes" in page and "Dinas Kesehatan" in page
    consent = Consent.objects.get(user=regency.siti, client=app)

    # Someone else cannot revoke Siti's consent.
    client.force_login(regency.dina)
    assert client.post(f"/akun/aplikasi-terhubung/{consent.pk}/cabut/").status_code == 404
    client.force_login(regency.siti)
    response = client.post(f"/akun/aplikasi-terhubung/{consent.pk}/cabut/")
    assert response.status_code == 302
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.CONSENT_REVOKED, client=app).exists()
    info = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 401
    refreshed = client.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": app.client_id,
            "client_secret": SECRET,
        },
    )
    assert refreshed.status_code == 400
    # The next sign-in asks for consent again.
    again = client.get(
        "/o/authorize/?"
        + urlencode(
            {
                "response_type": "code",
                "client_id": app.client_id,
                "redirect_uri": REDIRECT,
                "scope": "openid",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
    )
    assert again.status_code == 200


def test_profile_links_to_connected_apps_and_client_management(client, regency):
    client.force_login(regency.siti)
    page = client.get("/akun/").content.decode()
    assert "/akun/aplikasi-terhubung/" in page and "Pasang verifikasi dua langkah" in page
    assert 'href="/akun/aplikasi/"' not in page
    client.force_login(regency.dinkes_admin)
    assert 'href="/akun/aplikasi/"' in client.get("/akun/").content.decode()


def test_client_list_filters_and_exports_only_manageable_apps(client, regency):
    make_client(regency.dinkes, name="SIPADU Dinkes")
    make_client(
        regency.dinkes,
        name="Sinkron Farmasi",
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
    )
    make_client(regency.pupr, name="SIMBG PUPR")
    client.force_login(regency.dinkes_admin)
    machines = client.get(LIST, {"authorization_grant_type": "client-credentials"})
    html = machines.content.decode()
    assert "Sinkron Farmasi" in html and "SIPADU Dinkes" not in html
    export = client.get(LIST, {"export": "csv"})
    assert export.status_code == 200
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "SIPADU Dinkes" in text and "Sinkron Farmasi" in text and "SIMBG PUPR" not in text
    client.logout()
    assert client.get(LIST, {"export": "csv"}).status_code == 302

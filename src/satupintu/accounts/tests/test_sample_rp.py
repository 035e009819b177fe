"""End to end: the sample relying party (examples/sample_rp, Authlib) signs a citizen in
through a live satupintu server, with a real HTTP client playing the browser: login, consent,
code + PKCE, ID token verified against the JWKS, userinfo, refresh, and RP-initiated logout."""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from html import unescape
from pathlib import Path

import httpx
import pytest

from satupintu.accounts.models import Client
from satupintu.accounts.tests.factories import PASSWORD, SITI_NIK, Regency

SAMPLE = Path(__file__).resolve().parents[4] / "examples" / "sample_rp" / "app.py"
RP_SECRET = "rahasia-contoh-aplikasi-opd-untuk-uji"


def load_sample():
    spec = importlib.util.spec_from_file_location("sample_rp_app", SAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sample_rp(live_server, settings):
    # The issuer is the live server's root, as SATUPINTU_SITE_URL would be in production.
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": live_server.url}
    module = load_sample()
    server = module.serve(module.SampleApp(module.Settings("", "", "")), port=0)
    base = f"http://127.0.0.1:{server.server_port}"
    regency = Regency()
    client = Client(
        name="Contoh Aplikasi OPD",
        organisation=regency.diskominfo,
        client_id="contoh-aplikasi-opd",
        client_secret=RP_SECRET,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{base}/callback",
        post_logout_redirect_uris=f"{base}/",
        algorithm=Client.RS256_ALGORITHM,
        allowed_scopes="openid profile email",
    )
    client.save()
    server.get_app().settings = module.Settings(
        issuer=live_server.url, client_id=client.client_id, client_secret=RP_SECRET, base_url=base
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, regency
    server.shutdown()
    server.server_close()


def hidden_fields(page: str) -> dict[str, str]:
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: unescape(value) for name, value in fields}


@pytest.mark.django_db(transaction=True)
def test_sample_app_signs_in_refreshes_and_logs_out(live_server, sample_rp):
    rp, regency = sample_rp
    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        # Ibu Siti signs in to satupintu with her NIK.
        login = browser.get(f"{live_server.url}/akun/masuk/")
        token = browser.cookies["csrftoken"]
        signed_in = browser.post(
            f"{live_server.url}/akun/masuk/",
            data={"username": SITI_NIK, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": str(login.url)},
        )
        assert signed_in.status_code == 200 and "sessionid" in browser.cookies

        # "Masuk dengan satupintu" on the app lands on the consent screen.
        consent = browser.get(f"{rp}/login")
        assert consent.status_code == 200
        assert "Contoh Aplikasi OPD ingin memakai akun satupintu Anda" in consent.text
        form = hidden_fields(consent.text)
        assert form["code_challenge_method"] == "S256" and form["nonce"]
        home = browser.post(
            str(consent.url),
            data={**form, "allow": "Authorize"},
            headers={"Referer": str(consent.url)},
        )
        assert home.status_code == 200 and str(home.url) == f"{rp}/"
        assert "Halo, Siti Aminah" in home.text

        me = browser.get(f"{rp}/api/me").json()
        assert me["claims"]["iss"] == live_server.url
        assert me["claims"]["sub"] == str(regency.siti.pk) and me["claims"]["acr"] == "P0"
        assert me["userinfo"]["name"] == "Siti Aminah"
        assert me["userinfo"]["email"] == "siti@okukab.go.id"
        assert "nik" not in me["userinfo"] and me["has_refresh_token"]

        # Refresh: a new access token and a rotated refresh token; userinfo still answers.
        assert browser.get(f"{rp}/refresh").status_code == 200
        assert browser.get(f"{rp}/api/me").json()["userinfo"]["sub"] == str(regency.siti.pk)

        # Logout from the app ends the satupintu session and comes back to the app.
        back = browser.get(f"{rp}/logout")
        assert str(back.url) == f"{rp}/" and "Masuk dengan satupintu" in back.text
        account = browser.get(f"{live_server.url}/akun/", follow_redirects=False)
        assert account.status_code == 302 and "/akun/masuk/" in account.headers["location"]
        # Signing in to the app again needs no new consent but a new satupintu login.
        again = browser.get(f"{rp}/login")
        assert "/akun/masuk/" in str(again.url)

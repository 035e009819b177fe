"""The sample relying party (examples/sample_rp, Authlib) against satupintu running as it does
in production: the e2e package's shared server (tests/e2e/liveserver.py: gunicorn in its own
process, DEBUG off, staff MFA on, the demo regency loaded, the issuer set to the server's URL
through SATUPINTU_SITE_URL). A real HTTP client plays Ibu Siti's browser: sign-in with her NIK,
consent, code + PKCE, ID token checked against the JWKS, userinfo, refresh and RP-initiated
logout."""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
from html import unescape

import httpx
import pytest

from satupintu.core.demo import DEMO_PASSWORD

from .liveserver import PROJECT_DIR, manage

SAMPLE = PROJECT_DIR / "examples" / "sample_rp" / "app.py"
SECRET = "rahasia-uji-e2e-contoh-aplikasi"
SITI_NIK = "1601285203850003"  # the demo citizen (core/demo/accounts.py)


def load_sample():
    spec = importlib.util.spec_from_file_location("sample_rp_e2e", SAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def sample_app(e2e_server):
    url, var_dir = e2e_server.url, e2e_server.var_dir
    module = load_sample()
    server = module.serve(module.SampleApp(module.Settings("", "", "")), port=0)
    base = f"http://127.0.0.1:{server.server_port}"
    # Register the app the way an operator could script it (the admin UI is tested elsewhere).
    manage(var_dir, "shell", "-c", (
        "from satupintu.accounts.models import Client; "
        "from satupintu.core.models import Organisation; "
        "Client.objects.filter(client_id='contoh-e2e').delete(); "
        "Client.objects.create(name='Contoh Aplikasi OPD', client_id='contoh-e2e', "
        f"client_secret='{SECRET}', client_type='confidential', "
        "authorization_grant_type='authorization-code', "
        f"redirect_uris='{base}/callback', post_logout_redirect_uris='{base}/', "
        "algorithm='RS256', allowed_scopes='openid profile email', "
        "organisation=Organisation.objects.get(code='diskominfo'))"
    ))  # fmt: skip
    server.get_app().settings = module.Settings(url, "contoh-e2e", SECRET, base_url=base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_authlib_app_signs_in_refreshes_and_logs_out_against_gunicorn(e2e_server, sample_app):
    url = e2e_server.url
    rp = sample_app
    discovery = httpx.get(f"{url}/.well-known/openid-configuration").json()
    assert discovery["issuer"] == url and discovery["jwks_uri"].startswith(url)

    with httpx.Client(follow_redirects=True, timeout=30) as browser:
        page = browser.get(f"{rp}/login")  # → authorize → sign-in page
        assert "/akun/masuk/" in str(page.url)
        form = {
            k: unescape(v)
            for k, v in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text
            )
        }
        consent = browser.post(
            str(page.url),
            data={**form, "username": SITI_NIK, "password": DEMO_PASSWORD},
            headers={"Referer": str(page.url)},
        )
        assert "Contoh Aplikasi OPD ingin memakai akun satupintu Anda" in consent.text, re.sub(
            r"\s+", " ", re.sub(r"<[^>]+>", " ", consent.text)
        )[-1500:]
        fields = {
            k: unescape(v)
            for k, v in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text
            )
        }
        home = browser.post(
            str(consent.url),
            data={**fields, "allow": "Authorize"},
            headers={"Referer": str(consent.url)},
        )
        assert str(home.url) == f"{rp}/" and "Halo, Siti Aminah" in home.text

        me = browser.get(f"{rp}/api/me").json()
        assert me["claims"]["iss"] == url and me["claims"]["aud"] == "contoh-e2e"
        assert me["userinfo"]["preferred_username"] == "siti" and "nik" not in me["userinfo"]

        assert browser.get(f"{rp}/refresh").status_code == 200
        assert browser.get(f"{rp}/api/me").json()["userinfo"]["name"] == "Siti Aminah"

        back = browser.get(f"{rp}/logout")
        assert str(back.url) == f"{rp}/" and "Masuk dengan satupintu" in back.text
        account = browser.get(f"{url}/akun/", follow_redirects=False)
        assert account.status_code == 302

"""Bad input at the OIDC endpoints beyond the basic cases in test_oidc.py: forged or garbled
ID token hints, malformed client authentication, replayed codes and odd bytes are OAuth errors
or plain 4xx pages, never a 500 and never a redirect to an unregistered address."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import pytest
from jwcrypto import jwk, jwt

from satupintu.accounts.tests.factories import Regency
from satupintu.accounts.tests.oidc_helpers import (
    LOGOUT_REDIRECT,
    SECRET,
    authorize,
    exchange,
    make_client,
    pkce_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def app(regency):
    return make_client(regency.dinkes)


def forged_id_token(app) -> str:
    """An ID token for `app` signed by a key satupintu never had."""
    key = jwk.JWK.generate(kty="RSA", size=2048)
    token = jwt.JWT(
        header={"alg": "RS256", "kid": key.thumbprint()},
        claims={"iss": "http://testserver", "aud": app.client_id, "sub": "1"},
    )
    token.make_signed_token(key)
    return token.serialize()


@pytest.mark.parametrize(
    "hint", ["bukan-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "forged", "\x00"]
)
def test_logout_with_a_garbled_or_forged_id_token_hint_is_refused(client, app, regency, hint):
    client.force_login(regency.siti)
    if hint == "forged":
        hint = forged_id_token(app)
    response = client.get(
        "/o/logout/?"
        + urlencode({"id_token_hint": hint, "post_logout_redirect_uri": LOGOUT_REDIRECT})
    )
    assert 400 <= response.status_code < 500
    assert not response.has_header("Location")


@pytest.mark.parametrize(
    "authorization",
    ["Basic !!!", "Basic " + base64.b64encode(b"tanpa-titik-dua").decode(), "Bearer x", "Basic"],
)
def test_malformed_client_authentication_is_invalid_client(client, authorization):
    response = client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=authorization
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] in {"invalid_client", "invalid_request"}


def test_a_replayed_authorization_code_is_refused(client, app, regency):
    client.force_login(regency.siti)
    verifier, challenge = pkce_pair()
    code = authorize(client, app, challenge)["code"]
    assert exchange(client, app, code, verifier).status_code == 200
    again = exchange(client, app, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_code_is_only_for_the_client_it_was_issued_to(client, app, regency):
    other = make_client(regency.pupr, name="SIMBG PUPR")
    client.force_login(regency.siti)
    verifier, challenge = pkce_pair()
    code = authorize(client, app, challenge)["code"]
    stolen = exchange(client, other, code, verifier)
    assert stolen.status_code == 400 and stolen.json()["error"] in {
        "invalid_grant",
        "invalid_request",
    }


@pytest.mark.parametrize("client_id", ["\x00", "a" * 5000, "ü∂ƒ", ""])
def test_odd_client_ids_are_oauth_errors(client, client_id):
    token = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"},
    )
    assert token.status_code in (400, 401)
    page = client.get(
        "/o/authorize/?" + urlencode({"client_id": client_id, "response_type": "code"})
    )
    assert 200 <= page.status_code < 500
    assert not page.has_header("Location") or page["Location"].startswith("/akun/masuk/")


def test_revocation_needs_client_authentication_and_tolerates_unknown_tokens(client, app):
    anonymous = client.post("/o/revoke_token/", {"token": "apa-saja"})
    assert anonymous.status_code in (400, 401)
    unknown = client.post(
        "/o/revoke_token/",
        {"token": "tidak-ada", "client_id": app.client_id, "client_secret": SECRET},
    )
    assert unknown.status_code == 200  # RFC 7009 §2.2: unknown tokens are not an error
    missing = client.post("/o/revoke_token/", {"client_id": app.client_id, "client_secret": SECRET})
    assert 400 <= missing.status_code < 500


def test_userinfo_with_a_machine_token_is_refused(client, regency):
    from satupintu.accounts.models import Client

    machine = make_client(
        regency.pupr, grant=Client.GRANT_CLIENT_CREDENTIALS, scopes="introspection"
    )
    auth = "Basic " + base64.b64encode(f"{machine.client_id}:{SECRET}".encode()).decode()
    token = client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=auth
    ).json()["access_token"]
    response = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert 400 <= response.status_code < 500

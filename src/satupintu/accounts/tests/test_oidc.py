"""The OpenID Connect provider: discovery, keys, code + PKCE, claims per scope, refresh
rotation with reuse detection, client credentials, revocation, introspection, logout, and the
OAuth error responses for bad requests (never a redirect to an unregistered URI, never a 500)."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from authlib.oidc.discovery import OpenIDProviderMetadata
from django.conf import settings
from django.utils import timezone

from satupintu.accounts.models import AuthEvent, Client, Consent, SigningKey
from satupintu.accounts.tests.factories import SITI_NIK, Regency
from satupintu.accounts.tests.oidc_helpers import (
    LOGOUT_REDIRECT,
    REDIRECT,
    SECRET,
    authorize,
    authorize_params,
    exchange,
    make_client,
    pkce_pair,
    query_of,
    verify_id_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def siti(regency):
    regency.siti.phone = "081234567890"
    regency.siti.save()
    return regency.siti


@pytest.fixture
def app(regency) -> Client:
    return make_client(regency.dinkes)


def login_flow(client, app, user, scope="openid profile email"):
    client.force_login(user)
    verifier, challenge = pkce_pair()
    result = authorize(client, app, challenge, scope)
    response = exchange(client, app, result["code"], verifier)
    assert response.status_code == 200, response.content
    return response.json()


def test_discovery_document_is_complete_and_rooted_at_the_issuer(client):
    response = client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    issuer = settings.SITE_URL
    assert doc["issuer"] == issuer
    # OpenID Connect Discovery 1.0 section 3: the REQUIRED metadata.
    for name in (
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
        "response_types_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
    ):
        assert doc[name], name
    for name in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
    ):
        assert doc[name].startswith(issuer + "/"), name
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert doc["acr_values_supported"] == ["P0", "P1", "P2"]
    assert {"openid", "profile", "email", "phone", "nik", "nip", "opd", "roles"} <= set(
        doc["scopes_supported"]
    )
    assert {"sub", "acr", "nik", "opd", "roles", "phone_number"} <= set(doc["claims_supported"])
    # An independent implementation (Authlib) validates it against OIDC Discovery 1.0.
    OpenIDProviderMetadata(doc).validate()
    # The same document under /o/ for libraries that append the path to the issuer + /o.
    assert client.get("/o/.well-known/openid-configuration").json()["issuer"] == issuer


def test_jwks_publishes_the_active_rsa_key(client):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert key["kid"] == SigningKey.current().kid
    assert "d" not in key  # never the private part
    assert client.get("/o/jwks/").json() == {"keys": keys}


def test_code_flow_with_pkce_consent_id_token_and_userinfo(client, app, siti):
    client.force_login(siti)
    verifier, challenge = pkce_pair()
    params = authorize_params(app, challenge)
    consent = client.get("/o/authorize/?" + urlencode(params))
    html = consent.content.decode()
    assert consent.status_code == 200
    assert "SIPADU Dinkes ingin memakai akun satupintu Anda" in html
    assert "Nama lengkap dan nama pengguna" in html and "Alamat email" in html
    assert "Dinas Kesehatan" in html

    answer = client.post("/o/authorize/?" + urlencode(params), {**params, "allow": "Authorize"})
    assert answer.status_code == 302 and answer["Location"].startswith(REDIRECT + "?")
    query = query_of(answer["Location"])
    assert query["state"] == "keadaan-123"
    assert query["iss"] == settings.SITE_URL

    tokens = exchange(client, app, query["code"], verifier).json()
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    claims = verify_id_token(client, tokens["id_token"])
    assert claims["iss"] == settings.SITE_URL
    assert claims["aud"] == app.client_id
    assert claims["sub"] == str(siti.pk)
    assert claims["nonce"] == "nonce-456"
    assert claims["acr"] == "P0"
    assert claims["name"] == "Siti Aminah"
    assert "nik" not in claims and "phone_number" not in claims

    info = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 200
    assert info.json() == {
        "sub": str(siti.pk),
        "acr": "P0",
        "name": "Siti Aminah",
        "preferred_username": "siti",
        "given_name": "Siti",
        "email": "siti@okukab.go.id",
        "email_verified": False,
    }
    kinds = set(AuthEvent.objects.filter(user=siti).values_list("kind", flat=True))
    assert {AuthEvent.Kind.CONSENT_GRANTED, AuthEvent.Kind.TOKEN_ISSUED} <= kinds
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TOKEN_ISSUED, client=app).exists()


def test_consent_is_remembered_and_asked_again_for_more_data(client, regency, siti):
    app = make_client(regency.dinkes, scopes="openid profile email phone")
    client.force_login(siti)
    authorize(client, app, pkce_pair()[1])
    assert Consent.objects.get(user=siti, client=app).scope_set == {"openid", "profile", "email"}
    # The same request again goes straight back to the app.
    again = client.get("/o/authorize/?" + urlencode(authorize_params(app, pkce_pair()[1])))
    assert again.status_code == 302 and "code=" in again["Location"]
    # Asking for the phone number shows the screen again.
    more = client.get(
        "/o/authorize/?" + urlencode(authorize_params(app, pkce_pair()[1], "openid phone"))
    )
    assert more.status_code == 200 and "Nomor HP" in more.content.decode()
    # prompt=none without consent answers consent_required at the registered URI.
    silent = client.get(
        "/o/authorize/?"
        + urlencode(authorize_params(app, pkce_pair()[1], "openid phone", prompt="none"))
    )
    assert silent.status_code == 302
    assert query_of(silent["Location"])["error"] == "consent_required"


def test_refusing_consent_returns_access_denied(client, app, siti):
    client.force_login(siti)
    params = authorize_params(app, pkce_pair()[1])
    response = client.post("/o/authorize/?" + urlencode(params), params)
    assert response.status_code == 302
    assert query_of(response["Location"])["error"] == "access_denied"
    assert not Consent.objects.filter(user=siti).exists()


def test_nik_only_to_a_client_allowed_the_scope_and_after_consent(client, regency, siti):
    plain = make_client(regency.dinkes)
    client.force_login(siti)
    refused = client.get(
        "/o/authorize/?" + urlencode(authorize_params(plain, pkce_pair()[1], "openid nik"))
    )
    assert refused.status_code == 302
    assert query_of(refused["Location"])["error"] == "invalid_scope"

    allowed = make_client(regency.dinkes, scopes="openid profile nik phone", name="SIMPUS")
    verifier, challenge = pkce_pair()
    params = authorize_params(allowed, challenge, "openid profile nik phone")
    screen = client.get("/o/authorize/?" + urlencode(params)).content.decode()
    assert (
        "NIK (Nomor Induk Kependudukan) lengkap" in screen and "NIK adalah data pribadi" in screen
    )
    query = query_of(
        client.post("/o/authorize/?" + urlencode(params), {**params, "allow": "1"})["Location"]
    )
    tokens = exchange(client, allowed, query["code"], verifier).json()
    claims = verify_id_token(client, tokens["id_token"])
    assert claims["nik"] == SITI_NIK and claims["phone_number"] == "+6281234567890"
    assert claims["phone_number_verified"] is False
    info = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.json()["nik"] == SITI_NIK


def test_staff_claims_opd_roles_and_nip(client, regency):
    app = make_client(regency.pupr, scopes="openid profile nip opd roles")
    tokens = login_flow(client, app, regency.budi, "openid profile nip opd roles")
    claims = verify_id_token(client, tokens["id_token"])
    assert claims["nip"] == "198503122010011003"
    assert claims["opd"] == [
        {"code": "dinas-pupr", "name": "Dinas Pekerjaan Umum dan Penataan Ruang"}
    ]
    assert claims["roles"] == ["operator"]


def test_wrong_pkce_verifier_fails(client, app, siti):
    client.force_login(siti)
    verifier, challenge = pkce_pair()
    query = authorize(client, app, challenge)
    response = exchange(client, app, query["code"], verifier + "x")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    # and the code is not spent by the failed attempt being retried with another verifier
    assert exchange(client, app, query["code"], "salah" * 10).json()["error"] == "invalid_grant"


def test_public_client_must_use_s256(client, regency, siti):
    spa = make_client(regency.dinkes, public=True, name="Antrean Puskesmas")
    client.force_login(siti)
    missing = client.get("/o/authorize/?" + urlencode(authorize_params(spa, None)))
    assert missing.status_code == 302
    assert query_of(missing["Location"])["error"] == "invalid_request"
    plain = client.get(
        "/o/authorize/?"
        + urlencode(
            {
                **authorize_params(spa, None),
                "code_challenge": "x" * 43,
                "code_challenge_method": "plain",
            }
        )
    )
    assert plain.status_code == 302
    assert query_of(plain["Location"])["error"] == "invalid_request"
    verifier, challenge = pkce_pair()
    query = authorize(client, spa, challenge)
    assert exchange(client, spa, query["code"], verifier).status_code == 200


def test_unregistered_redirect_uri_or_client_is_never_redirected_to(client, app, siti):
    client.force_login(siti)
    evil = authorize_params(app, pkce_pair()[1], redirect_uri="https://penipu.example/callback")
    response = client.get("/o/authorize/?" + urlencode(evil))
    assert response.status_code == 400
    assert "penipu.example" not in response.get("Location", "")
    assert "Permintaan masuk tidak valid" in response.content.decode()
    # near misses of the registered URI are different URIs (exact match)
    for uri in (REDIRECT + "/", REDIRECT + "?x=1", REDIRECT.upper()):
        near = client.get("/o/authorize/?" + urlencode({**evil, "redirect_uri": uri}))
        assert near.status_code == 400, uri
    unknown = client.get(
        "/o/authorize/?" + urlencode({**evil, "client_id": "tidak-ada", "redirect_uri": REDIRECT})
    )
    assert unknown.status_code == 400 and not unknown.has_header("Location")


def test_anonymous_authorize_goes_to_login(client, app):
    response = client.get("/o/authorize/?" + urlencode(authorize_params(app, pkce_pair()[1])))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=")


def test_minimum_assurance_level_from_acr_values(client, app, siti):
    client.force_login(siti)
    response = client.get(
        "/o/authorize/?" + urlencode(authorize_params(app, pkce_pair()[1], acr_values="P2"))
    )
    assert response.status_code == 302
    query = query_of(response["Location"])
    assert query["error"] == "access_denied" and "P2" in query["error_description"]
    siti.assurance_level = "P2"
    siti.save()
    verifier, challenge = pkce_pair()
    query = authorize(client, app, challenge, acr_values="P1 P2")
    claims = verify_id_token(
        client, exchange(client, app, query["code"], verifier).json()["id_token"]
    )
    assert claims["acr"] == "P2"


def test_refresh_rotation_and_reuse_revokes_the_family(client, app, siti):
    tokens = login_flow(client, app, siti)
    refresh = {"grant_type": "refresh_token", "client_id": app.client_id, "client_secret": SECRET}
    first = client.post("/o/token/", {**refresh, "refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    # The old refresh token again: refused, and the whole family with it.
    reused = client.post("/o/token/", {**refresh, "refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    after = client.post("/o/token/", {**refresh, "refresh_token": rotated["refresh_token"]})
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.REFRESH_REUSE, user=siti).exists()


def test_client_credentials_and_token_endpoint_errors(client, regency):
    machine = make_client(
        regency.pupr,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="Sinkronisasi SIMDA",
    )
    basic = "Basic " + base64.b64encode(f"{machine.client_id}:{SECRET}".encode()).decode()
    ok = client.post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic)
    assert ok.status_code == 200, ok.content
    assert ok.json()["access_token"]
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TOKEN_ISSUED, client=machine).exists()

    wrong = "Basic " + base64.b64encode(f"{machine.client_id}:salah".encode()).decode()
    bad = client.post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=wrong)
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    weird = client.post(
        "/o/token/", {"grant_type": "urn:contoh:tidak-ada"}, HTTP_AUTHORIZATION=basic
    )
    assert weird.status_code == 400 and weird.json()["error"] == "unsupported_grant_type"
    # The password grant is switched off (RFC 9700): nobody types a satupintu password into
    # an OPD app.
    password = client.post(
        "/o/token/",
        {"grant_type": "password", "username": "budi", "password": "Rahasia-Baturaja-2026"},
        HTTP_AUTHORIZATION=basic,
    )
    assert password.status_code in (400, 401) and "access_token" not in password.json()
    missing = client.post("/o/token/", {}, HTTP_AUTHORIZATION=basic)
    assert missing.status_code == 400 and missing.json()["error"] in {
        "invalid_request",
        "unsupported_grant_type",
    }
    garbage = client.post("/o/token/", b"\xff\xfe{", content_type="application/json")
    assert 400 <= garbage.status_code < 500


def test_a_code_client_cannot_use_client_credentials(client, app):
    response = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": app.client_id, "client_secret": SECRET},
    )
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "unauthorized_client"


def test_introspection_and_revocation(client, regency, app, siti):
    tokens = login_flow(client, app, siti)
    resource = make_client(
        regency.dinkes,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="API SIMPUS",
    )
    resource.can_introspect = True  # a resource server checking another app's tokens
    resource.save()
    auth = "Basic " + base64.b64encode(f"{resource.client_id}:{SECRET}".encode()).decode()
    active = client.post(
        "/o/introspect/", {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=auth
    ).json()
    assert active["active"] is True and active["client_id"] == app.client_id
    revoked = client.post(
        "/o/revoke_token/",
        {"token": tokens["access_token"], "client_id": app.client_id, "client_secret": SECRET},
    )
    assert revoked.status_code == 200
    after = client.post(
        "/o/introspect/", {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=auth
    ).json()
    assert after == {"active": False}
    info = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 401


def test_rp_initiated_logout(client, app, siti):
    tokens = login_flow(client, app, siti)
    response = client.get(
        "/o/logout/?"
        + urlencode(
            {
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": LOGOUT_REDIRECT,
                "state": "pulang",
            }
        )
    )
    assert response.status_code == 302
    assert response["Location"] == LOGOUT_REDIRECT + "?state=pulang"
    assert client.get("/akun/").status_code == 302  # signed out of satupintu too
    info = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 401


def test_logout_never_redirects_to_an_unregistered_uri(client, app, siti):
    tokens = login_flow(client, app, siti)
    response = client.get(
        "/o/logout/?"
        + urlencode(
            {
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": "https://penipu.example/",
            }
        )
    )
    assert response.status_code == 400
    assert not response.has_header("Location")


def test_key_rotation_keeps_the_old_key_until_its_tokens_expire(client, app, siti):
    tokens = login_flow(client, app, siti)
    old = SigningKey.current()
    new = SigningKey.rotate()
    assert SigningKey.current() == new
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]]
    assert set(kids) == {old.kid, new.kid}
    # An ID token signed before the rotation still verifies against the JWKS.
    assert verify_id_token(client, tokens["id_token"])["sub"] == str(siti.pk)
    # New tokens are signed with the new key.
    client.logout()
    fresh = login_flow(client, app, siti)
    import json as _json

    header = _json.loads(base64.urlsafe_b64decode(fresh["id_token"].split(".")[0] + "=="))
    assert header["kid"] == new.kid
    lifetime = settings.OAUTH2_PROVIDER["ID_TOKEN_EXPIRE_SECONDS"]
    with time_machine.travel(timezone.now() + timedelta(seconds=lifetime + 5)):
        kids = [k["kid"] for k in client.get("/.well-known/jwks.json").json()["keys"]]
    assert kids == [new.kid]


def test_rotate_oidc_key_command(client):
    from io import StringIO

    from django.core.management import call_command

    first = SigningKey.current()
    out = StringIO()
    call_command("rotate_oidc_key", stdout=out)
    current = SigningKey.current()
    assert current != first
    assert f"New signing key {current.kid} is active" in out.getvalue()
    assert f"still published: {first.kid}" in out.getvalue()
    assert len(client.get("/.well-known/jwks.json").json()["keys"]) == 2


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Implicit and hybrid flows are off: the client may only ask for a code.
        ({"response_type": "token"}, "unauthorized_client"),
        ({"response_type": "code id_token"}, "unauthorized_client"),
        ({"response_type": ""}, "unsupported_response_type"),
        ({"code_challenge_method": "S512"}, "invalid_request"),
        ({"scope": "openid tidak-ada"}, "invalid_scope"),
        ({"prompt": "none", "scope": "openid email phone"}, "invalid_scope"),
    ],
)
def test_malformed_authorize_requests_get_oauth_errors_at_the_registered_uri(
    client, app, siti, changes, expected
):
    client.force_login(siti)
    params = {**authorize_params(app, pkce_pair()[1]), **changes}
    response = client.get("/o/authorize/?" + urlencode(params))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"].startswith(REDIRECT + "?")
        query = query_of(response["Location"])
        assert query["error"] == expected and query["state"] == "keadaan-123"
    else:
        assert expected in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"grant_type": "authorization_code"},
        {
            "grant_type": "authorization_code",
            "code": "tidak-ada",
            "redirect_uri": REDIRECT,
            "code_verifier": "x" * 50,
        },
        {"grant_type": "refresh_token"},
        {"grant_type": "refresh_token", "refresh_token": "palsu"},
        {"grant_type": "client_credentials", "scope": "openid"},
    ],
)
def test_malformed_token_requests_are_oauth_errors_never_500(client, app, data):
    response = client.post(
        "/o/token/", {**data, "client_id": app.client_id, "client_secret": SECRET}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["error"] in {
        "invalid_request",
        "invalid_grant",
        "unauthorized_client",
        "invalid_scope",
    }


def test_userinfo_needs_a_valid_bearer_token(client):
    assert client.get("/o/userinfo/").status_code == 401
    assert client.get("/o/userinfo/", HTTP_AUTHORIZATION="Bearer palsu").status_code == 401
    assert client.get("/o/userinfo/?access_token=palsu").status_code == 401

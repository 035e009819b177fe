"""Who may introspect which token (RFC 7662): a client its own tokens; other apps' tokens only
with the platform admin's can_introspect; everyone else learns nothing ("active": false)."""

from __future__ import annotations

import base64

import pytest

from satupintu.accounts.models import Client
from satupintu.accounts.tests.factories import Regency
from satupintu.accounts.tests.oidc_helpers import (
    SECRET,
    authorize,
    exchange,
    make_client,
    pkce_pair,
)

pytestmark = pytest.mark.django_db

INTROSPECT = "/o/introspect/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def sipadu(regency) -> Client:
    return make_client(regency.dinkes, name="SIPADU Dinkes")


@pytest.fixture
def tokens(client, sipadu, regency) -> dict:
    client.force_login(regency.siti)
    verifier, challenge = pkce_pair()
    code = authorize(client, sipadu, challenge)["code"]
    answer = exchange(client, sipadu, code, verifier).json()
    client.logout()
    return answer


def basic(app: Client, secret: str = SECRET) -> str:
    return "Basic " + base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()


def machine(organisation, name: str, *, can_introspect: bool = False) -> Client:
    app = make_client(
        organisation, grant=Client.GRANT_CLIENT_CREDENTIALS, scopes="introspection", name=name
    )
    app.can_introspect = can_introspect
    app.save()
    return app


def test_a_client_introspects_its_own_tokens(client, sipadu, tokens, regency):
    answer = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=basic(sipadu)
    ).json()
    assert answer["active"] is True
    assert answer["client_id"] == sipadu.client_id
    assert answer["sub"] == str(regency.siti.pk) and answer["username"] == "siti"
    assert answer["scope"] == "openid profile email" and answer["token_type"] == "Bearer"
    assert answer["exp"] > answer["iat"]


def test_another_opds_client_learns_nothing_about_the_token(client, tokens, regency):
    simbg = machine(regency.pupr, "SIMBG PUPR")
    answer = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=basic(simbg)
    )
    assert answer.status_code == 200 and answer.json() == {"active": False}
    # Even a client of the same OPD needs the permission.
    farmasi = machine(regency.dinkes, "Sinkron Farmasi")
    same_opd = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=basic(farmasi)
    )
    assert same_opd.json() == {"active": False}


def test_a_client_allowed_to_introspect_sees_other_apps_tokens(client, sipadu, tokens, regency):
    gateway = machine(regency.diskominfo, "Gerbang API", can_introspect=True)
    answer = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=basic(gateway)
    ).json()
    assert answer["active"] is True and answer["client_id"] == sipadu.client_id
    # With a bearer token of its own (introspection scope) instead of its secret.
    own = client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(gateway)
    ).json()["access_token"]
    bearer = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=f"Bearer {own}"
    ).json()
    assert bearer["active"] is True


def test_a_bearer_token_of_a_client_without_permission_sees_only_its_own(client, tokens, regency):
    simbg = machine(regency.pupr, "SIMBG PUPR")
    own = client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(simbg)
    ).json()["access_token"]
    other = client.post(
        INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=f"Bearer {own}"
    )
    assert other.json() == {"active": False}
    itself = client.post(INTROSPECT, {"token": own}, HTTP_AUTHORIZATION=f"Bearer {own}").json()
    assert itself["active"] is True and itself["client_id"] == simbg.client_id
    assert "sub" not in itself  # a machine token belongs to no person


def test_unauthenticated_or_wrong_secret_is_invalid_client(client, sipadu, tokens):
    anonymous = client.post(INTROSPECT, {"token": tokens["access_token"]})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    assert anonymous["WWW-Authenticate"].startswith("Basic")
    wrong = client.post(
        INTROSPECT,
        {"token": tokens["access_token"]},
        HTTP_AUTHORIZATION=basic(sipadu, "salah"),
    )
    assert wrong.status_code == 401
    # A public client has no secret to authenticate with.
    public = make_client(sipadu.organisation, public=True, name="SIPADU ponsel")
    body = client.post(INTROSPECT, {"token": tokens["access_token"], "client_id": public.client_id})
    assert body.status_code == 401


def test_bad_requests_are_oauth_errors_never_500(client, sipadu, tokens):
    auth = basic(sipadu)
    missing = client.post(INTROSPECT, {}, HTTP_AUTHORIZATION=auth)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    unknown = client.post(INTROSPECT, {"token": "bukan-token"}, HTTP_AUTHORIZATION=auth)
    assert unknown.json() == {"active": False}
    # Tokens are never accepted in a URL.
    in_url = client.get(INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=auth)
    assert in_url.status_code == 405
    # A revoked (deleted) token is inactive.
    client.post(
        "/o/revoke_token/",
        {"token": tokens["access_token"], "client_id": sipadu.client_id, "client_secret": SECRET},
    )
    revoked = client.post(INTROSPECT, {"token": tokens["access_token"]}, HTTP_AUTHORIZATION=auth)
    assert revoked.json() == {"active": False}


def test_only_the_platform_admin_grants_can_introspect(client, regency):
    form = {
        "name": "Gerbang API Dinkes",
        "organisation": regency.dinkes.pk,
        "client_type": Client.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Client.GRANT_CLIENT_CREDENTIALS,
        "allowed_scopes": ["introspection"],
        "can_introspect": "on",
    }
    client.force_login(regency.dinkes_admin)
    assert "can_introspect" not in client.get("/akun/aplikasi/baru/").content.decode()
    assert client.post("/akun/aplikasi/baru/", form).status_code == 200
    assert Client.objects.get(name="Gerbang API Dinkes").can_introspect is False
    client.force_login(regency.admin)
    assert client.post("/akun/aplikasi/baru/", {**form, "name": "Gerbang API"}).status_code == 200
    assert Client.objects.get(name="Gerbang API").can_introspect is True

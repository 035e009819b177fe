"""Building OIDC clients and walking the authorization-code + PKCE flow with Django's test
client, shared by the OIDC tests."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from jwcrypto import jwk, jwt

from satupintu.accounts.models import Client

REDIRECT = "https://sipadu.okukab.go.id/masuk/callback"
LOGOUT_REDIRECT = "https://sipadu.okukab.go.id/"
SECRET = "rahasia-aplikasi-sipadu-dinkes-2026"


def make_client(
    organisation,
    *,
    public: bool = False,
    scopes: str = "openid profile email",
    grant: str = Client.GRANT_AUTHORIZATION_CODE,
    name: str = "SIPADU Dinkes",
    client_id: str | None = None,
) -> Client:
    client = Client(
        name=name,
        organisation=organisation,
        client_id=client_id or secrets.token_hex(8),
        client_type=Client.CLIENT_PUBLIC if public else Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant,
        redirect_uris=REDIRECT if grant == Client.GRANT_AUTHORIZATION_CODE else "",
        post_logout_redirect_uris=LOGOUT_REDIRECT,
        client_secret="" if public else SECRET,
        algorithm=Client.RS256_ALGORITHM,
        allowed_scopes=scopes,
    )
    client.full_clean(exclude=["client_secret"] if public else None)
    client.save()
    return client


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_params(
    client: Client, challenge: str | None, scope: str = "openid profile email", **extra
) -> dict:
    params = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "keadaan-123",
        "nonce": "nonce-456",
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return params | extra


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def authorize(
    http, client: Client, challenge: str, scope: str = "openid profile email", **extra
) -> dict[str, str]:
    """Go through the authorize endpoint, approving the consent screen if it appears; returns
    the query of the redirect back to the app."""
    params = authorize_params(client, challenge, scope, **extra)
    response = http.get("/o/authorize/?" + urlencode(params))
    if response.status_code == 200:
        form = {**params, "allow": "Authorize"}
        response = http.post("/o/authorize/?" + urlencode(params), form)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith(REDIRECT)
    return query_of(response["Location"])


def exchange(http, client: Client, code: str, verifier: str, secret: str = SECRET):
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": client.client_id,
        "code_verifier": verifier,
    }
    if client.client_type == Client.CLIENT_CONFIDENTIAL:
        data["client_secret"] = secret
    return http.post("/o/token/", data)


def verify_id_token(http, id_token: str) -> dict:
    """Check the ID token's signature against the published JWKS, as a relying party does."""
    keys = jwk.JWKSet.from_json(http.get("/.well-known/jwks.json").content)
    token = jwt.JWT(jwt=id_token, key=keys, algs=["RS256"])
    return json.loads(token.claims)

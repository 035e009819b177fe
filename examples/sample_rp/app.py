"""Contoh aplikasi OPD: "Masuk dengan satupintu".

A tiny relying party, separate from satupintu, that signs people in with OpenID Connect using a
standard client library (Authlib for the OAuth flow, joserfc to verify the ID token). It runs
on the standard library's WSGI server so it needs nothing else:

    pip install authlib requests
    SAMPLE_RP_ISSUER=http://127.0.0.1:8000 SAMPLE_RP_CLIENT_ID=contoh-aplikasi-opd \
    SAMPLE_RP_CLIENT_SECRET=... python examples/sample_rp/app.py

then open http://127.0.0.1:8765/. What it shows: authorization code + PKCE (S256) with state
and nonce, ID token verified against the provider's JWKS, userinfo, refresh, and RP-initiated
logout. Sessions live in memory: this is an example, not a production app.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

COOKIE = "contoh_rp_session"


@dataclass
class Settings:
    issuer: str
    client_id: str
    client_secret: str
    base_url: str = "http://127.0.0.1:8765"
    scope: str = "openid profile email"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            issuer=os.environ.get("SAMPLE_RP_ISSUER", "http://127.0.0.1:8000").rstrip("/"),
            client_id=os.environ.get("SAMPLE_RP_CLIENT_ID", "contoh-aplikasi-opd"),
            client_secret=os.environ.get("SAMPLE_RP_CLIENT_SECRET", ""),
            base_url=os.environ.get("SAMPLE_RP_BASE_URL", "http://127.0.0.1:8765").rstrip("/"),
        )

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/callback"


@dataclass
class Session:
    state: str = ""
    nonce: str = ""
    code_verifier: str = ""
    token: dict = field(default_factory=dict)
    claims: dict = field(default_factory=dict)
    userinfo: dict = field(default_factory=dict)


class SampleApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()
        self._metadata: dict | None = None

    # --- OpenID Connect -------------------------------------------------------------------
    @property
    def metadata(self) -> dict:
        if self._metadata is None:
            url = f"{self.settings.issuer}/.well-known/openid-configuration"
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            self._metadata = response.json()
        return self._metadata

    def oauth(self, token: dict | None = None) -> OAuth2Session:
        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=self.settings.scope,
            redirect_uri=self.settings.redirect_uri,
            code_challenge_method="S256",
            token=token,
        )

    def verify_id_token(self, id_token: str, nonce: str | None) -> dict:
        jwks = requests.get(self.metadata["jwks_uri"], timeout=10).json()
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
        expected = {
            "iss": {"essential": True, "value": self.metadata["issuer"]},
            "aud": {"essential": True, "value": self.settings.client_id},
            "exp": {"essential": True},
            "sub": {"essential": True},
        }
        if nonce is not None:
            expected["nonce"] = {"essential": True, "value": nonce}
        jwt.JWTClaimsRegistry(**expected).validate(token.claims)
        return dict(token.claims)

    # --- WSGI -------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        session_id, session = self._session(environ)
        path = environ.get("PATH_INFO", "/")
        handler = {
            "/": self.home,
            "/login": self.login,
            "/callback": self.callback,
            "/refresh": self.refresh,
            "/logout": self.logout,
            "/api/me": self.me,
        }.get(path)
        if handler is None:
            status, headers, body = "404 Not Found", [], "Halaman tidak ada."
        else:
            try:
                status, headers, body = handler(environ, session)
            except Exception as exc:  # an example app shows the error instead of hiding it
                status, headers, body = "502 Bad Gateway", [], f"Gagal: {html.escape(str(exc))}"
        headers = [
            ("Set-Cookie", f"{COOKIE}={session_id}; HttpOnly; Path=/; SameSite=Lax"),
            *headers,
        ]
        if not any(name == "Content-Type" for name, _ in headers):
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        start_response(status, headers)
        return [body.encode()]

    def _session(self, environ) -> tuple[str, Session]:
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        session_id = cookie[COOKIE].value if COOKIE in cookie else ""
        with self.lock:
            if session_id not in self.sessions:
                session_id = secrets.token_urlsafe(24)
                self.sessions[session_id] = Session()
            return session_id, self.sessions[session_id]

    def home(self, environ, session: Session):
        if not session.claims:
            body = '<h1>Contoh Aplikasi OPD</h1><p><a href="/login">Masuk dengan satupintu</a></p>'
        else:
            name = html.escape(session.userinfo.get("name", session.claims["sub"]))
            body = (
                f"<h1>Halo, {name}</h1>"
                f"<pre>{html.escape(json.dumps(session.userinfo, indent=2))}</pre>"
                '<p><a href="/refresh">Perbarui token</a> · <a href="/logout">Keluar</a></p>'
            )
        return "200 OK", [], body

    def login(self, environ, session: Session):
        session.code_verifier = generate_token(48)
        session.nonce = generate_token(20)
        uri, state = self.oauth().create_authorization_url(
            self.metadata["authorization_endpoint"],
            code_verifier=session.code_verifier,
            nonce=session.nonce,
        )
        session.state = state
        return "302 Found", [("Location", uri)], ""

    def callback(self, environ, session: Session):
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if "error" in query:
            return "400 Bad Request", [], f"Masuk dibatalkan: {html.escape(query['error'])}"
        if not session.state or query.get("state") != session.state:
            return "400 Bad Request", [], "State tidak cocok."
        if query.get("iss") and query["iss"] != self.metadata["issuer"]:
            return "400 Bad Request", [], "Penerbit (iss) tidak cocok."
        token = self.oauth().fetch_token(
            self.metadata["token_endpoint"],
            code=query["code"],
            code_verifier=session.code_verifier,
        )
        session.claims = self.verify_id_token(token["id_token"], session.nonce)
        session.token = dict(token)
        session.userinfo = self._userinfo(session)
        session.state = ""
        return "302 Found", [("Location", "/")], ""

    def _userinfo(self, session: Session) -> dict:
        response = self.oauth(session.token).get(self.metadata["userinfo_endpoint"], timeout=10)
        response.raise_for_status()
        return response.json()

    def me(self, environ, session: Session):
        """The signed-in person as JSON (what the end-to-end test reads)."""
        data = {
            "claims": session.claims,
            "userinfo": session.userinfo,
            "has_refresh_token": bool(session.token.get("refresh_token")),
        }
        return "200 OK", [("Content-Type", "application/json")], json.dumps(data)

    def refresh(self, environ, session: Session):
        if not session.token:
            return "302 Found", [("Location", "/")], ""
        token = self.oauth(session.token).refresh_token(
            self.metadata["token_endpoint"], refresh_token=session.token["refresh_token"]
        )
        if "id_token" in token:
            self.verify_id_token(token["id_token"], None)
        session.token = dict(token)
        session.userinfo = self._userinfo(session)
        return "302 Found", [("Location", "/")], ""

    def logout(self, environ, session: Session):
        id_token = session.token.get("id_token", "")
        session.token, session.claims, session.userinfo = {}, {}, {}
        params = {
            "post_logout_redirect_uri": f"{self.settings.base_url}/",
            "client_id": self.settings.client_id,
        }
        if id_token:
            params["id_token_hint"] = id_token
        target = f"{self.metadata['end_session_endpoint']}?{urlencode(params)}"
        return "302 Found", [("Location", target)], ""


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(app: SampleApp, host: str = "127.0.0.1", port: int = 8765):
    return make_server(host, port, app, handler_class=QuietHandler)


if __name__ == "__main__":
    settings = Settings.from_env()
    print(f"Contoh Aplikasi OPD at {settings.base_url}/ (issuer {settings.issuer})")
    serve(SampleApp(settings), port=int(settings.base_url.rsplit(":", 1)[-1])).serve_forever()

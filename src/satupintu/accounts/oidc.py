"""OpenID Connect provider: satupintu signs people in to every OPD app.

django-oauth-toolkit speaks the protocol; this module holds the regency's policy on top of it:
which claims each scope releases (NIK only to apps allowed the `nik` scope, after consent),
the `acr` claim from the assurance level, PKCE for public clients, keys from SigningKey, the
audit of tokens issued and refresh-token reuse, and the consent screen.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.decorators.debug import sensitive_post_parameters
from jwcrypto import jws
from oauth2_provider import views as oauth_views
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import (
    get_access_token_model,
    get_refresh_token_model,
    refresh_token_expire_timedelta,
)
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.signals import app_authorized

from . import audit
from .assurance import meets_minimum, minimum_requested
from .hashers import check_client_secret
from .models import SCOPES, AuthEvent, Client, Consent, SigningKey

# Claims released by each scope (OIDC Core 5.4 plus the regency's own).
SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub", "acr"),
    "profile": ("name", "preferred_username", "given_name"),
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
    "nik": ("nik",),
    "nip": ("nip",),
    "opd": ("opd",),
    "roles": ("roles",),
}


def claims_for(user, scopes) -> dict:
    """The claims about `user` that the granted `scopes` release, and nothing else."""
    scopes = set(scopes)
    claims: dict = {"sub": str(user.pk), "acr": user.assurance_level}
    if "profile" in scopes:
        claims |= {
            "name": user.full_name,
            "preferred_username": user.username,
            "given_name": user.get_short_name(),
        }
    if "email" in scopes and user.email:
        claims |= {"email": user.email, "email_verified": user.email_verified_at is not None}
    if "phone" in scopes and user.phone:
        # Stored as typed in Indonesia (0812...); OIDC Core recommends E.164 (+62812...).
        phone = user.phone
        claims["phone_number"] = "+62" + phone[1:] if phone.startswith("0") else phone
        claims["phone_number_verified"] = False  # no SMS verification yet
    if "nik" in scopes and user.nik:
        claims["nik"] = user.nik
    if "nip" in scopes and user.nip:
        claims["nip"] = user.nip
    memberships = None
    if "opd" in scopes or "roles" in scopes:
        memberships = list(user.memberships.select_related("organisation"))
    if "opd" in scopes:
        seen: dict[str, dict] = {}
        for m in memberships:
            seen.setdefault(
                m.organisation.code, {"code": m.organisation.code, "name": m.organisation.name}
            )
        claims["opd"] = list(seen.values())
    if "roles" in scopes:
        claims["roles"] = sorted(str(role) for role in user.roles)
    return claims


def pkce_required(client_id: str) -> bool:
    """S256 PKCE is required for public clients (they cannot keep a secret); confidential
    clients may add it and our sample app does."""
    client_type = (
        Client.objects.filter(client_id=client_id).values_list("client_type", flat=True).first()
    )
    return client_type != Client.CLIENT_CONFIDENTIAL


class ClientScopes(BaseScopes):
    """A client may ask only for the scopes its owner was allowed (allowed_scopes)."""

    def get_all_scopes(self) -> dict:
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list:
        if application is None:
            return list(SCOPES)
        return [scope for scope in SCOPES if scope in application.allowed_scope_set]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list:
        # A request without `scope`: openid for sign-in apps; a machine client (client
        # credentials, no openid) gets what it was allowed.
        available = self.get_available_scopes(application, request)
        return ["openid"] if "openid" in available else available


class SatupintuValidator(OAuth2Validator):
    def get_discovery_claims(self, request) -> list[str]:
        return sorted(
            {claim for claims in SCOPE_CLAIMS.values() for claim in claims}
            | {"iss", "aud", "exp", "iat", "auth_time", "nonce"}
        )

    def get_oidc_claims(self, token, token_handler, request) -> dict:
        return claims_for(request.user, request.scopes)

    def get_userinfo_claims(self, request) -> dict:
        return claims_for(request.user, request.scopes)

    def _check_secret(self, provided_secret, stored_secret) -> bool:
        # Client secrets are salted HMAC-SHA256 (accounts/hashers.py), not passwords.
        return check_client_secret(provided_secret or "", stored_secret or "")

    # prompt=none: the authorization view only reaches the validator for a signed-in user (an
    # anonymous one gets login_required from the view), and it checks the remembered consent
    # itself (AuthorizeView.get), so both silent checks pass here.
    def validate_silent_login(self, request) -> bool:
        return True

    def validate_silent_authorization(self, request) -> bool:
        return True

    def _get_key_for_token(self, token):
        # Pick the key by the token's `kid` so ID tokens signed before a rotation still verify
        # (id_token_hint at logout).
        unverified = jws.JWS()
        unverified.deserialize(token)
        kid = unverified.jose_header.get("kid")
        return SigningKey.jwk_for(kid) if kid else None

    def save_bearer_token(self, token, request, *args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            # TokenView already runs the grant in one transaction: the library's savepoint
            # around the token rows would cost two statements and protect nothing more.
            with transaction.atomic(savepoint=False):
                self._save_bearer_token(token, request, *args, **kwargs)
        else:
            super().save_bearer_token(token, request, *args, **kwargs)
        user = request.user if getattr(request.user, "pk", None) else None
        audit.record(
            AuthEvent.Kind.TOKEN_ISSUED,
            user=user,
            username="" if user else f"client:{request.client.client_id}",
            client=request.client,
            detail=f"{request.grant_type}: {' '.join(request.scopes or [])}",
        )

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:
        # The common case, a live refresh token of this client, in one query (the token with
        # its access token and user) instead of django-oauth-toolkit's three; anything else
        # (revoked: reuse detection and the grace period; expired; orphaned) takes the
        # library's own path below.
        checksum = hashlib.sha256(refresh_token.encode()).hexdigest()
        live = (
            get_refresh_token_model()
            .objects.filter(token_checksum=checksum, revoked__isnull=True)
            .select_related("access_token", "user")
            .first()
        )
        if live is not None and live.access_token is not None and not _refresh_expired(live):
            if not live.user.is_active:
                return False
            request.user = live.user
            request.refresh_token = refresh_token
            request.refresh_token_instance = live
            return live.application_id == client.pk
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if not valid:
            reused = (
                get_refresh_token_model()
                .objects.filter(token_checksum=checksum, revoked__isnull=False)
                .select_related("user")
                .first()
            )
            if reused is not None:
                audit.record(
                    AuthEvent.Kind.REFRESH_REUSE,
                    user=reused.user,
                    client=client,
                    detail="refresh token dipakai dua kali: seluruh rangkaian token dicabut",
                )
        return valid

    def _save_bearer_token(self, token, request, *args, **kwargs):
        """Refresh-token rotation in four statements instead of the library's eleven: retire
        the presented token and delete its access token, then mint the new pair in the same
        family. The retiring UPDATE matches only a token not yet revoked, so of two concurrent
        rotations of one token exactly one wins; the other, and every other case (first
        grant, client credentials, a token revoked meanwhile) takes the library's path, which
        applies the grace period and reuse detection."""
        presented = getattr(request, "refresh_token_instance", None)
        if (
            request.grant_type != "refresh_token"
            or not token.get("refresh_token")
            or "scope" not in token
            or presented is None
            or presented.revoked is not None
            or not self.rotate_refresh_token(request)
        ):
            return super()._save_bearer_token(token, request, *args, **kwargs)
        self._check_and_set_request_resource(request)
        now = timezone.now()
        refresh_tokens = get_refresh_token_model().objects
        retired = refresh_tokens.filter(pk=presented.pk, revoked__isnull=True).update(
            revoked=now, access_token=None, updated=now
        )
        if not retired:
            return super()._save_bearer_token(token, request, *args, **kwargs)
        _delete_access_token(presented.access_token_id)
        presented.revoked, presented.access_token = now, None
        expires = now + timedelta(
            seconds=token.get("expires_in", settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"])
        )
        access_token = self._create_access_token(
            expires, request, token, source_refresh_token=presented
        )
        self._create_refresh_token(request, token["refresh_token"], access_token, presented)
        request.refresh_token_instance = None

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        # finalize_id_token has just saved the ID token row (request.id_token); the library
        # would parse and verify the JWT it just signed and read that row back.
        id_token = getattr(request, "id_token", None)
        if not token.get("id_token") or id_token is None:
            return super()._create_access_token(expires, request, token, source_refresh_token)
        access_token = get_access_token_model()(
            user=request.user,
            scope=token["scope"],
            expires=expires,
            id_token=id_token,
            application=request.client,
            source_refresh_token=source_refresh_token,
            resource=getattr(request, "resource", []),
        )
        self._set_token_value(access_token, token["access_token"])
        access_token.save()
        return access_token


def _delete_access_token(pk) -> None:
    """Delete the access token a rotation retires. Its only referrer, the refresh token it came
    with, was cleared by the statement that retired that token, so when no other model points
    at access tokens a plain DELETE does it; Django's collector would read the row first and
    null the (already null) pointer again."""
    model = get_access_token_model()
    tokens = model.objects.filter(pk=pk)
    refresh_model = get_refresh_token_model()
    if all(
        rel.related_model is refresh_model and rel.field.name == "access_token"
        for rel in model._meta.related_objects
    ):
        tokens._raw_delete(tokens.db)
    else:
        tokens.delete()


def _refresh_expired(refresh_token) -> bool:
    # As django-oauth-toolkit: a refresh token dies REFRESH_TOKEN_EXPIRE_SECONDS after its
    # access token expires.
    lifetime = refresh_token_expire_timedelta()
    return bool(lifetime) and refresh_token.access_token.expires + lifetime <= timezone.now()


def _with_query(uri: str, params: dict) -> str:
    parts = urlsplit(uri)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


class AuthorizeView(oauth_views.AuthorizationView):
    """The authorization endpoint with the consent screen in Bahasa Indonesia. Consent is
    remembered per app and asked again only when the app wants more data; an app that
    requires a higher assurance level (acr_values) than the account has gets access_denied."""

    template_name = "accounts/oidc/consent.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        client = Client.objects.get(client_id=credentials["client_id"])
        prompt = set(request.GET.get("prompt", "").split())
        if "login" in prompt:
            return super().get(request, *args, **kwargs)

        if credentials.get("code_challenge") and credentials.get("code_challenge_method") != "S256":
            # RFC 9700: only S256; "plain" (also oauthlib's default) would leak the verifier.
            return self._error_redirect(
                credentials, "invalid_request", "Gunakan code_challenge_method=S256."
            )
        minimum = minimum_requested(request.GET.get("acr_values", ""))
        if minimum and not meets_minimum(request.user.assurance_level, minimum):
            return self._error_redirect(
                credentials,
                "access_denied",
                f"Aplikasi ini memerlukan akun dengan tingkat verifikasi {minimum}.",
            )
        consent = Consent.objects.filter(user=request.user, client=client).first()
        if consent is not None and consent.covers(scopes) and "consent" not in prompt:
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
            except OAuthToolkitError as error:
                return self.error_response(error, client)
            return self.redirect(uri, client)
        if "none" in prompt:
            return self._error_redirect(credentials, "consent_required", "")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        scopes = context.get("scopes") or []
        context["requested_data"] = [SCOPES[s] for s in scopes if s in SCOPES]
        context["asks_nik"] = "nik" in scopes
        return context

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        location = response.get("Location", "") if response.status_code in (301, 302) else ""
        if form.cleaned_data.get("allow") and location and "error=" not in location:
            client = Client.objects.get(client_id=form.cleaned_data["client_id"])
            scopes = set(form.cleaned_data.get("scope", "").split())
            consent, created = Consent.objects.get_or_create(
                user=self.request.user, client=client, defaults={"scopes": " ".join(sorted(scopes))}
            )
            if not created:
                consent.scopes = " ".join(sorted(consent.scope_set | scopes))
                consent.save(update_fields=["scopes", "updated_at"])
            audit.record(
                AuthEvent.Kind.CONSENT_GRANTED,
                request=self.request,
                user=self.request.user,
                client=client,
                detail=" ".join(sorted(scopes)),
            )
        return response

    def _error_redirect(self, credentials: dict, error: str, description: str) -> HttpResponse:
        # Only reached after validate_authorization_request accepted the redirect URI, so it is
        # one the client registered.
        params = {"error": error}
        if description:
            params["error_description"] = description
        if credentials.get("state"):
            params["state"] = credentials["state"]
        params["iss"] = settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"]
        client = Client.objects.get(client_id=credentials["client_id"])
        return self.redirect(_with_query(credentials["redirect_uri"], params), client)


@method_decorator(transaction.atomic, name="post")
class TokenView(oauth_views.TokenView):
    """The token endpoint in one transaction: the rotated tokens, the ID token and the audit
    row are written together (one commit instead of four), or not at all."""

    @method_decorator(sensitive_post_parameters("password", "client_secret"))
    def authorization_flow_token_response(self, request: HttpRequest, *args, **kwargs):
        # The library reads the new access token back after every grant only to send
        # app_authorized; nothing in satupintu listens (save_bearer_token audits the grant),
        # so that read happens only when a receiver is connected.
        if app_authorized.has_listeners():
            return super().authorization_flow_token_response(request, *args, **kwargs)
        _url, headers, body, status = self.create_token_response(request)
        response = HttpResponse(content=body, status=status)
        for name, value in headers.items():
            response[name] = value
        return response


@method_decorator(cache_control(public=True, max_age=300), name="get")
class JwksView(View):
    """The JSON Web Key Set: the active key and retired keys whose ID tokens may still be
    in use (SigningKey.rotate)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        SigningKey.current()
        keys = [key.public_jwk() for key in SigningKey.objects.published()]
        response = JsonResponse({"keys": keys})
        response["Access-Control-Allow-Origin"] = "*"
        return response


class DiscoveryView(oauth_views.ConnectDiscoveryInfoView):
    """The discovery document, with the endpoints under the issuer's root and only what this
    provider supports (RS256, S256, the acr levels)."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        issuer = data["issuer"]
        for name, value in list(data.items()):
            if name.endswith("_endpoint") or name == "jwks_uri":
                data[name] = issuer + urlsplit(value).path
        data |= {
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "acr_values_supported": ["P0", "P1", "P2"],
            "revocation_endpoint": issuer + "/o/revoke_token/",
            "introspection_endpoint": issuer + "/o/introspect/",
            "ui_locales_supported": ["id", "en"],
        }
        result = JsonResponse(data)
        result["Access-Control-Allow-Origin"] = "*"
        return result

"""The platform's JSON API at /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

`core` knows no app: each app builds a `ninja.Router` in its own `api.py` and mounts it from
AppConfig.ready() with `registry.add_api_router("catalogue", router)`. `build_api()` runs when
the URLconf is loaded, after every app is ready.

Conventions every router follows, so that a client learns the API once:
- lists are paginated with `?page=` and `?page_size=` (at most 100) and answer
  `{"count": n, "page": p, "page_size": s, "results": [...]}` (use `paginate`);
- errors are `{"detail": "<message>", "errors": [{"field": ..., "message": ...}]}` with a 4xx
  status (400 for bad input, 401/403 for authentication, 404, 429), never a 500;
- reading public content needs no credential; anything else takes either the browser session
  (with the CSRF token on unsafe methods) or an OAuth 2 bearer access token from the platform's
  own identity provider (`OAuthBearer`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from .registry import registry

MAX_PAGE_SIZE = 100


class ApiError(Schema):
    detail: str
    errors: list[dict] = []


class OAuthBearer(HttpBearer):
    """An access token issued by satupintu's OpenID Connect provider (django-oauth-toolkit).

    `OAuthBearer(scopes=["catalogue:write"])` also requires those scopes. The authenticated
    user (or, for client-credential tokens, None with the token's application) is set on the
    request like a session login would."""

    def __init__(self, scopes: list[str] | None = None):
        super().__init__()
        self.scopes = scopes or []

    def authenticate(self, request, token):
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=self.scopes)
        if not valid:
            return None
        access_token = oauth_request.access_token
        request.oauth_token = access_token
        if access_token.user_id:
            request.user = access_token.user
        return access_token


# The bearer goes first: SessionAuth checks CSRF as soon as it is tried, and a token-only
# client has no CSRF cookie.
session_or_token = [OAuthBearer(), SessionAuth()]


def paginate(queryset, page: int, page_size: int) -> dict:
    """The standard list envelope; `page_size` is clamped to 1..100, a page past the end is 404."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    paginator = Paginator(queryset, page_size)
    try:
        current = paginator.page(max(page, 1))
    except EmptyPage as exc:
        if page == 1:  # an empty list is a valid first page
            return {"count": 0, "page": 1, "page_size": page_size, "results": []}
        raise Http404("Halaman di luar jangkauan.") from exc
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "results": list(current.object_list),
    }


def _field_errors(exc: ValidationError) -> list[dict]:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    return errors


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="satupintu API",
        version="1",
        description=(
            "API JSON platform satupintu: katalog aplikasi dan layanan publik, Satu Data, "
            "gerbang integrasi, pengaduan. Konvensi: lihat docs/api.md."
        ),
        urls_namespace="api-v1",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return api.create_response(
            request,
            {"detail": "Masukan tidak valid.", "errors": _field_errors(exc)},
            status=400,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc) or "Tidak ditemukan."
        return api.create_response(request, {"detail": message, "errors": []}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or "Anda tidak berhak mengakses ini."
        return api.create_response(request, {"detail": message, "errors": []}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, {"detail": "Perlu masuk atau token akses.", "errors": []}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(
            request, {"detail": str(exc.message), "errors": []}, status=exc.status_code
        )

    for mounted in registry.sorted_api_routers():
        api.add_router(f"/{mounted.prefix}/", mounted.router)
    return api

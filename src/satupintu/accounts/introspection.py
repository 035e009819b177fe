"""Token introspection (RFC 7662) with the regency's rule on who may look at which token.

django-oauth-toolkit answers for any token to any client that authenticates, so one OPD's app
could learn whose tokens another OPD's app holds. Here a client may introspect only the tokens
issued to itself, unless the platform admin allowed it to check others' (`Client.can_introspect`:
an API gateway or a resource server shared by several apps). Any other token gets
{"active": false}, exactly as an unknown or expired one, so nothing can be probed.
"""

from __future__ import annotations

import calendar
import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import View
from oauth2_provider import views as oauth_views
from oauth2_provider.models import get_access_token_model
from oauthlib.common import Request as OauthlibRequest

from .models import Client

INACTIVE = {"active": False}


def may_introspect(caller: Client, token) -> bool:
    return caller.can_introspect or token.application_id == caller.pk


def describe(token) -> dict:
    """The RFC 7662 answer for an active token."""
    data = {
        "active": True,
        "token_type": "Bearer",
        "scope": token.scope,
        "exp": int(calendar.timegm(token.expires.utctimetuple())),
        "iat": int(calendar.timegm(token.created.utctimetuple())),
    }
    if token.application is not None:
        data["client_id"] = token.application.client_id
    if token.user is not None:
        data["sub"] = str(token.user.pk)
        data["username"] = token.user.get_username()
    if token.resource:
        data["aud"] = token.resource
    return data


class IntrospectView(oauth_views.IntrospectTokenView):
    """POST /o/introspect/ with the caller's own client credentials (HTTP Basic or in the
    body) or a bearer token with the `introspection` scope; `token` in the form body. GET,
    which would put tokens into URLs and logs, is not offered."""

    http_method_names = ["post", "options"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method.upper() == "OPTIONS":
            return View.dispatch(self, request, *args, **kwargs)
        caller = self.caller(request)
        if caller is None:
            response = JsonResponse(
                {
                    "error": "invalid_client",
                    "error_description": "Autentikasi klien gagal.",
                },
                status=401,
            )
            response["WWW-Authenticate"] = 'Basic realm="satupintu"'
            return response
        request.introspecting_client = caller
        return View.dispatch(self, request, *args, **kwargs)

    def caller(self, request: HttpRequest) -> Client | None:
        """The client asking: authenticated by its credentials, or by a bearer token with the
        introspection scope (then the client that token was issued to)."""
        core = self.get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, method, body, headers)
        if core.server.request_validator.authenticate_client(oauth_request):
            return oauth_request.client
        valid, bearer_request = self.verify_request(request)
        if valid and bearer_request.client is not None:
            return bearer_request.client
        return None

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        value = request.POST.get("token")
        if not value:
            return JsonResponse(
                {"error": "invalid_request", "error_description": "Parameter token wajib."},
                status=400,
            )
        checksum = hashlib.sha256(value.encode()).hexdigest()
        token = (
            get_access_token_model()
            .objects.select_related("user", "application")
            .filter(token_checksum=checksum)
            .first()
        )
        if (
            token is None
            or not token.is_valid()
            or not may_introspect(request.introspecting_client, token)
        ):
            return JsonResponse(INACTIVE)
        return JsonResponse(describe(token))

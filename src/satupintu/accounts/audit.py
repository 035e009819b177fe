"""Writing the authentication audit log (AuthEvent) from views, signals and the OIDC
validator. Recording never breaks the request it describes."""

from __future__ import annotations

import logging

from django.http import HttpRequest

from .models import AuthEvent

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # django-axes already resolved the address behind the configured proxies.
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    client=None,
    detail: str = "",
) -> AuthEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    event = AuthEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request),
        user_agent=(request.headers.get("user-agent", "") if request is not None else "")[:300],
        client=client,
        detail=detail[:300],
    )
    log.info(
        "auth event",
        extra={"auth_event": kind, "user_id": getattr(user, "pk", None), "detail": detail},
    )
    return event

"""Sign-in, sign-out, failures and lockouts go to the authentication audit log."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .models import AuthEvent, UserSession


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit.record(AuthEvent.Kind.LOGIN, request=request, user=user)
    session = getattr(request, "session", None)
    if session is not None:
        if session.session_key is None:
            session.save()
        UserSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={
                "user": user,
                "ip_address": audit.client_ip(request),
                "user_agent": request.headers.get("user-agent", "")[:300],
            },
        )


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(AuthEvent.Kind.LOGOUT, request=request, user=user)
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit.record(AuthEvent.Kind.LOGIN_FAILED, request=request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="accounts.audit_lockout")
def audit_lockout(sender, request, username=None, ip_address=None, **kwargs) -> None:
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit.record(
        AuthEvent.Kind.LOCKOUT,
        request=request,
        user=user,
        username=username or "",
        detail=f"dikunci: akun {username or '-'}, IP {ip_address or '-'}",
    )

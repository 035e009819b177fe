"""The authentication audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthEvent(models.Model):
    """One authentication event: who, from where, what happened, and for which app."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Berhasil masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOCKOUT = "lockout", _("Akun/alamat IP dikunci sementara")
        LOGOUT = "logout", _("Keluar")
        MFA_VERIFIED = "mfa_verified", _("Kode verifikasi benar")
        MFA_FAILED = "mfa_failed", _("Kode verifikasi salah")
        MFA_ENROLLED = "mfa_enrolled", _("Aplikasi autentikator didaftarkan")
        RECOVERY_CODE_USED = "recovery_used", _("Kode cadangan dipakai")
        CONSENT_GRANTED = "consent", _("Persetujuan diberikan ke aplikasi")
        CONSENT_REVOKED = "consent_revoked", _("Persetujuan dicabut")
        TOKEN_ISSUED = "token", _("Token diberikan ke aplikasi")
        REFRESH_REUSE = "refresh_reuse", _("Refresh token dipakai ulang")
        PASSWORD_CHANGED = "password", _("Kata sandi diubah")
        SESSIONS_ENDED = "sessions_ended", _("Sesi lain dikeluarkan")

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kejadian"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="auth_events",
        verbose_name=_("pengguna"),
    )
    # What was typed into the login form when no account matched (never a password).
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=300, blank=True)
    client = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aplikasi"),
    )
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kejadian autentikasi")
        verbose_name_plural = _("kejadian autentikasi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.user or self.username}"


class UserSession(models.Model):
    """A signed-in browser session, so a person can see where they are signed in and sign
    the others out (Django's session table cannot be searched by user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="browser_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("masuk"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesi")
        verbose_name_plural = _("sesi")

    def __str__(self) -> str:
        return f"{self.user} — {self.user_agent[:40]}"

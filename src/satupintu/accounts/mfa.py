"""Second factor: TOTP (django-otp) with one-time recovery codes.

Required for every staff role: a signed-in staff user whose session has not passed the second
factor is sent to enter a code, or to enrol an authenticator app first, before any other page.
Optional for citizens; once a citizen enrols, their sign-ins need the code too.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuthEvent

RECOVERY_CODE_COUNT = 10
# Paths a user who still owes the second factor may reach (besides the MFA pages themselves).
# Signing out (here or from an app, /o/logout/) is always allowed.
EXEMPT_PREFIXES = (
    "/static/",
    "/media/",
    "/branding.css",  # the regency's colours: the enrolment page itself needs them
    "/i18n/",
    "/akun/keluar/",
    "/o/logout/",
    "/healthz",
    "/readyz",
)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_required(user) -> bool:
    """Whether this signed-in user must pass the second factor in this session."""
    if has_device(user):
        return True
    return settings.MFA_REQUIRED_FOR_STAFF and user.is_staff_member


class StaffMFAMiddleware:
    """Sends a signed-in user who owes the second factor to the code page (or to enrol an
    authenticator app when they have none) before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request.path)
            and mfa_required(user)
        ):
            target = "accounts:mfa_verify" if has_device(user) else "accounts:mfa_enrol"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        mfa_paths = (reverse("accounts:mfa_verify"), reverse("accounts:mfa_enrol"))
        return path.startswith(EXEMPT_PREFIXES) or path in mfa_paths


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=20,
        help_text=_("6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Isi kode verifikasi.")},
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _issue_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="kode-cadangan", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class VerifyView(LoginRequiredMixin, View):
    """Enter the code from the authenticator app (or a recovery code)."""

    template_name = "accounts/mfa/verify.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not has_device(request.user):
            return redirect(f"{reverse('accounts:mfa_enrol')}?next={quote(_next_url(request))}")
        return render(request, self.template_name, {"form": CodeForm(), "next": _next_url(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].replace(" ", "")
            device = self._matching_device(request.user, code)
            if device is not None:
                otp_login(request, device)
                kind = (
                    AuthEvent.Kind.RECOVERY_CODE_USED
                    if isinstance(device, StaticDevice)
                    else AuthEvent.Kind.MFA_VERIFIED
                )
                audit.record(kind, request=request, user=request.user)
                return redirect(_next_url(request))
            audit.record(AuthEvent.Kind.MFA_FAILED, request=request, user=request.user)
            form.add_error(
                "code",
                _("Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi Anda."),
            )
        return render(
            request, self.template_name, {"form": form, "next": _next_url(request)}, status=400
        )

    @staticmethod
    def _matching_device(user, code: str):
        # Each device throttles its own failures (django-otp's ThrottlingMixin), so guessing
        # codes slows down exponentially.
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            allowed, _detail = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return device
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            allowed, _detail = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return device
        return None


class EnrolView(LoginRequiredMixin, View):
    """Register an authenticator app: show the secret (and its otpauth:// URI), confirm with
    a first code, then show the recovery codes once."""

    template_name = "accounts/mfa/enrol.html"

    def _pending_device(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="aplikasi-autentikator", confirmed=False
            )
        return device

    def _context(self, request: HttpRequest, device: TOTPDevice, form: CodeForm) -> dict:
        secret = _base32(device)
        return {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
            "next": _next_url(request),
            "already_enrolled": has_device(request.user),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        if has_device(request.user) and not request.user.is_verified():
            return redirect(f"{reverse('accounts:mfa_verify')}?next={quote(_next_url(request))}")
        device = self._pending_device(request.user)
        return render(request, self.template_name, self._context(request, device, CodeForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        if has_device(request.user) and not request.user.is_verified():
            return redirect(reverse("accounts:mfa_verify"))
        device = self._pending_device(request.user)
        form = CodeForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _issue_recovery_codes(request.user)
            otp_login(request, device)
            audit.record(AuthEvent.Kind.MFA_ENROLLED, request=request, user=request.user)
            return render(
                request,
                "accounts/mfa/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        if form.is_valid():
            form.add_error(
                "code", _("Kode tidak cocok. Periksa jam di ponsel Anda lalu coba lagi.")
            )
        return render(request, self.template_name, self._context(request, device, form), status=400)


def _base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")

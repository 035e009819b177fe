"""A person's own account: registration, e-mail verification, profile, password reset,
signed-in sessions and login history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from satupintu.core.tables import TableListView

from . import audit, verification
from .account_forms import ProfileForm, RegistrationForm
from .filters import AuthEventFilter
from .models import AuthEvent, UserSession
from .tables import AuthEventTable

LOGIN_HISTORY_KINDS = (
    AuthEvent.Kind.LOGIN,
    AuthEvent.Kind.LOGIN_FAILED,
    AuthEvent.Kind.LOCKOUT,
    AuthEvent.Kind.LOGOUT,
    AuthEvent.Kind.MFA_VERIFIED,
    AuthEvent.Kind.MFA_FAILED,
    AuthEvent.Kind.RECOVERY_CODE_USED,
    AuthEvent.Kind.PASSWORD_CHANGED,
    AuthEvent.Kind.SESSIONS_ENDED,
    AuthEvent.Kind.CONSENT_GRANTED,
    AuthEvent.Kind.CONSENT_REVOKED,
)


class RegisterView(View):
    template_name = "accounts/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return render(request, self.template_name, {"form": RegistrationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegistrationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.email:
            verification.send_verification(request, user)
            messages.success(
                request,
                _("Akun dibuat. Kami mengirim tautan dan kode verifikasi ke %(email)s.")
                % {"email": user.email},
            )
        else:
            messages.success(request, _("Akun dibuat. Anda bisa masuk dengan NIK Anda."))
        return redirect("accounts:profile")


class VerifyEmailLinkView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        user = verification.verify_token(token)
        if user is None:
            return render(request, "accounts/verify_email_failed.html", status=400)
        messages.success(request, _("Email Anda sudah terverifikasi."))
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


class VerifyEmailCodeView(LoginRequiredMixin, View):
    """The six-digit code from the e-mail, typed on the device where the person signed up."""

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.session.get("email_verification_token", "")
        code = request.POST.get("code", "").strip()
        if token and code and code == verification.code_for(token):
            user = verification.verify_token(token)
            if user is not None and user.pk == request.user.pk:
                request.session.pop("email_verification_token", None)
                messages.success(request, _("Email Anda sudah terverifikasi."))
                return redirect("accounts:profile")
        messages.error(request, _("Kode verifikasi salah atau sudah kedaluwarsa."))
        return redirect("accounts:profile")


class ResendVerificationView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if request.user.email and request.user.email_verified_at is None:
            verification.send_verification(request, request.user)
            messages.success(request, _("Tautan verifikasi dikirim ulang."))
        return redirect("accounts:profile")


class ProfileEditView(LoginRequiredMixin, View):
    template_name = "accounts/profile_edit.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ProfileForm(instance=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        old_email = user.email
        form = ProfileForm(request.POST, instance=user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        user = form.save(commit=False)
        if user.email != old_email:
            user.email_verified_at = None
        user.save()
        if user.email and user.email != old_email:
            verification.send_verification(request, user)
        messages.success(request, _("Data diri disimpan."))
        return redirect("accounts:profile")


class SessionsView(LoginRequiredMixin, View):
    """Where this account is signed in, with "Keluarkan sesi lain"."""

    template_name = "accounts/sessions.html"

    def live_sessions(self, request: HttpRequest):
        sessions = UserSession.objects.filter(user=request.user)
        alive = set(
            Session.objects.filter(
                session_key__in=sessions.values("session_key"), expire_date__gt=timezone.now()
            ).values_list("session_key", flat=True)
        )
        sessions.exclude(session_key__in=alive).delete()
        return [s for s in sessions if s.session_key in alive]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"sessions": self.live_sessions(request), "current": request.session.session_key},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        others = UserSession.objects.filter(user=request.user).exclude(
            session_key=request.session.session_key
        )
        keys = list(others.values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        others.delete()
        audit.record(
            AuthEvent.Kind.SESSIONS_ENDED,
            request=request,
            user=request.user,
            detail=f"{len(keys)} sesi",
        )
        messages.success(request, _("Sesi lain sudah dikeluarkan."))
        return redirect("accounts:sessions")


class LoginHistoryView(LoginRequiredMixin, TableListView):
    table_class = AuthEventTable
    filterset_class = AuthEventFilter
    page_title = _lazy("Riwayat masuk")
    page_intro = _lazy(
        "Setiap kali akun Anda dipakai masuk, gagal masuk, atau memberi izin ke aplikasi, "
        "dicatat di sini."
    )
    export_basename = "riwayat-masuk"
    paginate_by = 50

    def get_base_queryset(self):
        return AuthEvent.objects.filter(
            user=self.request.user, kind__in=LOGIN_HISTORY_KINDS
        ).select_related("client")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            AuthEvent.Kind.PASSWORD_CHANGED,
            request=self.request,
            user=form.user,
            detail="lewat tautan lupa kata sandi",
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(AuthEvent.Kind.PASSWORD_CHANGED, request=self.request, user=form.user)
        messages.success(self.request, _("Kata sandi diubah."))
        return response

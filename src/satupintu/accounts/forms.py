from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.core.validators import strip_separators

from .models import User


class LoginForm(AuthenticationForm):
    """Sign in with a username, or with the NIK (citizens) or NIP (civil servants) the person
    knows by heart; both are found through their keyed-hash columns."""

    username = forms.CharField(
        label=_("Nama pengguna, NIK, atau NIP"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        error_messages={"required": _("Isi nama pengguna, NIK, atau NIP.")},
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi.")},
    )

    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Periksa lagi; huruf besar dan kecil dibedakan."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi admin OPD Anda atau Diskominfo."),
    }

    def clean(self):
        identifier = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if identifier and password:
            username = self._username_for(identifier)
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    @staticmethod
    def _username_for(identifier: str) -> str:
        digits = strip_separators(identifier)
        if digits.isdigit() and len(digits) in (16, 18):
            finder = User.objects.find_by_nik if len(digits) == 16 else User.objects.find_by_nip
            person = finder(digits)
            if person is not None:
                return person.get_username()
        return identifier

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")

"""Forms for people managing their own account: registration, profile, e-mail verification."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.core.forms import NIKField
from satupintu.core.validators import strip_separators

from .models import User

PHONE_HELP = _("Nomor HP aktif, misalnya 0812 3456 7890.")


def normalise_phone(value: str) -> str:
    digits = strip_separators(value).replace("+62", "0", 1)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if not digits:
        return ""
    if not digits.isdigit() or not digits.startswith("08") or not 10 <= len(digits) <= 13:
        raise ValidationError(
            _("Nomor HP tidak valid. Tulis seperti 0812 3456 7890."), code="invalid_phone"
        )
    return digits


class RegistrationForm(forms.Form):
    """Citizen self-registration: NIK, name, date of birth (must match the NIK), and an
    e-mail address or a phone number. The account starts at assurance level P0."""

    nik = NIKField()
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        help_text=_("Sesuai KTP."),
        error_messages={"required": _("Isi nama lengkap Anda.")},
    )
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Isi tanggal lahir Anda."),
            "invalid": _("Tanggal lahir tidak valid."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Isi email atau nomor HP (salah satu wajib)."),
        error_messages={"invalid": _("Alamat email tidak valid.")},
    )
    phone = forms.CharField(
        label=_("Nomor HP"), max_length=20, required=False, help_text=PHONE_HELP
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Paling sedikit 10 karakter, bukan hanya angka, bukan kata sandi umum."),
        error_messages={"required": _("Buat kata sandi.")},
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Ulangi kata sandi.")},
    )

    def clean_nik(self):
        nik = self.cleaned_data["nik"]
        if User.objects.find_by_nik(nik) is not None:
            raise ValidationError(
                _("NIK ini sudah terdaftar. Masuk dengan NIK Anda, atau hubungi loket layanan."),
                code="nik_taken",
            )
        return nik

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        nik, birth_date = cleaned.get("nik"), cleaned.get("birth_date")
        if nik and birth_date and nik.birth_date != birth_date:
            self.add_error(
                "birth_date",
                ValidationError(
                    _("Tanggal lahir tidak sama dengan tanggal lahir di NIK."), code="nik_date"
                ),
            )
        if not cleaned.get("email") and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("email", _("Isi email atau nomor HP agar akun bisa dipulihkan."))
        email = cleaned.get("email")
        if email and User.objects.filter(email__iexact=email).exists():
            self.add_error("email", _("Email ini sudah dipakai akun lain."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif password1:
            candidate = User(full_name=cleaned.get("full_name", ""), email=email or "")
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self) -> User:
        data = self.cleaned_data
        user = User(
            username=f"warga-{secrets.token_hex(4)}",
            full_name=data["full_name"].strip(),
            email=data["email"],
            kind=User.Kind.CITIZEN,
            phone=data["phone"],
        )
        user.set_nik(data["nik"])
        user.set_password(data["password1"])
        user.save()
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone"]
        labels = {"full_name": _("Nama lengkap"), "email": _("Email"), "phone": _("Nomor HP")}
        help_texts = {
            "email": _("Email baru perlu diverifikasi lagi."),
            "phone": PHONE_HELP,
        }
        widgets = {"phone": forms.TextInput()}

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise ValidationError(_("Isi nama lengkap Anda."), code="required")
        return name

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "")
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Email ini sudah dipakai akun lain."), code="email_taken")
        return email

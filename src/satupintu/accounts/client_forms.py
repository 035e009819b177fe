"""Forms for registering OIDC clients (the apps of each OPD)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from satupintu.core.images import clean_image
from satupintu.core.models import Organisation
from satupintu.core.roles import Role

from .models import SCOPES, Client

MAX_LOGO_BYTES = 200 * 1024
LOGO_SIDE = 256  # pixels; the consent screen shows it at 64
# Scopes only a platform admin may grant an app: the full NIK is personal data under
# UU 27/2022 and goes only to apps the regency has approved for it.
RESTRICTED_SCOPES = frozenset({"nik"})


def admin_organisations(user):
    """The organisations whose apps `user` may register: all for a platform admin, otherwise
    those where the user is OPD admin (and the organisations below them)."""
    if user.is_platform_admin:
        return Organisation.objects.all()
    ids = user.organisation_ids_with_descendants(roles=frozenset({Role.OPD_ADMIN}))
    return Organisation.objects.filter(pk__in=ids)


def catalogue_entries(user):
    """The catalogue entries `user` may link an app to: those of the OPDs whose apps the user
    registers (the form then insists on the app's own OPD)."""
    from satupintu.catalogue.models import Application

    return (
        Application.objects.filter(organisation__in=admin_organisations(user))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def _uris(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class ClientForm(forms.ModelForm):
    allowed_scopes = forms.MultipleChoiceField(
        label=_("Data yang boleh diminta aplikasi"),
        choices=[(name, f"{name} — {label}") for name, label in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pengguna tetap diminta persetujuan sebelum data dikirim."),
    )

    class Meta:
        model = Client
        fields = [
            "name",
            "description",
            "organisation",
            "client_type",
            "authorization_grant_type",
            "redirect_uris",
            "post_logout_redirect_uris",
            "allowed_scopes",
            "catalogue_entry",
            "can_introspect",
            "logo",
        ]
        labels = {
            "name": _("Nama aplikasi"),
            "client_type": _("Jenis klien"),
            "authorization_grant_type": _("Cara masuk"),
            "redirect_uris": _("Alamat kembali (redirect URI)"),
            "post_logout_redirect_uris": _("Alamat setelah keluar"),
        }
        help_texts = {
            "client_type": _(
                "Rahasia (confidential): aplikasi server yang bisa menyimpan client secret. "
                "Publik: aplikasi di peramban atau ponsel; wajib PKCE S256."
            ),
            "redirect_uris": _("Satu alamat per baris, dicocokkan persis (termasuk garis miring)."),
            "post_logout_redirect_uris": _("Satu alamat per baris, dicocokkan persis."),
        }
        widgets = {
            "redirect_uris": forms.Textarea(attrs={"rows": 3}),
            "post_logout_redirect_uris": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].required = True
        self.fields["organisation"].queryset = admin_organisations(user).order_by("name")
        self.fields["organisation"].label = _("OPD pemilik")
        self.fields["client_type"].choices = [
            (Client.CLIENT_CONFIDENTIAL, _("Rahasia (aplikasi server)")),
            (Client.CLIENT_PUBLIC, _("Publik (peramban/ponsel, PKCE)")),
        ]
        self.fields["authorization_grant_type"].choices = [
            (Client.GRANT_AUTHORIZATION_CODE, _("Pengguna masuk (authorization code)")),
            (Client.GRANT_CLIENT_CREDENTIALS, _("Antar-mesin (client credentials)")),
        ]
        self.fields["catalogue_entry"].queryset = catalogue_entries(user)
        self.fields["catalogue_entry"].empty_label = _("— belum ada di katalog —")
        self.fields["catalogue_entry"].label_from_instance = lambda app: (
            f"{app.name} ({app.organisation.short_name or app.organisation.name})"
        )
        if not user.is_platform_admin:
            # Seeing other apps' tokens is the platform admin's to grant.
            del self.fields["can_introspect"]
        if self.instance.pk:
            self.initial["allowed_scopes"] = sorted(self.instance.allowed_scope_set)
        else:
            self.initial.setdefault("allowed_scopes", ["openid", "profile", "email"])

    def clean_allowed_scopes(self) -> str:
        scopes = set(self.cleaned_data["allowed_scopes"])
        previously = self.instance.allowed_scope_set if self.instance.pk else frozenset()
        gained = (scopes & RESTRICTED_SCOPES) - previously
        if gained and not self.user.is_platform_admin:
            raise ValidationError(
                _("Scope nik hanya bisa diberikan oleh admin platform (Diskominfo)."),
                code="restricted_scope",
            )
        return " ".join(sorted(scopes))

    def _clean_uri_list(self, field: str) -> str:
        validate = URLValidator(schemes=settings.OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"])
        uris = _uris(self.cleaned_data.get(field, ""))
        for uri in uris:
            try:
                validate(uri)
            except ValidationError:
                raise ValidationError(
                    _(
                        "“%(uri)s” bukan alamat web yang lengkap (contoh: https://aplikasi.okukab.go.id/callback)."
                    ),
                    params={"uri": uri},
                    code="invalid_uri",
                ) from None
            if "#" in uri:
                raise ValidationError(_("Alamat kembali tidak boleh memuat #."), code="fragment")
        return " ".join(uris)

    def clean_redirect_uris(self) -> str:
        return self._clean_uri_list("redirect_uris")

    def clean_post_logout_redirect_uris(self) -> str:
        return self._clean_uri_list("post_logout_redirect_uris")

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):  # a new upload, not the file stored before
            # Shown on the consent screen to everyone who signs in to the app: a real image,
            # re-encoded without metadata, like the catalogue's logos.
            return clean_image(
                logo, max_bytes=MAX_LOGO_BYTES, max_side=LOGO_SIDE, keep_transparency=True
            )
        return logo

    def clean(self):
        cleaned = super().clean()
        grant = cleaned.get("authorization_grant_type")
        if grant == Client.GRANT_AUTHORIZATION_CODE and not cleaned.get("redirect_uris"):
            self.add_error(
                "redirect_uris", _("Aplikasi yang memasukkan pengguna perlu alamat kembali.")
            )
        entry, organisation = cleaned.get("catalogue_entry"), cleaned.get("organisation")
        if (
            entry is not None
            and organisation is not None
            and entry.organisation_id != organisation.pk
        ):
            self.add_error(
                "catalogue_entry",
                _("Pilih entri katalog milik OPD pemilik aplikasi ini (%(opd)s).")
                % {"opd": organisation.name},
            )
        if (
            grant == Client.GRANT_CLIENT_CREDENTIALS
            and cleaned.get("client_type") == Client.CLIENT_PUBLIC
        ):
            self.add_error(
                "client_type", _("Klien antar-mesin harus jenis rahasia (punya client secret).")
            )
        return cleaned

"""Django's technical admin for people and their roles.

NIK, NIP and phone numbers are personal data (UU 27/2022): the admin never shows them in
clear, in the list or in the form. The form shows the masked value and takes a new one in a
write-only field; the list can still be searched by an exact NIK or NIP through the keyed-hash
columns.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from satupintu.core import crypto
from satupintu.core.masking import mask_nik, mask_nip, mask_phone
from satupintu.core.validators import strip_separators

from .models import AuthEvent, Membership, User

# write-only form field -> (model field, how its stored value is shown)
PERSONAL_FIELDS = {
    "new_nik": ("nik", mask_nik),
    "new_nip": ("nip", mask_nip),
    "new_phone": ("phone", mask_phone),
}


class PersonalDataFormMixin(forms.Form):
    """Write-only NIK, NIP and phone fields: empty keeps the stored value."""

    new_nik = forms.CharField(label=_("NIK baru"), required=False, max_length=32)
    new_nip = forms.CharField(label=_("NIP baru"), required=False, max_length=32)
    new_phone = forms.CharField(label=_("Nomor HP baru"), required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (model_field, masker) in PERSONAL_FIELDS.items():
            current = getattr(self.instance, model_field, "") if self.instance.pk else ""
            shown = masker(current) if current else _("(kosong)")
            self.fields[name].help_text = _(
                "Tersimpan: %(value)s. Kosongkan bila tidak diubah."
            ) % {"value": shown}
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_new_nik(self) -> str:
        return self._check_identifier(
            "new_nik", "set_nik", User.objects.find_by_nik, _("NIK ini sudah dipakai akun lain.")
        )

    def clean_new_nip(self) -> str:
        return self._check_identifier(
            "new_nip", "set_nip", User.objects.find_by_nip, _("NIP ini sudah dipakai akun lain.")
        )

    def clean_new_phone(self) -> str:
        value = " ".join(self.cleaned_data["new_phone"].split())
        if value and not strip_separators(value).lstrip("+").isdigit():
            raise ValidationError(_("Nomor HP hanya boleh berisi angka, spasi, titik atau -."))
        return value

    def _check_identifier(self, name: str, setter: str, finder, taken_message) -> str:
        value = strip_separators(self.cleaned_data[name])
        if not value:
            return ""
        # The model's setter validates (shape, date, +40 rule) and sets the region flag; it
        # runs on a throwaway user so nothing is changed before the whole form is valid.
        getattr(User(), setter)(value)
        other = finder(value)
        if other is not None and other.pk != self.instance.pk:
            raise ValidationError(taken_message)
        return value

    def apply_personal_data(self, user: User) -> None:
        if self.cleaned_data.get("new_nik"):
            user.set_nik(self.cleaned_data["new_nik"])
        if self.cleaned_data.get("new_nip"):
            user.set_nip(self.cleaned_data["new_nip"])
        if self.cleaned_data.get("new_phone"):
            user.phone = self.cleaned_data["new_phone"]

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        self.apply_personal_data(user)
        if commit:
            user.save()
            self._save_m2m()
        return user


class UserAdminCreationForm(PersonalDataFormMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "email", "kind")


class UserAdminChangeForm(PersonalDataFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = (
            "username",
            "full_name",
            "email",
            "kind",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "nik_region_unknown",
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organisation", "role", "position")
    autocomplete_fields = ("organisation",)
    extra = 0
    verbose_name = _("peran di organisasi")
    verbose_name_plural = _("peran di organisasi")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    inlines = (MembershipInline,)
    list_display = (
        "username",
        "full_name",
        "kind",
        "masked_nik",
        "masked_nip",
        "role_list",
        "is_active",
        "is_superuser",
    )
    list_filter = ("kind", "is_active", "is_superuser", "memberships__role", "nik_region_unknown")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data diri"), {"fields": ("full_name", "email", "kind")}),
        (
            _("Data pribadi (disamarkan)"),
            {
                "fields": ("new_nik", "nik_region_unknown", "new_nip", "new_phone"),
                "description": _(
                    "NIK, NIP dan nomor HP disimpan terenkripsi dan hanya ditampilkan "
                    "tersamar. Isi kolom baru hanya untuk menggantinya."
                ),
            },
        ),
        (
            _("Hak akses"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Waktu"), {"fields": ("last_login", "date_joined", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "kind", "password1", "password2"),
            },
        ),
        (_("Data pribadi"), {"fields": ("new_nik", "new_nip", "new_phone")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__organisation")

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: User) -> str:
        return mask_nik(obj.nik)

    @admin.display(description=_("NIP"))
    def masked_nip(self, obj: User) -> str:
        return mask_nip(obj.nip)

    @admin.display(description=_("Peran"))
    def role_list(self, obj: User) -> str:
        return ", ".join(
            f"{m.get_role_display()} ({m.organisation.short_name})" for m in obj.memberships.all()
        )

    def get_search_results(self, request, queryset, search_term):
        """Besides names, find a person by their exact NIK or NIP (through the keyed hash;
        the encrypted columns cannot be searched)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = strip_separators(search_term)
        if digits.isdigit() and len(digits) in (16, 18):
            column = "nik_hash" if len(digits) == 16 else "nip_hash"
            results |= queryset.filter(**{column: crypto.lookup_hash(digits)})
        return results, may_have_duplicates


@admin.register(AuthEvent)
class AuthEventAdmin(admin.ModelAdmin):
    """The authentication audit log: read-only, searchable by username."""

    list_display = ("created_at", "kind", "user", "username", "ip_address", "client")
    list_filter = ("kind",)
    search_fields = ("username",)
    date_hierarchy = "created_at"
    list_select_related = ("user", "client")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

"""Form fields shared by every app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import NIK, NIP, strip_separators, validate_nik, validate_nip


class NIKField(forms.CharField):
    """A NIK input. The cleaned value is a `validators.NIK` (a str): save it as is, and read
    `cleaned_data["nik"].region_known` to flag NIKs whose region is not in the current list."""

    default_error_messages = {"required": _("Isi NIK (16 angka, tertera di KTP atau KK).")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("help_text", _("16 angka, tertera di KTP atau Kartu Keluarga."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        # A numeric keypad on phones without turning the value into a number (leading zeros);
        # room for the spaces and dots people type ("1601 2845 0987 0001"). The length itself
        # is checked after stripping them, with a message that counts the digits.
        attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": 24}
        )
        return attrs

    def to_python(self, value) -> str:
        return strip_separators(super().to_python(value))

    def clean(self, value) -> NIK | str:
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return validate_nik(value)


class NIPField(forms.CharField):
    """A NIP input; the cleaned value is a `validators.NIP` (a str) with its parts."""

    default_error_messages = {"required": _("Isi NIP (18 angka).")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("NIP"))
        kwargs.setdefault("help_text", _("18 angka, tertera di SK atau kartu pegawai."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": 26}
        )
        return attrs

    def to_python(self, value) -> str:
        return strip_separators(super().to_python(value))

    def clean(self, value) -> NIP | str:
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return validate_nip(value)

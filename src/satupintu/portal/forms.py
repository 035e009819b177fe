"""Forms of the portal. DesignExampleForm exists to show every kind of form field, with and
without errors, on /design/; it is never saved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.core.validators import nik_validator


class DesignExampleForm(forms.Form):
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        help_text=_("Sesuai KTP, tanpa gelar."),
        error_messages={"required": _("Tuliskan nama lengkap Anda.")},
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        help_text=_("16 angka pada KTP, misalnya 1601284509870001."),
        validators=[nik_validator],
    )
    district = forms.ChoiceField(
        label=_("Kecamatan"),
        choices=[
            ("", _("Pilih kecamatan")),
            ("16.01.28", "Lengkiti"),
            ("16.01.01", "Pengandonan"),
            ("16.01.02", "Baturaja Timur"),
        ],
        error_messages={"required": _("Pilih kecamatan tempat tinggal Anda.")},
    )
    channel = forms.ChoiceField(
        label=_("Kami hubungi lewat"),
        widget=forms.RadioSelect,
        choices=[("wa", _("WhatsApp")), ("sms", _("SMS")), ("email", _("Email"))],
        error_messages={"required": _("Pilih cara kami menghubungi Anda.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Informasi yang ingin diterima"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("bencana", _("Peringatan bencana")),
            ("agenda", _("Agenda kegiatan")),
            ("lowongan", _("Lowongan kerja")),
        ],
    )
    message = forms.CharField(
        label=_("Uraian laporan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        help_text=_("Ceritakan apa yang terjadi, di mana, dan sejak kapan."),
        error_messages={"min_length": _("Uraian terlalu pendek: tulis setidaknya 20 huruf.")},
    )
    agree = forms.BooleanField(
        label=_("Saya menyatakan data di atas benar."),
        required=False,
    )

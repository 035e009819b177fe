"""Forms of the citizen side: the report form (with the honeypot and the photo limits checked
before anything is written), the filters of the public list, the tracking lookup, rating and
reopening a report."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Region

from ..geo import inside_regency
from ..models import Category
from ..submission_rules import DESCRIPTION_MAX, DESCRIPTION_MIN

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"
# Named like a field a bot wants to fill; people never see it (hidden, out of the tab order).
HONEYPOT_FIELD = "situs_web"


def photo_max_bytes() -> int:
    return settings.COMPLAINTS["photo_max_bytes"]


def photo_max_count() -> int:
    return settings.COMPLAINTS["photos_per_report"]


def regency_regions() -> tuple[list[Region], list[Region]]:
    """The regency's districts and villages (ordered by code, villages under their district)."""
    prefix = settings.INSTALLATION["regency_code"] + "."
    rows = list(
        Region.objects.filter(
            code__startswith=prefix, level__in=[Region.Level.DISTRICT, Region.Level.VILLAGE]
        ).order_by("code")
    )
    districts = [r for r in rows if r.level == Region.Level.DISTRICT]
    villages = [r for r in rows if r.level == Region.Level.VILLAGE]
    return districts, villages


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is checked for size here, for content in photos.py."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > photo_max_count():
            raise ValidationError(
                _("Paling banyak %(count)s foto per laporan."),
                code="too_many",
                params={"count": photo_max_count()},
            )
        cleaned = [super(MultipleImageField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            if upload.size > photo_max_bytes():
                raise ValidationError(
                    _(
                        "Foto %(name)s terlalu besar (%(size)s). Batasnya %(limit)s per foto: "
                        "kecilkan fotonya atau kirim foto lain."
                    ),
                    code="too_big",
                    params={
                        "name": upload.name,
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(photo_max_bytes()),
                    },
                )
        return cleaned


def _coordinate(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Tulis koordinat sebagai angka, mis. -4.052310.")) from None
    if not number.is_finite():
        raise ValidationError(_("Tulis koordinat sebagai angka, mis. -4.052310."))
    return number.quantize(Decimal("0.000001"))


class CoordinateField(forms.CharField):
    """Latitude or longitude as typed (a comma is accepted as the decimal mark), to 6 places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def clean(self, value):
        return _coordinate(super().clean(value))


def _attribute_field(definition: dict) -> forms.Field:
    """A form field for one Open311 attribute definition (datatype string, number, datetime,
    text, singlevaluelist, multivaluelist)."""
    label = definition.get("description") or definition["code"]
    datatype = definition.get("datatype", "string")
    choices = [
        (str(v.get("key")), v.get("name") or v.get("key")) for v in definition.get("values") or []
    ]
    if datatype == "singlevaluelist":
        return forms.ChoiceField(
            label=label, required=False, choices=[("", _("— pilih —")), *choices]
        )
    if datatype == "multivaluelist":
        return forms.MultipleChoiceField(
            label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
        )
    if datatype == "number":
        return forms.DecimalField(label=label, required=False, max_digits=15, decimal_places=4)
    if datatype == "text":
        return forms.CharField(
            label=label, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
        )
    return forms.CharField(label=label, required=False, max_length=500)


class ReportForm(forms.Form):
    """The citizen's report. `user` decides whether contact fields are asked: a signed-in
    citizen is reached through the account, an anonymous visitor may leave a name and a
    contact, or nothing at all."""

    category = forms.ChoiceField(
        label=_("Jenis masalah"),
        help_text=_("Pilih yang paling dekat; petugas dapat memindahkannya bila keliru."),
        error_messages={"required": _("Pilih jenis masalah dari daftar.")},
    )
    title = forms.CharField(
        label=_("Judul singkat"),
        max_length=200,
        help_text=_("Contoh: Jalan berlubang di depan SD Negeri 12 Lengkiti"),
        error_messages={"required": _("Tulis judul singkat masalahnya.")},
    )
    description = forms.CharField(
        label=_("Ceritakan masalahnya"),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Ceritakan masalahnya: apa yang terjadi, sejak kapan, di mana."),
            "min_length": _("Ceritakan masalahnya paling sedikit %(limit_value)d huruf."),
            "max_length": _(
                "Ceritakan paling banyak %(limit_value)d karakter (sekarang %(show_value)d). "
                "Ringkas ceritanya; foto dapat membantu menjelaskan."
            ),
        },
        help_text=_(
            "Apa yang terjadi, sejak kapan, dan siapa yang terdampak. Jangan menulis NIK atau "
            "nomor telepon di sini: nomor seperti itu disamarkan sebelum laporan tampil publik."
        ),
    )
    photos = MultipleImageField(label=_("Foto"), required=False)
    latitude = CoordinateField(label=_("Lintang (latitude)"))
    longitude = CoordinateField(label=_("Bujur (longitude)"))
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    address = forms.CharField(
        label=_("Patokan lokasi"),
        required=False,
        max_length=300,
        help_text=_("Contoh: Jl. Lintas Lengkiti km 4, dekat masjid."),
    )
    contact_name = forms.CharField(label=_("Nama Anda"), required=False, max_length=120)
    contact_phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    is_anonymous = forms.BooleanField(
        label=_("Sembunyikan nama saya dari publik"),
        required=False,
        help_text=_("Petugas tetap dapat menghubungi Anda; publik hanya melihat “Anonim”."),
    )
    is_public = forms.BooleanField(
        label=_("Tampilkan laporan di daftar dan peta publik"),
        required=False,
        initial=True,
        help_text=_("Tanpa centang, hanya Anda dan petugas yang dapat melihat laporan ini."),
    )
    situs_web = forms.CharField(
        label=_("Jangan diisi"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].choices = self._category_choices()
        districts, villages = regency_regions()
        self._regions = {r.code: r for r in [*districts, *villages]}
        self.fields["district"].choices = [("", _("— pilih kecamatan —"))] + [
            (r.code, r.name) for r in districts
        ]
        names = {d.code: d.name for d in districts}
        grouped: dict[str, list] = {}
        for village in villages:
            grouped.setdefault(names.get(village.parent_id, village.parent_id), []).append(
                (village.code, village.name)
            )
        self.fields["village"].choices = [
            ("", _("— pilih desa/kelurahan —")),
            *grouped.items(),
        ]
        photos = self.fields["photos"]
        photos.help_text = _(
            "Foto JPG, PNG atau WebP, paling banyak %(count)s foto, masing-masing %(size)s."
        ) % {"count": photo_max_count(), "size": filesizeformat(photo_max_bytes())}
        photos.widget.attrs.update(
            {
                "data-max-bytes": photo_max_bytes(),
                "data-max-count": photo_max_count(),
                "data-too-big-text": _("lebih dari %(size)s, kecilkan dulu.")
                % {"size": filesizeformat(photo_max_bytes())},
                "data-too-many-text": _("Paling banyak %(count)s foto per laporan.")
                % {"count": photo_max_count()},
            }
        )
        if self.signed_in:
            for name in ("contact_name", "contact_phone", "contact_email"):
                del self.fields[name]
        self._attribute_fields: dict[str, list[tuple[str, dict]]] = {}
        self._categories_with_attributes: list[Category] = []
        self._add_attribute_fields()

    def _add_attribute_fields(self) -> None:
        """The Open311 attributes of each category (e.g. "Tingkat kerusakan" of a broken road)
        as optional fields named attribute__<category>__<code>; clean() requires the chosen
        category's required ones. Without JavaScript every category's fields show, each group
        titled with its category; report-form.js shows only the chosen category's group."""
        for category in Category.objects.filter(is_active=True).exclude(attributes=[]):
            definitions = sorted(
                (d for d in category.attributes or [] if d.get("code")),
                key=lambda d: (d.get("order") or 0, d["code"]),
            )
            names = []
            for definition in definitions:
                name = f"attribute__{category.code}__{definition['code']}"
                self.fields[name] = _attribute_field(definition)
                names.append((name, definition))
            if names:
                self._attribute_fields[category.code] = names
                self._categories_with_attributes.append(category)

    def attribute_groups(self) -> list[tuple[Category, list]]:
        return [
            (category, [self[name] for name, _definition in self._attribute_fields[category.code]])
            for category in self._categories_with_attributes
        ]

    def attributes(self) -> dict:
        """The chosen category's attribute values, keyed by attribute code (for services)."""
        category = self.cleaned_data.get("category")
        if not isinstance(category, Category):
            return {}
        values = {}
        for name, definition in self._attribute_fields.get(category.code, []):
            value = self.cleaned_data.get(name)
            if value not in (None, "", []):
                values[definition["code"]] = value
        return values

    @property
    def signed_in(self) -> bool:
        return bool(self.user and self.user.is_authenticated)

    @staticmethod
    def _category_choices() -> list:
        groups: dict[str, list] = {}
        for category in Category.objects.filter(is_active=True).order_by("group", "name"):
            groups.setdefault(category.group or str(_("Lainnya")), []).append(
                (category.code, category.name)
            )
        return [("", _("— pilih jenis masalah —")), *groups.items()]

    def clean_category(self) -> Category:
        code = self.cleaned_data["category"]
        try:
            return Category.objects.get(code=code, is_active=True)
        except Category.DoesNotExist:
            raise ValidationError(_("Pilih jenis masalah dari daftar.")) from None

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < DESCRIPTION_MIN:
            raise ValidationError(
                _("Ceritakan masalahnya paling sedikit %(min)s huruf."),
                params={"min": DESCRIPTION_MIN},
            )
        return text

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if isinstance(category, Category):
            for name, definition in self._attribute_fields.get(category.code, []):
                missing = data.get(name) in (None, "", [])
                if definition.get("required") and missing and not self.has_error(name):
                    self.add_error(
                        name,
                        _("%(what)s wajib diisi untuk %(category)s.")
                        % {
                            "what": definition.get("description") or definition["code"],
                            "category": category.name,
                        },
                    )
        if data.get(HONEYPOT_FIELD):
            # A person never sees this field; whatever filled it is a bot.
            raise ValidationError(_("Laporan tidak dapat diterima. Muat ulang halaman ini."))
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None) and not self.has_error("latitude"):
            if not self.has_error("longitude"):
                self.add_error(
                    "latitude" if lat is None else "longitude",
                    _("Isi lintang dan bujur bersama-sama, atau tandai titik di peta."),
                )
        elif lat is not None and lon is not None and not inside_regency(lat, lon):
            self.add_error(
                "latitude",
                _(
                    "Titik %(lat)s, %(lon)s berada di luar %(regency)s. Tandai lokasi di dalam "
                    "wilayah kabupaten, atau kosongkan koordinat dan pilih kecamatan/desa."
                )
                % {
                    "lat": lat,
                    "lon": lon,
                    "regency": settings.INSTALLATION["regency_name"],
                },
            )
        district = self._regions.get(data.get("district") or "")
        village = self._regions.get(data.get("village") or "")
        if village and district and village.parent_id != district.code:
            self.add_error(
                "village",
                _("Desa %(village)s tidak berada di Kecamatan %(district)s.")
                % {"village": village.name, "district": district.name},
            )
        data["region"] = village or district
        if (
            lat is None
            and lon is None
            and data["region"] is None
            and not self.has_error("latitude")
            and not self.has_error("longitude")
            and not self.has_error("village")
        ):
            self.add_error(
                "district",
                _("Tandai lokasi di peta, atau pilih kecamatan (dan desa) tempat masalahnya."),
            )
        return data

    def contact(self) -> dict | None:
        if self.signed_in:
            return None
        contact = {
            key: self.cleaned_data.get(field, "").strip()
            for key, field in (
                ("name", "contact_name"),
                ("email", "contact_email"),
                ("phone", "contact_phone"),
            )
        }
        return contact if any(contact.values()) else None


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Nomor tiket"),
        max_length=20,
        help_text=_("Contoh: ADU-2611-00042"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Seberapa puas Anda dengan penanganannya?"),
        coerce=int,
        choices=[
            (5, _("5 — Sangat puas")),
            (4, _("4 — Puas")),
            (3, _("3 — Cukup")),
            (2, _("2 — Kurang puas")),
            (1, _("1 — Tidak puas")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Komentar"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa masalahnya belum selesai?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Contoh: lubang hanya ditimbun tanah dan kembali berlubang setelah hujan."),
    )

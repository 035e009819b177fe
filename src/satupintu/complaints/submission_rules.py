"""What a new report must satisfy, whichever channel it comes from (portal form, Open311,
WhatsApp/SMS gateway): the limits the forms show and the checks services.submit_report runs.
Each check raises django.core.exceptions.ValidationError with per-field messages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .geo import inside_regency
from .models import Category

DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 5000
TITLE_MAX = 200


def _coordinate(value, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Koordinat harus berupa angka, mis. -4.1312."))
        return None
    if not number.is_finite():
        errors.setdefault(field, []).append(_("Koordinat harus berupa angka, mis. -4.1312."))
        return None
    return number.quantize(Decimal("0.000001"))


def validate_submission(*, category, title, description, latitude, longitude, address, region):
    errors: dict[str, list[str]] = {}
    if not isinstance(category, Category) or not category.is_active:
        errors["category"] = [_("Pilih kategori pengaduan yang tersedia.")]
    title = " ".join((title or "").split())
    description = (description or "").strip()
    if not title:
        # Channels without a title (WhatsApp, Open311) get the start of the description.
        title = " ".join(description.split())[:80]
    if len(title) > TITLE_MAX:
        errors["title"] = [_("Judul paling panjang %(n)d karakter.") % {"n": TITLE_MAX}]
    if len(description) < DESCRIPTION_MIN:
        errors["description"] = [
            _("Ceritakan masalahnya paling sedikit %(n)d karakter.") % {"n": DESCRIPTION_MIN}
        ]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [
            _("Isi laporan paling panjang %(n)d karakter (sekarang %(len)d).")
            % {"n": DESCRIPTION_MAX, "len": len(description)}
        ]
    lat = _coordinate(latitude, "latitude", errors)
    lon = _coordinate(longitude, "longitude", errors)
    if (lat is None) != (lon is None) and "latitude" not in errors and "longitude" not in errors:
        errors["latitude"] = [_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")]
    elif lat is not None and lon is not None and not inside_regency(lat, lon):
        errors["latitude"] = [
            _("Lokasi berada di luar wilayah %(regency)s. Periksa titik pada peta.")
            % {"regency": settings.INSTALLATION["regency_name"]}
        ]
    regency = settings.INSTALLATION["regency_code"]
    if region is not None and not (region.code == regency or region.code.startswith(regency + ".")):
        errors["region"] = [
            _("Wilayah itu berada di luar %(regency)s.")
            % {"regency": settings.INSTALLATION["regency_name"]}
        ]
    address = " ".join((address or "").split())
    if lat is None and lon is None and not address and region is None:
        errors["address"] = [_("Tunjukkan lokasinya: titik pada peta, alamat, atau desa.")]
    if len(address) > 500:
        errors["address"] = [_("Alamat paling panjang 500 karakter.")]
    if errors:
        raise ValidationError(errors)
    return title, description, lat, lon, address


def validate_contact(contact: dict | None) -> dict:
    contact = {k: " ".join(str(v or "").split()) for k, v in (contact or {}).items()}
    unknown = set(contact) - {"name", "email", "phone"}
    if unknown:
        raise ValueError(f"unknown contact keys: {sorted(unknown)}")
    errors = {}
    if contact.get("email"):
        try:
            validate_email(contact["email"])
        except ValidationError:
            errors["contact_email"] = [_("Alamat email tidak valid.")]
    phone = contact.get("phone", "")
    digits = "".join(c for c in phone if c.isdigit())
    if phone and not (8 <= len(digits) <= 15):
        errors["contact_phone"] = [_("Nomor telepon harus 8–15 angka, mis. 0812 3456 7890.")]
    if len(contact.get("name", "")) > 150:
        errors["contact_name"] = [_("Nama paling panjang 150 karakter.")]
    if errors:
        raise ValidationError(errors)
    return contact


def validate_attributes(category: Category, attributes: dict | None) -> dict:
    """Check values against the category's Open311 attribute definitions."""
    attributes = dict(attributes or {})
    definitions = {d.get("code"): d for d in (category.attributes or []) if d.get("code")}
    errors = {}
    clean = {}
    for code, definition in definitions.items():
        value = attributes.get(code)
        if value in (None, "", []):
            if definition.get("required"):
                errors[f"attribute[{code}]"] = [
                    _("%(what)s wajib diisi.") % {"what": definition.get("description") or code}
                ]
            continue
        allowed = {str(v.get("key")) for v in definition.get("values") or []}
        values = value if isinstance(value, list) else [value]
        if allowed and any(str(v) not in allowed for v in values):
            errors[f"attribute[{code}]"] = [
                _("Pilihan untuk %(what)s tidak dikenal.")
                % {"what": definition.get("description") or code}
            ]
            continue
        clean[code] = value if isinstance(value, list) else str(value)[:500]
    if errors:
        raise ValidationError(errors)
    return clean

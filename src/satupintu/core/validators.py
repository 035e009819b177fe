"""Validation of Indonesian personal identifiers: NIK (citizens) and NIP (civil servants).

Both return a `str` subclass carrying what the number encodes (birth date, sex, region or
appointment), so a form's cleaned value can be saved straight into a model field and still
tell the view that, for example, the NIK's region is not in the current Kemendagri list.

NIK (Nomor Induk Kependudukan), 16 digits:
    PP RR DD  DDMMYY  SSSS
    region    birth   serial
The region is the district (kecamatan) where the NIK was issued; women have 40 added to the
day of birth. Regions split and get renumbered after NIKs were issued, so an unknown region is
accepted and flagged (`region_known=False`), never rejected.

NIP (Nomor Induk Pegawai), 18 digits:
    YYYYMMDD  YYYYMM  G  SSS
    birth     TMT     sex serial
where TMT is the month of appointment as CPNS and G is 1 for men, 2 for women.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What people type between digit groups: spaces (also non-breaking), dots, hyphens, slashes.
_SEPARATORS = re.compile(r"[\s.\-/]+")
# Day-of-birth offset for women in the NIK.
FEMALE_DAY_OFFSET = 40
# Youngest age at which someone can be appointed CPNS.
MINIMUM_APPOINTMENT_AGE = 18


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


def strip_separators(value: object) -> str:
    """The value without the spaces, dots and hyphens people type between digit groups."""
    return _SEPARATORS.sub("", "" if value is None else str(value))


def _today() -> datetime.date:
    # The installation's calendar day (WIB by default), not the server's UTC day.
    return timezone.localdate() if settings.USE_TZ else datetime.date.today()


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _region_known(region_code: str) -> bool:
    # core.regions (the region importer) answers this; fall back to a direct query so the
    # validator keeps working if that module is reorganised.
    try:
        from .regions import region_code_known
    except ImportError:
        from .models import Region

        return Region.objects.filter(code=region_code).exists()
    return region_code_known(region_code)


class NIK(str):
    """A validated NIK. Behaves as the 16-digit string; the attributes describe its parts."""

    region_code: str  # "16.01.28"
    region_known: bool
    birth_date: datetime.date
    sex: str  # Sex.MALE or Sex.FEMALE
    serial: str

    def __new__(cls, digits: str, **parts) -> NIK:
        instance = super().__new__(cls, digits)
        instance.__dict__.update(parts)
        return instance

    def __reduce__(self):
        return (_rebuild, (type(self), str(self), dict(self.__dict__)))


class NIP(str):
    """A validated NIP. Behaves as the 18-digit string; the attributes describe its parts."""

    birth_date: datetime.date
    appointment: datetime.date  # first day of the TMT CPNS month
    sex: str
    serial: str

    def __new__(cls, digits: str, **parts) -> NIP:
        instance = super().__new__(cls, digits)
        instance.__dict__.update(parts)
        return instance

    def __reduce__(self):
        return (_rebuild, (type(self), str(self), dict(self.__dict__)))


def _rebuild(cls, digits: str, parts: dict):
    return cls(digits, **parts)


def _check_digits(value: str, length: int, label: str, code_prefix: str) -> None:
    if not value.isdigit() or not value.isascii():
        raise ValidationError(
            _("%(label)s hanya boleh berisi angka."),
            code=f"{code_prefix}_digits",
            params={"label": label},
        )
    if len(value) != length:
        raise ValidationError(
            _("%(label)s harus %(expected)d angka; yang diisi %(count)d angka."),
            code=f"{code_prefix}_length",
            params={"label": label, "expected": length, "count": len(value)},
        )


def nik_birth_date(day: int, month: int, yy: int, today: datetime.date) -> datetime.date | None:
    """The birth date a NIK's DDMMYY (day already without the +40) stands for: the most recent
    century in which the date exists and is not in the future."""
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        born = _date_or_none(century + yy, month, day)
        if born is not None and born <= today:
            return born
    return None


def validate_nik(value: object, *, today: datetime.date | None = None) -> NIK:
    """Check a NIK and return it normalised with its parts; raise ValidationError otherwise.

    Error codes: nik_digits, nik_length, nik_date, nik_serial.
    """
    digits = strip_separators(value)
    _check_digits(digits, 16, "NIK", "nik")
    today = today or _today()

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = Sex.MALE
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
        sex = Sex.FEMALE
    born = nik_birth_date(day, month, yy, today) if 1 <= day <= 31 else None
    if born is None:
        raise ValidationError(
            _(
                "Angka ke-7 sampai ke-12 NIK (%(segment)s) bukan tanggal lahir yang benar. "
                "Urutannya tanggal-bulan-tahun (DDMMYY); untuk perempuan tanggal ditambah 40."
            ),
            code="nik_date",
            params={"segment": digits[6:12]},
        )
    if digits[12:] == "0000":
        raise ValidationError(
            _("Empat angka terakhir NIK (nomor urut) tidak boleh 0000."), code="nik_serial"
        )
    region_code = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
    return NIK(
        digits,
        region_code=region_code,
        region_known=_region_known(region_code),
        birth_date=born,
        sex=sex,
        serial=digits[12:],
    )


def validate_nip(value: object, *, today: datetime.date | None = None) -> NIP:
    """Check a NIP and return it normalised with its parts; raise ValidationError otherwise.

    Error codes: nip_digits, nip_length, nip_birth_date, nip_appointment, nip_sex, nip_serial.
    """
    digits = strip_separators(value)
    _check_digits(digits, 18, "NIP", "nip")
    today = today or _today()

    born = _date_or_none(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    if born is None or born.year < 1900 or born > today:
        raise ValidationError(
            _("Delapan angka pertama NIP (%(segment)s) bukan tanggal lahir yang benar (YYYYMMDD)."),
            code="nip_birth_date",
            params={"segment": digits[0:8]},
        )
    appointment = _date_or_none(int(digits[8:12]), int(digits[12:14]), 1)
    if appointment is None:
        raise ValidationError(
            _("Angka ke-9 sampai ke-14 NIP (%(segment)s) bukan bulan pengangkatan (YYYYMM)."),
            code="nip_appointment",
            params={"segment": digits[8:14]},
        )
    if (appointment.year, appointment.month) > (today.year, today.month):
        raise ValidationError(
            _("Bulan pengangkatan pada NIP (%(segment)s) belum terjadi."),
            code="nip_appointment",
            params={"segment": digits[8:14]},
        )
    # TMT CPNS is always the first of a month: compare by month, so someone who turns 18 in the
    # month of appointment is accepted.
    adult = _date_or_none(born.year + MINIMUM_APPOINTMENT_AGE, born.month, 1)
    if (appointment.year, appointment.month) < (adult.year, adult.month):
        raise ValidationError(
            _(
                "Bulan pengangkatan pada NIP (%(segment)s) lebih awal dari umur 18 tahun "
                "pemiliknya. Periksa urutan angkanya."
            ),
            code="nip_appointment",
            params={"segment": digits[8:14]},
        )
    sex_digit = digits[14]
    if sex_digit not in {"1", "2"}:
        raise ValidationError(
            _("Angka ke-15 NIP menunjukkan jenis kelamin dan harus 1 atau 2, bukan %(digit)s."),
            code="nip_sex",
            params={"digit": sex_digit},
        )
    if digits[15:] == "000":
        raise ValidationError(
            _("Tiga angka terakhir NIP (nomor urut) tidak boleh 000."), code="nip_serial"
        )
    return NIP(
        digits,
        birth_date=born,
        appointment=appointment,
        sex=Sex.MALE if sex_digit == "1" else Sex.FEMALE,
        serial=digits[15:],
    )


def nik_validator(value: object) -> None:
    """A model/serializer field validator (raises, returns nothing)."""
    validate_nik(value)


def nip_validator(value: object) -> None:
    validate_nip(value)

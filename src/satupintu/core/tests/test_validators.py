"""NIK and NIP validation: shape, real calendar dates, the +40 rule for women, the century,
unknown regions flagged but accepted, and the form fields built on them."""

from __future__ import annotations

import datetime
import pickle

import pytest
from django import forms
from django.core.exceptions import ValidationError

from satupintu.accounts.tests.factories import BUDI_NIP, SITI_NIK, make_regions
from satupintu.core.forms import NIKField, NIPField
from satupintu.core.validators import NIK, NIP, Sex, validate_nik, validate_nip

TODAY = datetime.date(2026, 11, 24)


def nik_error(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_nik(value, today=TODAY)
    return caught.value


def nip_error(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_nip(value, today=TODAY)
    return caught.value


# --- NIK ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_woman_nik_day_plus_40_gives_sex_and_birth_date():
    make_regions()
    nik = validate_nik(SITI_NIK, today=TODAY)
    assert isinstance(nik, NIK)
    assert nik == SITI_NIK
    assert nik.sex == Sex.FEMALE
    assert nik.birth_date == datetime.date(1987, 9, 5)
    assert nik.region_code == "16.01.28"
    assert nik.region_known is True
    assert nik.serial == "0001"


@pytest.mark.django_db
def test_man_nik_and_separators_people_type_are_stripped():
    make_regions()
    nik = validate_nik(" 1601.2805\u00a00987-0002 ", today=TODAY)
    assert str(nik) == "1601280509870002"
    assert nik.sex == Sex.MALE
    assert nik.birth_date == datetime.date(1987, 9, 5)


@pytest.mark.django_db
def test_unknown_region_is_accepted_but_flagged():
    make_regions()
    # 16.01.99 does not exist (e.g. a district split after the NIK was issued).
    nik = validate_nik("1601994509870001", today=TODAY)
    assert nik.region_code == "16.01.99"
    assert nik.region_known is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("160128450987000A", "nik_digits"),
        ("1601-28-45-09-87-OOO1", "nik_digits"),
        ("١٦٠١٢٨٤٥٠٩٨٧٠٠٠١", "nik_digits"),  # Arabic-Indic digits are not NIK digits
        ("160128450987000", "nik_length"),
        ("16012845098700011", "nik_length"),
        ("1601283102870001", "nik_date"),  # 31 February
        ("1601287102870001", "nik_date"),  # 31 February for a woman (71 - 40)
        ("1601282902870001", "nik_date"),  # 29 February 1987/2087: not leap years
        ("1601280009870001", "nik_date"),  # day 00
        ("1601283209870001", "nik_date"),  # day 32..40 is neither a man's nor a woman's day
        ("1601284009870001", "nik_date"),
        ("1601287209870001", "nik_date"),  # day 72 = 32 for a woman
        ("1601280500870001", "nik_date"),  # month 00
        ("1601280513870001", "nik_date"),  # month 13
        ("1601284509870000", "nik_serial"),
    ],
)
def test_invalid_nik_is_refused_with_a_code(value, code):
    error = nik_error(value)
    assert error.code == code
    message = error.messages[0]
    assert "NIK" in message
    # Indonesian, actionable: the message names what is wrong, not a generic "invalid".
    assert any(word in message for word in ("angka", "tanggal", "nomor urut"))


def test_length_message_counts_the_digits():
    assert "15 angka" in nik_error("160128450987000").messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ddmmyy", "born"),
    [
        ("010126", datetime.date(2026, 1, 1)),  # this year, already past
        ("241126", datetime.date(2026, 11, 24)),  # born today
        ("251126", datetime.date(1926, 11, 25)),  # tomorrow in 2026 → a centenarian
        ("311230", datetime.date(1930, 12, 31)),
        ("150800", datetime.date(2000, 8, 15)),
        ("290200", datetime.date(2000, 2, 29)),  # 2000 was a leap year
        ("290288", datetime.date(1988, 2, 29)),
        ("010199", datetime.date(1999, 1, 1)),
    ],
)
def test_century_is_the_most_recent_one_not_in_the_future(ddmmyy, born):
    assert validate_nik(f"160128{ddmmyy}0001", today=TODAY).birth_date == born


@pytest.mark.django_db
def test_nik_result_survives_pickling_for_sessions_and_caches():
    nik = validate_nik(SITI_NIK, today=TODAY)
    copy = pickle.loads(pickle.dumps(nik))  # noqa: S301 (our own bytes)
    assert copy == nik
    assert copy.birth_date == nik.birth_date
    assert copy.region_known is False  # no Region rows in this test


# --- NIP ---------------------------------------------------------------------------------------


def test_valid_nip_with_spaces_as_printed_on_the_sk():
    nip = validate_nip("19850312 201001 1 003", today=TODAY)
    assert isinstance(nip, NIP)
    assert nip == BUDI_NIP
    assert nip.birth_date == datetime.date(1985, 3, 12)
    assert nip.appointment == datetime.date(2010, 1, 1)
    assert nip.sex == Sex.MALE
    assert nip.serial == "003"


def test_woman_nip():
    assert validate_nip("199007252019032001", today=TODAY).sex == Sex.FEMALE


def test_appointment_in_the_month_of_the_18th_birthday_is_accepted():
    nip = validate_nip("200003152018031001", today=TODAY)
    assert nip.appointment == datetime.date(2018, 3, 1)


def test_appointment_this_month_is_accepted():
    assert validate_nip("199001012026111001", today=TODAY).appointment == datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("19850312201001100X", "nip_digits"),
        ("19850312201001100", "nip_length"),
        ("1985031220100110031", "nip_length"),
        ("198502302010011003", "nip_birth_date"),  # 30 February
        ("189912312010011003", "nip_birth_date"),  # before 1900
        ("202712012010011003", "nip_birth_date"),  # born in the future
        ("198503122010131003", "nip_appointment"),  # month 13
        ("198503122010001003", "nip_appointment"),  # month 00
        ("198503122026121003", "nip_appointment"),  # December 2026 has not come yet
        ("198503122003021003", "nip_appointment"),  # appointed at 17
        ("200003152018021001", "nip_appointment"),  # the month before turning 18
        ("198503122010013003", "nip_sex"),
        ("198503122010010003", "nip_sex"),
        ("198503122010011000", "nip_serial"),
    ],
)
def test_invalid_nip_is_refused_with_a_code(value, code):
    error = nip_error(value)
    assert error.code == code
    assert "NIP" in error.messages[0]


# --- form fields -------------------------------------------------------------------------------


class IdentityForm(forms.Form):
    nik = NIKField()
    nip = NIPField(required=False)


@pytest.mark.django_db
def test_nik_field_keeps_the_region_flag_on_the_cleaned_value():
    make_regions()
    form = IdentityForm(data={"nik": "1601 9945 0987 0001", "nip": ""})
    assert form.is_valid(), form.errors
    nik = form.cleaned_data["nik"]
    assert nik == "1601994509870001"
    assert nik.region_known is False
    assert form.cleaned_data["nip"] == ""


@pytest.mark.django_db
def test_form_errors_are_in_indonesian_and_at_the_field():
    form = IdentityForm(data={"nik": "1601283102870001", "nip": "198503122010013003"})
    assert not form.is_valid()
    assert form.has_error("nik", code="nik_date")
    assert form.has_error("nip", code="nip_sex")
    assert "tanggal lahir" in form.errors["nik"][0]


def test_missing_nik_says_what_to_fill_in():
    form = IdentityForm(data={"nik": "  "})
    assert not form.is_valid()
    assert form.errors["nik"] == ["Isi NIK (16 angka, tertera di KTP atau KK)."]


def test_nik_input_asks_phones_for_a_numeric_keypad():
    html = str(IdentityForm()["nik"])
    assert 'inputmode="numeric"' in html
    assert 'maxlength="24"' in html

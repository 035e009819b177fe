"""Masked display of personal data, the template filters, and `reveal`: the clear value only for
roles that need it, every attempt logged with who, when, what, why and from where."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import engines

from satupintu.accounts.models import Membership
from satupintu.accounts.tests.factories import BUDI_NIP, SITI_NIK, Regency
from satupintu.core import masking
from satupintu.core.actor import acting_as
from satupintu.core.masking import (
    mask,
    mask_address,
    mask_email,
    mask_nik,
    mask_nip,
    mask_phone,
    reveal,
)
from satupintu.core.models import PersonalDataAccess
from satupintu.core.roles import Role

# --- masks ---------------------------------------------------------------------------------------


def test_nik_mask_keeps_the_regency_and_the_last_two_digits():
    assert mask_nik("1601284509870001") == "1601**********01"
    assert mask_nik("1601 2845 0987 0001") == "1601**********01"


def test_nip_mask():
    assert mask_nip(BUDI_NIP) == "1985************03"
    assert mask_nip("19850312 201001 1 003") == "1985************03"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("081234565678", "0812****5678"),
        ("0812-3456-5678", "0812****5678"),
        ("0812 345 678", "0812****5678"),
        ("08123456789", "0812****6789"),  # the mask does not reveal the length
        ("+62 812 3456 5678", "+628****5678"),
        ("(0735) 320001", "0735****0001"),
        ("73200123", "******23"),  # a short landline: only the last two digits
        ("112", "***"),  # too short to show anything
    ],
)
def test_phone_mask(phone, masked):
    assert mask_phone(phone) == masked


def test_email_mask_keeps_the_first_letter_and_the_provider():
    assert mask_email("siti.aminah@gmail.com") == "s***@gmail.com"
    assert mask_email("b@okukab.go.id") == "b***@okukab.go.id"
    assert "@" not in mask_email("bukan-email")


def test_address_mask_hides_street_and_number_keeps_the_area():
    address = "Jl. Merdeka No. 12 RT 003/RW 002, Desa Segara Kembang, Kec. Lengkiti"
    assert mask_address(address) == "Jl. ***, Desa Segara Kembang, Kec. Lengkiti"
    assert mask_address("Dusun II Segara Kembang") == "Dusun ***"
    assert mask_address("Baturaja") == "***"


@pytest.mark.parametrize("masker", [mask_nik, mask_nip, mask_phone, mask_email, mask_address])
def test_empty_values_stay_empty(masker):
    assert masker("") == ""
    assert masker(None) == ""


def test_short_values_never_show_more_than_a_quarter():
    assert mask_nik("16012") == "****2"
    assert mask_nik("160") == "***"


def test_unknown_kind_hides_everything():
    assert mask("kk", "1601280101080001") == "*" * 16
    assert mask("nik", SITI_NIK) == "1601**********01"


def test_template_filters():
    template = engines["django"].from_string(
        "{% load personal_data %}{{ nik|mask_nik }} {{ nip|mask_nip }} {{ phone|mask_phone }} "
        '{{ email|mask_email }} {{ address|mask_address }} {{ nik|mask:"nik" }}'
    )
    html = template.render(
        {
            "nik": SITI_NIK,
            "nip": BUDI_NIP,
            "phone": "081234565678",
            "email": "siti@gmail.com",
            "address": "Jl. Lintas Sumatera Km 5, Baturaja",
        }
    )
    assert html == (
        "1601**********01 1985************03 0812****5678 s***@gmail.com "
        "Jl. ***, Baturaja 1601**********01"
    )


# --- reveal --------------------------------------------------------------------------------------


@pytest.fixture
def regency(db) -> Regency:
    return Regency()


@pytest.mark.django_db
def test_platform_admin_reveals_and_the_access_is_logged(regency):
    with acting_as(regency.admin, via="web", ip="10.16.1.20"):
        value = reveal(regency.admin, regency.siti, "nik", "  Verifikasi   aduan jalan rusak ")
    assert value == SITI_NIK
    access = PersonalDataAccess.objects.get()
    assert access.viewer == regency.admin
    assert access.viewer_name == "admin"
    assert access.object_id == str(regency.siti.pk)
    assert access.content_type.model_class() is type(regency.siti)
    assert access.field_name == "nik"
    assert access.reason == "Verifikasi aduan jalan rusak"
    assert access.granted is True
    assert access.ip == "10.16.1.20"
    assert access.via == "web"
    assert access.at is not None
    assert list(PersonalDataAccess.objects.about(regency.siti)) == [access]


@pytest.mark.django_db
def test_opd_admin_reveals_the_data_of_their_own_opd_members(regency):
    assert reveal(regency.pupr_admin, regency.budi, "nip", "Cocokkan dengan SK CPNS") == BUDI_NIP


@pytest.mark.django_db
def test_opd_admin_of_another_opd_is_refused_and_the_attempt_logged(regency):
    with pytest.raises(PermissionDenied):
        reveal(regency.dinkes_admin, regency.budi, "nip", "Ingin tahu")
    refused = PersonalDataAccess.objects.get()
    assert refused.granted is False
    assert refused.viewer == regency.dinkes_admin


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["budi", "dina", "rina", "bupati", "siti"])
def test_operators_walidata_leaders_and_citizens_are_refused(regency, who):
    viewer = getattr(regency, who)
    target = regency.budi if who != "budi" else regency.pupr_admin
    with pytest.raises(PermissionDenied):
        reveal(viewer, target, "nip", "Pemeriksaan")
    assert PersonalDataAccess.objects.filter(granted=False).count() == 1


@pytest.mark.django_db
def test_anonymous_is_refused_and_logged_without_a_viewer(regency):
    with pytest.raises(PermissionDenied):
        reveal(AnonymousUser(), regency.siti, "nik", "Penasaran")
    refused = PersonalDataAccess.objects.get()
    assert refused.viewer is None and refused.viewer_name == "" and not refused.granted


@pytest.mark.django_db
def test_kecamatan_admin_reaches_the_desa_staff(regency):
    Membership.objects.create(
        user=regency.camat_operator, organisation=regency.lengkiti, role=Role.OPD_ADMIN
    )
    regency.camat_operator.forget_roles()
    assert reveal(regency.camat_operator, regency.desa_operator, "nik", "Data aparat desa") == ""


@pytest.mark.django_db
def test_a_reason_is_required_and_nothing_is_logged_without_it(regency):
    with pytest.raises(ValidationError) as caught:
        reveal(regency.admin, regency.siti, "nik", "   ")
    assert caught.value.code == "reason_required"
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_only_personal_data_fields_can_be_revealed(regency):
    with pytest.raises(ValueError, match="not a personal-data field"):
        reveal(regency.admin, regency.siti, "full_name", "Pemeriksaan")
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_apps_can_add_a_rule_for_their_own_officers(regency):
    def counter_officer_for_citizens(viewer, obj):
        return viewer.username == "dina" and getattr(obj, "kind", "") == "citizen"

    masking.add_reveal_rule(counter_officer_for_citizens)
    try:
        assert reveal(regency.dina, regency.siti, "phone", "Layanan KTP di loket") == (
            "081234565678"
        )
        with pytest.raises(PermissionDenied):
            reveal(regency.dina, regency.budi, "nip", "Layanan di loket")
    finally:
        masking.remove_reveal_rule(counter_officer_for_citizens)
    with pytest.raises(PermissionDenied):
        reveal(regency.dina, regency.siti, "phone", "Layanan KTP di loket")

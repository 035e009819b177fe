"""The user model's role and organisation questions (what core.scoping relies on), NIK/NIP
handling on the model, and lookups by NIK/NIP."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from satupintu.accounts.models import Membership, User
from satupintu.accounts.tests.factories import (
    BUDI_NIP,
    SITI_NIK,
    Regency,
    make_organisation,
    make_regions,
    make_user,
)
from satupintu.core.models import Organisation
from satupintu.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency() -> Regency:
    return Regency()


def test_roles_come_from_memberships_and_citizens_hold_the_citizen_role(regency):
    assert regency.budi.roles == {Role.OPERATOR}
    assert regency.siti.roles == {Role.CITIZEN}
    assert regency.rina.has_role(Role.WALIDATA)
    assert not regency.rina.has_role(Role.OPERATOR)
    assert regency.admin.is_platform_admin
    assert not regency.budi.is_platform_admin
    assert regency.budi.is_staff_member
    assert not regency.siti.is_staff_member


def test_superuser_is_platform_admin_without_a_membership():
    root = User.objects.create_superuser(
        "root", "root@okukab.go.id", "Sangat-Rahasia-2026", full_name="Root"
    )
    assert root.is_platform_admin
    assert root.is_staff_member


def test_organisation_scope_reaches_down_but_not_up(regency):
    # A village under the desa, to prove the walk goes more than one level down.
    dusun = make_organisation(
        "dusun-satu",
        "Dusun I Segara Kembang",
        Organisation.Kind.DESA,
        parent=regency.segara_kembang,
    )
    scope = regency.camat_operator.organisation_ids_with_descendants()
    assert scope == {regency.lengkiti.pk, regency.segara_kembang.pk, dusun.pk}
    assert regency.desa_operator.organisation_ids_with_descendants() == {
        regency.segara_kembang.pk,
        dusun.pk,
    }
    assert regency.camat_operator.is_member_of(regency.segara_kembang)
    assert not regency.desa_operator.is_member_of(regency.lengkiti)
    assert not regency.budi.is_member_of(regency.dinkes)


def test_regency_wide_roles_do_not_make_their_holder_an_opd_member(regency):
    # The walidata works at Bapelitbangda but, as walidata, edits no OPD's records.
    assert regency.rina.organisation_ids_with_descendants() == set()
    assert regency.rina.organisation_ids(roles={Role.WALIDATA}) == {regency.bapelitbangda.pk}


def test_role_cache_is_dropped_on_refresh(regency):
    budi = regency.budi
    assert budi.roles == {Role.OPERATOR}
    assert budi.organisation_ids_with_descendants() == {regency.pupr.pk}
    Membership.objects.create(user=budi, organisation=regency.dinkes, role=Role.OPD_ADMIN)
    assert budi.roles == {Role.OPERATOR}  # cached for the request
    budi.refresh_from_db()
    assert budi.roles == {Role.OPERATOR, Role.OPD_ADMIN}
    assert budi.organisation_ids_with_descendants() == {regency.pupr.pk, regency.dinkes.pk}


def test_personal_data_organisations_are_every_membership(regency):
    Membership.objects.create(user=regency.budi, organisation=regency.lengkiti, role=Role.OPERATOR)
    assert regency.budi.personal_data_organisation_ids() == {regency.pupr.pk, regency.lengkiti.pk}
    assert regency.siti.personal_data_organisation_ids() == set()


def test_find_by_nik_and_nip(regency):
    assert User.objects.find_by_nik(SITI_NIK) == regency.siti
    assert User.objects.find_by_nik("1601-2845-0987-0001") == regency.siti
    assert User.objects.find_by_nip(BUDI_NIP) == regency.budi
    assert User.objects.find_by_nip("198503122010011004") is None


def test_set_nik_validates_normalises_and_flags_unknown_regions():
    make_regions()
    siti = make_user("siti", kind=User.Kind.CITIZEN)
    nik = siti.set_nik("1601 2845 0987 0001")
    assert siti.nik == SITI_NIK and nik.region_known
    assert siti.nik_region_unknown is False
    siti.set_nik("1699284509870001")  # 16.99 is no regency
    assert siti.nik_region_unknown is True
    siti.save()
    assert User.objects.get(pk=siti.pk).nik_region_unknown is True
    siti.set_nik("")
    assert siti.nik == "" and siti.nik_region_unknown is False
    with pytest.raises(ValidationError) as caught:
        siti.set_nik("1601283102870001")
    assert caught.value.code == "nik_date"


def test_clean_reports_bad_nik_and_nip_at_their_fields():
    user = User(username="keliru", full_name="Data Keliru", nik="16012831028700", nip="1985")
    with pytest.raises(ValidationError) as caught:
        user.full_clean(exclude=["password"])
    assert set(caught.value.message_dict) >= {"nik", "nip"}
    assert "16 angka" in caught.value.message_dict["nik"][0]


def test_a_nik_belongs_to_one_account_only(regency):
    from django.db import IntegrityError, transaction

    other = User(username="siti2", full_name="Siti Lain", nik=SITI_NIK)
    other.set_password("Rahasia-Baturaja-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_membership_is_unique_per_role(regency):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=regency.budi, organisation=regency.pupr, role=Role.OPERATOR)
    # Another role in the same organisation is fine.
    Membership.objects.create(user=regency.budi, organisation=regency.pupr, role=Role.OPD_ADMIN)
    assert str(Membership.objects.filter(user=regency.budi).first()).startswith("Budi Santoso")

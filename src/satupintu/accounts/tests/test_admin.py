"""The user admin never shows NIK, NIP or phone numbers in clear, finds people by exact NIK/NIP,
and validates a replacement NIK before storing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satupintu.accounts.models import User
from satupintu.core.models import Organisation, Region
from satupintu.core.roles import Role

SITI_NIK = "1601285203850003"
SITI_PHONE = "081273456621"
BUDI_NIP = "198207152008011002"
PASSWORD = "Demo-OKU-2026!"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    Region.objects.create(code="16", name="Sumatera Selatan", level=1)
    Region.objects.create(code="16.01", name="Kabupaten Ogan Komering Ulu", level=2, parent_id="16")
    Region.objects.create(code="16.01.28", name="Lengkiti", level=3, parent_id="16.01")
    pupr = Organisation.objects.create(
        code="dinas-pupr",
        short_name="Dinas PUPR",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        kind=Organisation.Kind.DINAS,
    )
    dinkes = Organisation.objects.create(
        code="dinkes", short_name="Dinkes", name="Dinas Kesehatan", kind=Organisation.Kind.DINAS
    )
    admin = User.objects.create_superuser(
        username="admin", email="admin@okukab.go.id", password=PASSWORD, full_name="Arief Rahman"
    )
    siti = User.objects.create_user(
        username="siti", password=PASSWORD, full_name="Siti Aminah", nik=SITI_NIK, phone=SITI_PHONE
    )
    budi = User.objects.create_user(
        username="budi",
        password=PASSWORD,
        full_name="Budi Santoso",
        kind=User.Kind.STAFF,
        nip=BUDI_NIP,
    )
    budi.memberships.create(organisation=pupr, role=Role.OPERATOR)
    dewi = User.objects.create_user(
        username="dewi", password=PASSWORD, full_name="Dewi Lestari", kind=User.Kind.STAFF
    )
    dewi.memberships.create(organisation=dinkes, role=Role.OPD_ADMIN)
    return {"admin": admin, "siti": siti, "budi": budi, "dewi": dewi}


def change_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "kind": user.kind,
        "is_active": "on",
        "date_joined_0": "2026-11-24",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "new_nik": "",
        "new_nip": "",
        "new_phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["admin:accounts_user_changelist", "admin:accounts_user_add"])
def test_user_admin_refuses_anonymous_users_and_opd_staff(client, people, page):
    url = reverse(page)
    assert reverse("admin:login") in client.get(url)["Location"]
    for name in ("budi", "dewi"):  # an operator, and another OPD's admin
        client.force_login(people[name])
        assert reverse("admin:login") in client.get(url)["Location"]
    change = reverse("admin:accounts_user_change", args=[people["siti"].pk])
    assert reverse("admin:login") in client.get(change)["Location"]


@pytest.mark.django_db
def test_list_and_form_show_personal_data_masked_only(client, people):
    client.force_login(people["admin"])
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "1601**********03" in listing and SITI_NIK not in listing
    assert "1982************02" in listing and BUDI_NIP not in listing
    assert "Operator OPD (Dinas PUPR)" in listing

    form = client.get(reverse("admin:accounts_user_change", args=[people["siti"].pk]))
    content = form.content.decode()
    assert form.status_code == 200
    assert "1601**********03" in content and "0812****6621" in content
    for clear in (SITI_NIK, SITI_PHONE, "0812-7345"):
        assert clear not in content


@pytest.mark.django_db
def test_search_finds_a_person_by_exact_nik_or_nip(client, people):
    client.force_login(people["admin"])
    url = reverse("admin:accounts_user_changelist")
    found = client.get(url, {"q": "1601 2852 0385 0003"}).content.decode()
    assert "Siti Aminah" in found and "Budi Santoso" not in found
    found = client.get(url, {"q": BUDI_NIP}).content.decode()
    assert "Budi Santoso" in found and "Siti Aminah" not in found
    nothing = client.get(url, {"q": "1601285203850004"}).content.decode()
    assert "Siti Aminah" not in nothing


@pytest.mark.django_db
def test_a_new_nik_is_validated_then_stored(client, people):
    client.force_login(people["admin"])
    siti = people["siti"]
    url = reverse("admin:accounts_user_change", args=[siti.pk])

    bad_date = client.post(url, change_data(siti, new_nik="1601289903850003"))
    assert bad_date.status_code == 200
    assert "bukan tanggal lahir" in bad_date.content.decode()
    taken = client.post(url, change_data(siti, new_nip=BUDI_NIP))
    assert "sudah dipakai akun lain" in taken.content.decode()
    siti.refresh_from_db()
    assert siti.nik == SITI_NIK and siti.nip == ""

    # Issued in a district that is not in the current list: accepted, flagged.
    response = client.post(url, change_data(siti, new_nik="1699015203850007"))
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.nik == "1699015203850007" and siti.nik_region_unknown
    assert User.objects.find_by_nik("1699015203850007") == siti

    # Empty fields keep what is stored.
    response = client.post(url, change_data(siti, full_name="Siti Aminah binti Abdullah"))
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.nik == "1699015203850007" and siti.phone == SITI_PHONE


@pytest.mark.django_db
def test_memberships_are_edited_inline(client, people):
    client.force_login(people["admin"])
    dewi = people["dewi"]
    dinkes = Organisation.objects.get(code="dinkes")
    membership = dewi.memberships.get()
    data = change_data(
        dewi,
        **{
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(membership.pk),
            "memberships-0-user": str(dewi.pk),
            "memberships-0-organisation": str(dinkes.pk),
            "memberships-0-role": "opd_admin",
            "memberships-0-position": "Pranata Komputer Ahli Muda",
            "memberships-1-user": str(dewi.pk),
            "memberships-1-organisation": str(dinkes.pk),
            "memberships-1-role": "operator",
            "memberships-1-position": "Epidemiolog",
        },
    )
    response = client.post(reverse("admin:accounts_user_change", args=[dewi.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(dewi.memberships.values_list("role", "position")) == {
        ("opd_admin", "Pranata Komputer Ahli Muda"),
        ("operator", "Epidemiolog"),
    }


@pytest.mark.django_db
def test_add_user_with_a_nip(client, people):
    client.force_login(people["admin"])
    data = {
        "username": "hendra",
        "full_name": "Hendra Wijaya, S.Kom.",
        "email": "hendra.wijaya@okukab.go.id",
        "kind": User.Kind.STAFF,
        "password1": "Sandi-Baturaja-2026",
        "password2": "Sandi-Baturaja-2026",
        "new_nik": "",
        "new_nip": "1990 0321 2015 03 1 001",
        "new_phone": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    hendra = User.objects.get(username="hendra")
    assert hendra.nip == "199003212015031001" and hendra.check_password("Sandi-Baturaja-2026")

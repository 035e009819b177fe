"""Login, logout and the "Akun saya" page, through the full middleware stack."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from satupintu.accounts.tests.factories import PASSWORD, SITI_NIK, Regency
from satupintu.core.actor import acting_as
from satupintu.core.masking import reveal
from satupintu.core.registry import PUBLIC, registry

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
LOGOUT = "/akun/keluar/"
PROFILE = "/akun/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


def test_urls_are_in_indonesian():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == LOGOUT
    assert reverse("accounts:profile") == PROFILE


def test_login_page_renders_an_accessible_form(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Masuk</h1>" in html
    assert 'for="id_username"' in html and "Nama pengguna, NIK, atau NIP" in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_bad_password_shows_a_clear_indonesian_error_at_the_top(client, regency):
    response = client.post(LOGIN, {"username": "budi", "password": "salah-sandi"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "Nama pengguna atau kata sandi salah" in html
    assert SESSION_KEY not in client.session


def test_empty_form_names_each_missing_field(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    html = response.content.decode()
    assert "Isi nama pengguna, NIK, atau NIP." in html
    assert "Isi kata sandi." in html
    assert 'href="#id_username"' in html  # the summary links to the field


def test_login_by_username_redirects_to_next(client, regency):
    response = client.post(LOGIN, {"username": "budi", "password": PASSWORD, "next": PROFILE})
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert client.session[SESSION_KEY] == str(regency.budi.pk)


def test_login_refuses_an_offsite_next(client, regency):
    response = client.post(
        LOGIN, {"username": "budi", "password": PASSWORD, "next": "https://contoh.com/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_citizen_signs_in_with_nik_as_typed_on_the_ktp(client, regency):
    response = client.post(LOGIN, {"username": "1601 2845 0987 0001", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(regency.siti.pk)


def test_civil_servant_signs_in_with_nip(client, regency):
    response = client.post(LOGIN, {"username": "19850312 201001 1 003", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(regency.budi.pk)


def test_unknown_nik_is_a_plain_bad_login(client, regency):
    response = client.post(LOGIN, {"username": "1601284509870009", "password": PASSWORD})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_inactive_account_cannot_sign_in(client, regency):
    regency.budi.is_active = False
    regency.budi.save()
    response = client.post(LOGIN, {"username": "budi", "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_get_asks_and_post_logs_out(client, regency):
    client.force_login(regency.budi)
    page = client.get(LOGOUT)
    assert page.status_code == 200
    assert "Keluar dari akun?" in page.content.decode()
    assert SESSION_KEY in client.session  # a GET never logs out
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_profile_requires_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PROFILE}"


def test_profile_shows_masked_nik_and_never_the_clear_one(client, regency):
    client.force_login(regency.siti)
    html = client.get(PROFILE).content.decode()
    assert "Siti Aminah" in html
    assert "1601**********01" in html
    assert SITI_NIK not in html
    assert "0812****5678" in html
    assert "081234565678" not in html
    assert "s***@okukab.go.id" in html
    assert "Warga" in html  # the citizen role
    assert "Keanggotaan organisasi" not in html  # citizens hold no organisation roles


def test_profile_lists_memberships_and_roles_with_masked_nip(client, regency):
    client.force_login(regency.budi)
    html = client.get(PROFILE).content.decode()
    assert "Keanggotaan organisasi" in html
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html
    assert "Operator OPD" in html
    assert "1985************03" in html
    assert "198503122010011003" not in html


def test_profile_shows_who_opened_my_data_and_only_mine(client, regency):
    with acting_as(regency.admin, via="web", ip="10.16.1.20"):
        reveal(regency.admin, regency.siti, "nik", "Verifikasi pengaduan jalan rusak")
        reveal(regency.admin, regency.budi, "nip", "Pemeriksaan SK CPNS")
    client.force_login(regency.siti)
    html = client.get(PROFILE).content.decode()
    assert "Verifikasi pengaduan jalan rusak" in html
    assert "Ahmad Fauzi" in html
    assert "Pemeriksaan SK CPNS" not in html  # someone else's record
    client.force_login(regency.dina)
    html = client.get(PROFILE).content.decode()
    assert "Verifikasi pengaduan jalan rusak" not in html  # another OPD's operator sees none


def test_profile_is_in_the_menu_for_signed_in_people_only(regency):
    def urls(user):
        return [url for _item, url in registry.menu(user, PUBLIC)]

    assert PROFILE in urls(regency.siti)
    assert PROFILE in urls(regency.budi)
    assert PROFILE not in urls(AnonymousUser())

"""A person's own account: citizen registration with NIK, e-mail verification (link or code,
raising the account to P1), profile, password reset, sessions and login history."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from satupintu.accounts.models import AuthEvent, User, UserSession
from satupintu.accounts.tests.factories import PASSWORD, SITI_NIK, Regency

pytestmark = pytest.mark.django_db

REGISTER = "/akun/daftar/"
# Rudi, born 17 August 1990 (a man), NIK issued in Kec. Lengkiti (16.01.28).
RUDI_NIK = "1601281708900002"


@pytest.fixture
def regency() -> Regency:
    return Regency()


def registration(**overrides) -> dict:
    return {
        "nik": RUDI_NIK,
        "full_name": "Rudi Saputra",
        "birth_date": "1990-08-17",
        "email": "rudi.saputra@example.com",
        "phone": "0813-6789-1234",
        "password1": "Kopi-Baturaja-2026",
        "password2": "Kopi-Baturaja-2026",
    } | overrides


def test_citizen_registers_with_nik_and_verifies_email_by_link(client):
    response = client.post(REGISTER, registration())
    assert response.status_code == 302 and response["Location"] == "/akun/"
    user = User.objects.find_by_nik(RUDI_NIK)
    assert user.kind == User.Kind.CITIZEN and user.full_name == "Rudi Saputra"
    assert user.phone == "081367891234" and user.assurance_level == "P0"
    assert user.check_password("Kopi-Baturaja-2026")
    assert client.get("/akun/").status_code == 200  # signed in

    message = mail.outbox[-1]
    assert message.to == ["rudi.saputra@example.com"]
    link = re.search(r"http://testserver(/akun/verifikasi-email/[^/\s]+/)", message.body)[1]
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None and user.assurance_level == "P1"
    # A tampered link is refused with an explanation.
    failed = client.get(link[:-3] + "xx/")
    assert failed.status_code == 400 and "tidak berlaku" in failed.content.decode()


def test_email_verification_by_code(client):
    client.post(REGISTER, registration())
    code = re.search(r"kode (\d{6})", mail.outbox[-1].body)[1]
    wrong = "000000" if code != "000000" else "111111"
    client.post("/akun/verifikasi-email-kode/", {"code": wrong})
    assert User.objects.find_by_nik(RUDI_NIK).assurance_level == "P0"
    client.post("/akun/verifikasi-email-kode/", {"code": code})
    assert User.objects.find_by_nik(RUDI_NIK).assurance_level == "P1"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_date": "1990-08-18"}, "tidak sama dengan tanggal lahir di NIK"),
        ({"nik": "1601281708900"}, ""),
        ({"nik": "1601289908900002"}, ""),
        ({"email": "", "phone": ""}, "Isi email atau nomor HP"),
        ({"phone": "12345"}, "Nomor HP tidak valid"),
        ({"password2": "Kopi-Baturaja-2027"}, "Kedua kata sandi tidak sama"),
        ({"password1": "1234567890", "password2": "1234567890"}, ""),
        ({"full_name": ""}, "Isi nama lengkap"),
    ],
)
def test_bad_registrations_are_form_errors_and_create_nothing(client, overrides, message):
    response = client.post(REGISTER, registration(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_registered_nik_cannot_register_again(client, regency):
    response = client.post(REGISTER, registration(nik=SITI_NIK, birth_date="1987-09-05"))
    assert response.status_code == 400
    assert "NIK ini sudah terdaftar" in response.content.decode()


def test_profile_edit_resets_email_verification(client, regency):
    siti = regency.siti
    siti.assurance_level, siti.email_verified_at = "P1", siti.created_at
    siti.save()
    client.force_login(siti)
    response = client.post(
        "/akun/ubah/",
        {"full_name": "Siti Aminah Lubis", "email": "siti.baru@example.com", "phone": ""},
    )
    assert response.status_code == 302
    siti.refresh_from_db()
    assert siti.full_name == "Siti Aminah Lubis" and siti.email_verified_at is None
    assert mail.outbox[-1].to == ["siti.baru@example.com"]
    taken = client.post("/akun/ubah/", {"full_name": "Siti", "email": "budi@okukab.go.id"})
    assert taken.status_code == 400 and "sudah dipakai" in taken.content.decode()


def test_password_reset_by_email(client, regency):
    response = client.post("/akun/lupa-kata-sandi/", {"email": "dina@okukab.go.id"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/akun/lupa-kata-sandi/\S+/)", mail.outbox[-1].body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Pempek-Palembang-99", "new_password2": "Pempek-Palembang-99"},
    )
    regency.dina.refresh_from_db()
    assert regency.dina.check_password("Pempek-Palembang-99")
    assert AuthEvent.objects.filter(
        kind=AuthEvent.Kind.PASSWORD_CHANGED, user=regency.dina
    ).exists()
    # Unknown addresses get the same answer (no account enumeration) and no mail.
    count = len(mail.outbox)
    assert client.post("/akun/lupa-kata-sandi/", {"email": "tidak@ada.id"}).status_code == 302
    assert len(mail.outbox) == count


def test_sessions_list_and_log_out_other_sessions(client, regency):
    other = client.__class__()
    for browser, agent in ((client, "Firefox di laptop"), (other, "Chrome di HP")):
        browser.post(
            "/akun/masuk/", {"username": "dina", "password": PASSWORD}, HTTP_USER_AGENT=agent
        )
    page = client.get("/akun/sesi/").content.decode()
    assert "Firefox di laptop" in page and "Chrome di HP" in page and "perangkat ini" in page
    assert other.get("/akun/").status_code == 200
    client.post("/akun/sesi/")
    assert other.get("/akun/").status_code == 302  # signed out
    assert client.get("/akun/").status_code == 200  # this one stays
    assert UserSession.objects.filter(user=regency.dina).count() == 1
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.SESSIONS_ENDED).exists()


def test_login_history_shows_only_ones_own_events(client, regency):
    client.post(
        "/akun/masuk/",
        {"username": "dina", "password": "salah-ketik"},
        HTTP_USER_AGENT="Firefox di Baturaja",
    )
    client.post("/akun/masuk/", {"username": "dina", "password": PASSWORD})
    page = client.get("/akun/riwayat-masuk/").content.decode()
    assert "Gagal masuk" in page and "Berhasil masuk" in page and "Firefox di Baturaja" in page
    client.force_login(regency.budi)
    assert "Firefox di Baturaja" not in client.get("/akun/riwayat-masuk/").content.decode()


def test_self_service_pages_need_a_signed_in_user(client):
    for path in ("/akun/ubah/", "/akun/sesi/", "/akun/riwayat-masuk/", "/akun/kata-sandi/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert client.get(REGISTER).status_code == 200
    assert client.get("/akun/lupa-kata-sandi/").status_code == 200


def test_login_history_filters_and_exports(client, regency):
    client.post("/akun/masuk/", {"username": "dina", "password": "salah-ketik"})
    client.post("/akun/masuk/", {"username": "dina", "password": PASSWORD})
    failed_only = client.get("/akun/riwayat-masuk/", {"kind": "login_failed"}).content.decode()
    assert 'data-label="Kejadian">Gagal masuk' in failed_only
    assert 'data-label="Kejadian">Berhasil masuk' not in failed_only
    export = client.get("/akun/riwayat-masuk/", {"export": "csv"})
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert export.status_code == 200 and "Gagal masuk" in text and "Berhasil masuk" in text

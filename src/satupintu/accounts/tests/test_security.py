"""Second factor for staff (TOTP + recovery codes), lockout after repeated failures (per
account and per IP), the audit log, and Argon2 as the production password hasher."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.models import AuthEvent
from satupintu.accounts.tests.factories import PASSWORD, Regency
from satupintu.accounts.tests.oidc_helpers import authorize_params, make_client, pkce_pair

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
VERIFY = "/akun/verifikasi-dua-langkah/"
ENROL = "/akun/verifikasi-dua-langkah/pasang/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def mfa_on(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": current_code(device), "next": "/akun/"})
    assert response.status_code == 200, response.content[:300]
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def test_staff_without_a_device_is_sent_to_enrol_before_anything_else(client, regency, mfa_on):
    client.force_login(regency.budi)
    for path in ("/akun/", "/", "/o/authorize/?client_id=x"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(ENROL + "?next="), path
    page = client.get(ENROL).content.decode()
    assert "Akun aparatur wajib memakai verifikasi dua langkah" in page
    device = TOTPDevice.objects.get(user=regency.budi)
    secret = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert device.config_url.startswith("otpauth://totp/")


def test_enrolment_verification_and_recovery_codes(client, regency, mfa_on):
    client.force_login(regency.budi)
    wrong = client.post(ENROL, {"code": "000000"})
    assert wrong.status_code == 400 and "Kode tidak cocok" in wrong.content.decode()
    # django-otp throttles a device after a wrong code; wait out the first back-off (1 s).
    time.sleep(1.1)
    device, codes = enrol(client, regency.budi)
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/akun/").status_code == 200
    assert AuthEvent.objects.filter(user=regency.budi, kind=AuthEvent.Kind.MFA_ENROLLED).exists()

    # A new sign-in with the password alone is not enough.
    client.logout()
    login = client.post(LOGIN, {"username": "budi", "password": PASSWORD, "next": "/akun/"})
    assert login.status_code == 302
    assert client.get("/akun/")["Location"].startswith(VERIFY)
    bad = client.post(VERIFY, {"code": "123456", "next": "/akun/"})
    assert bad.status_code == 400 and "Kode salah" in bad.content.decode()
    assert AuthEvent.objects.filter(user=regency.budi, kind=AuthEvent.Kind.MFA_FAILED).exists()
    time.sleep(1.1)
    # The code of the next 30-second step (accepted within the drift tolerance): the current
    # one was spent at enrolment and a TOTP code is never accepted twice.
    good = client.post(VERIFY, {"code": current_code(device, 1), "next": "/akun/"})
    assert good.status_code == 302 and good["Location"] == "/akun/"
    assert client.get("/akun/").status_code == 200

    # A recovery code works once.
    client.logout()
    client.post(LOGIN, {"username": "budi", "password": PASSWORD})
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.RECOVERY_CODE_USED).count() == 1
    client.logout()
    client.post(LOGIN, {"username": "budi", "password": PASSWORD})
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400


def test_verify_refuses_an_offsite_next(client, regency, mfa_on):
    client.force_login(regency.budi)
    device, _codes = enrol(client, regency.budi)
    client.logout()
    client.post(LOGIN, {"username": "budi", "password": PASSWORD})
    response = client.post(
        VERIFY, {"code": current_code(device, 1), "next": "https://penipu.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_citizens_need_no_second_factor_unless_they_enrol(client, regency, mfa_on):
    client.force_login(regency.siti)
    assert client.get("/akun/").status_code == 200
    _device, _codes = enrol(client, regency.siti)
    client.logout()
    client.post(LOGIN, {"username": "siti", "password": PASSWORD})
    assert client.get("/akun/")["Location"].startswith(VERIFY)


def test_staff_cannot_get_an_authorization_code_without_totp(client, regency, mfa_on):
    app = make_client(regency.pupr)
    client.force_login(regency.budi)
    params = authorize_params(app, pkce_pair()[1])
    response = client.get("/o/authorize/?" + urlencode(params))
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_brute_force_locks_the_account(client, regency):
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": "budi", "password": "tebak-tebak-saja"})
        assert response.status_code in (200, 429)
    locked = client.post(LOGIN, {"username": "budi", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.LOCKOUT, user=regency.budi).exists()
    assert (
        AuthEvent.objects.filter(kind=AuthEvent.Kind.LOGIN_FAILED, user=regency.budi).count() >= 4
    )


def test_brute_force_locks_the_ip_address_across_accounts(client, regency):
    names = ["budi", "dina", "rina", "wati", "rudi", "hendra"]
    for name in names[: django_settings.AXES_FAILURE_LIMIT]:
        client.post(LOGIN, {"username": name, "password": "salah-semua"}, REMOTE_ADDR="10.9.8.7")
    locked = client.post(LOGIN, {"username": "yusuf", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7")
    assert locked.status_code == 429
    # Another address is not affected.
    elsewhere = client.post(
        LOGIN, {"username": "yusuf", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert elsewhere.status_code == 302


def test_successful_and_failed_logins_are_audited_without_passwords(client, regency):
    client.post(
        LOGIN,
        {"username": "dina", "password": "keliru-sekali"},
        HTTP_USER_AGENT="Firefox di Baturaja",
    )
    client.post(LOGIN, {"username": "dina", "password": PASSWORD})
    failed = AuthEvent.objects.get(kind=AuthEvent.Kind.LOGIN_FAILED)
    assert failed.user == regency.dina and failed.ip_address == "127.0.0.1"
    assert failed.user_agent == "Firefox di Baturaja"
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.LOGIN, user=regency.dina).exists()
    for event in AuthEvent.objects.all():
        assert "keliru" not in event.detail and "keliru" not in event.username


def test_argon2_is_the_production_password_hasher():
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env |= {"DJANGO_SETTINGS_MODULE": "satupintu.settings", "SATUPINTU_TESTING": ""}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.PASSWORD_HASHERS[0]);"
            "print(settings.MFA_REQUIRED_FOR_STAFF)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert out == ["satupintu.accounts.hashers.Argon2Hasher", "True"]


def test_the_argon2_hasher_is_argon2id_with_owasp_parameters_and_upgrades_old_hashes(settings):
    from argon2 import PasswordHasher, Type
    from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

    from satupintu.accounts.hashers import Argon2Hasher

    settings.PASSWORD_HASHERS = [
        "satupintu.accounts.hashers.Argon2Hasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    encoded = make_password("Kata-Sandi-Warga-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("Kata-Sandi-Warga-2026", encoded)
    assert PasswordHasher().verify(encoded.removeprefix("argon2"), "Kata-Sandi-Warga-2026")
    assert Type.ID.name == "ID"
    # A hash made with Django's default parameters verifies and is marked for upgrade.
    old = Argon2PasswordHasher().encode("Kata-Sandi-Warga-2026", Argon2PasswordHasher().salt())
    assert check_password("Kata-Sandi-Warga-2026", old)
    assert Argon2Hasher().must_update(old) and not Argon2Hasher().must_update(encoded)


def test_client_secret_hashing_round_trip_and_never_for_passwords(regency):
    from satupintu.accounts.hashers import check_client_secret, hash_client_secret

    encoded = hash_client_secret("rahasia-acak")
    assert encoded.startswith("client_secret_sha256$")
    assert hash_client_secret(encoded) == encoded  # not hashed twice
    assert check_client_secret("rahasia-acak", encoded)
    assert not check_client_secret("rahasia-acax", encoded)
    assert not check_client_secret("", encoded) and not check_client_secret("x", "md5$a$b")
    assert hash_client_secret("x") != hash_client_secret("x")  # salted
    # People's passwords never use it.
    regency.budi.set_password("Kata-Sandi-Baru-2026")
    assert not regency.budi.password.startswith("client_secret_sha256$")


def test_signing_out_is_allowed_before_the_second_factor(client, regency, mfa_on):
    client.force_login(regency.budi)
    for path in ("/akun/keluar/", "/o/logout/"):
        response = client.get(path)
        assert not response.get("Location", "").startswith(ENROL), path
    assert client.post("/akun/keluar/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_enrolment_page_can_load_the_regency_stylesheet(client, regency, mfa_on):
    client.force_login(regency.budi)
    response = client.get("/branding.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")

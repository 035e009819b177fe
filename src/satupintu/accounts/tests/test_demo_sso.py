"""The SSO demo step: demo OIDC clients and a documented TOTP secret for demo staff, so the
demo works with staff MFA on; a second run changes nothing."""

from __future__ import annotations

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.accounts.demo import DEMO_CLIENT_SECRET, DEMO_TOTP_SECRET, load_demo
from satupintu.accounts.models import Client
from satupintu.core.demo import demo_loaders

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_context(settings) -> dict:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context: dict = {}
    for loader in demo_loaders():
        if loader.name in {"regions", "organisations", "accounts"}:
            loader.load(context)
    return context


def test_demo_clients_and_devices_and_a_second_run_changes_nothing(demo_context):
    first = load_demo(demo_context)
    assert first.changed
    assert set(Client.objects.values_list("client_id", flat=True)) == {
        "contoh-aplikasi-opd",
        "simpus-dinkes",
        "simbg-pupr",
        "sakip-bapelitbangda",
        "e-kir-dishub",
        "sinkron-simda-bpkad",
    }
    assert Client.objects.get(client_id="simpus-dinkes").client_type == Client.CLIENT_PUBLIC
    staff = [u for u in demo_context["users"].values() if u.is_staff_member]
    assert staff and TOTPDevice.objects.filter(confirmed=False).count() == len(staff)
    assert not TOTPDevice.objects.filter(user=demo_context["users"]["siti"]).exists()
    text = str(first)
    assert DEMO_TOTP_SECRET in text and "otpauth://totp/" in text and DEMO_CLIENT_SECRET in text

    second = load_demo(demo_context)
    assert not second.changed


def test_demo_staff_sign_in_with_the_documented_code(client, demo_context, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    load_demo(demo_context)
    client.post("/akun/masuk/", {"username": "hendra", "password": "Demo-OKU-2026!"})
    assert client.get("/akun/")["Location"].startswith("/akun/verifikasi-dua-langkah/pasang/")
    page = client.get("/akun/verifikasi-dua-langkah/pasang/").content.decode()
    shown = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', page)[1]
    assert shown.replace(" ", "") == DEMO_TOTP_SECRET
    out = StringIO()
    call_command("demo_totp_code", stdout=out)
    assert out.getvalue().strip() == f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"
    response = client.post("/akun/verifikasi-dua-langkah/pasang/", {"code": out.getvalue().strip()})
    assert response.status_code == 200 and "Verifikasi dua langkah sudah aktif" in (
        response.content.decode()
    )
    assert client.get("/akun/").status_code == 200
    # A second load_demo keeps the enrolled device as it is.
    load_demo(demo_context)
    assert TOTPDevice.objects.get(user__username="hendra").confirmed


def test_demo_machine_client_gets_a_token_with_the_documented_secret(client, demo_context):
    load_demo(demo_context)
    response = client.post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "client_id": "sinkron-simda-bpkad",
            "client_secret": DEMO_CLIENT_SECRET,
        },
    )
    assert response.status_code == 200 and response.json()["scope"] == "introspection"

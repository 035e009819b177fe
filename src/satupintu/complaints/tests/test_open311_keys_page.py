"""The platform admin's Open311 key page: refused to anyone else, key shown once, revocation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ..models import ApiKey
from ..open311.keys import verify_key
from .machine_support import locmem_cache, make_organisations, make_user

URL = "/kelola/open311/kunci/"


@pytest.fixture
def world(db, settings):
    locmem_cache(settings, "open311-keys-page")
    organisations = make_organisations()
    return {
        "organisations": organisations,
        "admin": make_user("arief", organisations["diskominfo"], "platform_admin"),
        "opd_admin": make_user("hendra", organisations["dinas-pupr"], "opd_admin"),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_and_opd_staff_are_refused(world):
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]
    assert Client().post(URL, {"name": "Aplikasi liar"}).status_code == 302
    opd_admin = signed_in(world["opd_admin"])
    assert opd_admin.get(URL).status_code == 403
    assert opd_admin.post(URL, {"name": "Aplikasi liar"}).status_code == 403
    key = ApiKey.objects.create(name="Klien", prefix="abcdef0123", key_hash="x")
    assert opd_admin.post(f"{URL}{key.pk}/cabut/").status_code == 403
    assert ApiKey.objects.filter(is_active=True).count() == 1
    assert ApiKey.objects.count() == 1


def test_admin_creates_a_key_shown_once_and_revokes_it(world):
    admin = signed_in(world["admin"])
    assert admin.get(URL).status_code == 200
    invalid = admin.post(URL, {"name": ""})
    assert invalid.status_code == 200 and ApiKey.objects.count() == 0
    created = admin.post(
        URL,
        {"name": "Aplikasi OKU Menyapa", "organisation": world["organisations"]["diskominfo"].pk},
    )
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    key = re.search(r'id="api-key">([^<]+)<', created.content.decode()).group(1)
    api_key = verify_key(key)
    assert api_key.name == "Aplikasi OKU Menyapa"
    listing = admin.get(URL).content.decode()
    assert f"o311_{api_key.prefix}" in listing and key not in listing
    assert admin.get(f"{URL}{api_key.pk}/cabut/").status_code == 405
    assert admin.post(f"{URL}{api_key.pk}/cabut/").status_code == 302
    assert verify_key(key) is None


def test_the_staff_menu_links_the_key_page_for_platform_admins_only(world):
    link = f'href="{URL}"'
    assert link in signed_in(world["admin"]).get("/kelola/pengaduan/").content.decode()
    inbox = signed_in(world["opd_admin"]).get("/kelola/pengaduan/")
    assert inbox.status_code == 200 and link not in inbox.content.decode()

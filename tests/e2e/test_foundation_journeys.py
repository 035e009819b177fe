"""Foundation journeys in headless Chromium against a real server with the OKU demo loaded.

Ibu Siti, on a 360 px phone, finds the health office from the home page; Pak Budi signs in at
the office and sees his account; the design system page renders. Every page must fit the screen
(no sideways scrolling) and raise no script error or Content-Security-Policy violation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

from playwright.sync_api import Page, expect

from satupintu.core.demo.accounts import ACCOUNTS, DEMO_PASSWORD

BUDI = next(account for account in ACCOUNTS if account.username == "budi")


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for a base32 secret (RFC 6238, 30 s)."""
    key = base64.b32decode(
        secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8)
    )
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def assert_no_problems(page: Page) -> None:
    assert page.problems == [], "\n".join(page.problems)


def test_siti_finds_the_health_office_from_her_phone(phone: Page):
    response = phone.goto("/")
    assert response.status == 200
    expect(phone.locator("h1").first).to_be_visible()
    assert phone.evaluate("() => window.innerWidth") == 360
    assert_fits_the_screen(phone)

    search_box = phone.locator('input[name="q"]:visible').first
    search_box.fill("kesehatan")
    search_box.press("Enter")
    phone.wait_for_url(re.compile(r"/cari/\?q=kesehatan"))
    result = phone.get_by_role("link", name=re.compile(r"^Dinas Kesehatan\b")).first
    expect(result).to_be_visible()
    assert_fits_the_screen(phone)

    result.click()
    phone.wait_for_url(re.compile(r"/opd/[\w-]+/$"))
    expect(phone.locator("h1")).to_contain_text("Dinas Kesehatan")
    # The page tells her how to reach the office.
    expect(phone.locator("main")).to_contain_text("okukab.go.id")
    assert_fits_the_screen(phone)
    assert_no_problems(phone)


def test_budi_signs_in_and_sees_his_account(desktop: Page):
    # Opening his account while signed out leads to the sign-in page, and back after it.
    desktop.goto("/akun/")
    desktop.wait_for_url(re.compile(r"/akun/masuk/\?next="))
    expect(desktop.locator("h1")).to_have_text("Masuk")

    desktop.locator('input[name="username"]').fill(BUDI.username)
    desktop.locator('input[name="password"]').fill("kata-sandi-yang-salah")
    desktop.locator('input[name="password"]').press("Enter")
    expect(desktop.locator(".error-summary")).to_be_visible()

    desktop.locator('input[name="username"]').fill(BUDI.username)
    desktop.locator('input[name="password"]').fill(DEMO_PASSWORD)
    desktop.locator('input[name="password"]').press("Enter")

    # Staff accounts must set up two-step verification on their first sign-in: he adds the key
    # to his authenticator app and types the code it shows.
    expect(desktop.locator("h1")).to_have_text("Pasang verifikasi dua langkah")
    secret = desktop.locator(".secret-key").inner_text()
    desktop.locator('input[name="code"]').fill(totp(secret))
    desktop.locator('input[name="code"]').press("Enter")
    expect(desktop.locator("h1")).to_have_text("Verifikasi dua langkah sudah aktif")
    expect(desktop.locator(".recovery-codes li").first).to_be_visible()
    desktop.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    desktop.wait_for_url(re.compile(r"/akun/$"))

    main = desktop.locator("main")
    expect(desktop.locator("h1")).to_have_text("Akun saya")
    expect(main).to_contain_text(BUDI.full_name)
    expect(main).to_contain_text("Dinas Pekerjaan Umum")
    expect(main).to_contain_text("Operator OPD")
    # His NIP is personal data: shown masked, never in full.
    expect(main).to_contain_text("NIP")
    assert BUDI.nip not in desktop.content()
    assert_no_problems(desktop)


def test_design_system_page_renders_on_phone_and_desktop(phone: Page, desktop: Page):
    for page in (desktop, phone):
        response = page.goto("/design/")
        assert response.status == 200
        expect(page.locator("h1").first).to_be_visible()
        expect(page.locator("main table").first).to_be_visible()
        expect(page.locator("main .error-summary").first).to_be_visible()
        assert_fits_the_screen(page)
        assert_no_problems(page)

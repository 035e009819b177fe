"""Foundation journeys in headless Chromium against a real server with the OKU demo loaded.

Ibu Siti, on a 360 px phone, finds the health office from the home page; Pak Budi signs in at
the office and sees his account; the design system page renders. Every page must fit the screen
(no sideways scrolling) and raise no script error or Content-Security-Policy violation.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from satupintu.core.demo.accounts import ACCOUNTS, DEMO_PASSWORD

BUDI = next(account for account in ACCOUNTS if account.username == "budi")


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

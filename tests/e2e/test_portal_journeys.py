"""Portal journeys in headless Chromium against the OKU demo: Ibu Siti finds the practice-permit
service on her 360 px phone by typing "praktek dokter", reads its requirements and opens the
online application; the Bupati (a staff member) launches SIPD from the catalogue and sees the
launch, the unused and the overlapping apps in the usage report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .test_foundation_journeys import assert_fits_the_screen, assert_no_problems, totp

APP_PAGE = "<!doctype html><title>Aplikasi OPD</title><h1>Aplikasi OPD</h1>"


def answer_app_hosts(page: Page) -> None:
    """The test machine has no internet: the OPD apps' hosts answer with a plain page."""
    page.route(
        re.compile(r"https://[a-z.]+\.(okukab|kemendagri)\.go\.id/.*"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=APP_PAGE),
    )


def test_siti_finds_the_practice_permit_on_her_phone(phone: Page):
    answer_app_hosts(phone)
    phone.goto("/")
    expect(phone.get_by_role("heading", name="Layanan menurut peristiwa hidup")).to_be_visible()
    phone.locator("#home-q").fill("praktek dokter")
    phone.locator("#home-q").press("Enter")
    phone.wait_for_url(re.compile(r"/cari/\?q=praktek"))
    phone.get_by_role("link", name="Surat Izin Praktik (SIP) dokter").first.click()
    phone.wait_for_url(re.compile(r"/layanan/sip-dokter/$"))
    expect(phone.get_by_role("heading", name="Persyaratan")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("STR yang masih berlaku")
    expect(phone.locator("main")).to_contain_text("Gratis")
    assert_fits_the_screen(phone)
    assert_no_problems(phone)
    phone.get_by_role("link", name="Ajukan daring lewat SIP").click()
    phone.wait_for_url("https://sip.okukab.go.id/")
    expect(phone.locator("h1")).to_have_text("Aplikasi OPD")


def sipd_usage(page: Page) -> tuple[int, int]:
    """SIPD's launches and unique users in the usage report's table (90 days)."""
    # Filtered by the first cell: the row "SIP | DPMPTSP" also contains the letters "SIPD".
    row = page.locator("#usage-title + div tbody tr").filter(
        has=page.get_by_role("cell", name="SIPD", exact=True)
    )
    cells = [row.locator("td").nth(n).inner_text() for n in (2, 3)]
    return int(cells[0].replace(".", "")), int(cells[1].replace(".", ""))


def test_bupati_launches_sipd_and_reads_the_usage_report(desktop: Page):
    from satupintu.core.demo.accounts import DEMO_PASSWORD

    answer_app_hosts(desktop)
    desktop.goto("/akun/masuk/?next=/aplikasi/sipd/")
    desktop.locator('input[name="username"]').fill("bupati")
    desktop.locator('input[name="password"]').fill(DEMO_PASSWORD)
    desktop.locator('input[name="password"]').press("Enter")
    expect(desktop.locator("h1")).to_have_text("Pasang verifikasi dua langkah")
    secret = desktop.locator(".secret-key").inner_text()
    desktop.locator('input[name="code"]').fill(totp(secret))
    desktop.locator('input[name="code"]').press("Enter")
    desktop.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    desktop.wait_for_url(re.compile(r"/aplikasi/sipd/$"))
    # During enrolment the MFA middleware answers /branding.css with its set-up page (reported
    # to the accounts helper); the journey checks the catalogue pages from here on.
    desktop.problems.clear()

    # The demo has a month of invented usage: the journey's launch must add exactly one.
    desktop.goto("/kelola/katalog/penggunaan/")
    launches, users = sipd_usage(desktop)
    desktop.goto("/aplikasi/sipd/")
    desktop.get_by_role("link", name="Buka SIPD").click()
    desktop.wait_for_url("https://sipd.kemendagri.go.id/")

    desktop.goto("/kelola/katalog/penggunaan/")
    assert sipd_usage(desktop) == (launches + 1, users + 1)
    # The charts are drawn by the static script under the strict CSP (no inline code).
    for chart in ("chart-launches", "chart-users", "chart-views"):
        assert desktop.evaluate(f"() => !!window.Chart.getChart('{chart}')"), chart
    unused = desktop.locator("section", has=desktop.locator("#unused-title"))
    expect(unused).to_contain_text("OKU GO")
    expect(unused).not_to_contain_text("SIPD")
    overlap = desktop.locator("section", has=desktop.locator("#overlap-title"))
    expect(overlap).to_contain_text("Naskah dinas")
    expect(overlap).to_contain_text("SRIKANDI")
    assert_no_problems(desktop)
    desktop.get_by_role("link", name="Ringkasan untuk pimpinan (siap cetak)").click()
    desktop.wait_for_url(re.compile(r"/kelola/katalog/ringkasan/$"))
    expect(desktop.locator("h1")).to_have_text("Ringkasan aplikasi daerah")
    expect(desktop.locator("#s-unused + div")).to_contain_text("OKU GO")
    desktop.emulate_media(media="print")
    pdf = desktop.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the summary prints on {pages} A4 pages"
    assert_no_problems(desktop)

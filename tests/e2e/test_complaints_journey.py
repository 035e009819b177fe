"""The complaints journey of issue 7, in headless Chromium against the OKU demo: Ibu Siti reports
a broken road in Desa Segara Kembang (Kec. Lengkiti) from her 360 px phone with a photo; Pak Budi
of Dinas PUPR handles it in the OPD inbox on his office PC; Siti reads the updates and rates
the repair; the public map shows the report and the performance page counts it."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .liveserver import manage
from .test_foundation_journeys import assert_fits_the_screen, assert_no_problems, totp

# The test machine has no internet: OpenStreetMap tiles are answered with a blank tile.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
DEMO_TOTP_KEY = "OKUDEMOSATUPINTUTOTPDEMOOKUSATUP"
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
SHOTS = Path("/tmp/shots-cw")
TITLE = "Jalan amblas di depan Balai Desa Segara Kembang"


def answer_tiles(page: Page) -> None:
    page.route(
        re.compile(r"https://tile\.openstreetmap\.org/.*"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )


def road_photo() -> bytes:
    """A phone camera photo: large, with the GPS position of the reporter in its EXIF."""
    from PIL import Image

    image = Image.new("RGB", (2000, 1500), (110, 100, 80))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (4.0, 3.0, 8.0), 3: "E", 4: (103.0, 57.0, 29.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=80)
    return out.getvalue()


def shoot(page: Page, name: str) -> None:
    # For people to look at (common.md); not part of the assertions.
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=True)


def sign_in(page: Page, username: str, next_url: str) -> None:
    from satupintu.core.demo.accounts import DEMO_PASSWORD

    page.goto(f"/akun/masuk/?next={next_url}")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('input[name="password"]').press("Enter")


def sign_in_staff(page: Page, username: str, next_url: str) -> None:
    """Staff need the second factor: the enrolment page on a first sign-in, the code page after
    that (the demo key is the same for every demo staff account, see README)."""
    sign_in(page, username, next_url)
    heading = page.locator("h1")
    expect(heading).to_have_text(re.compile("verifikasi dua langkah", re.IGNORECASE))
    enrolling = "Pasang" in heading.inner_text()
    secret = page.locator(".secret-key").inner_text() if enrolling else DEMO_TOTP_KEY
    page.locator('input[name="code"]').fill(totp(secret))
    page.locator('input[name="code"]').press("Enter")
    if enrolling:
        page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
        # During enrolment the MFA middleware answers /branding.css with its set-up page
        # (known, reported by the portal journeys); what follows is checked from here on.
        page.problems.clear()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def budi_second_factor_reset(e2e_server):
    """Other journeys expect Pak Budi's first sign-in to enrol his second factor: put his
    account back as it was."""
    yield
    manage(
        e2e_server.var_dir,
        "shell",
        "-c",
        "from django_otp.plugins.otp_totp.models import TOTPDevice;"
        "from django_otp.plugins.otp_static.models import StaticDevice;"
        "TOTPDevice.objects.filter(user__username='budi').delete();"
        "StaticDevice.objects.filter(user__username='budi').delete()",
    )


def pupr_numbers(page: Page) -> tuple[int, str]:
    """PUPR's 'Diterima' count and rating cell on the performance page (last 30 days)."""
    page.goto("/pengaduan/kinerja/?periode=30")
    row = page.locator("#performance-table tbody tr", has_text=PUPR)
    if row.count() == 0:
        return 0, ""
    received = int(row.locator("td").nth(0).inner_text().replace(".", ""))
    return received, row.locator("td").nth(5).inner_text()


def test_siti_reports_a_broken_road_budi_fixes_it_and_the_public_sees_it(
    phone: Page, desktop: Page, budi_second_factor_reset
):
    answer_tiles(phone)
    answer_tiles(desktop)
    received_before, _rating = pupr_numbers(desktop)

    # --- Ibu Siti reports the road from her phone --------------------------------------------
    sign_in(phone, "siti", "/pengaduan/baru/")
    phone.wait_for_url(re.compile(r"/pengaduan/baru/$"))
    expect(phone.locator("h1")).to_have_text("Laporkan masalah")
    phone.select_option("#id_category", "jalan-rusak")
    # The road category asks how bad the damage is; other categories' questions stay hidden.
    expect(phone.locator('.report-attributes[data-category="jalan-rusak"]')).to_be_visible()
    expect(
        phone.locator('.report-attributes[data-category="administrasi-kependudukan"]')
    ).to_be_hidden()
    phone.select_option("#id_attribute__jalan-rusak__tingkat", "berat")
    phone.locator("#id_title").fill(TITLE)
    phone.locator("#id_description").fill(
        "Badan jalan amblas sepanjang lima meter setelah hujan deras, motor harus turun ke "
        "bahu jalan. Anak-anak SD lewat sini setiap pagi."
    )
    phone.set_input_files(
        "#id_photos", files=[{"name": "jalan.jpg", "mimeType": "image/jpeg",
                              "buffer": road_photo()}]
    )  # fmt: skip
    # She taps the map to drop the pin; the coordinates fill themselves in.
    map_box = phone.locator("#report-map")
    expect(map_box).to_be_visible()
    map_box.click(position={"x": 160, "y": 140})
    expect(phone.locator("#id_latitude")).not_to_have_value("")
    expect(phone.locator("#report-map .leaflet-marker-icon")).to_have_count(1)
    tapped = float(phone.locator("#id_latitude").input_value())
    assert -4.62 <= tapped <= -3.70, tapped  # the tap lands inside the regency's box
    expect(phone.locator("#report-map-status")).to_contain_text("Titik ditandai")
    # ...then corrects it to the exact spot her neighbour read from his GPS.
    phone.locator("#id_latitude").fill("-4.052310")
    phone.locator("#id_longitude").fill("103.958100")
    phone.locator("#id_longitude").dispatch_event("change")
    expect(phone.locator("#report-map-status")).to_contain_text("-4.052310, 103.958100")
    # The same pothole was reported last week (demo): the form suggests following that report.
    similar = phone.locator("#report-similar")
    expect(similar).to_be_visible()
    expect(similar).to_contain_text("Lubang jalan depan SD 12 muncul lagi")
    phone.select_option("#id_district", "16.01.28")
    phone.select_option("#id_village", "16.01.28.2009")
    phone.locator("#id_address").fill("Depan Balai Desa Segara Kembang")
    assert_fits_the_screen(phone)
    shoot(phone, "1-form-360")
    phone.get_by_role("button", name="Kirim laporan").click()

    phone.wait_for_url(re.compile(r"/pengaduan/terkirim/ADU-\d{4}-\d{5}/$"))
    reference = phone.locator("#report-reference").inner_text().strip()
    assert re.fullmatch(r"ADU-\d{4}-\d{5}", reference)
    expect(phone.locator("main")).to_contain_text(PUPR)
    expect(phone.locator("main")).to_contain_text("hari kerja")
    assert_fits_the_screen(phone)
    assert_no_problems(phone)
    shoot(phone, "2-sent-360")

    # --- Pak Budi handles it in the PUPR inbox ---------------------------------------------
    sign_in_staff(desktop, "budi", "/kelola/pengaduan/")
    desktop.get_by_role("link", name=reference).first.click()
    desktop.wait_for_url(re.compile(rf"/kelola/pengaduan/{reference}/$"))
    expect(desktop.locator("main")).to_contain_text(TITLE)
    desktop.select_option("#id_status-status", "in_progress")
    desktop.locator("#id_status-message").fill("Tim PUPR meninjau lokasi besok pagi.")
    desktop.get_by_role("button", name="Simpan status").click()
    expect(desktop.locator("main")).to_contain_text("Status diubah menjadi Diproses")
    desktop.select_option("#id_status-status", "resolved")
    desktop.locator("#id_status-message").fill(
        "Badan jalan sudah ditimbun dan diaspal ulang sepanjang enam meter."
    )
    desktop.get_by_role("button", name="Simpan status").click()
    expect(desktop.locator("main")).to_contain_text("Status diubah menjadi Selesai ditangani")
    assert_no_problems(desktop)

    # --- Siti reads the updates and rates the repair ---------------------------------------
    phone.goto("/layanan-saya/")
    expect(phone.locator("main")).to_contain_text(reference)
    phone.get_by_role("link", name=TITLE).first.click()
    phone.wait_for_url(re.compile(rf"/pengaduan/{reference}/$"))
    expect(phone.locator("#report-status")).to_have_text("Selesai ditangani")
    timeline = phone.locator("#report-timeline")
    expect(timeline).to_contain_text("Tim PUPR meninjau lokasi besok pagi.")
    expect(timeline).to_contain_text("diaspal ulang sepanjang enam meter")
    # Her photo is there, re-encoded (no EXIF, at most 1600 px wide).
    photo = phone.locator(".report-photos img").first
    photo.scroll_into_view_if_needed()  # the page lazy-loads photos (data costs money)
    handle = photo.element_handle()
    phone.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle)
    assert phone.evaluate("(img) => img.naturalWidth", handle) == 1600
    assert_fits_the_screen(phone)
    shoot(phone, "3-report-360")
    phone.get_by_label("5 — Sangat puas").check()
    phone.locator("#id_comment").fill("Cepat dan rapi, terima kasih Dinas PUPR.")
    phone.get_by_role("button", name="Kirim penilaian").click()
    expect(phone.locator("main")).to_contain_text("Terima kasih, penilaian Anda sudah kami terima")
    expect(phone.locator("#report-timeline")).to_contain_text("nilai 5 dari 5")
    assert_no_problems(phone)

    # --- The public map shows it ------------------------------------------------------------
    desktop.goto("/pengaduan/?kategori=jalan-rusak")
    map_box = desktop.locator("#complaints-map")
    expect(map_box).to_be_visible()
    expect(map_box).to_have_attribute("data-markers", re.compile(r"^[1-9]\d*$"))
    points = desktop.request.get("/pengaduan/peta.json?kategori=jalan-rusak").json()["results"]
    mine = next(point for point in points if point["reference"] == reference)
    assert (mine["latitude"], mine["longitude"]) == (-4.05231, 103.9581)
    assert mine["state"] == "done"
    assert "Siti" not in str(mine)
    expect(desktop.locator("main table")).to_contain_text(reference)
    shoot(desktop, "4-map-1280")

    # --- The performance page counts it -----------------------------------------------------
    received_after, rating = pupr_numbers(desktop)
    assert received_after == received_before + 1
    assert rating.strip() not in ("", "—")
    desktop.wait_for_function(
        "() => window.Chart && window.Chart.getChart('complaints-chart-on-time')"
    )
    shoot(desktop, "5-performance-1280")
    assert_no_problems(desktop)

"""Satu Data journeys in headless Chromium against a real server with the OKU demo loaded
(three published datasets): Ibu Siti browses open data on her phone, a journalist on a desktop
uses the chart builder, the map and the CSV download."""

from __future__ import annotations

import base64
import re

from playwright.sync_api import Page, expect

# The test machine has no internet: OpenStreetMap tiles are answered with a blank tile.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def assert_no_problems(page: Page) -> None:
    assert page.problems == [], "\n".join(page.problems)


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def test_siti_finds_population_data_on_her_phone(phone: Page):
    offline_tiles(phone)
    response = phone.goto("/data/")
    assert response.status == 200
    expect(phone.locator("h1")).to_contain_text("Satu Data")
    # On a phone the facets wait under "Saring dataset", so the datasets come first.
    topic = phone.get_by_role("link", name=re.compile("^Kependudukan")).first
    expect(topic).to_be_hidden()
    phone.get_by_text("Saring dataset").click()
    topic.click()
    phone.wait_for_url(re.compile(r"topik=kependudukan"))
    expect(phone.locator(".search-facets__summary")).to_contain_text("1 saringan aktif")
    phone.get_by_role("link", name=re.compile("Jumlah Penduduk menurut Kecamatan")).click()
    phone.wait_for_url(re.compile(r"/data/penduduk-kecamatan-2025/$"))
    # The preview shows real rows, without the spreadsheet's title and total rows.
    preview = phone.locator("table").first
    expect(preview).to_contain_text("Lengkiti")
    expect(preview.locator("tbody")).not_to_contain_text("Jumlah")
    assert_fits_the_screen(phone)
    assert_no_problems(phone)


def offline_tiles(page: Page) -> None:
    """Tests run offline: the map's tile requests get a blank tile."""
    page.route(
        re.compile(r"https://tile\.openstreetmap\.org/.*"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )


def test_chart_map_and_download_on_desktop(desktop: Page):
    offline_tiles(desktop)
    desktop.goto("/data/panjang-jalan-kondisi-2025/")
    # Road lengths per kecamatan code: one circle per kecamatan that has a point on the map.
    expect(desktop.locator("#data-map.leaflet-container")).to_be_visible()
    expect(desktop.locator("#data-map path.leaflet-interactive").first).to_be_attached()
    assert desktop.locator("#data-map path.leaflet-interactive").count() == 11
    expect(desktop.locator("#data-map .leaflet-tooltip").first).to_be_visible()
    # The chart builder works without JavaScript (a GET form) and Chart.js draws the canvas.
    desktop.select_option("#chart-x", "kecamatan")
    desktop.locator('input[name="y"][value="rusak_berat_km"]').check()
    desktop.select_option("#chart-type", "line")
    desktop.get_by_role("button", name="Tampilkan").click()
    desktop.wait_for_url(re.compile(r"jenis=line"))
    desktop.wait_for_function("() => window.Chart && window.Chart.getChart('data-chart')")
    kind = desktop.evaluate("() => window.Chart.getChart('data-chart').config.type")
    assert kind == "line"

    desktop.goto("/data/fasilitas-kesehatan/")
    expect(desktop.locator("#data-map.leaflet-container")).to_be_visible()
    markers = desktop.locator("#data-map path.leaflet-interactive")
    expect(markers.first).to_be_attached()
    assert markers.count() == 13
    markers.first.click(force=True)
    expect(desktop.locator(".leaflet-popup-content")).to_contain_text(re.compile(r"RSUD|Puskesmas"))

    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="CSV").first.click()
    path = download_info.value.path()
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    assert header.startswith("nama_fasilitas,jenis,kode_kecamatan,alamat")
    assert_no_problems(desktop)

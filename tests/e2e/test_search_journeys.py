"""Search journeys in headless Chromium against the OKU demo: on her 360 px phone Ibu Siti
mistypes "praktk dokter", is told what was searched instead, narrows the results to the life
event "Kesehatan" and opens the practice permit; on a desktop the facets are a sidebar."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .test_foundation_journeys import assert_fits_the_screen, assert_no_problems


def test_siti_corrects_a_typo_and_narrows_by_life_event_on_her_phone(phone: Page):
    phone.goto("/")
    phone.locator("#home-q").fill("praktk dokter")
    phone.locator("#home-q").press("Enter")
    phone.wait_for_url(re.compile(r"/cari/\?q=praktk"))
    expect(phone.get_by_role("status").first).to_contain_text("praktik dokter")
    # The query's words are highlighted in the result titles.
    expect(phone.locator(".search-result mark").first).to_be_visible()
    facets = phone.locator(".search-facets")
    expect(facets.get_by_role("link", name=re.compile("^Kesehatan"))).to_be_hidden()
    phone.get_by_text("Saring hasil").click()
    facets.get_by_role("link", name=re.compile("^Kesehatan")).click()
    phone.wait_for_url(re.compile(r"peristiwa=kesehatan"))
    expect(phone.locator(".search-facets__summary")).to_contain_text("Kesehatan")
    assert_fits_the_screen(phone)
    assert_no_problems(phone)
    phone.get_by_role("link", name="Surat Izin Praktik (SIP) dokter").first.click()
    phone.wait_for_url(re.compile(r"/layanan/sip-dokter/$"))
    expect(phone.get_by_role("heading", name="Persyaratan")).to_be_visible()


def test_facets_are_a_sidebar_on_a_desktop(desktop: Page):
    desktop.goto("/cari/?q=izin")
    sidebar = desktop.locator(".search-facets")
    # Open without a click: a wide screen has room for the filters beside the results.
    expect(sidebar.get_by_role("heading", name="Perangkat daerah")).to_be_visible()
    box, results = sidebar.bounding_box(), desktop.locator(".search-layout__results").bounding_box()
    assert box["x"] + box["width"] <= results["x"], (box, results)
    sidebar.get_by_role("link", name=re.compile("^Dinas Penanaman Modal")).click()
    desktop.wait_for_url(re.compile(r"opd=dpmptsp"))
    expect(desktop.locator('.search-facet__link[aria-current="true"]')).to_contain_text(
        "Dinas Penanaman Modal"
    )
    assert_no_problems(desktop)

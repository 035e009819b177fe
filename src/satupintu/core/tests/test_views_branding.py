"""/branding.css: the regency's colours as a cacheable stylesheet (CSP forbids inline styles)."""

from __future__ import annotations

import pytest

from satupintu.core.branding import branding_css, branding_version, contrast, mix


def test_branding_stylesheet_carries_the_configured_colours(client, settings):
    settings.INSTALLATION = {
        **settings.INSTALLATION,
        "primary_colour": "#1d4e89",
        "accent_colour": "#f2c230",
    }
    response = client.get("/branding.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--sp-primary: #1d4e89;" in css
    assert "--sp-accent: #f2c230;" in css
    assert "--sp-on-primary: #ffffff;" in css  # white reads best on dark blue
    assert response["Cache-Control"] == "public, max-age=3600"


def test_versioned_url_is_cached_for_a_year_and_changes_with_the_colours(client, settings):
    version = branding_version()
    response = client.get("/branding.css", {"v": version})
    assert "max-age=31536000" in response["Cache-Control"]
    settings.INSTALLATION = {**settings.INSTALLATION, "primary_colour": "#7a1f1f"}
    assert branding_version() != version


def test_light_primary_colour_gets_dark_text_and_bad_values_fall_back(settings):
    settings.INSTALLATION = {**settings.INSTALLATION, "primary_colour": "#ffd84d"}
    assert "--sp-on-primary: #000000;" in branding_css()
    settings.INSTALLATION = {
        **settings.INSTALLATION,
        "primary_colour": "red; } body { display: none",
        "accent_colour": "",
    }
    css = branding_css()
    assert "display: none" not in css
    assert "--sp-primary: #0b5c3b;" in css and "--sp-accent: #c8102e;" in css


@pytest.mark.parametrize(
    ("a", "b", "expected"), [("#000000", "#ffffff", 21.0), ("#777777", "#777777", 1.0)]
)
def test_contrast_ratio(a, b, expected):
    assert round(contrast(a, b), 1) == expected


def test_mix():
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#0b5c3b", "#ffffff", 0.0) == "#0b5c3b"


def test_base_layout_links_the_versioned_stylesheet(client, db):
    html = client.get("/").content.decode()
    assert f'href="/branding.css?v={branding_version()}"' in html

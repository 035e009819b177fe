"""Page weight budget (DESIGN.md): a public page is at most 150 KB on first load (HTML and every
same-origin stylesheet, script, image and icon it links) and at most 30 KB on a repeat view,
when the browser has the static files cached and only the HTML travels again. Villages in
blank spots are on slow links, and data costs money.

Sizes are counted uncompressed, so the real transfer (gzip/brotli by WhiteNoise) is smaller.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

FIRST_LOAD_BUDGET = 150 * 1024
REPEAT_BUDGET = 30 * 1024
ASSET = re.compile(r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", re.IGNORECASE)


def asset_bytes(client: Client, url: str) -> int:
    path = urlsplit(url).path
    if path.startswith("/static/"):
        found = finders.find(path.removeprefix("/static/"))
        assert found, f"linked static file does not exist: {path}"
        with open(found, "rb") as handle:
            return len(handle.read())
    response = client.get(url)
    assert response.status_code == 200, url
    return len(response.content)


def same_origin_assets(html: str) -> list[str]:
    urls = []
    for url in ASSET.findall(html):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue  # another origin; a public page links none (the CSP would block them)
        if url.startswith("/") and not url.startswith(("/opd/", "/cari/", "/akun/")):
            urls.append(url)
    return sorted(set(urls))


@pytest.mark.parametrize("path", ["/", "/opd/", "/cari/?q=dinas", "/design/"])
def test_public_page_weight(client, regency, path):
    response = client.get(path)
    html_bytes = len(response.content)
    assets = same_origin_assets(response.content.decode())
    # The page really links its stylesheet, the branding colours and htmx.
    assert any(a.endswith("satupintu.css") for a in assets)
    assert any(a.startswith("/branding.css") for a in assets)
    assert any(a.endswith("htmx.min.js") for a in assets)
    total = html_bytes + sum(asset_bytes(client, url) for url in assets)
    assert total <= FIRST_LOAD_BUDGET, f"{path}: {total} bytes on first load"
    if path != "/design/":  # the catalogue of components is a developer page, not public
        assert html_bytes <= REPEAT_BUDGET, f"{path}: {html_bytes} bytes of HTML"


def test_the_counter_counts_every_linked_asset(client, regency):
    html = client.get("/").content.decode()
    assets = same_origin_assets(html)
    assert {a.split("?")[0] for a in assets} >= {
        "/static/css/satupintu.css",
        "/static/vendor/htmx.min.js",
        "/static/js/satupintu.js",
        "/static/img/logo.svg",
        "/static/img/favicon.svg",
        "/branding.css",
    }

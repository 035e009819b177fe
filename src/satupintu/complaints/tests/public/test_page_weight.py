"""Page weight of the citizen pages (DESIGN.md: ≤ 150 KB transferred on first load, ≤ 30 KB on a
repeat view). Pages without a map or chart meet the budget uncompressed, like the portal's
pages (portal/tests/test_page_weight.py). The map pages (Leaflet) and the performance page
(Chart.js) meet it as transferred: gzip-compressed, as WhiteNoise and nginx serve them."""

from __future__ import annotations

import gzip

import pytest

from satupintu.portal.tests.test_page_weight import (
    FIRST_LOAD_BUDGET,
    REPEAT_BUDGET,
    asset_bytes,
    same_origin_assets,
)

from .helpers import jpeg, send


def _asset_content(client, url: str) -> bytes:
    from urllib.parse import urlsplit

    from django.contrib.staticfiles import finders

    path = urlsplit(url).path
    if path.startswith("/static/"):
        with open(finders.find(path.removeprefix("/static/")), "rb") as handle:
            return handle.read()
    return client.get(url).content


@pytest.fixture
def report(regency, road):
    return send(road, photos=[jpeg(size=(400, 300))])


@pytest.mark.parametrize(
    "path",
    ["/pengaduan/lacak/", "/pengaduan/{reference}/"],
)
def test_text_pages_meet_the_budget_uncompressed(client, report, path):
    path = path.format(reference=report.reference)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content
    assets = [a for a in same_origin_assets(html.decode()) if "/foto/" not in a]
    total = len(html) + sum(asset_bytes(client, url) for url in assets)
    assert total <= FIRST_LOAD_BUDGET, f"{path}: {total} bytes"
    assert len(html) <= REPEAT_BUDGET


@pytest.mark.parametrize("path", ["/pengaduan/baru/", "/pengaduan/", "/pengaduan/kinerja/"])
def test_map_and_chart_pages_meet_the_budget_as_transferred(client, report, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content
    assets = same_origin_assets(html.decode())
    assert any("leaflet" in a or "chart" in a for a in assets), assets
    transferred = len(gzip.compress(html)) + sum(
        len(gzip.compress(_asset_content(client, url))) for url in assets
    )
    assert transferred <= FIRST_LOAD_BUDGET, f"{path}: {transferred} bytes gzip"
    assert len(gzip.compress(html)) <= REPEAT_BUDGET

"""The dataset page's map: rows with coordinates become points; rows with only a region code
are summed per kecamatan and drawn at the kecamatan's point, the rest listed beside it."""

from __future__ import annotations

import pytest

from satupintu.data import geo
from satupintu.data.models import Variable

from .helpers import data_db, loaded_dataset

pytestmark = data_db()

BY_REGION = (
    "Kode Kecamatan,Kecamatan,Laki-laki,Perempuan\n"
    '16.01.14,Baturaja Timur,"45.210","44.873"\n'
    '16.01.28,Lengkiti,"11.402","10.987"\n'
    '16.01.29,Sinar Peninjauan,"8.120","7.998"\n'
)


@pytest.fixture
def by_region(dinkes, walidata):
    dataset = loaded_dataset(dinkes, None, slug="penduduk-wilayah", content=BY_REGION)
    dataset.resources.get().variables.filter(name="kode_kecamatan").update(
        reference=Variable.Reference.REGION
    )
    return dataset


def test_region_rows_summed_at_kecamatan_points(client, by_region, operator):
    client.force_login(operator)
    page = client.get(by_region.get_absolute_url())
    assert page.status_code == 200
    shown = page.context["map"]
    assert shown["kind"] == "regions"
    assert shown["measure"] == "Laki-laki"
    placed = {r["code"]: r for r in shown["regions"]}
    assert set(placed) == {"16.01.14", "16.01.28"}
    assert placed["16.01.14"]["value"] == 45210.0 and placed["16.01.14"]["rows"] == 1
    assert (placed["16.01.28"]["lat"], placed["16.01.28"]["lon"]) == geo.region_points()["16.01.28"]
    # No point for this kecamatan yet: listed under the map, not dropped.
    assert [r["code"] for r in shown["unplaced"]] == ["16.01.29"]
    assert 'id="data-map"' in page.text and "data-map-data" in page.text
    assert "belum ada titik di peta" in page.text


def test_points_file_covers_oku_kecamatan_with_plausible_coordinates():
    points = geo.region_points()
    assert len(points) == 11
    for code, (lat, lon) in points.items():
        assert code.startswith("16.01.")
        # inside Kabupaten Ogan Komering Ulu
        assert -4.6 < lat < -3.8 and 103.5 < lon < 104.6


def test_no_map_without_coordinates_or_region_codes(client, dinkes, operator):
    plain = "Kecamatan,Jumlah\nBaturaja Timur,5\nLengkiti,3\n"
    dataset = loaded_dataset(dinkes, None, slug="tanpa-peta", content=plain, key_columns=())
    client.force_login(operator)
    page = client.get(dataset.get_absolute_url())
    assert page.context["map"] is None and 'id="data-map"' not in page.text

"""core's search providers (core/search.py): organisations and the regency's regions."""

from __future__ import annotations

import pytest

from satupintu.accounts.tests.factories import Regency, make_regions
from satupintu.core.models import Organisation, Region
from satupintu.core.registry import registry
from satupintu.core.search import search_organisations, search_regions


@pytest.fixture
def regency(db):
    make_regions()
    Region.objects.create(
        code="16.01.28.2017", name="Bunga Tanjung", level=Region.Level.VILLAGE, parent_id="16.01.28"
    )
    Region.objects.create(
        code="16.01.01.1001", name="Sukaraya", level=Region.Level.VILLAGE, parent_id="16.01.01"
    )
    Region.objects.create(
        code="16.01.01", name="Baturaja Timur", level=Region.Level.DISTRICT, parent_id="16.01"
    )
    # A same-named village in another regency must not appear.
    Region.objects.create(code="16.10.05.2001", name="Segara Kembang", level=Region.Level.VILLAGE)
    regency = Regency()
    regency.segara_kembang.region_id = "16.01.28.2009"
    regency.segara_kembang.save()
    return regency


def test_both_providers_are_registered():
    assert {"core.organisations", "core.regions"} <= set(registry.search_providers)


def test_organisations_by_name_and_short_name_exact_first(regency):
    results = search_organisations("kesehatan", None, 10)
    assert [r.title for r in results] == ["Dinas Kesehatan (DINAS-KESEHATAN)"]
    assert results[0].url == "/opd/dinas-kesehatan/"
    Organisation.objects.create(
        code="dinkes-uptd",
        name="UPTD Laboratorium Kesehatan Daerah",
        short_name="Labkesda",
        kind=Organisation.Kind.DINAS,
    )
    results = search_organisations("dinas kesehatan", None, 10)
    assert results[0].title.startswith("Dinas Kesehatan")
    assert search_organisations("BAPELITBANGDA", None, 10)[0].url == "/opd/bapelitbangda/"


def test_organisations_respect_the_limit_and_hide_inactive(regency):
    Organisation.objects.filter(code="dinas-kesehatan").update(is_active=False)
    assert search_organisations("kesehatan", None, 10) == []
    assert len(search_organisations("dinas", None, 1)) == 1


def test_regions_of_the_installation_only(regency):
    results = search_regions("segara kembang", None, 10)
    assert len(results) == 1
    result = results[0]
    assert result.title == "Desa Segara Kembang"
    assert "Kecamatan Lengkiti" in result.snippet and "16.01.28.2009" in result.snippet
    # The village government has a page in the directory: the result leads there.
    assert result.url == "/opd/desa-segara-kembang/"


def test_kelurahan_and_district_results(regency):
    (kelurahan,) = search_regions("sukaraya", None, 10)
    assert kelurahan.title == "Kelurahan Sukaraya"
    (district,) = search_regions("lengkiti", None, 10)
    assert district.title == "Kecamatan Lengkiti"
    # No government page for it: the directory search for its name.
    assert district.url == "/opd/?q=Lengkiti"


@pytest.mark.parametrize("query", ["", "   ", "%%%", "'; DROP TABLE core_region; --", "___"])
def test_queries_without_words_find_nothing(regency, query):
    assert search_organisations(query, None, 10) == []
    if query.strip("_ ") == "":
        assert search_regions(query, None, 10) == []

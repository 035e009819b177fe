"""The search page (/cari/): every registered provider, grouped, with graceful bad input."""

from __future__ import annotations

import pytest

from satupintu.core.registry import SearchProvider, SearchResult, registry


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(registry, "search_providers", dict(registry.search_providers))
    return registry


def test_results_from_every_provider_grouped(client, regency):
    response = client.get("/cari/", {"q": "kesehatan"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Kesehatan" in html and 'href="/opd/dinas-kesehatan/"' in html
    response = client.get("/cari/", {"q": "lengkiti"})
    labels = [str(group["provider"].label) for group in response.context["groups"]]
    assert labels == ["Perangkat daerah", "Kecamatan dan desa"]
    # The query is kept in the header search box too.
    assert 'value="lengkiti"' in response.content.decode()


def test_tab_per_kind_shows_only_that_kind(client, regency):
    response = client.get("/cari/", {"q": "lengkiti", "jenis": "core.regions"})
    groups = response.context["groups"]
    assert [g["provider"].key for g in groups] == ["core.regions"]
    tabs = response.context["tabs"]
    assert [t["current"] for t in tabs] == [False, False, True]
    # An unknown kind falls back to all kinds.
    response = client.get("/cari/", {"q": "lengkiti", "jenis": "tidak-ada"})
    assert len(response.context["groups"]) == 2


def test_empty_query_shows_help(client, regency):
    response = client.get("/cari/")
    assert response.status_code == 200
    assert "Tuliskan apa yang Anda cari" in response.content.decode()
    assert response.context["groups"] == []


@pytest.mark.parametrize("query", ["%%%", "!!! ???", "<<>>", "— – …"])
def test_symbol_only_query_asks_for_a_word(client, regency, query):
    response = client.get("/cari/", {"q": query})
    assert response.status_code == 200
    assert "Kata kunci belum berisi kata" in response.content.decode()


def test_very_long_query_is_truncated_with_a_notice(client, regency):
    query = "kesehatan " + "x" * 5000
    response = client.get("/cari/", {"q": query})
    assert response.status_code == 200
    assert response.context["truncated"] is True
    assert len(response.context["query"]) == 1000
    assert "hanya 1.000 karakter pertama yang dipakai" in response.content.decode()


def test_control_characters_and_newlines_are_cleaned(client, regency):
    response = client.get("/cari/", {"q": "dinas\n\tkesehatan\x07\x1b"})
    assert response.context["query"] == "dinas kesehatan"
    assert "Dinas Kesehatan" in response.content.decode()
    # NUL never reaches the search: RefuseNulMiddleware answers 400 first.
    assert client.get("/cari/", {"q": "dinas\x00"}).status_code == 400


def test_no_results_is_an_honest_empty_state(client, regency):
    response = client.get("/cari/", {"q": "kapal selam nuklir"})
    html = response.content.decode()
    assert "Tidak ada hasil untuk “kapal selam nuklir”" in html
    assert 'href="/opd/"' in html


def test_failing_provider_does_not_break_the_page(client, regency, isolated_registry, caplog):
    def broken(query, user, limit):
        raise RuntimeError("database of the permits app is down")

    isolated_registry.add_search_provider(SearchProvider("permits", "Perizinan", broken, order=1))
    response = client.get("/cari/", {"q": "kesehatan"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hasil dari “Perizinan” tidak dapat dimuat saat ini" in html
    assert "Dinas Kesehatan" in html
    assert "search provider failed" in caplog.text


def test_providers_receive_the_user_and_results_are_escaped(client, regency, isolated_registry):
    seen = []

    def spy(query, user, limit):
        seen.append((query, user, limit))
        return [SearchResult(title="<b>Izin</b> reklame", url="/izin/1/", kind="Perizinan")]

    isolated_registry.add_search_provider(SearchProvider("permits", "Perizinan", spy))
    client.force_login(regency.budi)
    html = client.get("/cari/", {"q": "reklame"}).content.decode()
    assert seen[0][0] == "reklame" and seen[0][1] == regency.budi and seen[0][2] == 51
    assert "&lt;b&gt;Izin&lt;/b&gt; reklame" in html

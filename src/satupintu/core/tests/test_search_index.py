"""The shared search index on the configured database (FTS5 on SQLite; tsvector on PostgreSQL
and LIKE on MariaDB in `make test-service`): Indonesian stems, query-time synonyms, typo
tolerance, ranking, facets, visibility like core.scoping, highlighted snippets, hostile input."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from satupintu.accounts.tests.factories import Regency
from satupintu.core import search_index
from satupintu.core.models import SearchDocument, SearchSynonym, SearchTerm
from satupintu.core.registry import SearchIndexSource, registry
from satupintu.core.search import index_after_migrate
from satupintu.core.search_index import Document, Search
from satupintu.core.search_snippets import highlight, matcher, snippet
from satupintu.core.text import query_clauses, words

PUBLIC, REVIEW, PRIVATE = "public", "review", "private"


@pytest.fixture
def regency(db) -> Regency:
    return Regency()


def service(key, title, body, org, events=(), popularity=0.0, visibility=PUBLIC, kind="layanan"):
    return Document(
        kind=kind,
        key=key,
        title=title,
        url=f"/layanan/{key}/",
        body=body,
        organisation_id=org.pk,
        life_events=tuple(events),
        popularity=popularity,
        visibility=visibility,
    )


@pytest.fixture
def indexed(regency) -> Regency:
    SearchSynonym.objects.create(words="praktik, praktek")
    SearchSynonym.objects.create(words="kartu tanda penduduk, ktp")
    search_index.index(
        [
            service(
                "sip-dokter",
                "Surat Izin Praktik Dokter",
                "Perizinan praktik bagi dokter umum dan dokter gigi. Persyaratan: STR yang "
                "masih berlaku, rekomendasi organisasi profesi (IDI), pas foto 4x6.",
                regency.dinkes,
                ["kesehatan", "pekerjaan"],
            ),
            service(
                "sip-bidan",
                "Surat Izin Praktik Bidan",
                "Izin praktik mandiri bidan. Persyaratan: STR bidan, rekomendasi IBI.",
                regency.dinkes,
                ["kesehatan", "pekerjaan"],
            ),
            service(
                "akta-kelahiran",
                "Akta Kelahiran",
                "Pencatatan kelahiran anak. Persyaratan: surat keterangan lahir dari bidan, "
                "Kartu Keluarga, kartu tanda penduduk kedua orang tua.",
                regency.dinkes,
                ["kelahiran"],
            ),
            service(
                "pbg",
                "Persetujuan Bangunan Gedung",
                "Izin mendirikan bangunan gedung. Persyaratan: gambar rencana, bukti tanah.",
                regency.pupr,
                ["usaha"],
            ),
            service(
                "reklame-draf",
                "Rekomendasi Izin Reklame",
                "Rekomendasi teknis pemasangan reklame di ruang milik jalan.",
                regency.pupr,
                ["usaha"],
                visibility=PRIVATE,
            ),
            service(
                "sewa-alat-berat",
                "Sewa Alat Berat",
                "Penyewaan alat berat milik daerah: ekskavator, mesin gilas.",
                regency.pupr,
                visibility=REVIEW,
            ),
            service(
                "simbg",
                "SIMBG",
                "Aplikasi perizinan bangunan gedung (PBG) dari Kementerian PUPR.",
                regency.pupr,
                kind="aplikasi",
            ),
        ]
    )
    return regency


def keys(search: Search, **filters) -> list[str]:
    return [hit.key for hit in search.hits(**filters)]


def test_query_clauses_stem_drop_filler_words_and_expand_synonyms():
    groups = [[words("praktik"), words("praktek")], [words("ktp"), words("kartu tanda penduduk")]]
    assert words("Perizinan") == ["izin"]
    assert query_clauses("cara mengurus perizinan", groups) == [[("izin",)]]
    assert query_clauses("praktek dokter", groups) == [[("praktik",), ("praktek",)], [("dokter",)]]
    assert query_clauses("Kartu Tanda Penduduk", groups) == [
        [("ktp",), ("kartu", "tanda", "duduk")]  # Sastrawi: penduduk → duduk
    ]
    assert query_clauses("%%% !!! ???", groups) == []
    assert len(query_clauses(" ".join(f"kata{n}" for n in range(500)), groups)) == 12


def test_stems_synonyms_and_prefixes_meet(indexed):
    for query in ("praktek dokter", "izin praktik dokter", "perizinan dokter", "dok"):
        assert keys(Search(query, None))[0] == "sip-dokter", query
    assert set(keys(Search("mengurus izin", None))) >= {"sip-dokter", "sip-bidan", "pbg"}
    # "ktp" finds the document that spells it out, through the synonym phrase.
    assert keys(Search("KTP", None)) == ["akta-kelahiran"]
    assert keys(Search("kapal selam nuklir", None)) == []


def test_a_synonym_edit_counts_at_the_next_search_without_reindexing(indexed):
    assert keys(Search("newborn", None)) == []
    synonym = SearchSynonym.objects.create(words="lahir, newborn")
    assert keys(Search("newborn", None)) == ["akta-kelahiran"]
    synonym.delete()
    assert keys(Search("newborn", None)) == []


def test_a_misspelt_word_is_corrected_against_the_vocabulary(indexed):
    search = Search("praktk dokter", None)
    assert search.corrected == "praktik dokter"
    assert keys(search)[0] == "sip-dokter"
    assert SearchTerm.objects.filter(term="dokter").exists()
    # Nothing close enough: no results and no made-up correction.
    nothing = Search("zzqxv dokter", None)
    assert nothing.corrected is None and keys(nothing) == []


def test_title_matches_rank_first_and_popularity_breaks_ties(indexed):
    # "bidan" is in the title of sip-bidan and only in the body of akta-kelahiran.
    assert keys(Search("bidan", None)) == ["sip-bidan", "akta-kelahiran"]
    assert keys(Search("surat izin praktik", None))[:2] == ["sip-bidan", "sip-dokter"]
    search_index.index(
        [
            service(
                "sip-dokter",
                "Surat Izin Praktik Dokter",
                "Perizinan praktik bagi dokter umum dan dokter gigi.",
                indexed.dinkes,
                ["kesehatan", "pekerjaan"],
                popularity=400,
            )
        ]
    )
    assert keys(Search("surat izin praktik", None))[:2] == ["sip-dokter", "sip-bidan"]
    assert SearchDocument.objects.filter(key="sip-dokter").count() == 1  # replaced, not added


def test_facets_count_kinds_opds_and_life_events_under_the_other_selections(indexed):
    search = Search("izin", None)
    facets = search.facets(event_labels={"kesehatan": "Kesehatan", "usaha": "Usaha"})
    assert {(f.value, f.count) for f in facets.kinds} == {("layanan", 3), ("aplikasi", 1)}
    assert [(f.label, f.count) for f in facets.organisations] == [
        ("Dinas Kesehatan", 2),
        ("Dinas Pekerjaan Umum dan Penataan Ruang", 2),
    ]
    # Only labelled codes are offered ("pekerjaan" has no label here).
    assert [(f.value, f.count) for f in facets.life_events] == [("kesehatan", 2), ("usaha", 1)]
    narrowed = search.facets(kind="layanan", organisation_id=indexed.pupr.pk)
    assert [(f.value, f.count) for f in narrowed.kinds] == [("aplikasi", 1), ("layanan", 1)]
    assert search.count("layanan", indexed.dinkes.pk) == 2
    assert keys(search, kind="layanan", life_event="usaha") == ["pbg"]
    assert keys(search, organisation_id=indexed.dinkes.pk, life_event="usaha") == []


def test_visibility_follows_the_scoping_rules(indexed):
    def found(user) -> set[str]:
        search = Search("rekomendasi sewa reklame alat", user)
        return {h.key for h in search.hits()} | set(keys(Search("reklame", user)))

    assert found(None) == set()
    assert "reklame-draf" not in found(indexed.dina)  # another OPD's draft
    assert "reklame-draf" in {h.key for h in Search("reklame", indexed.budi).hits()}
    assert {h.key for h in Search("alat berat", indexed.rina).hits()} == {"sewa-alat-berat"}
    assert {h.key for h in Search("alat berat", indexed.dina).hits()} == set()
    assert {h.key for h in Search("reklame", indexed.admin).hits()} == {"reklame-draf"}
    assert Search("reklame", indexed.siti).count() == 0
    # Facet counts never reveal what the user may not see.
    assert Search("izin", None).count(organisation_id=indexed.pupr.pk) == 2


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"izin',
        "izin*",
        "*",
        "NEAR(izin dokter)",
        "izin NEAR dokter",
        "-izin",
        "izin -dokter",
        "title_stems:izin",
        ":",
        "izin AND OR NOT",
        "^izin",
        "(izin",
        "izin)",
        "'; DROP TABLE core_searchdocument; --",
        "%_%",
        "izin & dokter | !bidan <-> x:*",
        "\\",
        "😀 izin",
        "izin " * 400,
    ],
)
def test_hostile_queries_never_raise(indexed, query):
    search = Search(query, indexed.budi)
    search.hits()
    search.facets()
    assert SearchDocument.objects.count() == 7


def test_snippets_escape_everything_but_the_marks(indexed):
    matches = matcher(query_clauses("perizinan", []))
    html = snippet('Izin <script>alert("x")</script> & "izin" lagi', matches)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark>") == 2 and "<mark>Izin</mark>" in html
    assert "&amp;" in html
    assert str(highlight("Perizinan <b>Usaha</b>", matches)) == (
        "<mark>Perizinan</mark> &lt;b&gt;Usaha&lt;/b&gt;"
    )
    long_body = "Pendahuluan panjang. " * 40 + "Syarat izin praktik dokter."
    cut = snippet(long_body, matches)
    assert cut.startswith("… ") and "<mark>izin</mark>" in cut
    hit = Search("perizinan dokter", None).hits()[0]
    assert str(hit.title) == "Surat Izin Praktik <mark>Dokter</mark>".replace(
        "Izin", "<mark>Izin</mark>"
    )


def test_remove_rebuild_and_popularity_refresh(indexed, monkeypatch):
    assert search_index.remove("layanan", ["pbg", "tidak-ada"]) == 1
    assert "pbg" not in keys(Search("bangunan", None))
    monkeypatch.setattr(registry, "search_index_sources", {})
    registry.add_search_index_source(
        SearchIndexSource(
            "layanan",
            "Layanan",
            lambda: [service("pbg", "Persetujuan Bangunan Gedung", "Izin bangunan.", indexed.pupr)],
            popularity=lambda: {"pbg": 12.0},
        )
    )
    assert search_index.rebuild() == {"layanan": 1}
    # Kinds no source registers are dropped; the vocabulary is rebuilt.
    assert list(SearchDocument.objects.values_list("key", flat=True)) == ["pbg"]
    assert not SearchTerm.objects.filter(term="dokter").exists()
    assert keys(Search("bangunan", None)) == ["pbg"]
    assert search_index.refresh_popularity() == 1
    assert SearchDocument.objects.get(key="pbg").popularity == 12.0
    call_command("rebuild_search_index", "layanan")
    assert keys(Search("bangunan", None)) == ["pbg"]
    with pytest.raises(SystemExit):
        call_command("rebuild_search_index", "tidak-ada")


def test_an_empty_index_is_filled_after_migrate(regency, monkeypatch):
    monkeypatch.setattr(registry, "search_index_sources", {})
    registry.add_search_index_source(
        SearchIndexSource(
            "layanan",
            "Layanan",
            lambda: [service("pbg", "Persetujuan Bangunan Gedung", "Izin bangunan.", regency.pupr)],
        )
    )
    index_after_migrate(sender=None, using="datastore")
    assert not SearchDocument.objects.exists()
    index_after_migrate(sender=None)
    assert keys(Search("bangunan", None)) == ["pbg"]
    SearchDocument.objects.update(title="Diubah")
    index_after_migrate(sender=None)  # a filled index is left alone
    assert SearchDocument.objects.get().title == "Diubah"


def test_a_query_with_very_many_matches_ranks_its_title_matches_first(indexed, monkeypatch):
    everything = keys(Search("izin", None), limit=10)
    monkeypatch.setattr(search_index, "MATCH_WINDOW", 1)
    # Enough documents have "izin" in the title: only they are ranked, in the same order.
    assert keys(Search("izin", None), limit=2) == everything[:2]
    assert set(keys(Search("izin", None), limit=2)) <= {"sip-dokter", "sip-bidan"}
    # Too few title matches for the page: the whole match set is ranked after all.
    assert keys(Search("izin", None), limit=10) == everything


def test_past_the_window_counts_stop_there_and_every_kind_is_still_counted(indexed, monkeypatch):
    assert Search("izin", None).facets().exact
    monkeypatch.setattr(search_index, "MATCH_WINDOW", 2)
    search = Search("izin", None)
    facets = search.facets()
    # Facets come from the first two matches: lower bounds, and said so.
    assert not facets.exact and sum(f.count for f in facets.kinds) == 2
    assert search.count() == 2 and not search.exact()
    assert search.count("layanan") == 2 and not search.exact("layanan")
    # The one application comes after the services: counted by itself, exactly.
    assert search.count("aplikasi") == 1 and search.exact("aplikasi")
    assert keys(search, kind="aplikasi") == ["simbg"]
    assert search.count("layanan", indexed.pupr.pk) == 1
    assert keys(search, kind="layanan", organisation_id=indexed.pupr.pk) == ["pbg"]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_refreshes_the_engine_structures():
    # On PostgreSQL this VACUUMs, which fails inside a transaction block: rebuild() calls
    # analyze() only after its own transaction has committed.
    search_index.index([Document(kind="layanan", key="x", title="Izin Usaha", url="/x/")])
    search_index.rebuild()
    search_index.engine_for().analyze()
    assert Search("izin", None).count() == SearchDocument.objects.filter(kind="layanan").count()


@pytest.mark.django_db(transaction=True)
def test_indexing_inserts_only_the_words_the_vocabulary_may_lack():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.core import configcache

    configcache.reset()
    search_index.index([Document(kind="uji", key="1", title="Jalan rusak", url="/1/")])
    with CaptureQueriesContext(connection) as queries:
        search_index.index([Document(kind="uji", key="2", title="Jalan rusak", url="/2/")])
    assert not [q for q in queries.captured_queries if "searchterm" in q["sql"].lower()]
    # A rebuild empties the vocabulary (documents of kinds nobody registers go too): every
    # process forgets what it knew, and the words come back with the next document.
    search_index.rebuild()
    assert not SearchTerm.objects.filter(term="jalan").exists()
    search_index.index([Document(kind="uji", key="3", title="Jalan rusak", url="/3/")])
    assert SearchTerm.objects.filter(term="jalan").exists()


@pytest.mark.django_db
def test_words_of_a_rolled_back_index_write_are_inserted_again():
    # Inside the test's transaction, which never commits: nothing is remembered as known.
    search_index.index([Document(kind="uji", key="1", title="Jembatan putus", url="/1/")])
    SearchTerm.objects.filter(term="jembatan").delete()
    search_index.index([Document(kind="uji", key="2", title="Jembatan putus", url="/2/")])
    assert SearchTerm.objects.filter(term="jembatan").exists()


def _stored(key: str) -> tuple:
    row = SearchDocument.objects.get(kind="layanan", key=key)
    return (
        row.title, row.body, row.url.replace(key, "K"), row.organisation_id, row.life_events,
        row.popularity, row.visibility, row.title_stems, row.body_stems,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_one_document_is_stored_as_a_batch_stores_it_and_replaced_by_the_next_write(regency):
    from dataclasses import replace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satupintu.core import configcache

    configcache.reset()
    alone = service(
        "doc1", "Izin Praktik Bidan", "Surat izin praktik", regency.pupr, ("sakit",), 3.0
    )
    with CaptureQueriesContext(connection) as queries:
        search_index.index([alone])
    if connection.vendor == "postgresql":
        # The document and its new words in one statement, without BEGIN and COMMIT.
        assert len(queries.captured_queries) == 1
    # The batch path (the ORM's upsert) stores the same document the same way.
    search_index.index(
        [replace(alone, key="doc2", url="/layanan/doc2/"), service("doc3", "X", "", regency.pupr)]
    )
    assert _stored("doc1") == _stored("doc2")
    assert set(SearchTerm.objects.values_list("term", flat=True)) >= {"izin", "praktik", "bidan"}

    first = SearchDocument.objects.get(kind="layanan", key="doc1")
    search_index.index([replace(alone, title="Izin Praktik Perawat", visibility=REVIEW)])
    again = SearchDocument.objects.get(kind="layanan", key="doc1")
    assert again.pk == first.pk and again.indexed_at >= first.indexed_at
    assert (again.title, again.visibility) == ("Izin Praktik Perawat", REVIEW)
    stems = set(again.title_stems.split())
    assert set(SearchTerm.objects.filter(term__in=stems).values_list("term", flat=True)) == stems
    assert Search("perawat", None, all_visible=True).count() == 1

"""The demo catalogue loads idempotently with unknown facts kept unknown, and the Indonesian
normalisation makes documents and queries meet (affixes, praktek/praktik, acronyms)."""

from __future__ import annotations

from satupintu.catalogue import text
from satupintu.catalogue.demo import APPS, SERVICES, load_demo
from satupintu.catalogue.models import Application, PublicService, SearchSynonym
from satupintu.catalogue.search import find
from satupintu.core.models import ChangeLogEntry


def test_demo_loads_every_named_app_and_forty_services_once(demo):
    names = set(Application.objects.values_list("name", flat=True))
    for expected in ("OKU Cinde", "OKU Menyapa", "mSimpebaja", "SIP", "E-office", "Sakip",
                     "E-KIR", "APeDE", "PINDANG GABUS", "OKU GO", "REMIK", "SIDARLING",
                     "SRIKANDI", "SIPD", "Satu Data"):  # fmt: skip
        assert expected in names
    assert PublicService.objects.count() == len(SERVICES) >= 40
    assert not PublicService.objects.exclude(status="published").exists()
    log_rows = ChangeLogEntry.objects.count()

    again = load_demo(demo)

    assert again == "0 aplikasi, 0 layanan baru"
    assert Application.objects.count() == len(APPS)
    assert PublicService.objects.count() == len(SERVICES)
    assert ChangeLogEntry.objects.count() == log_rows


def test_unknown_facts_stay_unknown(demo):
    gabus = Application.objects.get(slug="pindang-gabus")
    assert gabus.url == ""
    assert not gabus.can_launch()
    assert gabus.database_engine == "unknown"
    assert gabus.get_audience_display() == "Tidak diketahui"
    assert gabus.get_has_api_display() == "Tidak diketahui"


def test_service_fees_and_lists(demo):
    ktp = PublicService.objects.get(slug="ktp-el")
    assert ktp.fee == 0
    assert ktp.requirement_list()[0] == "Fotokopi Kartu Keluarga"
    assert len(ktp.procedure_list()) == 4
    assert PublicService.objects.get(slug="pbg").fee == 1250000
    born = PublicService.objects.filter(PublicService.life_event_filter("kelahiran"))
    assert set(born.values_list("slug", flat=True)) == {"akta-kelahiran", "kartu-identitas-anak"}


def test_stemming_and_synonyms_fold_onto_one_form():
    groups = [[text.words(w) for w in ("praktik", "praktek")]]
    assert text.words("Perizinan") == ["izin"]
    assert text.query_terms("mengurus izin", groups) == ["izin"]
    assert text.query_terms("praktek dokter", groups) == ["praktik", "dokter"]
    assert text.query_terms("%%% !!!", groups) == []


def test_search_finds_practice_permit_by_everyday_words(demo):
    services = PublicService.objects.all()
    for query in ("praktek dokter", "izin praktik dokter", "SIP dokter", "perizinan dokter"):
        found = [s.slug for s in find(services, query)]
        assert found[0] == "sip-dokter", query
        assert "ktp-el" not in found
    assert find(services, "KTP")[0].slug.startswith("ktp-el")
    # A typo still finds the service.
    assert "sip-dokter" in [s.slug for s in find(services, "praktk dokter")]
    assert find(services, "") == []
    assert find(services, "?" * 2000) == []
    assert find(services, "kapal selam nuklir") == []


def test_editing_synonyms_reindexes_the_catalogue(demo):
    services = PublicService.objects.all()
    assert find(services, "bayi lahir") != []  # Sastrawi: kelahiran → lahir
    assert find(services, "newborn") == []
    SearchSynonym.objects.create(words="lahir, newborn")
    assert "akta-kelahiran" in [s.slug for s in find(services, "newborn")]
    SearchSynonym.objects.filter(words="lahir, newborn").delete()
    assert find(services, "newborn") == []

"""The demo catalogue loads idempotently with unknown facts kept unknown (its search:
test_search.py)."""

from __future__ import annotations

from satupintu.catalogue.demo import APPS, SERVICES, load_demo
from satupintu.catalogue.models import Application, PublicService
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


def test_app_page_says_unknown_for_an_empty_fact(client, demo):
    sip = Application.objects.get(slug="sip")
    assert sip.technical_contact == ""
    facts = dict(client.get(sip.get_absolute_url()).context["facts"])
    assert facts["Kontak teknis"] == "Tidak diketahui"


def test_service_fees_and_lists(demo):
    ktp = PublicService.objects.get(slug="ktp-el")
    assert ktp.fee == 0
    assert ktp.requirement_list()[0] == "Fotokopi Kartu Keluarga"
    assert len(ktp.procedure_list()) == 4
    assert PublicService.objects.get(slug="pbg").fee == 1250000
    born = PublicService.objects.filter(PublicService.life_event_filter("kelahiran"))
    assert set(born.values_list("slug", flat=True)) == {"akta-kelahiran", "kartu-identitas-anak"}

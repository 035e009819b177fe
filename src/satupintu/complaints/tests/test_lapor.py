"""The SP4N-LAPOR! adapter against a real local HTTP server speaking the contract of
docs/lapor.md: forwarding, the staff action, the status sync, and failures without half-state."""

from __future__ import annotations

import pytest
from django.test import Client

from .. import lapor, services
from ..lapor import HttpLaporClient, LaporError
from ..models import Report, ReportUpdate
from .lapor_server import FakeLapor
from .machine_support import LENGKITI, locmem_cache, make_categories, make_organisations, make_user


@pytest.fixture
def fake():
    server = FakeLapor().start()
    yield server
    server.stop()


@pytest.fixture
def world(db, settings, fake):
    locmem_cache(settings, "complaints-lapor")
    settings.LAPOR_URL = fake.url
    settings.LAPOR_TOKEN = FakeLapor.TOKEN
    settings.LAPOR_TIMEOUT = 2
    organisations = make_organisations()
    categories = make_categories(organisations)
    report = services.submit_report(
        category=categories["jalan-rusak"],
        title="Jalan amblas di Segara Kembang",
        description="Badan jalan amblas separuh lajur, warga 0812-1111-2222 sudah memasang tanda.",
        channel=Report.Channel.WEB,
        latitude=LENGKITI[0],
        longitude=LENGKITI[1],
        contact={"name": "Yanti", "phone": "081211112222", "email": "yanti@example.id"},
        attributes={"tingkat": "berat"},
    )
    return {
        "organisations": organisations,
        "report": report,
        "pupr": make_user("pupr-op", organisations["dinas-pupr"], "operator"),
        "dinkes": make_user("dinkes-op", organisations["dinkes"], "operator"),
    }


def lapor_updates(report) -> list[ReportUpdate]:
    return list(ReportUpdate.objects.filter(report=report, kind=ReportUpdate.Kind.LAPOR))


def test_forward_sends_the_public_text_and_records_the_lapor_id(world, fake):
    report = lapor.forward(world["report"], actor=world["pupr"])
    assert report.lapor_id == "LPR-2026-000001" and report.lapor_status == "diterima"
    sent = fake.received[0]
    assert sent["external_id"] == report.reference
    assert sent["agency"]["code"] == "dinas-pupr"
    assert sent["location"]["latitude"] == pytest.approx(-4.1378)
    flat = str(sent)
    for personal in ("0812-1111-2222", "081211112222", "Yanti", "yanti@example.id"):
        assert personal not in flat
    [update] = lapor_updates(report)
    assert update.author == world["pupr"] and "LPR-2026-000001" in update.message
    with pytest.raises(LaporError):
        lapor.forward(Report.objects.get(pk=report.pk), actor=world["pupr"])  # already sent


@pytest.mark.parametrize("failure", ["status_500", "status_401", "garbage", "refused"])
def test_failed_forward_leaves_no_trace(world, fake, settings, failure):
    if failure == "status_500":
        fake.fail_status = 500
    elif failure == "status_401":
        settings.LAPOR_TOKEN = "token-salah"
    elif failure == "garbage":
        fake.garbage = True
    else:
        fake.stop()
    with pytest.raises(LaporError):
        lapor.forward(world["report"], actor=world["pupr"])
    report = Report.objects.get(pk=world["report"].pk)
    assert report.lapor_id == "" and report.lapor_status == ""
    assert lapor_updates(report) == []


def test_timeout_changes_nothing_and_a_retry_gets_the_same_id(world, fake):
    fake.delay = 1.5
    slow = HttpLaporClient(fake.url, FakeLapor.TOKEN, timeout=0.3)
    with pytest.raises(LaporError, match="tidak menjawab"):
        lapor.forward(world["report"], actor=world["pupr"], lapor=slow)
    report = Report.objects.get(pk=world["report"].pk)
    assert report.lapor_id == "" and lapor_updates(report) == []
    # LAPOR! did accept it; the retry carries the same Idempotency-Key and gets the same id.
    fake.delay = 0
    report = lapor.forward(report, actor=world["pupr"])
    assert report.lapor_id == "LPR-2026-000001"
    assert len(fake.received) == 1


def test_sync_records_status_changes_once(world, fake):
    report = lapor.forward(world["report"], actor=world["pupr"])
    assert lapor.sync_all() == {"checked": 1, "changed": 0, "failed": 0}
    fake.set_status(report.lapor_id, "ditindaklanjuti", "Diteruskan ke Kementerian PUPR.")
    assert lapor.sync_all() == {"checked": 1, "changed": 1, "failed": 0}
    assert lapor.sync_all()["changed"] == 0
    report.refresh_from_db()
    assert report.lapor_status == "ditindaklanjuti" and report.lapor_synced_at is not None
    assert "Ditindaklanjuti instansi" in lapor_updates(report)[-1].message
    fake.set_status(report.lapor_id, "selesai")
    lapor.sync_all()
    assert lapor.sync_all()["checked"] == 0  # final statuses are not polled any more


def test_sync_failure_of_one_report_does_not_stop_the_pass(world, fake):
    report = lapor.forward(world["report"], actor=world["pupr"])
    fake.statuses.clear()  # LAPOR! answers 404 for it
    assert lapor.sync_all() == {"checked": 1, "changed": 0, "failed": 1}
    report.refresh_from_db()
    assert report.lapor_status == "diterima" and len(lapor_updates(report)) == 1


def test_sync_task_is_periodic(world):
    from satupintu.core.taskqueue import periodic_tasks

    from ..tasks import sync_lapor_statuses

    assert sync_lapor_statuses.module_path in periodic_tasks()


def test_staff_action_forwards_for_the_handling_opd_only(world, fake):
    report = world["report"]
    url = f"/kelola/pengaduan/{report.reference}/lapor/"
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and "/akun/" in anonymous["Location"]
    other = Client()
    other.force_login(world["dinkes"])
    assert other.post(url).status_code == 404
    handler = Client()
    handler.force_login(world["pupr"])
    assert handler.get(url).status_code == 405
    assert Report.objects.get(pk=report.pk).lapor_id == ""
    response = handler.post(url)
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).lapor_id == "LPR-2026-000001"


def test_staff_action_without_configuration_says_so(world, settings):
    settings.LAPOR_URL = ""
    handler = Client()
    handler.force_login(world["pupr"])
    response = handler.post(f"/kelola/pengaduan/{world['report'].reference}/lapor/", follow=False)
    assert response.status_code == 302
    assert Report.objects.get(pk=world["report"].pk).lapor_id == ""

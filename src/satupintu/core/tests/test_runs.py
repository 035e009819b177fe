"""Run: progress arithmetic, counters and log under concurrent writers, the scoped list/detail
pages and the htmx progress partial, and the key-rotation task that reports on a Run."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse

from satupintu.accounts.models import User
from satupintu.accounts.tests.factories import SITI_NIK, Regency
from satupintu.core import crypto
from satupintu.core.models import Run
from satupintu.core.models.runs import LOG_LIMIT, LOG_TRUNCATED
from satupintu.core.tasks import ROTATION_KIND, start_key_rotation

pytestmark = pytest.mark.django_db


def make_run(**fields) -> Run:
    fields.setdefault("kind", "data.sync")
    fields.setdefault("title", "Sinkronisasi data jumlah penduduk per desa")
    return Run.objects.create(**fields)


# --- progress arithmetic -------------------------------------------------------------------------
def test_percent_follows_processed_over_total():
    run = make_run()
    assert run.percent is None  # size unknown: the bar is indeterminate, not "0 %"
    run.start(total=200)
    assert (run.status, run.percent) == (Run.Status.RUNNING, 0)
    run.advance(50)
    assert run.percent == 25
    run.advance(149)
    assert run.percent == 99  # rounds down: 100 % only when it is really done
    run.advance(10)
    assert run.percent == 100  # more rows than announced never shows 105 %
    run.finish()
    assert run.is_finished and run.percent == 100


def test_percent_with_zero_total_and_after_success():
    run = make_run(total=0)
    assert run.percent is None
    run.finish()
    assert run.percent == 100


def test_start_without_total_keeps_a_total_set_before():
    run = make_run()
    run.set_total(1200)
    run.start()
    assert run.total == 1200 and run.started_at is not None


def test_counts_and_log_accumulate():
    run = make_run()
    run.count(dibuat=3)
    run.count(dibuat=2, dilewati=1)
    run.log("Membaca berkas penduduk-2026.csv")
    run.log("Baris 14: kode desa 16.01.28.2099 tidak dikenal  \n")
    run.refresh_from_db()
    assert run.counts == {"dibuat": 5, "dilewati": 1}
    lines = run.log_text.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("] Membaca berkas penduduk-2026.csv")
    assert run.last_log_line.endswith("tidak dikenal")


def test_log_keeps_its_most_recent_part():
    run = make_run()
    run.log("baris pertama")
    for number in range(LOG_LIMIT // 1000 + 5):
        run.log(f"baris {number:05d} " + "x" * 1000)
    run.refresh_from_db()
    assert len(run.log_text) <= LOG_LIMIT
    assert run.log_text.startswith(LOG_TRUNCATED)
    assert "baris pertama" not in run.log_text
    assert run.last_log_line.split("] ", 1)[1].startswith(f"baris {LOG_LIMIT // 1000 + 4:05d}")


def test_stale_copies_never_lose_each_others_updates():
    """Two workers holding their own copy of the same run (the normal case: each loaded it
    when it started) both report; nothing either wrote is lost."""
    first = make_run()
    second = Run.objects.get(pk=first.pk)
    first.advance(3)
    second.advance(4)
    first.count(sukses=1)
    second.count(gagal=2)
    first.log("pekerja A")
    second.log("pekerja B")
    run = Run.objects.get(pk=first.pk)
    assert run.processed == 7
    assert run.counts == {"sukses": 1, "gagal": 2}
    assert "pekerja A" in run.log_text and "pekerja B" in run.log_text


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_reporting_on_one_run():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one cache between threads; runs on real servers")
    run = make_run()
    errors: list[BaseException] = []

    def report(worker: int) -> None:
        try:
            mine = Run.objects.get(pk=run.pk)
            for step in range(10):
                mine.advance()
                mine.count(baris=1)
                mine.log(f"pekerja {worker} langkah {step}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    run.refresh_from_db()
    assert run.processed == 40
    assert run.counts == {"baris": 40}
    assert len(run.log_text.splitlines()) == 40


def test_tracking_records_success_and_failure():
    run = make_run()
    with run.tracking(total=2):
        run.advance(2)
    assert run.status == Run.Status.SUCCEEDED and run.finished_at is not None

    failing = make_run()
    with pytest.raises(ConnectionError), failing.tracking():
        raise ConnectionError("Server SIMPEG tidak menjawab")
    failing.refresh_from_db()
    assert failing.status == Run.Status.FAILED
    assert failing.error == "ConnectionError: Server SIMPEG tidak menjawab"


def test_cancel_only_unfinished_runs():
    run = make_run()
    run.cancel()
    assert run.status == Run.Status.CANCELLED
    done = make_run()
    done.finish()
    done.cancel()
    assert done.status == Run.Status.SUCCEEDED


# --- scoping and pages ---------------------------------------------------------------------------
@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def runs(regency: Regency) -> dict[str, Run]:
    return {
        "pupr": make_run(organisation=regency.pupr, title="Impor data jalan kabupaten 2026"),
        "dinkes": make_run(organisation=regency.dinkes, title="Sinkronisasi data puskesmas"),
        "platform": make_run(kind=ROTATION_KIND, title="Rotasi kunci enkripsi data pribadi"),
    }


def visible(user) -> set[str]:
    return set(Run.objects.for_user(user).values_list("title", flat=True))


def test_for_user_scopes_runs(regency, runs):
    assert visible(regency.budi) == {"Impor data jalan kabupaten 2026"}
    assert visible(regency.dina) == {"Sinkronisasi data puskesmas"}
    # Regency-wide readers see every OPD's runs, but not the platform's own jobs.
    assert visible(regency.rina) == {
        "Impor data jalan kabupaten 2026",
        "Sinkronisasi data puskesmas",
    }
    assert visible(regency.admin) == {r.title for r in runs.values()}
    assert visible(regency.siti) == set()
    assert visible(None) == set()


def test_list_page_is_scoped(client, regency, runs):
    client.force_login(regency.budi)
    response = client.get(reverse("core:run_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Impor data jalan kabupaten 2026" in body
    assert "Sinkronisasi data puskesmas" not in body
    assert "Rotasi kunci" not in body

    client.force_login(regency.admin)
    body = client.get(reverse("core:run_list"), {"status": "queued", "q": "rotasi"}).content
    assert b"Rotasi kunci enkripsi data pribadi" in body
    assert b"Impor data jalan" not in body


def test_list_export_is_scoped(client, regency, runs):
    client.force_login(regency.dina)
    response = client.get(reverse("core:run_list"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    assert b"Sinkronisasi data puskesmas" in text
    assert b"Impor data jalan" not in text


@pytest.mark.parametrize("name", ["core:run_list", "core:run_detail", "core:run_progress"])
def test_anonymous_users_are_sent_to_login(client, runs, name):
    args = [] if name == "core:run_list" else [runs["pupr"].pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_citizens_are_refused(client, regency, runs):
    client.force_login(regency.siti)
    assert client.get(reverse("core:run_list")).status_code == 403
    assert client.get(reverse("core:run_detail", args=[runs["pupr"].pk])).status_code == 403


@pytest.mark.parametrize("name", ["core:run_detail", "core:run_progress"])
def test_another_opds_operator_cannot_open_a_run(client, regency, runs, name):
    client.force_login(regency.dina)  # Dinas Kesehatan
    assert client.get(reverse(name, args=[runs["pupr"].pk])).status_code == 404
    client.force_login(regency.rina)  # walidata: not the platform's own jobs
    assert client.get(reverse(name, args=[runs["platform"].pk])).status_code == 404
    client.force_login(regency.budi)
    assert client.get(reverse(name, args=[runs["pupr"].pk])).status_code == 200


def test_detail_page_shows_progress_counts_and_log(client, regency, runs):
    run = runs["pupr"]
    run.start(total=40)
    run.advance(10)
    run.count(diperbarui=10)
    run.log("Ruas jalan Baturaja–Muaradua diperbarui")
    client.force_login(regency.budi)
    body = client.get(run.get_absolute_url()).content.decode()
    assert '<progress max="100" value="25"' in body
    assert f'hx-get="{run.get_progress_url()}"' in body
    assert "diperbarui" in body and "Ruas jalan Baturaja–Muaradua diperbarui" in body
    assert 'style="' not in body  # the CSP forbids inline styles


def test_progress_partial_polls_while_running_and_stops_when_finished(client, regency, runs):
    run = runs["pupr"]
    client.force_login(regency.budi)

    queued = client.get(run.get_progress_url())
    assert queued["Cache-Control"] == "no-store"
    html = queued.content.decode()
    assert "hx-trigger=" in html
    assert '<progress max="100" aria-labelledby' in html  # size unknown: indeterminate
    assert "Muat ulang" in html  # without JavaScript: reload by hand
    assert "<html" not in html  # a fragment, not a page

    run.start(total=4)
    run.advance(3)
    assert 'value="75"' in client.get(run.get_progress_url()).content.decode()

    run.advance(1)
    run.finish()
    html = client.get(run.get_progress_url()).content.decode()
    assert "hx-trigger" not in html and "hx-get" not in html
    assert 'value="100"' in html
    assert run.get_absolute_url() in html  # "Lihat hasil lengkap dan log"


def test_failed_run_shows_its_error(client, regency, runs):
    run = runs["dinkes"]
    run.start()
    run.fail("Berkas puskesmas.xlsx tidak dapat dibaca: lembar 'Data' tidak ada")
    client.force_login(regency.dina)
    body = client.get(run.get_absolute_url()).content.decode()
    assert "progress--failed" in body
    assert "lembar &#x27;Data&#x27; tidak ada" in body


# --- the key-rotation task -----------------------------------------------------------------------
OLD_KEY = "ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1rZXktMDAwMDA="


def test_key_rotation_task_reencrypts_and_reports_on_its_run(regency):
    new_key = crypto.generate_key()
    old_token = User.objects.filter(pk=regency.siti.pk).values_list("nik", flat=True)
    with override_settings(PERSONAL_DATA_KEYS=[new_key, OLD_KEY]):
        run = start_key_rotation(regency.admin, batch_size=3)

    run.refresh_from_db()
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.task_id
    assert run.organisation is None  # platform-wide: only platform admins see it
    assert run.total == run.processed == User.objects.count() + _other_encrypted_rows()
    assert run.counts["dienkripsi_ulang"] >= 2  # Siti's NIK and phone, Budi's NIP
    assert "Selesai:" in run.log_text
    # Only the new key is needed from now on.
    with override_settings(PERSONAL_DATA_KEYS=[new_key]):
        assert User.objects.get(pk=regency.siti.pk).nik == SITI_NIK
        assert User.objects.find_by_nik(SITI_NIK).pk == regency.siti.pk
    assert old_token is not None


def _other_encrypted_rows() -> int:
    return sum(
        model._base_manager.count()
        for model, _fields in crypto.encrypted_columns()
        if model is not User
    )


def test_key_rotation_stops_on_an_undecryptable_value(regency):
    with override_settings(PERSONAL_DATA_KEYS=[crypto.generate_key()]):
        run = start_key_rotation(regency.admin)
    run.refresh_from_db()
    assert run.status == Run.Status.FAILED
    assert "DecryptionError" in run.error
    # Nothing changed: the original key still reads everything.
    assert User.objects.get(pk=regency.siti.pk).nik == SITI_NIK

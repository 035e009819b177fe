"""Tracking numbers (complaints/references.py) under concurrent submissions, on the real servers:
every submission gets its own number, and on PostgreSQL a submission does not wait for another
one's commit (the month's counter row used to make every Open311 create queue behind the one
before it)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from satupintu.complaints.models import ReferenceCounter, Report
from satupintu.complaints.references import next_reference
from satupintu.complaints.tests.machine_support import (
    make_categories,
    make_organisations,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Months in 2032: no other test numbers reports in them.
MONTHS = {
    "concurrent": 1,
    "open transaction": 2,
    "race": 3,
    "counted before": 4,
    "loaded from a dump": 5,
}


def month(name: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2032, MONTHS[name], 15, 12))


@pytest.fixture(autouse=True)
def drop_month_sequences():
    """A sequence outlives the flush that ends a transactional test: drop this file's."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for number in MONTHS.values():
                cursor.execute(f"DROP SEQUENCE IF EXISTS complaints_reference_32{number:02d}")


def needs_postgresql(vendor: str) -> None:
    if vendor != "postgresql":
        pytest.skip("sequences per month are PostgreSQL's way (the counter row elsewhere)")


def in_thread(work) -> tuple[threading.Thread, dict]:
    """Run `work` on its own thread, so on its own database connection."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the test, which fails on it
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_concurrent_submissions_each_get_their_own_number(database_vendor):
    if database_vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time")
    start = threading.Barrier(6)

    def submit_five() -> list[str]:
        start.wait(timeout=10)  # all at once, so several create the month's first number
        numbers = []
        for _ in range(5):
            with transaction.atomic():
                numbers.append(next_reference(month("concurrent")))
        return numbers

    runs = [in_thread(submit_five) for _ in range(6)]
    references = []
    for thread, outcome in runs:
        thread.join(timeout=60)
        assert "error" not in outcome, outcome.get("error")
        references += outcome["value"]
    # Nothing rolled back, so no gaps either.
    assert sorted(references) == [f"ADU-3201-{n:05d}" for n in range(1, 31)]


def test_postgresql_numbers_while_another_submission_is_uncommitted(database_vendor):
    needs_postgresql(database_vendor)
    assert next_reference(month("open transaction")) == "ADU-3202-00001"
    with transaction.atomic():
        assert next_reference(month("open transaction")) == "ADU-3202-00002"
        thread, outcome = in_thread(lambda: next_reference(month("open transaction")))
        thread.join(timeout=15)
        assert not thread.is_alive(), "a submission waited for another one's commit"
    assert outcome == {"value": "ADU-3202-00003"}


def test_postgresql_two_first_submissions_of_a_month_race_to_create_its_sequence(
    database_vendor,
):
    needs_postgresql(database_vendor)
    with transaction.atomic():
        assert next_reference(month("race")) == "ADU-3203-00001"  # created, not committed
        thread, outcome = in_thread(lambda: next_reference(month("race")))
        # The other submission tries to create the sequence too, and waits for this one.
        deadline = time.monotonic() + 15
        while not _waiting_to_create_a_sequence():
            assert time.monotonic() < deadline, "the other submission never tried to create it"
            time.sleep(0.02)
    thread.join(timeout=15)
    # It lost the race without an error and took the next number of the winner's sequence.
    assert outcome == {"value": "ADU-3203-00002"}


def _waiting_to_create_a_sequence() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh activity inside a transaction
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE 'CREATE SEQUENCE complaints_reference_%%'"
        )
        return cursor.fetchone()[0] > 0


def test_a_month_numbered_by_the_counter_row_goes_on_after_it():
    # A PostgreSQL database upgraded mid-month starts the month's sequence after the counter.
    ReferenceCounter.objects.create(period="3204", last=41)
    assert next_reference(month("counted before")) == "ADU-3204-00042"
    assert next_reference(month("counted before")) == "ADU-3204-00043"


def test_postgresql_starts_a_month_after_the_numbers_its_reports_carry(database_vendor):
    # Reports loaded from a dump (manage.py loaddata) come without the month's sequence.
    needs_postgresql(database_vendor)
    organisations = make_organisations()
    category = make_categories(organisations)["lampu-jalan"]
    for number in (7, 100_123, 99_999):
        report = submit(category, "Lampu jalan padam di simpang Lengkiti sejak tiga malam.")
        Report.objects.filter(pk=report.pk).update(reference=f"ADU-3205-{number:05d}")
    assert next_reference(month("loaded from a dump")) == "ADU-3205-100124"

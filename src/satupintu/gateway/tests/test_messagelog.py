"""The hash-chained message log: batches, checkpoints, tampering detection, archiving."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from satupintu.gateway.dataplane.logsink import LogSink
from satupintu.gateway.messagelog import (
    EPOCH,
    LogEntry,
    _at_value,
    canonical_values,
    verify,
    write_batch,
)
from satupintu.gateway.models import (
    GENESIS_HASH,
    ArchiveSegment,
    Checkpoint,
    LatencyHistogram,
    LogHead,
    MessageRecord,
    TrafficCounter,
)

pytestmark = pytest.mark.django_db

SERVICE = "OKU/GOV/DISDUKCAPIL/SIAK/penduduk"
CLIENT = "OKU/GOV/DINKES/SIMPUS"


def entry(status: int = 200, at: float | None = None, **extra) -> LogEntry:
    return LogEntry(
        message_id=str(uuid.uuid4()),
        at=at or time.time(),
        client=CLIENT,
        service=SERVICE,
        client_org=None,
        provider_org=None,
        method="GET",
        path="/penduduk/1601234567890001",
        status=status,
        request_sha256="e3b0" * 16,
        response_sha256="ab" * 32,
        duration_us=12_500,
        **extra,
    )


def write(n: int, **kwargs) -> None:
    write_batch([entry(**kwargs) for _ in range(n)])


def problems() -> list[str]:
    return verify().problems


def test_batches_chain_and_checkpoint():
    write(3)
    write(2, status=403)
    records = list(MessageRecord.objects.order_by("seq"))
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.record_hash for a, b in itertools.pairwise(records))
    assert list(Checkpoint.objects.order_by("seq").values_list("seq", flat=True)) == [3, 5]
    head = LogHead.objects.get()
    assert (head.seq, head.record_hash) == (5, records[-1].record_hash)
    report = verify()
    assert report.ok, report.problems
    assert (report.records, report.checkpoints) == (5, 2)


def test_the_writers_time_value_is_what_django_would_store():
    """write_batch turns `at` (whole microseconds) into the stored value without a datetime
    round trip on SQLite; the stored text (and so what verify reads back and hashes) must be
    Django's own, at whole seconds, across a second's boundary and back again."""
    at_value = _at_value()
    for micros in (
        0,
        1_764_400_000_000_000,
        1_764_400_000_500_000,
        1_764_400_000_000_001,
        1_764_400_000_999_999,
        1_764_400_001_000_000,
        1_764_400_000_000_002,
        4_102_444_799_999_000,
    ):
        at = EPOCH + dt.timedelta(microseconds=micros)
        assert at_value(micros) == connection.ops.adapt_datetimefield_value(at)
    write(1, at=1_764_400_000.0)
    assert MessageRecord.objects.get().at == dt.datetime(2025, 11, 29, 7, 6, 40, tzinfo=dt.UTC)
    assert not problems()


def test_counters_add_up_across_batches():
    write(3)
    write(1, status=504)
    counts = dict(TrafficCounter.objects.values_list("status", "requests"))
    assert counts == {200: 3, 504: 1}
    histogram = LatencyHistogram.objects.get(service=SERVICE)
    assert histogram.count == 4
    assert histogram.buckets[2] == 4  # 12.5 ms falls in the 25 ms bucket


def test_log_switched_off_still_counts_but_keeps_no_records():
    write_batch([entry(), entry()], keep_records=False)
    assert MessageRecord.objects.count() == 0
    assert TrafficCounter.objects.get().requests == 2


def test_editing_a_row_is_detected():
    write(4)
    MessageRecord.objects.filter(seq=2).update(status=403)
    assert any("#2 diubah" in p for p in problems())


def test_editing_a_row_and_its_hash_is_detected_by_the_next_link():
    write(4)
    record = MessageRecord.objects.get(seq=2)
    record.client = "OKU/GOV/DINSOS/SIKS"
    from satupintu.gateway.messagelog import record_hash

    MessageRecord.objects.filter(seq=2).update(
        client=record.client, record_hash=record_hash(record)
    )
    found = problems()
    assert any("#3 tidak tersambung" in p for p in found)


def test_deleting_a_row_is_detected():
    write(4)
    MessageRecord.objects.filter(seq=3).delete()
    assert any("#3–#3 hilang" in p for p in problems())


def test_deleting_the_newest_rows_is_detected_by_the_checkpoint():
    write(4)
    MessageRecord.objects.filter(seq__gte=3).delete()
    LogHead.objects.update(seq=2, record_hash=MessageRecord.objects.get(seq=2).record_hash)
    assert any("Titik periksa #4" in p for p in problems())


def test_reordering_rows_is_detected():
    write(3)
    first, second = MessageRecord.objects.get(seq=1), MessageRecord.objects.get(seq=2)
    # By message id: seq is the primary key, so the rows are swapped by another column.
    MessageRecord.objects.filter(message_id=first.message_id).update(seq=-1)
    MessageRecord.objects.filter(message_id=second.message_id).update(seq=1)
    MessageRecord.objects.filter(message_id=first.message_id).update(seq=2)
    assert MessageRecord.objects.get(seq=1).message_id == second.message_id
    assert MessageRecord.objects.get(seq=2).message_id == first.message_id
    assert problems()


def test_forged_checkpoint_is_detected():
    write(2)
    Checkpoint.objects.update(record_hash="f" * 64)
    assert any("tanda tangan tidak sah" in p for p in problems())


def test_verify_command_exit_status():
    write(2)
    call_command("verify_messagelog")
    MessageRecord.objects.filter(seq=1).update(path="/penduduk/lain")
    with pytest.raises(CommandError, match="TIDAK UTUH"):
        call_command("verify_messagelog")


def test_archive_moves_old_records_into_a_file_and_the_chain_still_verifies(settings, tmp_path):
    settings.GATEWAY = {**settings.GATEWAY, "archive_dir": str(tmp_path)}
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=100)).timestamp()
    write(3, at=old)
    write(2, at=old)
    write(2)
    call_command("archive_messagelog", older_than_days=90)
    segment = ArchiveSegment.objects.get()
    assert (segment.first_seq, segment.last_seq, segment.record_count) == (1, 5, 5)
    assert list(MessageRecord.objects.values_list("seq", flat=True).order_by("seq")) == [6, 7]
    assert (tmp_path / segment.file_name).exists()
    report = verify(archives=True)
    assert report.ok, report.problems
    assert (report.records, report.archived_records) == (2, 5)
    # Tampering with the archive file is caught too.
    (tmp_path / segment.file_name).write_bytes(b"rusak")
    assert any("berkas diubah" in p for p in verify(archives=True).problems)


# After a failed write the sink closes the connection (the next write reconnects); inside a test
# transaction that would end the test's connection on PostgreSQL and MariaDB, so real commits.
@pytest.mark.django_db(transaction=True)
def test_log_sink_keeps_entries_when_the_database_fails_and_refuses_when_full():
    calls = []

    def flaky(batch, keep_records=True):
        calls.append(len(batch))
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return write_batch(batch, keep_records=keep_records)

    sink = LogSink(writer=flaky, max_pending=3)
    for _ in range(3):
        sink.add(entry())
    assert sink.overloaded
    assert sink.flush() == 0 and sink.pending == 3  # first write failed: nothing lost
    assert sink.flush() == 3 and sink.pending == 0
    assert MessageRecord.objects.count() == 3
    assert verify().ok


def test_record_table_keys_by_seq_and_indexes_only_what_queries_use():
    """Each index costs the writer a B-tree insert per record: the chain's sequence number is
    the primary key (no separate id), and only the searched columns are indexed (see
    MessageRecord)."""
    table = MessageRecord._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    primary = [c["columns"] for c in constraints.values() if c["primary_key"]]
    indexed = sorted(
        c["columns"] for c in constraints.values() if c["index"] and not c["primary_key"]
    )
    assert primary == [["seq"]]
    assert indexed == [
        ["at"],
        ["client_organisation_id"],
        ["message_id"],
        ["provider_organisation_id"],
    ]
    assert "id" not in {f.column for f in MessageRecord._meta.concrete_fields}
    if connection.vendor == "sqlite":  # the key is the rowid: declared INTEGER, not BIGINT
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA table_info({table})")
            assert {row[1]: row[2] for row in cursor.fetchall()}["seq"].lower() == "integer"


def test_canonical_form_is_the_standard_json_encoders_byte_for_byte():
    """Records are chained over the bytes of json.dumps(values, ensure_ascii=False, compact), the
    log's format from its first record; canonical_values() gets them from orjson, falling back
    to the standard encoder for what orjson refuses. Any difference would flag an untouched log
    (older records included) as tampered, so they are compared on awkward values: quotes,
    backslashes, every control character, non-ASCII and astral characters, None, and integers
    at and beyond 64 bits."""
    strings = [
        "",
        "OKU/GOV/DINKES/SIMPUS",
        'a"b\\c',
        "".join(map(chr, range(0x20))) + "\x7f",
        "Désa ñ 日本 🙂 \u2028\u2029 \ufffd",
    ]
    numbers = [0, 1, 2**63 - 1, -(2**63), 2**64 - 1, -5, 2**70]
    for n, (text, number) in enumerate(itertools.product(strings, numbers)):
        values = (
            n + 1,
            text,
            number,
            text + "/c",
            "s/" + text,
            None if n % 2 else number,
            number if n % 3 else None,
            text[:10],
            "/" + text,
            200 + n,
            text,
            number,
            n,
            number,
            text,
            "ab" * 32,
            text or GENESIS_HASH,
        )
        standard = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        assert canonical_values(values) == standard, values

"""Writing, verifying and archiving the hash-chained message log (ADR 0008).

Each record's hash is SHA-256 over the previous record's hash and a canonical serialisation of
every column (bodies by their SHA-256). Each batch ends with a checkpoint: an Ed25519 signature
over (sequence number, record hash, time). Changing a row breaks its hash; deleting or reordering
rows breaks the sequence or the links; cutting rows from the end contradicts the last signed
checkpoint. `manage.py verify_messagelog` runs `verify()`.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
import operator
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from satupintu.core import crypto

from .models import (
    GENESIS_HASH,
    LATENCY_BUCKETS,
    ArchiveSegment,
    Checkpoint,
    LatencyHistogram,
    LogHead,
    MessageRecord,
    TrafficCounter,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
ARCHIVE_FORMAT = "satupintu-messagelog-archive-v1"


# The SHA-256 of no body: what a call without a request or response body records.
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(slots=True)
class LogEntry:
    """What the data plane hands to the writer for one exchange."""

    message_id: str
    at: float  # unix time
    client: str
    service: str
    client_org: int | None
    provider_org: int | None
    method: str
    path: str
    status: int
    error_type: str = ""
    request_bytes: int = 0
    response_bytes: int = 0
    duration_us: int = 0
    request_sha256: str = EMPTY_SHA256
    response_sha256: str = EMPTY_SHA256
    request_body: bytes | None = None
    response_body: bytes | None = None


# An entry as a row of plain values in ENTRY_FIELDS order: what crosses the pipe to the writer
# process (dataplane/logwriter.py) and what the writer works on (write_rows), unpacked in one
# step where a LogEntry would be rebuilt and read field by field. One C call per entry; the
# data plane's `Call` adds fields the writer does not need.
ENTRY_FIELDS = tuple(f.name for f in fields(LogEntry))
entry_row = operator.attrgetter(*ENTRY_FIELDS)


# --- the chain -----------------------------------------------------------------------------------


_MICROSECOND = dt.timedelta(microseconds=1)


def _micros(value: dt.datetime) -> int:
    return (value - EPOCH) // _MICROSECOND


def _from_micros(micros: int) -> dt.datetime:
    """The aware UTC datetime `micros` microseconds after the epoch (_micros' inverse)."""
    return EPOCH + dt.timedelta(microseconds=micros)


# Columns in chain order; the hash covers all of them but the encrypted bodies and itself.
CHAINED = (
    "seq",
    "message_id",
    "at",
    "client",
    "service",
    "client_organisation_id",
    "provider_organisation_id",
    "method",
    "path",
    "status",
    "error_type",
    "request_bytes",
    "response_bytes",
    "duration_us",
    "request_sha256",
    "response_sha256",
    "prev_hash",
)
COLUMNS = (*CHAINED, "request_body", "response_body", "record_hash")


# The canonical form is what Python's `json.dumps(values, ensure_ascii=False, separators=(",",
# ":"))` writes, UTF-8 encoded: the log's format since it began (ADR 0008). orjson writes the
# same bytes for the chained values (str, int, None) in an eighth of the instructions (3k against
# 26k a record for the writer's hand-built f-string before it), and the writer runs this once per
# logged exchange. The standard encoder remains for what orjson refuses (integers beyond 64 bits),
# so no value changes the format. A test compares the two on awkward values.
_STANDARD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def canonical_values(values: tuple) -> bytes:
    """`values` in CHAINED order, with `at` as integer microseconds since the epoch."""
    try:
        return orjson.dumps(values)
    except orjson.JSONEncodeError:
        return _STANDARD_JSON.encode(values).encode()


def canonical(record: MessageRecord) -> bytes:
    values = tuple(
        _micros(record.at) if name == "at" else getattr(record, name) for name in CHAINED
    )
    return canonical_values(values)


def record_hash(record: MessageRecord) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


# --- signing -------------------------------------------------------------------------------------


@cache
def _private_key(seed_b64: str) -> Ed25519PrivateKey:
    try:
        seed = base64.b64decode(seed_b64, validate=True)
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SATUPINTU_GATEWAY_LOG_SIGNING_KEY must be 32 base64-encoded bytes "
            "(make one with `manage.py gateway_signing_key`)."
        ) from exc


def signing_key() -> Ed25519PrivateKey:
    seed = settings.GATEWAY["log_signing_key"]
    if not seed:
        raise ImproperlyConfigured("SATUPINTU_GATEWAY_LOG_SIGNING_KEY is not set.")
    return _private_key(seed)


def public_key_b64(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """The current key's public half and every retired public key still listed in
    SATUPINTU_GATEWAY_LOG_VERIFY_KEYS (so checkpoints survive key rotation)."""
    keys = [signing_key().public_key()]
    for encoded in settings.GATEWAY["log_verify_keys"]:
        keys.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded)))
    return {key_id(key): key for key in keys}


def checkpoint_message(seq: int, hash_: str, signed_at: dt.datetime) -> bytes:
    instance = settings.GATEWAY["instance"]
    return f"satupintu-messagelog-v1\n{instance}\n{seq}\n{hash_}\n{_micros(signed_at)}".encode()


def make_checkpoint(seq: int, hash_: str) -> Checkpoint:
    key = signing_key()
    signed_at = timezone.now()
    signature = key.sign(checkpoint_message(seq, hash_, signed_at))
    return Checkpoint(
        seq=seq,
        record_hash=hash_,
        signed_at=signed_at,
        key_id=key_id(key.public_key()),
        signature=base64.b64encode(signature).decode(),
    )


def checkpoint_is_valid(checkpoint: Checkpoint, keys: dict[str, Ed25519PublicKey]) -> bool:
    key = keys.get(checkpoint.key_id)
    if key is None:
        return False
    try:
        key.verify(
            base64.b64decode(checkpoint.signature),
            checkpoint_message(checkpoint.seq, checkpoint.record_hash, checkpoint.signed_at),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


# --- writing -------------------------------------------------------------------------------------


def _encrypt(body: bytes | None) -> str:
    return crypto.fernet().encrypt(body).decode() if body else ""


def _locked_head() -> LogHead:
    head = LogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        LogHead.objects.get_or_create(pk=1)
        head = LogHead.objects.select_for_update().get(pk=1)
    return head


def write_batch(entries: list[LogEntry], *, keep_records: bool = True) -> int:
    """write_rows() for log entries."""
    return write_rows(list(map(entry_row, entries)), keep_records=keep_records)


def write_rows(entries: list[tuple], *, keep_records: bool = True) -> int:
    """Append entries (entry_row() tuples) to the chain (one transaction, one checkpoint) and add
    them to the traffic counters. With keep_records=False (message log switched off) only the
    counters move. Returns the last sequence number written (0 when nothing was)."""
    if not entries:
        return 0
    with transaction.atomic():
        head = _locked_head()
        last = 0
        if keep_records:
            rows, last, prev = _chained_rows(entries, head.seq, head.record_hash)
            _insert_records(rows)
            head.seq, head.record_hash = last, prev
            head.save(update_fields=["seq", "record_hash"])
            make_checkpoint(last, prev).save()
        _count(entries)
    return last


def _chained_rows(entries: list[tuple], seq: int, prev: str) -> tuple[list[tuple], int, str]:
    """The entries (entry_row() tuples) as message-record rows (COLUMNS order), each chained to
    the one before `seq` / `prev`; returns the rows, the last sequence number and the last hash.
    The writer runs this once a logged exchange: one tuple of the chained values, serialised
    whole and sliced once for the row; no datetime."""
    rows = []
    append = rows.append
    at_value = _at_value()
    sha256 = hashlib.sha256
    for (
        message_id,
        at,
        client,
        service,
        client_org,
        provider_org,
        method,
        path,
        status,
        error_type,
        request_bytes,
        response_bytes,
        duration_us,
        request_sha256,
        response_sha256,
        request_body,
        response_body,
    ) in entries:
        seq += 1
        # `at` is chained as whole microseconds; the stored value is made from the same number,
        # so what verify() reads back hashes the same.
        micros = round(at * 1_000_000)
        chained = (
            seq,
            message_id,
            micros,
            client[:300],
            service[:400],
            client_org,
            provider_org,
            method[:10],
            path[:2000],
            status,
            error_type[:80],
            request_bytes,
            response_bytes,
            duration_us,
            request_sha256,
            response_sha256,
            prev,
        )
        record_hash = sha256(canonical_values(chained)).hexdigest()
        append(
            (
                seq,
                message_id,
                at_value(micros),
                *chained[3:],
                _encrypt(request_body),
                _encrypt(response_body),
                record_hash,
            )
        )
        prev = record_hash
    return rows, seq, prev


def _at_value():
    """A function from `at` in microseconds since the epoch to what the database stores. On
    SQLite that is Django's form, a naive datetime in the connection's time zone as text
    ("2026-11-30 03:09:28.123456", no fraction at a whole second), built from a per-second
    prefix: the writer calls it once a record and a datetime round trip took three times as
    long. Elsewhere, an aware datetime through the backend's adapter."""
    if connection.vendor != "sqlite":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda micros: adapt(_from_micros(micros))
    zone = connection.timezone
    second, prefix = None, ""

    def sqlite_text(micros: int) -> str:
        nonlocal second, prefix
        whole, fraction = divmod(micros, 1_000_000)
        if whole != second:
            moment = _from_micros(micros - fraction)
            second, prefix = whole, str(moment.astimezone(zone).replace(tzinfo=None))
        # Six digits with leading zeros, less "1": the format spec ":06d" costs ~2.5k
        # instructions a record, five times this.
        return f"{prefix}.{str(1_000_000 + fraction)[1:]}" if fraction else prefix

    return sqlite_text


def _insert_records(rows: list[tuple]) -> None:
    """Insert message-record rows (COLUMNS order). Not the ORM: bulk_create costs ~0.5 ms a row,
    which the writer thread would take from the request path (same process, same GIL).
    PostgreSQL gets COPY, half the client CPU of executemany a row (12-14 µs against 26-29,
    measured with psycopg 3.3); elsewhere a plain executemany (a multi-row INSERT is no faster on
    SQLite)."""
    quote = connection.ops.quote_name
    table = quote(MessageRecord._meta.db_table)
    columns = ", ".join(quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names)
        cursor.executemany(sql, rows)


# LATENCY_BUCKETS' upper bounds in whole microseconds: a record's bucket is one bisect of its
# duration_us (the writer counts every exchange, logged or not).
_BUCKET_BOUNDS_US = tuple(round(bound * 1_000_000) for bound in LATENCY_BUCKETS)


def _count(entries: Iterable[tuple]) -> None:
    """Add entries (entry_row() tuples) to the counters. Runs under the chain-head lock, so
    read-modify-write is safe across processes."""
    traffic: dict[tuple[str, str, int], list[int]] = {}
    latency: dict[str, list] = {}
    # All seventeen fields unpacked: a starred name would build a list per entry.
    for (
        _,
        _,
        client,
        service,
        _,
        _,
        _,
        _,
        status,
        _,
        sent,
        received,
        duration_us,
        _,
        _,
        _,
        _,
    ) in entries:
        service = service[:400]
        key = (service, client[:300], status)
        row = traffic.get(key)
        if row is None:
            row = traffic[key] = [0, 0, 0]
        row[0] += 1
        row[1] += sent
        row[2] += received
        hist = latency.get(service)
        if hist is None:
            hist = latency[service] = [[0] * (len(LATENCY_BUCKETS) + 1), 0, 0]
        hist[0][bisect_left(_BUCKET_BOUNDS_US, duration_us)] += 1
        hist[1] += 1
        hist[2] += duration_us
    for (service, client, status), (count, sent, received) in traffic.items():
        updated = TrafficCounter.objects.filter(
            service=service, client=client, status=status
        ).update(
            requests=F("requests") + count,
            request_bytes=F("request_bytes") + sent,
            response_bytes=F("response_bytes") + received,
        )
        if not updated:
            TrafficCounter.objects.create(
                service=service,
                client=client,
                status=status,
                requests=count,
                request_bytes=sent,
                response_bytes=received,
            )
    for service, (buckets, count, total_us) in latency.items():
        histogram, _ = LatencyHistogram.objects.get_or_create(service=service)
        histogram.buckets = [a + b for a, b in zip(histogram.buckets, buckets, strict=True)]
        histogram.count += count
        histogram.sum_seconds += total_us / 1_000_000
        histogram.save()


# --- verifying -----------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    records: int = 0
    checkpoints: int = 0
    archived_records: int = 0
    last_seq: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_chain(
    records: Iterable[MessageRecord],
    expected_seq: int,
    expected_prev: str,
    report: VerifyReport,
    where: str,
) -> tuple[int, str, dict[int, str]]:
    """Walk records in seq order; returns the next expected seq, the last hash, and the hash of
    every record seen (for checking checkpoints)."""
    hashes: dict[int, str] = {}
    for record in records:
        if record.seq != expected_seq:
            if record.seq > expected_seq:
                report.problems.append(
                    f"{where}: catatan #{expected_seq}–#{record.seq - 1} hilang (dihapus?)."
                )
            else:
                report.problems.append(f"{where}: catatan #{record.seq} muncul di luar urutan.")
        if record.prev_hash != expected_prev:
            report.problems.append(
                f"{where}: catatan #{record.seq} tidak tersambung ke catatan sebelumnya "
                "(ada catatan yang diubah, dihapus atau ditukar urutannya)."
            )
        actual = record_hash(record)
        if actual != record.record_hash:
            report.problems.append(f"{where}: isi catatan #{record.seq} diubah (hash tidak cocok).")
        hashes[record.seq] = record.record_hash
        expected_seq = record.seq + 1
        expected_prev = record.record_hash
    return expected_seq, expected_prev, hashes


def _check_checkpoints(
    checkpoints: Iterable[Checkpoint],
    hashes: dict[int, str],
    report: VerifyReport,
    keys: dict[str, Ed25519PublicKey],
    last_seq: int,
) -> None:
    for checkpoint in checkpoints:
        report.checkpoints += 1
        if not checkpoint_is_valid(checkpoint, keys):
            report.problems.append(f"Titik periksa #{checkpoint.seq}: tanda tangan tidak sah.")
            continue
        if checkpoint.seq > last_seq:
            report.problems.append(
                f"Titik periksa #{checkpoint.seq} menandatangani catatan yang tidak ada lagi: "
                f"catatan setelah #{last_seq} dihapus."
            )
        elif checkpoint.seq in hashes and hashes[checkpoint.seq] != checkpoint.record_hash:
            report.problems.append(
                f"Titik periksa #{checkpoint.seq}: rantai berbeda dari yang ditandatangani."
            )


def verify(*, archives: bool = False) -> VerifyReport:
    report = VerifyReport()
    keys = verification_keys()
    expected_seq, expected_prev = 1, GENESIS_HASH
    segments = list(ArchiveSegment.objects.order_by("first_seq"))
    if segments:
        for segment in segments:
            if archives:
                expected_seq, expected_prev = _verify_archive(
                    segment, expected_seq, expected_prev, report, keys
                )
            else:
                expected_seq, expected_prev = segment.last_seq + 1, segment.last_hash
            report.archived_records += segment.record_count
    records = MessageRecord.objects.order_by("seq").iterator(chunk_size=2000)
    counted = _counting(records, report)
    expected_seq, last_hash, hashes = _check_chain(
        counted, expected_seq, expected_prev, report, "Basis data"
    )
    report.last_seq = expected_seq - 1
    first_db_seq = segments[-1].last_seq + 1 if segments else 1
    _check_checkpoints(
        Checkpoint.objects.filter(seq__gte=first_db_seq).order_by("seq"),
        hashes,
        report,
        keys,
        report.last_seq,
    )
    head = LogHead.objects.filter(pk=1).first()
    if head and (head.seq, head.record_hash) != (report.last_seq, last_hash):
        report.problems.append(
            f"Ujung rantai mencatat #{head.seq}, tetapi catatan terakhir adalah #{report.last_seq}."
        )
    return report


def _counting(records: Iterator[MessageRecord], report: VerifyReport):
    for record in records:
        report.records += 1
        yield record


# --- archiving -----------------------------------------------------------------------------------


def archive_dir() -> Path:
    return Path(settings.GATEWAY["archive_dir"])


def _record_json(record: MessageRecord) -> dict:
    return {
        "seq": record.seq,
        "message_id": record.message_id,
        "at": _micros(record.at),
        "client": record.client,
        "service": record.service,
        "client_organisation_id": record.client_organisation_id,
        "provider_organisation_id": record.provider_organisation_id,
        "method": record.method,
        "path": record.path,
        "status": record.status,
        "error_type": record.error_type,
        "request_bytes": record.request_bytes,
        "response_bytes": record.response_bytes,
        "duration_us": record.duration_us,
        "request_sha256": record.request_sha256,
        "response_sha256": record.response_sha256,
        "request_body": record.request_body,
        "response_body": record.response_body,
        "prev_hash": record.prev_hash,
        "record_hash": record.record_hash,
    }


def _record_from_json(data: dict) -> MessageRecord:
    data = dict(data)
    data["at"] = _from_micros(data["at"])
    return MessageRecord(**data)


def archive(older_than: dt.datetime) -> ArchiveSegment | None:
    """Move records older than `older_than`, up to the last checkpoint among them, into a gzip
    JSON-lines file under the archive directory. Returns the segment, or None if nothing is due."""
    checkpoint = (
        Checkpoint.objects.filter(
            seq__in=MessageRecord.objects.filter(at__lt=older_than).values("seq")
        )
        .order_by("-seq")
        .first()
    )
    if checkpoint is None:
        return None
    records = list(MessageRecord.objects.filter(seq__lte=checkpoint.seq).order_by("seq"))
    if not records:
        return None
    checkpoints = list(Checkpoint.objects.filter(seq__lte=checkpoint.seq).order_by("seq"))
    first, last = records[0], records[-1]
    directory = archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"messagelog-{first.seq:012d}-{last.seq:012d}.jsonl.gz"
    header = {
        "format": ARCHIVE_FORMAT,
        "first_seq": first.seq,
        "last_seq": last.seq,
        "first_prev_hash": first.prev_hash,
        "last_hash": last.record_hash,
    }
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(header) + "\n")
        for record in records:
            handle.write(json.dumps({"record": _record_json(record)}, ensure_ascii=False) + "\n")
        for item in checkpoints:
            handle.write(
                json.dumps(
                    {
                        "checkpoint": {
                            "seq": item.seq,
                            "record_hash": item.record_hash,
                            "signed_at": _micros(item.signed_at),
                            "key_id": item.key_id,
                            "signature": item.signature,
                        }
                    }
                )
                + "\n"
            )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        segment = ArchiveSegment.objects.create(
            first_seq=first.seq,
            last_seq=last.seq,
            first_prev_hash=first.prev_hash,
            last_hash=last.record_hash,
            record_count=len(records),
            file_name=path.name,
            file_sha256=digest,
        )
        MessageRecord.objects.filter(seq__lte=last.seq).delete()
        Checkpoint.objects.filter(seq__lte=last.seq).delete()
    return segment


def _verify_archive(
    segment: ArchiveSegment, expected_seq: int, expected_prev: str, report: VerifyReport, keys
) -> tuple[int, str]:
    where = f"Arsip {segment.file_name}"
    path = archive_dir() / segment.file_name
    if not path.exists():
        report.problems.append(f"{where}: berkas tidak ditemukan.")
        return segment.last_seq + 1, segment.last_hash
    if hashlib.sha256(path.read_bytes()).hexdigest() != segment.file_sha256:
        report.problems.append(f"{where}: berkas diubah (SHA-256 tidak cocok).")
    try:
        records, checkpoints = _read_archive(path)
    except (OSError, EOFError, ValueError, TypeError, KeyError) as exc:
        report.problems.append(f"{where}: berkas tidak dapat dibaca ({type(exc).__name__}).")
        return segment.last_seq + 1, segment.last_hash
    next_seq, last_hash, hashes = _check_chain(records, expected_seq, expected_prev, report, where)
    _check_checkpoints(checkpoints, hashes, report, keys, next_seq - 1)
    if (next_seq - 1, last_hash) != (segment.last_seq, segment.last_hash):
        report.problems.append(f"{where}: tidak sesuai dengan catatan arsip di basis data.")
    return next_seq, last_hash


def _read_archive(path: Path) -> tuple[list[MessageRecord], list[Checkpoint]]:
    records, checkpoints = [], []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if header.get("format") != ARCHIVE_FORMAT:
            raise ValueError("unknown archive format")
        for line in handle:
            item = json.loads(line)
            if "record" in item:
                records.append(_record_from_json(item["record"]))
            elif "checkpoint" in item:
                data = item["checkpoint"]
                data["signed_at"] = _from_micros(data["signed_at"])
                checkpoints.append(Checkpoint(**data))
    return records, checkpoints

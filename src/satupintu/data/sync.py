"""The sync engine: read a source in batches, validate each row against the data dictionary,
load into a staging table and publish it in one transaction (see datastore.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import marshal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from satupintu.core.models import Region, Run

from . import datastore, reader_process, wire
from .connectors import ConnectorError, connector_for
from .models import Dataset, Resource, ValidationIssue, Variable
from .validation import ColumnRule, Validator, detect_personal_kind, quality_score

logger = logging.getLogger(__name__)
RUN_KIND = "data.sync"
MAX_ISSUES_PER_RUN = 1000
# More than this share of rows rejected means the source changed shape: fail, publish nothing.
MAX_REJECTED_SHARE = 0.5
# Live progress on the run page is written at most this often (seconds): one update per batch
# would be two queries and a commit of the main database every 5,000 rows.
PROGRESS_INTERVAL = 1.0


def describe_source(resource: Resource, user=None, connector=None) -> list[Variable]:
    """Create the data dictionary of a resource from its source's columns (the default
    mapping): one Variable per new source column, type inferred, personal data detected.
    Existing variables keep the operator's edits. A sync passes its own connector, so the source
    is sampled once."""
    if connector is not None:
        columns = connector.columns()
    else:
        connector = connector_for(resource.source, resource)
        try:
            columns = connector.columns()
        finally:
            connector.close()
    existing = {v.source_column: v for v in resource.variables.all()}
    taken = {v.name for v in existing.values()}
    created = []
    from .connectors.base import identifier

    for position, column in enumerate(columns):
        if column.name in existing:
            continue
        name = identifier(column.name, taken)
        kind = detect_personal_kind(column.name, column.sample)
        created.append(
            Variable(
                resource=resource,
                position=position,
                name=name,
                source_column=column.name,
                label=str(column.name)[:200],
                type=column.type,
                personal_kind=kind,
                # A personal-data column is loaded (aggregation needs it) but hidden by default.
                is_published=not kind,
            )
        )
    # One statement (and one commit) for the whole dictionary, not one per column.
    return Variable.objects.bulk_create(created)


def _cursor_dump(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        kind = "datetime"
    elif isinstance(value, dt.date):
        kind = "date"
    elif isinstance(value, bool):
        kind = "text"
    elif isinstance(value, int):
        kind = "integer"
    elif isinstance(value, Decimal | float):
        kind = "decimal"
    else:
        kind = "text"
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return json.dumps({"type": kind, "value": text})


def _cursor_load(stored: str | None):
    if not stored:
        return None
    data = json.loads(stored)
    value = data["value"]
    return {
        "datetime": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "integer": int,
        "decimal": Decimal,
    }.get(data["type"], str)(value)


def _row_digest(values: Sequence) -> str:
    return hashlib.blake2b(repr(list(values)).encode(), digest_size=16).hexdigest()


def _keys(columns: list[list], key_positions: list[int]) -> list[str]:
    """The `_key` of each row: the key column as text, several joined by U+001F, or a digest
    of the whole row when the resource has no key (identical rows then count once)."""
    if len(key_positions) == 1:
        return list(map(str, columns[key_positions[0]]))
    if key_positions:
        parts = [list(map(str, columns[i])) for i in key_positions]
        return list(map("\x1f".join, zip(*parts, strict=True)))
    return [_row_digest(row) for row in zip(*columns, strict=True)]


def _column_max(values: Sequence, text_type: str = ""):
    """The largest value of a cursor column (read as server text of `text_type` when that is
    set), None when it has none."""
    if text_type:
        return wire.column_max(values, text_type)
    present = [value for value in values if value is not None]
    return max(present) if present else None


def _server_text(connector, variables: list[Variable], plain: list[bool], keys: list[str]):
    """{source column: type} of the columns to read as the source server's text (data/wire.py),
    or {} for the typed path. All or nothing: every dictionary column on such a source column
    must have the server's type and no checks, and must not be part of the key (a key is the
    values' text and wire.py only guarantees the stored form); a resource without key digests
    whole rows, so it stays typed too. Only the SQLite datastore stores that text as it is."""
    if datastore.connection().vendor != "sqlite" or not keys:
        return {}
    offered = connector.server_text_columns()
    for variable, is_plain in zip(variables, plain, strict=True):
        type_ = offered.get(variable.source_column)
        if type_ and (variable.type != type_ or not is_plain or variable.name in keys):
            return {}
    return offered


@dataclass(slots=True)
class PreparedBatch:
    """A source batch made ready for the staging table: the rows (key, *stored values) of the
    accepted rows, and what the run counts and reports about the batch."""

    size: int
    rejected: int
    problems: list[tuple[int, list]]  # (row index in the batch, its first problems), in order
    cursor_top: object  # the batch's largest cursor value, or None
    empty: int  # empty cells among the stored values
    rows: list[tuple]

    def __reduce__(self):
        # From the reader process (reader_process.py): marshal writes and reads plain rows
        # (text, numbers, None) twice as fast as pickle; other values are pickled. Format 2
        # has no back-references: from 3 on, every value also held elsewhere (the driver's
        # batch still holds most of them) goes through a table of seen objects, which made
        # writing 1,000,000 rows 2.3x and reading them 1.5x slower.
        try:
            rows, packed = marshal.dumps(self.rows, 2), True
        except ValueError:
            rows, packed = self.rows, False
        fields = (self.size, self.rejected, self.problems, self.cursor_top, self.empty)
        return _unpack_batch, (fields, rows, packed)


def _unpack_batch(fields: tuple, rows, packed: bool) -> PreparedBatch:
    # Our own reader process's bytes (reader_process.py), never outside input.
    return PreparedBatch(*fields, marshal.loads(rows) if packed else rows)  # noqa: S302


@dataclass
class BatchPreparer:
    """Source batch → PreparedBatch: checks, cursor, keys, conversion to what the datastore's
    driver stores, one tuple per row. Runs in the reader process when there is one."""

    validator: Validator
    stores: list  # per column, datastore.converters()' function or None
    key_positions: list[int]
    cursor_at: int | None
    cursor_text: str  # the cursor column's server-text type, "" when typed

    def __call__(self, batch: Sequence[tuple]) -> PreparedBatch:
        checked = self.validator.check_batch(batch)
        top = None
        if self.cursor_at is not None and checked.size:
            top = _column_max(checked.raw_columns[self.cursor_at], self.cursor_text)
        problems = [
            (row, checked.problems[row][:5])
            for row in sorted(checked.problems)[:MAX_ISSUES_PER_RUN]
        ]
        values = checked.accepted_columns()
        keys = _keys(values, self.key_positions)
        # Column-wise conversion to what the driver stores, then one tuple per row.
        stored = [
            column if store is None else store(column)
            for store, column in zip(self.stores, values, strict=True)
        ]
        # Counted on the stored values: server text becomes empty only there (zero dates).
        # A column the checks saw without NULL and whose conversion adds none is not scanned.
        empty = sum(
            datastore.none_count(column)
            for column, nullable, store in zip(stored, checked.nullable, self.stores, strict=True)
            if nullable or store in wire.MAY_EMPTY
        )
        rows = list(zip(keys, *stored, strict=True))
        return PreparedBatch(checked.size, len(checked.problems), problems, top, empty, rows)


def _read(
    connector, prepared: Callable[[], Iterator[PreparedBatch]], started=None
) -> Iterator[PreparedBatch]:
    """The prepared batches, from a reader process when the connector reads a database into the
    SQLite datastore (see reader_process.py), else read here. The other datastores take dates
    and decimals as objects, whose pickling costs more than the reader process saves (a
    PostgreSQL datastore, 100,000 rows: 0.14 s less CPU in the sync, 1.3 s in the reader)."""
    if not (
        connector.read_in_child
        and datastore.connection().vendor == "sqlite"
        and reader_process.available(started)
    ):
        return prepared()
    return reader_process.in_child(functools.partial(_child_batches, connector, prepared))


def _child_batches(connector, prepared) -> Iterator[PreparedBatch]:  # pragma: no cover -- child
    connector.forked()
    try:
        yield from prepared()
    finally:
        connector.close()


@contextlib.contextmanager
def _without_cycle_collector():
    """The batch loop allocates millions of short-lived lists and tuples that reference
    counting frees; each of them would also count toward the cyclic collector's thresholds, whose
    full passes walk every object of the process (Django and all apps): 20× the loop's own work
    measured on 100,000 rows. Collection resumes after the loop."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def start_run(resource: Resource, user=None) -> Run:
    return Run.objects.create(
        kind=RUN_KIND,
        title=f"Sinkronisasi {resource.dataset.title} — {resource.name}"[:200],
        organisation=resource.dataset.organisation,
        created_by=user,
    )


def run_sync(
    resource: Resource,
    run: Run | None = None,
    *,
    user=None,
    full: bool = False,
    batch_size: int = 5000,
) -> Run:
    """One sync of one datastore resource. Never raises for source or data problems: they end
    up on the Run (and the resource), and the published table stays as it was."""
    run = run or start_run(resource, user)
    run.start()
    # Whether a core is free for a reader process is judged over the run's set-up.
    started = reader_process.idle_mark()
    staging = None
    connector = None
    try:
        if resource.source is None:
            raise ConnectorError("Sumber daya ini belum punya sumber data.")
        connector = connector_for(resource.source, resource)
        if not resource.variables.exists():
            describe_source(resource, user, connector)
        variables = list(resource.variables.order_by("position", "pk"))
        source_names = connector.column_names()
        missing = [v.source_column for v in variables if v.source_column not in source_names]
        if missing:
            raise ConnectorError(
                f"Kolom {', '.join(missing)} tidak ada lagi di sumber; perbarui pemetaan kolom."
            )
        index = {name: i for i, name in enumerate(source_names)}
        rules = [
            ColumnRule(
                name=v.name,
                source=v.source_column,
                type=v.type,
                required=v.required,
                minimum=v.min_value,
                maximum=v.max_value,
                allowed=frozenset(map(str, v.allowed_values or [])),
                reference=v.reference,
                personal=bool(v.personal_kind),
            )
            for v in variables
        ]
        regions = None
        if any(v.reference == Variable.Reference.REGION for v in variables):
            codes = frozenset(Region.objects.values_list("code", flat=True))
            regions = codes or None
            if not codes:
                run.log("Daftar kode wilayah belum dimuat; kode wilayah tidak diperiksa.")
        validator = Validator(
            rules,
            resource.source.options.get("decimal_separator", ","),
            regions,
            positions=[index[v.source_column] for v in variables],
        )
        key_names = [k for k in resource.key_columns if k]
        unknown_keys = set(key_names) - {v.name for v in variables}
        if unknown_keys:
            raise ConnectorError(f"Kolom kunci tidak dikenal: {', '.join(sorted(unknown_keys))}")
        server_text = _server_text(connector, variables, validator.plain, key_names)
        validator.server_text = frozenset(index[name] for name in server_text)
        key_positions = [[v.name for v in variables].index(k) for k in key_names]
        columns = [
            datastore.Column(v.name, v.type, v.is_filter or v.name in key_names) for v in variables
        ]

        state = datastore.read_state(resource.pk)
        incremental = (
            not full
            and resource.mode == Resource.Mode.INCREMENTAL
            and resource.cursor_column
            and state
            and state["schema"] == datastore.schema_signature(columns)
            and datastore.table_exists(datastore.table_name(resource.pk))
        )
        cursor_column = resource.cursor_column if resource.mode == Resource.Mode.INCREMENTAL else ""
        if cursor_column and cursor_column not in index:
            raise ConnectorError(f"Kolom kursor {cursor_column!r} tidak ada di sumber.")
        after = _cursor_load(state["cursor"]) if incremental and state else None
        run.log(
            "Sinkronisasi bertahap sejak " + str(after)
            if incremental
            else "Muat ulang penuh dengan deteksi perubahan"
        )

        staging = datastore.StagingLoad(resource.pk, columns, run.pk)
        staging.begin()
        read = rejected = cells = empty = 0
        width = len(columns)
        issues: list[ValidationIssue] = []
        cursor_max = after
        cursor_at = index.get(cursor_column) if cursor_column else None
        stores = datastore.converters(columns)
        reading = {"cursor_column": cursor_column, "after": after, "batch_size": batch_size}
        if server_text:
            reading["as_text"] = True  # only connectors offering server_text_columns() take it
            for position, variable in enumerate(variables):
                if variable.source_column in server_text:
                    stores[position] = wire.SQLITE_CONVERTERS[variable.type]
        prepare = BatchPreparer(
            validator,
            stores,
            key_positions,
            cursor_at,
            server_text.get(cursor_column, ""),
        )

        def prepared():
            for batch in connector.batches(**reading):
                yield prepare(batch)

        next_progress = 0.0
        with (
            _without_cycle_collector(),
            contextlib.closing(_read(connector, prepared, started)) as batches,
        ):
            for batch in batches:
                if batch.cursor_top is not None and (
                    cursor_max is None or batch.cursor_top > cursor_max
                ):
                    cursor_max = batch.cursor_top
                for row, problems in batch.problems:
                    if len(issues) >= MAX_ISSUES_PER_RUN:
                        break
                    issues += [
                        ValidationIssue(
                            run=run,
                            resource=resource,
                            row_number=read + row + 1,
                            column=p.column,
                            value=p.value[:200],
                            message=p.message[:300],
                        )
                        for p in problems
                    ]
                read += batch.size
                rejected += batch.rejected
                cells += width * (batch.size - batch.rejected)
                empty += batch.empty
                staging.add(batch.rows)
                if time.monotonic() >= next_progress:
                    run._update(
                        processed=read, counts={**run.counts, "read": read, "rejected": rejected}
                    )
                    next_progress = time.monotonic() + PROGRESS_INTERVAL
        if issues:
            ValidationIssue.objects.bulk_create(issues[:MAX_ISSUES_PER_RUN])
        duplicates = staging.duplicates()
        if duplicates:
            run.log(f"{duplicates} baris dengan kunci ganda diabaikan.")
        if read and rejected > read * MAX_REJECTED_SHARE:
            raise ConnectorError(
                f"{rejected} dari {read} baris ditolak validasi; kemungkinan struktur atau tipe "
                "kolom di sumber berubah. Data terbit tidak diubah; lihat laporan validasi."
            )
        cursor_value = _cursor_dump(cursor_max) if cursor_column else None
        if incremental:
            result = staging.merge(cursor_value=cursor_value)
            changed = result["inserted"] + result["updated"]
            row_count = result["row_count"]
        else:
            result = staging.diff()
            changed = result["inserted"] + result["updated"] + result["deleted"]
            if changed or not staging.live_matches_schema():
                row_count = staging.swap(cursor_value=cursor_value)
            else:
                staging.discard(cursor_value=cursor_value, keep_state=False)
                row_count = result["unchanged"]
        staging = None
        counts = {
            "read": read,
            "inserted": result["inserted"],
            "updated": result["updated"],
            "deleted": result["deleted"],
            "rejected": rejected + duplicates,
        }
        run._update(counts=counts, processed=read, total=read)
        now = timezone.now()
        with transaction.atomic():
            Resource.objects.filter(pk=resource.pk).update(
                row_count=row_count,
                has_table=True,
                last_synced_at=now,
                last_run=run,
                last_error="",
            )
            if changed or resource.dataset.data_updated_at is None:
                Dataset.objects.filter(pk=resource.dataset_id).update(data_updated_at=now)
        update_quality(
            resource.dataset, cells=cells, empty_cells=empty, rows_read=read, rows_rejected=rejected
        )
        run.log(
            f"Selesai: {read} dibaca, {counts['inserted']} baru, {counts['updated']} berubah, "
            f"{counts['deleted']} dihapus, {counts['rejected']} ditolak."
        )
        run.finish()
    except (ConnectorError, datastore.DatastoreError, reader_process.ReaderDied) as exc:
        _fail(run, resource, staging, str(exc))
    except Exception as exc:
        logger.exception("sync of resource %s failed", resource.pk)
        _fail(run, resource, staging, f"Kesalahan tak terduga: {type(exc).__name__}: {exc}")
    finally:
        if connector is not None:
            connector.close()
    resource.refresh_from_db()
    run.refresh_from_db()
    return run


def _fail(run: Run, resource: Resource, staging, message: str) -> None:
    if staging is not None:
        try:
            staging.discard()
        except Exception:
            logger.exception("could not drop staging table of resource %s", resource.pk)
    Resource.objects.filter(pk=resource.pk).update(last_error=message[:2000], last_run=run)
    run.log(message)
    run.fail(message)


def update_quality(dataset: Dataset, **measures) -> dict:
    dataset.refresh_from_db()
    result = quality_score(
        data_updated_at=dataset.data_updated_at,
        frequency_days=Dataset.FREQUENCY_DAYS.get(dataset.frequency),
        **measures,
    )
    Dataset.objects.filter(pk=dataset.pk).update(quality_score=result["score"], quality=result)
    return result

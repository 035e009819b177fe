"""A MariaDB table read with mysqlclient takes its DATE, DATETIME, TIMESTAMP and DECIMAL columns
as the server's text (data/wire.py). The published table, the sync state's cursor and the
counts must be exactly those of the typed path, edge values included: zero and invalid dates
(ALLOW_INVALID_DATES), fractional seconds, decimals Python writes with an exponent, NULLs. A
column with checks keeps the typed path and its rejected-rows report."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from satupintu.core.models import Organisation, Run
from satupintu.data import datastore
from satupintu.data.connectors.sql import SqlConnector
from satupintu.data.models import Dataset, Resource, ValidationIssue
from satupintu.data.sync import run_sync
from satupintu.data.tests.helpers import data_db

from .source_databases import database_resource, scratch_database

pytestmark = data_db()

COLUMNS = "id, tanggal, waktu, presisi, stempel, nilai, harga, catatan"
EDGE_ROWS = [
    (1, "2025-01-31", "2025-01-31 07:00:01", "2025-01-31 07:00:01.123456", "2025-01-31 07:00:01",
     "0.0000001000", "1234.50", "biasa"),
    (2, "0000-00-00", "0000-00-00 00:00:00", "2025-01-31 07:00:01.000000", None,
     "0.0000000000", "-0.50", None),
    (3, "2025-02-30", "2025-02-30 10:00:00", None, "2025-06-01 12:00:00",
     "123456789012345678.1234567890", "0.00", ""),
    (4, None, None, None, None, None, None, None),
]  # fmt: skip


UKUR_TABLE = (
    "CREATE TABLE ukur (id INT PRIMARY KEY, tanggal DATE NULL, waktu DATETIME NULL, "
    "presisi DATETIME(6) NULL, stempel TIMESTAMP NULL, nilai DECIMAL(38,10) NULL, "
    "harga DECIMAL(14,2) NULL, catatan VARCHAR(40) NULL)"
)


@pytest.fixture
def mariadb_table(require):
    """A fresh MariaDB database with an `ukur` table of edge values and 60 ordinary rows."""
    pytest.importorskip("MySQLdb")
    start = dt.datetime(2025, 3, 1, 6, 30)
    ordinary = [
        (i, f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", str(start + dt.timedelta(hours=i)),
         str(start + dt.timedelta(seconds=i, microseconds=1000 * i)), str(start),
         f"{i}.{i:010d}", f"{1000 + i}.{i % 100:02d}", f"baris {i}")
        for i in range(5, 65)
    ]  # fmt: skip
    with scratch_database("mysql", require) as (name, engine):
        with engine.begin() as conn:
            # Zero and impossible dates are only accepted outside the strict modes.
            conn.execute(sa.text("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'"))
            conn.execute(sa.text(UKUR_TABLE))
            names = [c.strip() for c in COLUMNS.split(",")]
            marks = ", ".join(f":{n}" for n in names)
            conn.execute(
                sa.text(f"INSERT INTO ukur ({COLUMNS}) VALUES ({marks})"),  # noqa: S608 -- constants
                [dict(zip(names, row, strict=True)) for row in EDGE_ROWS + ordinary],
            )
        yield name, engine


def make_resource(database: str, slug: str) -> Resource:
    org, _ = Organisation.objects.get_or_create(
        code="dinkes", defaults={"name": "Dinas Kesehatan", "short_name": "Dinkes", "kind": "dinas"}
    )
    return database_resource(
        org,
        "mysql",
        database,
        slug=slug,
        title=f"Ukur {slug}",
        description="Nilai tepi.",
        resource_name="Ukur",
        source_table="ukur",
        mode=Resource.Mode.INCREMENTAL,
        cursor_column="waktu",
    )


def published(resource: Resource) -> list[tuple]:
    """Every stored value with its SQLite storage class, in key order."""
    names = [datastore.quote(v.name) for v in resource.variables.order_by("position")]
    select = ", ".join(["_key", *names, *[f"typeof({n})" for n in names]])
    with datastore.connection().cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {datastore.table_name(resource.pk)} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


@pytest.fixture
def read_as_text(monkeypatch, tmp_path):
    """Per read of a table, whether it asked for the server's text: call it for the list. A
    table is read in the sync's reader process (data/reader_process.py), so the reads are
    recorded in a file, not in this process's memory."""
    record = tmp_path / "reads"
    record.touch()
    original = SqlConnector.batches

    def spy(self, **options):
        with record.open("a") as out:
            out.write("1" if options.get("as_text") else "0")
        return original(self, **options)

    monkeypatch.setattr(SqlConnector, "batches", spy)
    return lambda: [flag == "1" for flag in record.read_text()]


def sync_both(text: Resource, typed: Resource, monkeypatch) -> tuple[Run, Run]:
    run_text = run_sync(Resource.objects.get(pk=text.pk), batch_size=7)
    with monkeypatch.context() as patch:
        patch.setattr(SqlConnector, "server_text_columns", lambda self: {})
        run_typed = run_sync(Resource.objects.get(pk=typed.pk), batch_size=7)
    return run_text, run_typed


def test_server_text_publishes_what_the_typed_path_publishes(
    mariadb_table, read_as_text, monkeypatch
):
    if datastore.connection().vendor != "sqlite":
        pytest.skip("server text is used with the SQLite datastore only")
    name, engine = mariadb_table
    text, typed = make_resource(name, "ukur-teks"), make_resource(name, "ukur-bertipe")

    run_text, run_typed = sync_both(text, typed, monkeypatch)
    assert read_as_text() == [True, False]
    assert run_text.status == run_typed.status == Run.Status.SUCCEEDED, run_text.error
    assert run_text.counts == run_typed.counts
    assert run_text.counts["inserted"] == 64
    assert published(text) == published(typed)
    stored = {row[0]: row for row in published(text)}
    assert stored["2"][1:4] == (2, None, None)  # zero date and datetime: empty
    assert stored["1"][3] == "2025-01-31T07:00:01+07:00"
    assert datastore.read_state(text.pk)["cursor"] == datastore.read_state(typed.pk)["cursor"]
    assert Dataset.objects.get(pk=text.dataset_id).quality == (
        Dataset.objects.get(pk=typed.dataset_id).quality
    )

    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE ukur SET harga = harga + 1, waktu = :u WHERE id IN (5, 6, 7)"),
            {"u": dt.datetime(2026, 11, 24, 9, 0, 0)},
        )
    run_text, run_typed = sync_both(text, typed, monkeypatch)
    assert run_text.counts == run_typed.counts
    # The three changed rows and the one at the last cursor value (read again, unchanged).
    assert (run_text.counts["read"], run_text.counts["updated"]) == (4, 3)
    assert published(text) == published(typed)
    assert datastore.read_state(text.pk)["cursor"] == datastore.read_state(typed.pk)["cursor"]


def test_a_column_with_checks_keeps_the_typed_path_and_its_report(mariadb_table, read_as_text):
    name, _engine = mariadb_table
    resource = make_resource(name, "ukur-batas")
    assert run_sync(resource).status == Run.Status.SUCCEEDED
    resource.variables.filter(name="harga").update(min_value=0)
    run = run_sync(Resource.objects.get(pk=resource.pk), full=True)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert read_as_text()[-1] is False
    assert run.counts["rejected"] == 1
    issue = ValidationIssue.objects.get(run=run)
    assert (issue.column, issue.value) == ("harga", "-0.50")
    assert issue.message.startswith("kurang dari minimum 0")

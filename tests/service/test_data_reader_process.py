"""A database source is read in the sync's reader process (data/reader_process.py): against the
real MariaDB and PostgreSQL servers, the published table, counts, cursor and quality are those
of reading in the sync's own process, and a failure while reading (the source connection killed
by the server, an unexpected error, the reader process itself killed) fails the run with the
message reading in-process gives and leaves the published table as it was."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import sqlalchemy as sa

from satupintu.core.models import Organisation, Run
from satupintu.data import datastore, reader_process
from satupintu.data.connectors.sql import SqlConnector
from satupintu.data.models import Dataset, Resource
from satupintu.data.sync import run_sync
from satupintu.data.tests.helpers import data_db
from satupintu.data.validation import Validator

from .source_databases import SERVERS, database_resource, scratch_database

pytestmark = data_db()

ROWS = 30_000
FILL = {
    # MariaDB's sequence engine and PostgreSQL's generate_series fill the table server-side.
    "mysql": (
        "INSERT INTO kunjungan SELECT seq, CONCAT('Puskesmas ', seq % 6), "
        "DATE_ADD('2025-01-01', INTERVAL seq % 300 DAY), seq % 250, seq % 9000 + 0.5, "
        "TIMESTAMPADD(SECOND, seq, '2025-01-01 07:00:00') FROM seq_1_to_30000"
    ),
    "postgresql": (
        "INSERT INTO kunjungan SELECT s, 'Puskesmas ' || (s % 6), "
        "DATE '2025-01-01' + (s % 300), s % 250, s % 9000 + 0.5, "
        "TIMESTAMP '2025-01-01 07:00:00' + s * INTERVAL '1 second' "
        "FROM generate_series(1, 30000) AS s"
    ),
}
KILL = {
    "mysql": (
        "SELECT id FROM information_schema.processlist WHERE db = :db AND id <> CONNECTION_ID()",
        "KILL {}",
    ),
    "postgresql": (
        "SELECT pid FROM pg_stat_activity WHERE datname = :db AND pid <> pg_backend_pid()",
        "SELECT pg_terminate_backend({})",
    ),
}


@pytest.fixture(params=["mysql", "postgresql"])
def source(request, require):
    kind = request.param
    with scratch_database(kind, require) as (name, engine):
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TABLE kunjungan (id INTEGER PRIMARY KEY, puskesmas VARCHAR(60), "
                    "tanggal DATE, jumlah INTEGER, biaya NUMERIC(14,2), diperbarui TIMESTAMP NULL)"
                )
            )
            conn.execute(sa.text(FILL[kind]))
        yield kind, name, engine


def make_resource(source, slug: str) -> Resource:
    kind, name, _engine = source
    org, _ = Organisation.objects.get_or_create(
        code="dinkes", defaults={"name": "Dinas Kesehatan", "short_name": "Dinkes", "kind": "dinas"}
    )
    return database_resource(
        org,
        kind,
        name,
        slug=slug,
        title=f"Kunjungan {slug}",
        description="Kunjungan.",
        resource_name="Kunjungan",
        source_table="kunjungan",
        mode=Resource.Mode.INCREMENTAL,
        cursor_column="diperbarui",
    )


def published(resource: Resource) -> list[tuple]:
    names = [datastore.quote(v.name) for v in resource.variables.order_by("position")]
    with datastore.connection().cursor() as cursor:
        cursor.execute(
            f"SELECT _key, {', '.join(names)} FROM {datastore.table_name(resource.pk)} "  # noqa: S608
            "ORDER BY id"
        )
        return cursor.fetchall()


def sync(resource: Resource, monkeypatch, *, in_child: bool, **options) -> Run:
    with monkeypatch.context() as patch:
        patch.setattr(SqlConnector, "read_in_child", in_child)
        # Also on a single-core machine, where the sync would not fork by itself.
        patch.setattr(reader_process, "available", lambda since=None: True)
        return run_sync(Resource.objects.get(pk=resource.pk), **options)


def test_reading_in_the_reader_process_publishes_what_reading_here_does(source, monkeypatch):
    _kind, _name, engine = source
    pid = os.getpid()
    readers = []
    original = SqlConnector.batches

    def spy(self, **options):
        readers.append(os.getpid())  # the child's list: only the in-process read shows here
        return original(self, **options)

    monkeypatch.setattr(SqlConnector, "batches", spy)
    child, here = make_resource(source, "proses-anak"), make_resource(source, "proses-sini")
    for changed in (False, True):
        if changed:
            with engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "UPDATE kunjungan SET jumlah = jumlah + 1, "
                        "diperbarui = TIMESTAMP '2026-11-24 09:00:00' WHERE id <= 300"
                    )
                )
        run_child = sync(child, monkeypatch, in_child=True, batch_size=1000)
        run_here = sync(here, monkeypatch, in_child=False, batch_size=1000)
        assert run_child.status == run_here.status == Run.Status.SUCCEEDED, run_child.error
        assert run_child.counts == run_here.counts
        assert published(child) == published(here)
        assert datastore.read_state(child.pk)["cursor"] == datastore.read_state(here.pk)["cursor"]
        assert Dataset.objects.get(pk=child.dataset_id).quality == (
            Dataset.objects.get(pk=here.dataset_id).quality
        )
    assert run_child.counts["updated"] == 300
    assert len(published(child)) == ROWS
    # Only the SQLite datastore is loaded beside a reader process (sync._read).
    in_child = datastore.connection().vendor == "sqlite"
    assert readers == ([pid, pid] if in_child else [pid, pid, pid, pid])


def kill_source_connections(kind: str, name: str) -> None:
    """What a source server restarting or a DBA's KILL does to the reader's connection."""
    url, _user, _port = SERVERS[kind]
    engine = sa.create_engine(url.format(db=name), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            select, kill = KILL[kind]
            for (pid,) in conn.execute(sa.text(select), {"db": name}).fetchall():
                conn.execute(sa.text(kill.format(int(pid))))
    finally:
        engine.dispose()


def test_a_connection_killed_while_reading_fails_the_run_alike(source, monkeypatch):
    kind, name, _engine = source
    resource = make_resource(source, "putus")
    assert sync(resource, monkeypatch, in_child=True).status == Run.Status.SUCCEEDED
    before = published(resource)
    original = SqlConnector.batches

    def killed_after_first_batch(self, **options):
        batches = original(self, **options)
        yield next(batches)
        kill_source_connections(kind, name)
        yield from batches

    monkeypatch.setattr(SqlConnector, "batches", killed_after_first_batch)
    errors = []
    for in_child in (True, False):
        run = sync(resource, monkeypatch, in_child=in_child, full=True, batch_size=500)
        assert run.status == Run.Status.FAILED
        errors.append(run.error)
        assert published(resource) == before
        assert not [t for t in datastore.existing_tables() if "__stage_" in t]
    assert errors[0].startswith("Basis data sumber menolak atau tidak dapat dihubungi")
    assert errors[0] == errors[1]


def test_an_unexpected_error_while_reading_fails_the_run_alike(source, monkeypatch):
    resource = make_resource(source, "tak-terduga")
    assert sync(resource, monkeypatch, in_child=True).status == Run.Status.SUCCEEDED
    before = published(resource)
    original = Validator.check_batch

    def fails_on_second_batch(self, rows):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 2:
            raise ValueError("baris rusak")
        return original(self, rows)

    monkeypatch.setattr(Validator, "check_batch", fails_on_second_batch)
    errors = [
        sync(resource, monkeypatch, in_child=in_child, full=True, batch_size=500).error
        for in_child in (True, False)
    ]
    assert errors == ["Kesalahan tak terduga: ValueError: baris rusak"] * 2
    assert published(resource) == before


def test_a_killed_reader_process_fails_the_run(source, monkeypatch, tmp_path):
    if datastore.connection().vendor != "sqlite":
        pytest.skip("a reader process loads the SQLite datastore only")
    resource = make_resource(source, "pembaca-mati")
    assert sync(resource, monkeypatch, in_child=True).status == Run.Status.SUCCEEDED
    before = published(resource)
    record = Path(tmp_path / "reader")
    original = SqlConnector.batches

    def dies_after_first_batch(self, **options):
        record.write_text(str(os.getpid()))
        batches = original(self, **options)
        yield next(batches)
        os.kill(os.getpid(), signal.SIGKILL)  # out of memory, or an operator's kill

    monkeypatch.setattr(SqlConnector, "batches", dies_after_first_batch)
    run = sync(resource, monkeypatch, in_child=True, full=True, batch_size=500)
    assert run.status == Run.Status.FAILED
    assert run.error == "Proses pembaca sumber berhenti sebelum selesai."
    assert int(record.read_text()) != os.getpid()
    assert published(resource) == before

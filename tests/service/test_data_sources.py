"""The data hub against real MariaDB and PostgreSQL servers as OPD source databases: each test
creates its own source database, syncs a table (and a read-only query) into the datastore,
changes rows, syncs incrementally, and publishes through the walidata workflow. Also: a
connection that fails, a table that disappears, a column whose type changes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation, Run
from satupintu.core.roles import Role
from satupintu.data import datastore, datastore_read
from satupintu.data.models import Dataset, Resource
from satupintu.data.sync import run_sync
from satupintu.data.tests.helpers import data_db

from .source_databases import SERVERS, database_resource, scratch_database

pytestmark = data_db()


VISITS_TABLE = (
    "CREATE TABLE puskesmas_kunjungan (id INTEGER PRIMARY KEY, puskesmas VARCHAR(100), "
    "kode_kecamatan VARCHAR(13), bulan DATE, kunjungan INTEGER, biaya NUMERIC(14,2), "
    "diperbarui TIMESTAMP NULL)"
)
PUSKESMAS = [("Sukaraya", "16.01.14"), ("Lengkiti", "16.01.28"), ("Peninjauan", "16.01.09")]


@pytest.fixture(params=["mysql", "postgresql"])
def source_db(request, require):
    """A fresh database on the real server with a `puskesmas_kunjungan` table; dropped after."""
    kind = request.param
    _url, user, port = SERVERS[kind]
    visits = [
        {
            "id": i,
            "p": f"Puskesmas {puskesmas}",
            "k": code,
            "b": dt.date(2025, 1 + i % 12, 1),
            "n": 100 + i,
            "c": f"{1500 + i}.50",
            "u": dt.datetime(2025, 11, 1, 8, 0, 0) + dt.timedelta(minutes=i),
        }
        for i, (puskesmas, code) in enumerate(PUSKESMAS * 20, start=1)
    ]
    with scratch_database(kind, require) as (name, engine):
        with engine.begin() as conn:
            conn.execute(sa.text(VISITS_TABLE))
            conn.execute(
                sa.text("INSERT INTO puskesmas_kunjungan VALUES (:id, :p, :k, :b, :n, :c, :u)"),
                visits,
            )
        yield kind, name, engine, user, port


@pytest.fixture
def people(db):
    dinkes = Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas"
    )
    bapel = Organisation.objects.create(
        code="bapelitbangda", name="Bapelitbangda", short_name="Bapelitbangda", kind="badan"
    )
    users = {}
    for username, org, role in (("budi", dinkes, Role.OPERATOR), ("rina", bapel, Role.WALIDATA)):
        user = User.objects.create_user(
            username=username, password=None, full_name=username, kind=User.Kind.STAFF
        )
        Membership.objects.create(user=user, organisation=org, role=role)
        users[username] = User.objects.get(pk=user.pk)
    return dinkes, users


def make_resource(source_db, people, **fields) -> Resource:
    kind, name, _engine, _user, _port = source_db
    dinkes, _users = people
    return database_resource(
        dinkes,
        kind,
        name,
        slug=f"kunjungan-{kind}",
        title="Kunjungan Puskesmas per Bulan",
        description="Jumlah kunjungan pasien per puskesmas.",
        resource_name="Kunjungan",
        **fields,
    )


def rows(resource: Resource) -> list[dict]:
    columns = [datastore.Column(v.name, v.type) for v in resource.variables.all()]
    return datastore_read.search(resource.pk, columns, sort=[("id", False)], limit=1000).records


def test_table_sync_incremental_and_publication(source_db, people):
    _kind, _name, engine, _user, _port = source_db
    resource = make_resource(
        source_db,
        people,
        source_table="puskesmas_kunjungan",
        mode=Resource.Mode.INCREMENTAL,
        cursor_column="diperbarui",
    )
    run = run_sync(resource, batch_size=25)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.counts["inserted"] == 60
    types = dict(resource.variables.values_list("name", "type"))
    assert types["kunjungan"] == "integer" and types["biaya"] == "decimal"
    assert types["bulan"] == "date"

    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE puskesmas_kunjungan SET kunjungan = 999, diperbarui = :u WHERE id IN (2, 3)"
            ),
            {"u": dt.datetime(2025, 11, 2, 9, 30)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO puskesmas_kunjungan VALUES (61, 'Puskesmas Baru', "
                "'16.01.31', '2025-11-01', 5, 10.00, :u)"
            ),
            {"u": dt.datetime(2025, 11, 2, 9, 30)},
        )
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.SUCCEEDED, run.error
    # Only the rows at or after the last cursor value: the newest old row (re-read, unchanged)
    # and the three changed ones.
    assert run.counts["read"] == 4
    assert (run.counts["inserted"], run.counts["updated"]) == (1, 2)
    data = rows(resource)
    assert len(data) == 61
    assert data[1]["kunjungan"] == 999

    again = run_sync(Resource.objects.get(pk=resource.pk))
    assert again.counts["inserted"] == again.counts["updated"] == 0
    assert len(rows(resource)) == 61

    _dinkes, users = people
    dataset = resource.dataset
    dataset.refresh_from_db()
    dataset.submit(users["budi"])
    dataset.approve(users["rina"])
    assert Dataset.objects.open_data().filter(pk=dataset.pk).exists()


def test_read_only_query_and_full_refresh_deletes(source_db, people):
    _kind, _name, engine, _user, _port = source_db
    resource = make_resource(
        source_db,
        people,
        source_query="SELECT id, puskesmas, kunjungan FROM puskesmas_kunjungan "
        "WHERE kode_kecamatan = '16.01.28'",
    )
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert len(rows(resource)) == 20
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM puskesmas_kunjungan WHERE id = 2"))
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.counts["deleted"] == 1
    assert len(rows(resource)) == 19

    resource.source_query = "DELETE FROM puskesmas_kunjungan"
    resource.save()
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert "SELECT" in run.error
    assert len(rows(resource)) == 19


def test_bad_input_keeps_published_table(source_db, people):
    kind, _name, engine, _user, _port = source_db
    resource = make_resource(source_db, people, source_table="puskesmas_kunjungan")
    assert run_sync(resource).status == Run.Status.SUCCEEDED

    with engine.begin() as conn:  # a column whose type changes
        if kind == "mysql":
            conn.execute(sa.text("ALTER TABLE puskesmas_kunjungan MODIFY kunjungan VARCHAR(20)"))
        else:
            conn.execute(
                sa.text("ALTER TABLE puskesmas_kunjungan ALTER COLUMN kunjungan TYPE VARCHAR(20)")
            )
        conn.execute(sa.text("UPDATE puskesmas_kunjungan SET kunjungan = 'tidak tercatat'"))
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.FAILED and "ditolak validasi" in run.error
    assert len(rows(resource)) == 60

    with engine.begin() as conn:  # a table that disappears
        conn.execute(sa.text("DROP TABLE puskesmas_kunjungan"))
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.FAILED and "tidak ada lagi" in run.error
    assert len(rows(resource)) == 60

    source = resource.source  # a connection that fails
    source.password = "salah"
    source.username = "pengguna_tidak_ada"
    source.save()
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.FAILED and "Basis data sumber" in run.error
    assert len(rows(resource)) == 60


def test_test_connection_and_schema_browser_page(client, source_db, people):
    resource = make_resource(source_db, people, source_table="puskesmas_kunjungan")
    _dinkes, users = people
    client.force_login(users["budi"])
    page = client.post(f"/data/kelola/sumber/{resource.source_id}/", {"browse": "1"})
    assert page.status_code == 200
    tables = {t.name: [c.name for c in t.columns] for t in page.context["tables"]}
    assert tables["puskesmas_kunjungan"][:3] == ["id", "puskesmas", "kode_kecamatan"]
    resource.source.refresh_from_db()
    assert resource.source.last_check_ok is True
    assert resource.source.last_check_message.startswith("Terhubung")

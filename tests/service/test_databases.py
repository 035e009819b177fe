"""Guarantees that depend on the database engine, proven on whichever engine this run uses
(SQLite by default; PostgreSQL and MariaDB under `make test-service`).

Each test states a promise the rest of the platform relies on: the schema migrates, a NIK is
unique by its keyed hash and never stored in clear, the change log's JSON can be stored and
queried, Organisation names are searched without regard to case, a failed transaction leaves
nothing behind, and the datastore is a second, separate database.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from satupintu.accounts.models import User
from satupintu.core.models import ChangeLogEntry, Organisation
from satupintu.core.tests.testapp.models import Announcement

# Two valid NIKs of women born in Kecamatan Lengkiti (16.01.28): day + 40 = born on the 12th.
NIK_SITI = "1601285203850001"
NIK_OTHER = "1601284507900002"


def make_organisation(code: str, name: str, short_name: str, kind: str = "dinas") -> Organisation:
    return Organisation.objects.create(code=code, name=name, short_name=short_name, kind=kind)


def make_user(username: str, nik: str = "") -> User:
    user = User(username=username, full_name=username.title(), nik=nik)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def pupr(db) -> Organisation:
    return make_organisation("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR")


# --- the schema -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_migration_is_applied_and_the_models_match_them():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    # Raises SystemExit(1) when a model change has no migration yet.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_app_migrates_down_to_zero_and_back_up():
    app_label, table = Announcement._meta.app_label, Announcement._meta.db_table
    call_command("migrate", app_label, "zero", verbosity=0)
    assert table not in connection.introspection.table_names()
    call_command("migrate", app_label, verbosity=0)
    assert table in connection.introspection.table_names()
    organisation = make_organisation("dinkes", "Dinas Kesehatan", "Dinkes")
    Announcement.objects.create(organisation=organisation, title="Jadwal posyandu November")
    assert Announcement.objects.count() == 1


# --- personal data ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_nik_is_unique_by_its_keyed_hash_and_many_users_may_have_none():
    make_user("tanpa-nik-1")
    make_user("tanpa-nik-2")  # NULL hashes never collide
    siti = make_user("siti", NIK_SITI)
    make_user("warga-lain", NIK_OTHER)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("siti-ganda", NIK_SITI)

    assert User.objects.find_by_nik(NIK_SITI) == siti
    assert User.objects.filter(nik_hash__isnull=True).count() == 2
    assert User.objects.count() == 4


@pytest.mark.django_db
def test_nik_is_stored_encrypted_and_read_back_in_clear():
    siti = make_user("siti", NIK_SITI)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nik, nik_hash FROM {User._meta.db_table} WHERE id = %s",  # noqa: S608
            [siti.pk],
        )
        stored_nik, stored_hash = cursor.fetchone()
    assert NIK_SITI not in stored_nik
    assert NIK_SITI not in stored_hash
    assert User.objects.get(pk=siti.pk).nik == NIK_SITI


# --- the change log ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_log_json_round_trips_and_can_be_queried(pupr):
    title = "Perbaikan jalan Baturaja–Lengkiti: “tahap II” dimulai Senin"
    announcement = Announcement.objects.create(organisation=pupr, title=title)
    announcement.title = "Perbaikan jalan Baturaja–Lengkiti selesai"
    announcement.save()

    entries = ChangeLogEntry.objects.for_object(announcement).order_by("id")
    created, updated = entries
    assert created.action == ChangeLogEntry.Action.CREATE
    assert created.changes["title"] == [None, title]
    assert created.changes["organisation"] == [None, pupr.pk]
    assert updated.changes == {"title": [title, "Perbaikan jalan Baturaja–Lengkiti selesai"]}
    assert updated.organisation_id == pupr.pk

    # JSON lookups are compiled differently on every engine; the change-log views rely on them.
    assert set(ChangeLogEntry.objects.filter(changes__has_key="title")) >= {created, updated}
    assert list(entries.filter(changes__title__1=title)) == [created]
    assert list(entries.filter(changes__status__1="draft")) == [created]
    assert not entries.filter(changes__has_key="body").exclude(pk=created.pk).exists()


@pytest.mark.django_db
def test_change_log_masks_personal_data_in_the_stored_json():
    siti = make_user("siti", NIK_SITI)
    entry = ChangeLogEntry.objects.for_object(siti).get()
    assert entry.changes["nik"] == [None, "***"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT changes FROM {ChangeLogEntry._meta.db_table} WHERE id = %s",  # noqa: S608
            [entry.pk],
        )
        raw = cursor.fetchone()[0]
    assert NIK_SITI not in str(raw)


# --- search -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_names_are_searched_without_regard_to_case():
    dinkes = make_organisation("dinkes", "Dinas Kesehatan", "Dinkes")
    rsud = make_organisation("rsud-ibnu-sutowo", "RSUD Dr. Ibnu Sutowo", "RSUD", kind="rsud")
    make_organisation("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", kind="badan")

    for query in ("kesehatan", "KESEHATAN", "KeSeHaTaN"):
        assert list(Organisation.objects.filter(name__icontains=query)) == [dinkes]
    assert list(Organisation.objects.filter(name__icontains="dr. ibnu")) == [rsud]
    assert Organisation.objects.get(name__iexact="dinas kesehatan") == dinkes
    assert list(Organisation.objects.filter(short_name__istartswith="bp")) == [
        Organisation.objects.get(code="bpbd")
    ]


# --- transactions -----------------------------------------------------------------------------


class Abort(Exception):
    pass


@pytest.mark.django_db
def test_an_error_rolls_back_the_rows_and_their_change_log():
    entries_before = ChangeLogEntry.objects.count()
    with pytest.raises(Abort), transaction.atomic():
        bpbd = make_organisation("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", "badan")
        Announcement.objects.create(organisation=bpbd, title="Siaga banjir Sungai Ogan")
        raise Abort
    assert not Organisation.objects.filter(code="bpbd").exists()
    assert not Announcement.objects.exists()
    assert ChangeLogEntry.objects.count() == entries_before


@pytest.mark.django_db
def test_a_constraint_violation_undoes_the_whole_block(pupr):
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(organisation=pupr, title="Lelang paket jalan desa")
        make_organisation("dinas-pupr", "Dinas PUPR (ganda)", "PUPR")  # duplicate code
    assert not Announcement.objects.exists()
    assert Organisation.objects.get(code="dinas-pupr").name.startswith("Dinas Pekerjaan Umum")


# --- the datastore database -------------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "datastore"], transaction=True)
def test_the_datastore_is_a_separate_database_for_dataset_tables():
    datastore = connections["datastore"]
    # Platform tables are migrated into `default` only.
    assert "core_organisation" not in datastore.introspection.table_names()

    table = datastore.ops.quote_name("ds_curah_hujan_uji")
    with datastore.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, kecamatan VARCHAR(100) NOT NULL, "
            "bulan DATE NOT NULL, curah_mm DECIMAL(8, 1) NOT NULL)"
        )
    try:
        rows = [
            (1, "Lengkiti", "2026-10-01", "312.5"),
            (2, "Lengkiti", "2026-11-01", "401.0"),
            (3, "Baturaja Timur", "2026-11-01", "288.4"),
        ]
        with datastore.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (id, kecamatan, bulan, curah_mm) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                rows,
            )
            cursor.execute(
                f"SELECT kecamatan, SUM(curah_mm) FROM {table} "  # noqa: S608
                "GROUP BY kecamatan ORDER BY kecamatan"
            )
            totals = [(name, str(total)) for name, total in cursor.fetchall()]
        # Decimal on PostgreSQL/MariaDB, float on SQLite (no decimal type): the same text.
        assert totals == [("Baturaja Timur", "288.4"), ("Lengkiti", "713.5")]
        assert "ds_curah_hujan_uji" not in connection.introspection.table_names()
    finally:
        with datastore.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")

"""The set-wise parts of the sync engine: repeated keys dropped after the load (the first row
wins), change detection comparing every column in SQL with empty cells equal to each other, and
tables of the earlier layout (with a `_hash` column) rebuilt by their next sync; the column-wise
conversions for the datastore."""

from __future__ import annotations

import pytest

from satupintu.core.models import Run
from satupintu.data import datastore, datastore_read
from satupintu.data.sync import run_sync
from satupintu.data.validation import ColumnRule, Validator

from .helpers import data_db

pytestmark = data_db()

JALAN = (
    "Kode Ruas;Nama Ruas;Kecamatan;Panjang (km);Kondisi\n"
    "R001;Baturaja - Tanjung Agung;16.01.13;12,5;Baik\n"
    "R002;Simpang Sukaraya - Pusar;16.01.14;;Sedang\n"
    "R001;Ruas ganda (salah ketik);16.01.13;99;Rusak Berat\n"
    "R003;Lengkiti - Muara Jaya;16.01.28;21,75;\n"
)


def records(resource) -> list[dict]:
    columns = [datastore.Column(v.name, v.type) for v in resource.variables.all()]
    return datastore_read.search(resource.pk, columns, sort=[("kode_ruas", False)]).records


def rewrite(resource, content: str) -> None:
    with open(resource.source.file.path, "wb") as handle:
        handle.write(content.encode())


def test_repeated_key_keeps_first_row_and_counts_it_rejected(csv_resource):
    resource = csv_resource(JALAN.encode(), key_columns=["kode_ruas"])
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.counts == {"read": 4, "inserted": 3, "updated": 0, "deleted": 0, "rejected": 1}
    assert "1 baris dengan kunci ganda diabaikan" in run.log_text
    rows = records(resource)
    assert [r["kode_ruas"] for r in rows] == ["R001", "R002", "R003"]
    assert rows[0]["nama_ruas"] == "Baturaja - Tanjung Agung"  # the first R001 wins


def test_empty_cells_compare_equal_and_a_filled_one_is_a_change(csv_resource):
    resource = csv_resource(JALAN.encode(), key_columns=["kode_ruas"])
    run_sync(resource)
    again = run_sync(resource)
    # R002 has no length and R003 no condition: NULL = NULL is no change.
    assert (again.counts["inserted"], again.counts["updated"], again.counts["deleted"]) == (0, 0, 0)
    rewrite(resource, JALAN.replace("16.01.14;;Sedang", "16.01.14;8,2;Sedang"))
    run = run_sync(resource)
    assert (run.counts["inserted"], run.counts["updated"], run.counts["deleted"]) == (0, 1, 0)
    assert str(records(resource)[1]["panjang_km"]) in ("8.2", "8.20", "8.2000000000")


def test_table_of_the_earlier_layout_is_rebuilt(csv_resource):
    resource = csv_resource(JALAN.encode(), key_columns=["kode_ruas"])
    run_sync(resource)
    # What a sync before the column-wise engine left: a `_hash` column and the old signature.
    live = datastore.table_name(resource.pk)
    with datastore.connection().cursor() as cursor:
        cursor.execute(f"ALTER TABLE {datastore.quote(live)} ADD COLUMN _hash CHAR(32)")
        cursor.execute(
            f"UPDATE {datastore.quote(datastore.STATE_TABLE)} SET schema_sig = %s "  # noqa: S608
            "WHERE resource_id = %s",
            ['[["kode_ruas", "text"]]', resource.pk],
        )
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert datastore.read_state(resource.pk)["schema"].startswith('{"layout": 2')
    with datastore.connection().cursor() as cursor:
        names = [
            c.name for c in datastore.connection().introspection.get_table_description(cursor, live)
        ]
    assert "_hash" not in names and len(records(resource)) == 3


def test_batch_check_takes_typed_columns_whole_and_parses_the_rest():
    import datetime as dt
    from decimal import Decimal

    validator = Validator(
        [
            ColumnRule("kode", "kode", "text"),
            ColumnRule("jumlah", "jumlah", "integer", minimum=Decimal(0)),
            ColumnRule("tanggal", "tanggal", "date"),
            ColumnRule("biaya", "biaya", "decimal"),
        ],
        positions=[0, 1, 2, 3],
    )
    batch = [
        (" R001 ", 5, dt.date(2025, 1, 2), Decimal("10.50")),
        ("R002", -1, dt.date(2025, 1, 3), "1.250,5"),
        ("", "7", dt.datetime(2025, 1, 4, 8, 30), None),
    ]
    checked = validator.check_batch(batch)
    assert checked.size == 3
    assert list(checked.problems) == [1]  # -1 is under the minimum
    assert checked.problems[1][0].column == "jumlah"
    accepted = checked.accepted_columns()
    assert accepted[0] == ["R001", None]  # stripped; an empty text is no value
    assert accepted[1] == [5, 7]
    assert accepted[2] == [dt.date(2025, 1, 2), dt.date(2025, 1, 4)]  # a datetime is parsed
    assert accepted[3] == [Decimal("10.50"), None]


def test_batch_check_says_which_columns_may_hold_no_value():
    """The sync counts empty cells only in the columns that may have one (the rest would be a
    pass over every value for nothing); the raw columns give the batch's cursor."""
    validator = Validator(
        [
            ColumnRule("nama", "nama", "text"),
            ColumnRule("kode", "kode", "text"),
            ColumnRule("jumlah", "jumlah", "integer"),
            ColumnRule("luas", "luas", "integer"),
            ColumnRule("catatan", "catatan", "text"),
        ],
        positions=[0, 1, 2, 3, 4],
    )
    checked = validator.check_batch([("a", " ", 1, 1, "x"), ("b", "c", None, 2, None)])
    # A blank text becomes no value; a NULL stays one; "2" needs parsing (may be blank).
    assert checked.nullable == [False, True, True, False, True]
    assert checked.raw_columns[2] == (1, None)
    checked = validator.check_batch([("a", "b", "2", 3, "y")])
    assert checked.nullable == [False, False, True, False, False]
    assert validator.check_batch([]).nullable == [False] * 5


def test_sqlite_column_converters_and_null_counts():
    """Columns converted in one pass each, NULLs kept; NULLs counted by identity (a Decimal
    column compared with None is still counted right)."""
    import datetime as dt
    from decimal import Decimal

    if datastore.connection().vendor != "sqlite":
        pytest.skip("the conversions are SQLite's (ISO text, text decimals, 0/1)")
    columns = [
        datastore.Column("tanggal", "date"),
        datastore.Column("waktu", "datetime"),
        datastore.Column("biaya", "decimal"),
        datastore.Column("aktif", "boolean"),
        datastore.Column("nama", "text"),
    ]
    converters = datastore.converters(columns)
    assert converters[4] is None  # text goes to the driver as it is
    wib = dt.timezone(dt.timedelta(hours=7))
    assert converters[0]([dt.date(2025, 1, 2), None]) == ["2025-01-02", None]
    assert converters[1]([dt.datetime(2025, 1, 2, 8, 30, tzinfo=wib)]) == [
        "2025-01-02T08:30:00+07:00"
    ]
    assert converters[2]([Decimal("10.50"), 3, None]) == ["10.50", "3", None]
    assert converters[3]([True, False, None]) == [1, 0, None]
    assert datastore.none_count([Decimal("1"), None, Decimal("0"), None]) == 2
    assert datastore.none_count([]) == 0
    assert datastore.none_count(["a", None, "b", None]) == 2  # counted by list.count
    assert datastore.none_count((None, None)) == 2
    assert datastore.none_count([3, None, Decimal("1")]) == 1


def test_incremental_merge_updates_in_place_and_appends_new_rows(csv_resource):
    """The staged rows of an incremental run are upserted on `_key`: a changed row keeps its
    `_id`, an unchanged one is not rewritten, a new one is appended; the counts say which."""
    from satupintu.data.models import Resource

    content = JALAN.replace("R001;Ruas ganda (salah ketik);16.01.13;99;Rusak Berat\n", "")
    resource = csv_resource(
        content.encode(),
        key_columns=["kode_ruas"],
        mode=Resource.Mode.INCREMENTAL,
        cursor_column="Kode Ruas",
    )
    assert run_sync(resource).status == Run.Status.SUCCEEDED
    live = datastore.quote(datastore.table_name(resource.pk))

    def ids() -> dict[str, int]:
        with datastore.connection().cursor() as cursor:
            cursor.execute(f"SELECT kode_ruas, _id FROM {live}")  # noqa: S608
            return dict(cursor.fetchall())

    before = ids()
    rewrite(
        resource,
        content.replace("16.01.28;21,75;", "16.01.28;22,5;") + "R004;Baru;16.01.09;3;Baik\n",
    )
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert (run.counts["inserted"], run.counts["updated"], run.counts["deleted"]) == (1, 1, 0)
    after = ids()
    if datastore.connection().vendor != "mysql":  # MariaDB replaces the staged rows instead
        assert {k: after[k] for k in before} == before  # R003 updated in place
        assert after["R004"] > max(before.values())
    rows = {r["kode_ruas"]: r for r in records(resource)}
    assert str(rows["R003"]["panjang_km"]) in ("22.5", "22.50", "22.5000000000")
    assert rows["R001"]["nama_ruas"] == "Baturaja - Tanjung Agung"
    assert datastore.read_state(resource.pk)["row_count"] == 4

# ruff: noqa: S608 -- table and column names are checked by check_identifier() and quoted.
"""Reading published datastore tables: the filtered, sorted page behind CKAN's
datastore_search, the API and the portal preview; every row in order for downloads and
aggregation; grouped sums for the portal's chart and map. Writing (staging, swap, merge) is
datastore.py's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .datastore import (
    Column,
    DatastoreError,
    connection,
    quote,
    table_exists,
    table_name,
    to_db,
)


@dataclass
class SearchResult:
    fields: list[Column]
    records: list[dict]
    total: int


def search(
    resource_id: int,
    columns: Sequence[Column],
    *,
    filters: dict | None = None,
    q: str = "",
    sort: Sequence[tuple[str, bool]] = (),
    limit: int = 100,
    offset: int = 0,
    table: str | None = None,
) -> SearchResult:
    """Rows of a published table restricted to `columns` (the caller passes only the columns
    the reader may see). Filters match exactly (a list means any of); `q` matches text columns
    by substring; sort is [(column, descending)]. Unknown names raise DatastoreError."""
    table = table or table_name(resource_id)
    by_name = {c.name: c for c in columns}
    if not table_exists(table):
        return SearchResult(list(columns), [], 0)
    where, params = [], []
    for name, value in (filters or {}).items():
        if name not in by_name and name != "_id":
            raise DatastoreError(f"Kolom tidak dikenal: {name}")
        values = value if isinstance(value, list) else [value]
        type_ = by_name[name].type if name in by_name else "integer"
        marks = ", ".join(["%s"] * len(values))
        where.append(f"{quote(name)} IN ({marks})")
        params += [to_db(_coerce_filter(v, type_), type_) for v in values]
    if q:
        text_columns = [c.name for c in columns if c.type == "text"]
        if text_columns:
            like = " OR ".join(f"LOWER({quote(n)}) LIKE %s" for n in text_columns)
            where.append(f"({like})")
            params += [f"%{q.lower()}%"] * len(text_columns)
        else:
            where.append("1 = 0")
    order = []
    for name, descending in sort:
        if name not in by_name and name != "_id":
            raise DatastoreError(f"Kolom urutan tidak dikenal: {name}")
        order.append(f"{quote(name)} {'DESC' if descending else 'ASC'}")
    order.append("_id ASC")
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""
    select = ", ".join(["_id", *[quote(c.name) for c in columns]])
    with connection().cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}{where_sql}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {select} FROM {quote(table)}{where_sql} ORDER BY {', '.join(order)} "
            f"LIMIT %s OFFSET %s",
            [*params, int(limit), int(offset)],
        )
        names = ["_id", *[c.name for c in columns]]
        records = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return SearchResult(list(columns), records, total)


def iter_rows(
    resource_id: int, columns: Sequence[Column], batch_size: int = 5000, table: str | None = None
):
    """Every row of a published table in _id order, streamed in batches (for downloads)."""
    table = table or table_name(resource_id)
    if not table_exists(table):
        return
    select = ", ".join(quote(c.name) for c in columns) or "_id"
    last = 0
    while True:
        with connection().cursor() as cursor:
            cursor.execute(
                f"SELECT _id, {select} FROM {quote(table)} WHERE _id > %s ORDER BY _id LIMIT %s",
                [last, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        for row in rows:
            yield row[1:]


def _coerce_filter(value, type_: str):
    if value is None:
        return None
    if type_ == "integer":
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise DatastoreError(f"Nilai penyaring harus bilangan bulat: {value!r}") from exc
    if type_ == "decimal":
        try:
            return Decimal(str(value))
        except ArithmeticError as exc:
            raise DatastoreError(f"Nilai penyaring harus angka: {value!r}") from exc
    return str(value) if not isinstance(value, bool) else value


def _grouped(
    resource_id: int, by: Column, aggregates: Sequence[str], limit: int, *, skip_empty=False
) -> list[tuple]:
    """[(value of `by`, *aggregates)] of a published table grouped by one column."""
    name = quote(by.name)
    where = f" WHERE {name} IS NOT NULL" if skip_empty else ""
    with connection().cursor() as cursor:
        cursor.execute(
            f"SELECT {name}, {', '.join(aggregates)} FROM {quote(table_name(resource_id))}"
            f"{where} GROUP BY {name} ORDER BY {name} LIMIT %s",
            [int(limit)],
        )
        return cursor.fetchall()


def chart_series(
    resource_id: int, category: Column, values: Sequence[Column], limit: int = 50
) -> list[tuple]:
    """[(category, sum of each value column)] grouped by the category column, for charts."""
    return _grouped(resource_id, category, [f"SUM({quote(c.name)})" for c in values], limit)


def region_totals(
    resource_id: int, region: Column, value: Column | None = None, limit: int = 500
) -> list[tuple[str, int, object]]:
    """[(region code, rows, sum of `value` or None)] grouped by the region column, for maps."""
    total = f"SUM({quote(value.name)})" if value else "NULL"
    rows = _grouped(resource_id, region, ["COUNT(*)", total], limit, skip_empty=True)
    return [(str(code), int(count), amount) for code, count, amount in rows]

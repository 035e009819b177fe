"""Aggregation helpers: turn a table of personal data (one row per person) into a publishable
table of counts by region, sex and age band. The personal columns never leave the datastore;
only the counts are written, as a new resource with its own data dictionary."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from . import datastore, datastore_read
from .models import Dataset, Resource, Variable
from .validation import ParseError, parse_date

AGE_BANDS = [(0, 4), (5, 14), (15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200)]
SEX_WORDS = {
    "l": "Laki-laki",
    "lk": "Laki-laki",
    "laki-laki": "Laki-laki",
    "pria": "Laki-laki",
    "p": "Perempuan",
    "pr": "Perempuan",
    "perempuan": "Perempuan",
    "wanita": "Perempuan",
}
# Cells smaller than this are suppressed (shown as empty): tiny counts can identify people.
MIN_CELL = 3


class AggregationError(Exception):
    pass


def age_band(birth, today: dt.date) -> str:
    try:
        born = parse_date(birth)
    except (ParseError, ValueError):
        return "Tidak diketahui"
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for low, high in AGE_BANDS:
        if low <= years <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "Tidak diketahui"


def normalise_sex(value) -> str:
    return SEX_WORDS.get(str(value or "").strip().lower(), "Tidak diketahui")


def aggregate(
    source: Resource,
    target: Dataset,
    *,
    name: str,
    region: str | None = None,
    sex: str | None = None,
    birth_date: str | None = None,
    today: dt.date | None = None,
    min_cell: int = MIN_CELL,
) -> Resource:
    """Counts of `source` rows grouped by the chosen columns, published as a new datastore
    resource of `target` (kept in the same sync state bookkeeping, so it is crash-safe too)."""
    variables = {v.name: v for v in source.variables.all()}
    chosen = [c for c in (region, sex, birth_date) if c]
    if not chosen:
        raise AggregationError("Pilih minimal satu kolom pengelompokan.")
    unknown = [c for c in chosen if c not in variables]
    if unknown:
        raise AggregationError(f"Kolom tidak dikenal: {', '.join(unknown)}")
    today = today or timezone.localdate()
    columns = [datastore.Column(variables[c].name, variables[c].type) for c in chosen]
    counts: Counter = Counter()
    for row in datastore_read.iter_rows(source.pk, columns):
        values = dict(zip(chosen, row, strict=True))
        key = []
        if region:
            key.append(str(values[region] or "Tidak diketahui"))
        if sex:
            key.append(normalise_sex(values[sex]))
        if birth_date:
            key.append(age_band(values[birth_date], today))
        counts[tuple(key)] += 1

    out_columns: list[tuple[str, str, str]] = []
    if region:
        out_columns.append(("kode_wilayah", "text", "Kode wilayah Kemendagri"))
    if sex:
        out_columns.append(("jenis_kelamin", "text", "Jenis kelamin"))
    if birth_date:
        out_columns.append(("kelompok_umur", "text", "Kelompok umur (tahun)"))
    out_columns.append(("jumlah", "integer", "Jumlah orang"))

    with transaction.atomic():
        resource = Resource.objects.create(
            dataset=target,
            name=name,
            kind=Resource.Kind.DATASTORE,
            format="CSV",
            description=f"Agregasi dari {source.dataset.title} — {source.name}; sel di bawah "
            f"{min_cell} orang dikosongkan.",
            key_columns=[c[0] for c in out_columns[:-1]],
        )
        for position, (col, type_, label) in enumerate(out_columns):
            Variable.objects.create(
                resource=resource,
                position=position,
                name=col,
                source_column=col,
                label=label,
                type=type_,
                is_filter=col != "jumlah",
                reference=Variable.Reference.REGION if col == "kode_wilayah" else "",
            )
    store = [datastore.Column(c, t, c != "jumlah") for c, t, _l in out_columns]
    from .sync import start_run

    run = start_run(resource)
    run.start()
    staging = datastore.StagingLoad(resource.pk, store, run.pk)
    staging.begin()
    rows = []
    for key, count in sorted(counts.items()):
        values = [*key, count if count >= min_cell else None]
        rows.append(("\x1f".join(key), *values))
    staging.add(rows)
    total = staging.swap()
    Resource.objects.filter(pk=resource.pk).update(
        row_count=total, has_table=True, last_synced_at=timezone.now(), last_run=run
    )
    run._update(counts={"read": sum(counts.values()), "inserted": total}, processed=total)
    run.finish()
    resource.refresh_from_db()
    return resource

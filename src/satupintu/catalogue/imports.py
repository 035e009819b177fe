"""Bulk import of the application inventory (the spreadsheet Diskominfo keeps) from CSV or XLSX.

Two steps: `read_inventory` turns the file into rows and `check_rows` validates every row with
the same form the workspace uses, so an import can never store what a person could not type.
Nothing is written unless every row is valid (`apply_rows` runs in one transaction).

Encodings: UTF-8 (with or without the BOM Excel adds) is read as is; a file that is not UTF-8 is
read as Windows-1252 (what Excel on Windows saves) and the preview says so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.core.models import Organisation

from .forms import ApplicationForm
from .models import UNKNOWN, Answer, Application

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

# Spreadsheet column → form field. Headers are matched case-insensitively, spaces as "_".
COLUMNS = {
    "nama": "name",
    "slug": "slug",
    "opd": "organisation",
    "deskripsi": "description",
    "url": "url",
    "pengguna": "audience",
    "kategori": "category",
    "status": "lifecycle",
    "hosting": "hosting",
    "basis_data": "database_engine",
    "sso": "uses_sso",
    "api": "has_api",
    "data_pribadi": "holds_personal_data",
    "kontak_teknis": "technical_contact",
}
REQUIRED = ("nama", "opd")
CHOICE_FIELDS = {
    "audience": Application.Audience,
    "lifecycle": Application.Lifecycle,
    "hosting": Application.Hosting,
    "uses_sso": Answer,
    "has_api": Answer,
    "holds_personal_data": Answer,
}


class InventoryError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, columns)."""


@dataclass
class CheckedRow:
    line: int
    values: dict
    action: str = ""  # "baru" or "ubah"
    errors: list[str] = field(default_factory=list)


@dataclass
class Inventory:
    rows: list[dict]  # {"line": n, column: value}
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), _(
            "Berkas bukan UTF-8; dibaca sebagai Windows-1252/Latin-1. Periksa huruf beraksen "
            "di pratinjau."
        )


def _header(cells: list) -> list[str]:
    return ["_".join(str(c or "").strip().lower().split()) for c in cells]


def _table_rows(name: str, data: bytes) -> tuple[list[list], list[str]]:
    notes = []
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise InventoryError(_("Berkas XLSX tidak dapat dibaca.")) from error
        table = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        text, note = _decode(data)
        if note:
            notes.append(note)
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise InventoryError(_("Unggah berkas .csv atau .xlsx."))
    return table, notes


def read_inventory(name: str, data: bytes) -> Inventory:
    if len(data) > MAX_BYTES:
        raise InventoryError(_("Berkas lebih dari 2 MB."))
    table, notes = _table_rows(name, data)
    if not table:
        raise InventoryError(_("Berkas kosong."))
    header = _header(table[0])
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
        allowed = ", ".join(COLUMNS)
        raise InventoryError(
            _("Judul kolom salah (%(problems)s). Kolom yang dikenal: %(allowed)s.")
            % {"problems": "; ".join(parts), "allowed": allowed}
        )
    if len(set(h for h in header if h)) != len([h for h in header if h]):
        raise InventoryError(_("Ada judul kolom yang ganda."))
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {h: str(v).strip() for h, v in zip(header, cells, strict=False) if h}
        if not any(values.values()):
            notes.append(_("Baris %(line)s kosong, dilewati.") % {"line": line})
            continue
        rows.append({"line": line, **values})
    if len(rows) > MAX_ROWS:
        raise InventoryError(_("Paling banyak %(n)s baris per impor.") % {"n": MAX_ROWS})
    if not rows:
        raise InventoryError(_("Berkas tidak berisi baris data."))
    return Inventory(rows, notes)


def _choice(field_name: str, raw: str) -> str:
    """Accept the stored code or the Indonesian label ("Ya", "Uji coba"); empty → unknown."""
    choices = CHOICE_FIELDS[field_name]
    if not raw:
        return UNKNOWN if UNKNOWN in choices.values else choices.values[0]
    lowered = raw.lower()
    for value, label in choices.choices:
        if lowered in (value.lower(), str(label).lower()):
            return value
    return raw  # the form reports it as an invalid choice


def _form_data(row: dict, organisations: dict[str, int], existing: Application | None) -> dict:
    data: dict = {}
    if existing is not None:
        # Columns the file leaves out keep their stored values.
        for field_name in COLUMNS.values():
            attribute = "organisation_id" if field_name == "organisation" else field_name
            data[field_name] = getattr(existing, attribute)
    for column, field_name in COLUMNS.items():
        if column not in row:
            continue
        raw = row[column]
        if field_name == "organisation":
            # An unknown code becomes an id no organisation has: the form reports it.
            data[field_name] = organisations.get(raw.lower(), -1)
        elif field_name in CHOICE_FIELDS:
            data[field_name] = _choice(field_name, raw)
        elif field_name == "database_engine":
            data[field_name] = raw or UNKNOWN
        else:
            data[field_name] = raw
    for field_name in CHOICE_FIELDS:
        data.setdefault(field_name, _choice(field_name, ""))
    data.setdefault("database_engine", UNKNOWN)
    return data


def _forms(rows: list[dict], user) -> list[tuple[CheckedRow, ApplicationForm]]:
    organisations = {
        code.lower(): pk for code, pk in Organisation.objects.values_list("code", "pk")
    }
    by_name = {a.name.lower(): a for a in Application.objects.all()}
    by_slug = {a.slug: a for a in by_name.values()}
    writable = set(Application.objects.for_user(user, write=True).values_list("pk", flat=True))
    seen_names: dict[str, int] = {}
    seen_slugs: dict[str, int] = {}
    out = []
    for row in rows:
        checked = CheckedRow(line=row["line"], values=row)
        name = row.get("nama", "")
        slug = row.get("slug", "") or slugify(name)[:120]
        existing = by_slug.get(slug) if row.get("slug") else by_name.get(name.lower())
        for key, seen, label in ((name.lower(), seen_names, _("Nama")), (slug, seen_slugs, "Slug")):
            if key and key in seen:
                checked.errors.append(
                    _("%(what)s sama dengan baris %(line)s.") % {"what": label, "line": seen[key]}
                )
            elif key:
                seen[key] = checked.line
        if existing is not None and existing.pk not in writable:
            checked.errors.append(
                _("Aplikasi '%(name)s' milik perangkat daerah lain; tidak dapat diubah.")
                % {"name": existing.name}
            )
            existing = None
        data = _form_data(row, organisations, existing)
        if not data.get("slug"):
            data["slug"] = slug
        form = ApplicationForm(data=data, instance=existing, user=user)
        checked.action = _("ubah") if existing is not None else _("baru")
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                label = form.fields[field_name].label if field_name in form.fields else ""
                for message in messages:
                    checked.errors.append(f"{label}: {message}" if label else message)
        out.append((checked, form))
    return out


def check_rows(rows: list[dict], user) -> list[CheckedRow]:
    return [checked for checked, _form in _forms(rows, user)]


def apply_rows(rows: list[dict], user) -> int:
    """Save every row, or nothing: returns the number of saved rows, or raises InventoryError
    when any row is invalid now (the data may have changed since the preview)."""
    with transaction.atomic():
        checked = _forms(rows, user)
        failed = [row for row, _form in checked if row.errors]
        if failed:
            raise InventoryError(
                _("%(n)s baris tidak valid; tidak ada yang disimpan.") % {"n": len(failed)}
            )
        for _row, form in checked:
            form.save()
    return len(checked)

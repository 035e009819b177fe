"""Creating staff accounts: one by one, or imported from a CSV/XLSX file of NIP + name + OPD.

The import checks every row first and reports every problem with its row number; if any row is
wrong nothing is saved (no partial import). Each new account gets a temporary password, shown
once to the admin who created it; the person then has to enrol a second factor (staff MFA).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.core.validators import validate_nip

from .client_forms import admin_organisations
from .models import Membership, User

MAX_ROWS = 2000
MAX_FILE_BYTES = 2 * 1024 * 1024
# Roles an import or an OPD admin may give (platform-wide roles are given in the admin).
IMPORTABLE_ROLES = {
    Role.OPERATOR.value: Role.OPERATOR,
    Role.OPD_ADMIN.value: Role.OPD_ADMIN,
    "operator opd": Role.OPERATOR,
    "admin opd": Role.OPD_ADMIN,
}
HEADERS = {
    "nip": "nip",
    "nama": "name",
    "nama lengkap": "name",
    "opd": "opd",
    "kode opd": "opd",
    "peran": "role",
    "email": "email",
    "jabatan": "position",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too big)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class StaffRow:
    row: int
    nip: str
    name: str
    opd: str
    role: str = ""
    email: str = ""
    position: str = ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class CreatedAccount:
    username: str
    full_name: str
    organisation: str
    role: str
    temporary_password: str


def read_rows(upload) -> list[StaffRow]:
    """Rows of an uploaded .csv or .xlsx file (header row first)."""
    name = (getattr(upload, "name", "") or "").lower()
    if getattr(upload, "size", 0) > MAX_FILE_BYTES:
        raise ImportFileError(_("Berkas terlalu besar (paling besar 2 MB)."))
    if name.endswith(".xlsx"):
        table = _xlsx_table(upload)
    elif name.endswith(".csv"):
        table = _csv_table(upload)
    else:
        raise ImportFileError(_("Unggah berkas .csv atau .xlsx."))
    if not table:
        raise ImportFileError(_("Berkas kosong."))
    header = [HEADERS.get(str(cell or "").strip().lower()) for cell in table[0]]
    missing = {"nip", "name", "opd"} - set(header)
    if missing:
        raise ImportFileError(
            _("Baris judul harus memuat kolom NIP, Nama, dan OPD (kurang: %(missing)s).")
            % {"missing": ", ".join(sorted(missing))}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            key: str(cell).strip() if cell is not None else ""
            for key, cell in zip(header, cells, strict=False)
            if key
        }
        if not any(values.values()):
            continue  # blank line
        rows.append(
            StaffRow(
                row=number,
                nip=values.get("nip", ""),
                name=values.get("name", ""),
                opd=values.get("opd", ""),
                role=values.get("role", ""),
                email=values.get("email", ""),
                position=values.get("position", ""),
            )
        )
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Paling banyak %(n)d baris sekali impor.") % {"n": MAX_ROWS})
    if not rows:
        raise ImportFileError(_("Tidak ada baris data di bawah baris judul."))
    return rows


def _csv_table(upload) -> list[list[str]]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # Excel's "CSV" on Windows
    dialect = csv.excel
    with contextlib.suppress(csv.Error):  # one column, or no delimiter to guess from
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_table(upload) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(_("Berkas .xlsx tidak bisa dibaca.")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def validate_rows(rows: list[StaffRow], actor) -> list[RowError]:
    allowed = {o.code: o for o in admin_organisations(actor)}
    known = set(Organisation.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    errors: list[RowError] = []
    for row in rows:

        def fail(column: str, message: str, row=row) -> None:
            errors.append(RowError(row.row, column, message))

        try:
            nip = validate_nip(row.nip)
        except ValidationError as exc:
            fail("NIP", " ".join(exc.messages))
        else:
            row.nip = str(nip)
            if nip in seen:
                fail("NIP", _("NIP sama dengan baris %(n)d.") % {"n": seen[nip]})
            elif User.objects.find_by_nip(nip) is not None:
                fail("NIP", _("Sudah ada akun dengan NIP ini."))
            seen.setdefault(str(nip), row.row)
        if not row.name:
            fail("Nama", _("Nama wajib diisi."))
        elif len(row.name) > 150:
            fail("Nama", _("Nama terlalu panjang (paling banyak 150 huruf)."))
        if row.opd not in known:
            fail("OPD", _("Kode OPD “%(code)s” tidak dikenal.") % {"code": row.opd})
        elif row.opd not in allowed:
            fail("OPD", _("Anda bukan admin OPD “%(code)s”.") % {"code": row.opd})
        if row.role and row.role.lower() not in IMPORTABLE_ROLES:
            fail("Peran", _("Peran harus operator atau opd_admin."))
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                fail("Email", _("Alamat email tidak valid."))
    return errors


def _username_for(name: str, taken: set[str]) -> str:
    base = ".".join(slugify(re.sub(r",.*$", "", name)).split("-")[:2]) or "aparatur"
    candidate, n = base, 1
    while candidate in taken or User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


def create_accounts(rows: list[StaffRow], actor) -> tuple[list[CreatedAccount], list[RowError]]:
    """All rows or nothing: returns the accounts made, or the errors and no account."""
    errors = validate_rows(rows, actor)
    if errors:
        return [], errors
    organisations = {o.code: o for o in Organisation.objects.filter(code__in={r.opd for r in rows})}
    created: list[CreatedAccount] = []
    taken: set[str] = set()
    with transaction.atomic():
        for row in rows:
            password = secrets.token_urlsafe(9)
            user = User(
                username=_username_for(row.name, taken),
                full_name=row.name,
                email=row.email,
                kind=User.Kind.STAFF,
            )
            user.set_nip(row.nip)
            user.set_password(password)
            user.save()
            role = IMPORTABLE_ROLES[row.role.lower()] if row.role else Role.OPERATOR
            Membership.objects.create(
                user=user, organisation=organisations[row.opd], role=role, position=row.position
            )
            created.append(
                CreatedAccount(
                    user.username,
                    user.full_name,
                    organisations[row.opd].name,
                    str(Role(role).label),
                    password,
                )
            )
    return created, []

"""Reading, validating and importing the Kemendagri region codes (see core/data/README.md).

The import validates the whole file first and writes only when every line is sound, in one
transaction, so a malformed file changes nothing. It is idempotent: a second run with the same
file creates and updates nothing. Codes that disappear from a newer list are kept, because a NIK
or an organisation may still refer to them.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region

DEFAULT_REGION_FILE = Path(__file__).resolve().parent / "data" / "wilayah-kepmendagri-2025.csv.gz"
HEADER = ("kode", "nama")
CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", re.ASCII)
# Undotted codes as they appear inside a NIK (PPRRDD) or in other systems (PPRRDDVVVV):
# length -> where each segment ends.
UNDOTTED_SEGMENT_ENDS = {2: (2,), 4: (2, 4), 6: (2, 4, 6), 10: (2, 4, 6, 10)}
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length
# A file with thousands of bad lines is reported by its first errors; that is enough to act on.
MAX_REPORTED_ERRORS = 20
BATCH_SIZE = 2000


class Scope(StrEnum):
    INSTALLATION = "installation"  # all provinces, regencies, districts + this regency's villages
    ALL = "all"  # every village of Indonesia too


class RegionImportError(Exception):
    """The import cannot proceed; nothing was written."""


class RegionFileError(RegionImportError):
    """The file has malformed lines; `errors` holds one "baris N: ..." message per problem."""

    def __init__(self, errors: list[str], more: int = 0):
        self.errors = errors
        self.more = more
        message = "\n".join(errors)
        if more:
            message += "\n" + _("... dan %(count)d kesalahan lain.") % {"count": more}
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class RegionRow:
    line: int
    code: str
    name: str

    @property
    def level(self) -> int:
        return self.code.count(".") + 1

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    counts: dict[int, LevelCounts] = field(
        default_factory=lambda: {level: LevelCounts() for level in Region.Level.values}
    )
    # Codes already in the database that the file no longer lists (kept, never deleted).
    kept_absent: int = 0

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


class _Errors:
    """Collects (line, message) pairs so problems found in different passes come out in line
    order; the first MAX_REPORTED_ERRORS are spelled out."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.items.append((line, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda item: item[0])
        shown = [
            _("baris %(line)d: %(message)s") % {"line": line, "message": message}
            for line, message in self.items[:MAX_REPORTED_ERRORS]
        ]
        raise RegionFileError(shown, more=len(self.items) - len(shown))


def _raw_lines(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        yield from handle


def _decoded_lines(path: Path, errors: _Errors) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for every line; text is None when the line is not UTF-8."""
    line_no = 0
    try:
        for line_no, raw in enumerate(_raw_lines(path), start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                errors.add(
                    line_no,
                    _(
                        "bukan teks UTF-8 (byte tidak sah di kolom %(column)d); simpan ulang "
                        "berkas sebagai UTF-8"
                    )
                    % {"column": exc.start + 1},
                )
                yield line_no, None
                continue
            if line_no == 1:
                text = text.removeprefix("\ufeff")
            yield line_no, text.rstrip("\r\n")
    except FileNotFoundError as exc:
        raise RegionImportError(_("Berkas %(path)s tidak ditemukan.") % {"path": path}) from exc
    except IsADirectoryError as exc:
        raise RegionImportError(
            _("%(path)s adalah folder, bukan berkas.") % {"path": path}
        ) from exc
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise RegionImportError(
            _("Berkas %(path)s rusak atau bukan gzip yang sah (setelah baris %(line)d): %(error)s")
            % {"path": path, "line": line_no, "error": exc}
        ) from exc
    except OSError as exc:
        raise RegionImportError(
            _("Berkas %(path)s tidak dapat dibaca: %(error)s") % {"path": path, "error": exc}
        ) from exc


def _check_row(line: int, fields: list[str], errors: _Errors) -> RegionRow | None:
    if len(fields) != 2:
        errors.add(
            line,
            _("harus ada 2 kolom (kode,nama), ditemukan %(count)d") % {"count": len(fields)},
        )
        return None
    code, name = fields[0].strip(), fields[1].strip()
    if not CODE_PATTERN.match(code):
        errors.add(
            line,
            _(
                'kode "%(code)s" tidak sesuai format Kemendagri (mis. 16, 16.01, 16.01.28 atau '
                "16.01.28.2009)"
            )
            % {"code": code},
        )
        return None
    if not name:
        errors.add(line, _("nama wilayah untuk kode %(code)s kosong") % {"code": code})
        return None
    if len(name) > NAME_MAX_LENGTH:
        errors.add(
            line,
            _("nama wilayah untuk kode %(code)s lebih dari %(max)d karakter")
            % {"code": code, "max": NAME_MAX_LENGTH},
        )
        return None
    return RegionRow(line=line, code=code, name=name)


def read_region_file(path: Path | str) -> list[RegionRow]:
    """Every region of the file, in file order, after validating every line.

    Raises RegionFileError listing the bad lines (header, code shape, empty name, duplicate
    code, parent not in the file, not UTF-8) or RegionImportError when the file cannot be read.
    """
    path = Path(path)
    errors = _Errors()
    rows: list[RegionRow] = []
    first_line: dict[str, int] = {}
    saw_header = False
    for line, text in _decoded_lines(path, errors):
        if text is None:
            continue
        if not saw_header:
            saw_header = True
            header = tuple(cell.strip().lower() for cell in next(csv.reader([text]), []))
            if header != HEADER:
                errors.add(
                    line,
                    _('baris judul harus "kode,nama", ditemukan "%(found)s"')
                    % {"found": text[:80]},
                )
            continue
        if not text.strip():
            continue  # blank lines (e.g. at the end of the file) carry no data
        row = _check_row(line, next(csv.reader([text])), errors)
        if row is None:
            continue
        if row.code in first_line:
            errors.add(
                line,
                _("kode %(code)s ganda, sudah ada di baris %(first)d")
                % {"code": row.code, "first": first_line[row.code]},
            )
            continue
        first_line[row.code] = line
        rows.append(row)
    if not saw_header:
        raise RegionImportError(_("Berkas %(path)s kosong.") % {"path": path})
    for row in rows:
        parent = row.parent_code
        if parent is not None and parent not in first_line:
            errors.add(
                row.line,
                _("induk %(parent)s dari kode %(code)s tidak ada di berkas")
                % {"parent": parent, "code": row.code},
            )
    errors.raise_if_any()
    if not rows:
        raise RegionImportError(
            _("Berkas %(path)s tidak berisi satu pun wilayah.") % {"path": path}
        )
    return rows


def select_scope(
    rows: Iterable[RegionRow], scope: Scope | str, regency_code: str
) -> list[RegionRow]:
    """The rows an installation keeps: everything above village level, and villages of the
    installation's regency only (unless the scope is `all`)."""
    scope = Scope(scope)
    rows = list(rows)
    if scope == Scope.ALL:
        return rows
    if not any(row.code == regency_code and row.level == Region.Level.REGENCY for row in rows):
        raise RegionImportError(
            _(
                'Kode kabupaten/kota instalasi "%(code)s" (SATUPINTU_REGENCY_CODE) tidak ada di '
                "berkas wilayah."
            )
            % {"code": regency_code}
        )
    prefix = regency_code + "."
    return [row for row in rows if row.level < Region.Level.VILLAGE or row.code.startswith(prefix)]


def import_regions(
    path: Path | str | None = None,
    scope: Scope | str = Scope.INSTALLATION,
    regency_code: str | None = None,
) -> ImportReport:
    """Validate the file, then create new codes and rename changed ones in one transaction."""
    regency_code = regency_code or settings.INSTALLATION["regency_code"]
    rows = select_scope(read_region_file(path or DEFAULT_REGION_FILE), scope, regency_code)
    report = ImportReport()
    wanted = {row.code for row in rows}
    with transaction.atomic():
        existing = {
            code: (name, level, parent_id)
            for code, name, level, parent_id in Region.objects.values_list(
                "code", "name", "level", "parent_id"
            )
        }
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in rows:
            values = (row.name, row.level, row.parent_code)
            counts = report.counts[row.level]
            current = existing.get(row.code)
            if current is None:
                to_create.append(
                    Region(code=row.code, name=row.name, level=row.level, parent_id=row.parent_code)
                )
                counts.created += 1
            elif current != values:
                to_update.append(
                    Region(code=row.code, name=row.name, level=row.level, parent_id=row.parent_code)
                )
                counts.updated += 1
            else:
                counts.unchanged += 1
        Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=500)
    if scope == Scope.ALL:
        report.kept_absent = sum(1 for code in existing if code not in wanted)
    else:
        # Out-of-scope villages of other regencies are not "absent": only count codes the
        # installation scope covers.
        prefix = regency_code + "."
        report.kept_absent = sum(
            1
            for code, (_name, level, _parent) in existing.items()
            if code not in wanted and (level < Region.Level.VILLAGE or code.startswith(prefix))
        )
    return report


def normalise_region_code(code: str) -> str | None:
    """The dotted form of a region code given dotted ("16.01.28") or undotted ("160128", as in
    the first six digits of a NIK), or None when it has neither shape."""
    code = (code or "").strip()
    if CODE_PATTERN.match(code):
        return code
    if not code.isascii() or not code.isdigit() or len(code) not in UNDOTTED_SEGMENT_ENDS:
        return None
    ends = UNDOTTED_SEGMENT_ENDS[len(code)]
    return ".".join(code[start:end] for start, end in zip((0, *ends), ends, strict=False))


def region_code_known(code: str) -> bool:
    """Whether a region code is in the imported Kemendagri list. Accepts "16.01.28" or the
    6-digit district segment of a NIK ("160128")."""
    normalised = normalise_region_code(code)
    return normalised is not None and Region.objects.filter(pk=normalised).exists()


def regency_regions_installed(regency_code: str | None = None) -> bool:
    """Whether the installation's regency, its districts and its villages are imported."""
    regency_code = regency_code or settings.INSTALLATION["regency_code"]
    prefix = regency_code + "."
    return (
        Region.objects.filter(pk=regency_code).exists()
        and Region.objects.filter(code__startswith=prefix, level=Region.Level.DISTRICT).exists()
        and Region.objects.filter(code__startswith=prefix, level=Region.Level.VILLAGE).exists()
    )

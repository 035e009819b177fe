"""Validation of incoming rows, Indonesian number and date parsing, the personal-data guard and
the dataset quality score."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

# --- parsing ------------------------------------------------------------------------------------

TRUE_WORDS = {"1", "true", "ya", "y", "yes", "benar", "ada"}
FALSE_WORDS = {"0", "false", "tidak", "t", "no", "n", "salah", "tidak ada"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M")
THOUSANDS_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
THOUSANDS_COMMAS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


class ParseError(ValueError):
    pass


def parse_decimal(value, decimal_separator: str = ",") -> Decimal:
    """Numbers as Indonesian offices write them: "1.234.567", "12,5", "1.234,56", "Rp 150.000",
    and the English forms ("1,234.56") when the separators make the reading unambiguous."""
    if isinstance(value, bool):
        raise ParseError("bukan angka")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    text = re.sub(r"^(rp\.?|idr)", "", text, flags=re.IGNORECASE)
    text = text.rstrip("%")
    if not text:
        raise ParseError("kosong")
    if "," in text and "." in text:
        # Whichever comes last is the decimal separator.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if decimal_separator == "." and THOUSANDS_COMMAS.match(text):
            text = text.replace(",", "")
        elif text.count(",") > 1:
            if not THOUSANDS_COMMAS.match(text):
                raise ParseError("format angka tidak dikenal")
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif "." in text and (
        (decimal_separator == "," and THOUSANDS_DOTS.match(text)) or text.count(".") > 1
    ):
        if not THOUSANDS_DOTS.match(text):
            raise ParseError("format angka tidak dikenal")
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ParseError("bukan angka") from exc
    if not number.is_finite():
        raise ParseError("bukan angka")
    return number


def parse_integer(value, decimal_separator: str = ",") -> int:
    number = parse_decimal(value, decimal_separator)
    if number != number.to_integral_value():
        raise ParseError("bukan bilangan bulat")
    return int(number)


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError as exc:
        raise ParseError("bukan tanggal (tulis 2026-11-24 atau 24/11/2026)") from exc


def parse_datetime(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = str(value).strip()
        moment = None
        for fmt in DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError as exc:
                raise ParseError("bukan tanggal dan waktu") from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def parse_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ParseError("bukan ya/tidak")


def parse_value(value, type_: str, decimal_separator: str = ","):
    """The typed value of a cell, None for an empty cell; ParseError when it does not fit."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if type_ == "integer":
        return parse_integer(value, decimal_separator)
    if type_ == "decimal":
        return parse_decimal(value, decimal_separator)
    if type_ == "date":
        return parse_date(value)
    if type_ == "datetime":
        return parse_datetime(value)
    if type_ == "boolean":
        return parse_boolean(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def infer_type(values: Iterable, decimal_separator: str = ",") -> str:
    """The narrowest type all non-empty sample values fit (text when nothing else does)."""
    sample = [v for v in values if v is not None and str(v).strip() != ""]
    if not sample:
        return "text"
    # Codes with leading zeros (region codes, NIK, phone numbers) stay text.
    if any(isinstance(v, str) and re.match(r"^0\d", v.strip()) for v in sample):
        return "text"
    if any(
        isinstance(v, str) and re.match(r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$", v.strip())
        for v in sample
    ):
        return "text"
    for type_ in ("boolean", "integer", "decimal", "date", "datetime"):
        if type_ == "boolean" and not all(
            isinstance(v, bool) or str(v).strip().lower() in {"ya", "tidak", "true", "false"}
            for v in sample
        ):
            continue
        try:
            for value in sample:
                parse_value(value, type_, decimal_separator)
        except (ParseError, ValueError):
            continue
        if type_ == "integer" and any(isinstance(v, str) and len(v.strip()) >= 15 for v in sample):
            return "text"  # 16-digit identifiers are codes, not quantities
        return type_
    return "text"


# --- row validation ------------------------------------------------------------------------------


@dataclass
class ColumnRule:
    name: str
    source: str
    type: str
    required: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    allowed: frozenset[str] = frozenset()
    reference: str = ""
    personal: bool = False


@dataclass
class RowProblem:
    column: str
    value: str
    message: str


@dataclass
class BatchResult:
    """A checked batch: one list of typed values per rule (every row, rejected ones included;
    a column of server text stays text, see Validator.server_text), the problems by row index,
    and the number of rows."""

    columns: list[list]
    problems: dict[int, list[RowProblem]]
    size: int
    # Per column, False when it certainly holds no None (the empty-cell count skips it), and
    # the raw source columns (the sync's cursor is taken from there).
    nullable: list[bool] | None = None
    raw_columns: list[tuple] | None = None

    def accepted_columns(self) -> list[list]:
        """The columns without the rejected rows."""
        if not self.problems:
            return self.columns
        keep = [i for i in range(self.size) if i not in self.problems]
        return [[column[i] for i in keep] for column in self.columns]


NoneType = type(None)


# Python types a database driver already hands over for each column type: such values need no
# parsing (the hot path of a database sync).
NATIVE_TYPES = {
    "integer": frozenset({int}),
    "decimal": frozenset({Decimal, int}),
    "date": frozenset({dt.date}),
}


@dataclass
class Validator:
    rules: Sequence[ColumnRule]
    decimal_separator: str = ","
    region_codes: frozenset[str] | None = None
    # Position of each rule's source column in the raw row tuples (check_batch()).
    positions: Sequence[int] = ()
    # Positions holding the source server's own text of the rule's type (dates, datetimes,
    # decimals read as text, data/wire.py): taken as they are for a rule without checks.
    server_text: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        # Per rule: no checks, so a value of the right type is accepted as it is.
        self.plain = [
            not (
                r.required
                or r.minimum is not None
                or r.maximum is not None
                or r.allowed
                or (r.reference == "region" and self.region_codes is not None)
            )
            for r in self.rules
        ]

    def check_batch(self, rows: Sequence[tuple]) -> BatchResult:
        """The typed values of a batch of source row tuples, column by column: a column whose
        values the database driver already typed (and that has no checks) is taken as it is, in
        C-speed passes over the column; only the other columns are parsed value by value."""
        if not rows:
            return BatchResult([[] for _ in self.rules], {}, 0, [False] * len(self.rules), [])
        raw_columns = list(zip(*rows, strict=True))
        columns, problems, nullable = [], {}, []
        tz = timezone.get_default_timezone()
        for rule, plain, position in zip(self.rules, self.plain, self.positions, strict=True):
            raw = raw_columns[position]
            kinds = set(map(type, raw))
            has_null = NoneType in kinds
            kinds.discard(NoneType)
            if plain and rule.type == "text" and kinds == {str} and not has_null:
                # No NULL: strip in one C pass; blanks (rare) become None in a second one.
                stripped = list(map(str.strip, raw))
                has_null = "" in stripped
                columns.append([v or None for v in stripped] if has_null else stripped)
            elif plain and rule.type == "text" and kinds <= {str}:
                columns.append([v.strip() or None if v is not None else None for v in raw])
                has_null = True
            elif plain and rule.type == "datetime" and kinds <= {dt.datetime}:
                columns.append([v if v is None or v.tzinfo else v.replace(tzinfo=tz) for v in raw])
            elif plain and position in self.server_text and kinds <= {str}:
                # Server text stays text: wire.py turns it into the stored form column-wise.
                columns.append(list(raw))
            elif plain and kinds <= NATIVE_TYPES.get(rule.type, frozenset()):
                # Exact types: a datetime in a date column is not a date (it gets parsed).
                columns.append(list(raw))
            else:
                columns.append(self._check_column(rule, plain, raw, problems))
                has_null = True
            nullable.append(has_null)
        return BatchResult(columns, problems, len(rows), nullable, raw_columns)

    def _check_column(self, rule: ColumnRule, plain: bool, raw: Sequence, problems: dict) -> list:
        """The parsed values of one column; problems are added per row index."""
        values = []
        for row, raw_value in enumerate(raw):
            try:
                value = parse_value(raw_value, rule.type, self.decimal_separator)
            except ParseError as exc:
                shown = "***" if rule.personal else str(raw_value)[:200]
                problems.setdefault(row, []).append(RowProblem(rule.name, shown, str(exc)))
                values.append(None)
                continue
            if value is None:
                if rule.required:
                    problems.setdefault(row, []).append(RowProblem(rule.name, "", "wajib diisi"))
            elif not plain:
                shown = "***" if rule.personal else str(raw_value)[:200]
                found = self._check_value(rule, value, shown)
                if found:
                    problems.setdefault(row, []).extend(found)
            values.append(value)
        return values

    def _check_value(self, rule: ColumnRule, value, shown: str) -> list[RowProblem]:
        problems = []
        if (
            rule.minimum is not None
            and rule.type in ("integer", "decimal")
            and value < rule.minimum
        ):
            problems.append(RowProblem(rule.name, shown, f"kurang dari minimum {rule.minimum}"))
        if (
            rule.maximum is not None
            and rule.type in ("integer", "decimal")
            and value > rule.maximum
        ):
            problems.append(RowProblem(rule.name, shown, f"lebih dari maksimum {rule.maximum}"))
        if rule.allowed and str(value) not in rule.allowed:
            problems.append(RowProblem(rule.name, shown, "nilai tidak ada dalam daftar"))
        if (
            rule.reference == "region"
            and self.region_codes is not None
            and str(value) not in self.region_codes
        ):
            problems.append(
                RowProblem(rule.name, shown, "kode wilayah tidak ada di daftar Kemendagri")
            )
        return problems


# --- personal-data guard -------------------------------------------------------------------------

NAME_PATTERNS = [
    ("nik", re.compile(r"(^|_)(nik|no_?ktp|nomor_?ktp|nomor_induk_kependudukan)($|_)")),
    ("kk", re.compile(r"(^|_)(no_?kk|nomor_?kk|kk|nomor_kartu_keluarga|no_kartu_keluarga)($|_)")),
    ("phone", re.compile(r"(^|_)(telp|telepon|tlp|hp|no_?hp|handphone|phone|whatsapp|wa)($|_)")),
    ("birth_date", re.compile(r"(tgl|tanggal|tempat_tanggal)_?lahir|birth_?date|dob|ttl$")),
    ("address", re.compile(r"(^|_)(alamat|address|alamat_rumah|alamat_lengkap)($|_)")),
    (
        "name",
        re.compile(
            r"^(nama|name|nama_lengkap|full_name|nama_pasien|nama_penduduk|nama_pemohon|"
            r"nama_siswa|nama_kepala_keluarga|nama_ibu|nama_ayah|nama_penerima|nama_pelapor)$"
        ),
    ),
]
NIK_VALUE = re.compile(r"^\d{16}$")
PHONE_VALUE = re.compile(r"^(\+62|62|0)8\d{7,11}$")
ADDRESS_VALUE = re.compile(
    r"\b(jl\.?|jalan|gg\.?|gang|rt\.?\s*\d+|rw\.?\s*\d+|no\.\s*\d+)", re.IGNORECASE
)


def detect_personal_kind(name: str, sample: Iterable) -> str:
    """The kind of personal data a column holds ('' for none), by its name and its values."""
    lowered = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    for kind, pattern in NAME_PATTERNS:
        if pattern.search(lowered):
            return kind
    values = [
        str(v).strip().replace(" ", "").replace("-", "") for v in sample if v not in (None, "")
    ]
    if not values:
        return ""
    share = max(1, int(len(values) * 0.8))
    if sum(bool(NIK_VALUE.match(v)) for v in values) >= share:
        # A KK number has the same shape as a NIK; the name decides when it says "kk".
        return "nik"
    if sum(bool(PHONE_VALUE.match(v)) for v in values) >= share:
        return "phone"
    raw = [str(v) for v in sample if v not in (None, "")]
    if sum(bool(ADDRESS_VALUE.search(v)) for v in raw) >= share:
        return "address"
    return ""


# --- quality score ---------------------------------------------------------------------


def quality_score(
    *,
    cells: int,
    empty_cells: int,
    rows_read: int,
    rows_rejected: int,
    data_updated_at,
    frequency_days: int | None,
    now=None,
) -> dict:
    """Completeness (filled cells), validity (rows accepted) and timeliness (updated within
    the dataset's frequency) in percent, and their mean as the dataset's score."""
    now = now or timezone.now()
    completeness = 100 if not cells else round(100 * (cells - empty_cells) / cells)
    validity = 100 if not rows_read else round(100 * (rows_read - rows_rejected) / rows_read)
    if data_updated_at is None:
        timeliness = 0
    elif frequency_days is None:
        timeliness = 100
    else:
        age = (now - data_updated_at).days
        timeliness = (
            100
            if age <= frequency_days
            else max(0, round(100 - 100 * (age - frequency_days) / frequency_days))
        )
    score = round((completeness + validity + timeliness) / 3)
    return {
        "completeness": completeness,
        "validity": validity,
        "timeliness": timeliness,
        "score": score,
    }

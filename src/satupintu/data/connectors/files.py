"""CSV and XLSX sources (uploaded or fetched from a URL): encoding detection, delimiter
sniffing, messy multi-row headers, title and total rows, all streamed row by row."""

from __future__ import annotations

import codecs
import csv
import os
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator

from charset_normalizer import from_bytes
from django.conf import settings

from ..validation import infer_type
from .base import Connector, ConnectorError, SourceColumn, check_url

SCAN_ROWS = 40
SAMPLE_ROWS = 500
TOTAL_WORDS = re.compile(r"^\s*(jumlah|total|jumlah total|grand total)\s*$", re.IGNORECASE)
NUMBER_LIKE = re.compile(r"^[+-]?(rp\.?\s*)?[\d.,]+%?$", re.IGNORECASE)


def max_bytes() -> int:
    return settings.DATA_MAX_FILE_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def fetch_to_temp(url: str, suffix: str) -> str:
    """Download a source file, refusing more than the size limit without reading it all."""
    check_url(url)
    limit = max_bytes()
    request = urllib.request.Request(url, headers={"User-Agent": "satupintu-data/1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > limit:
                raise ConnectorError(
                    f"Berkas terlalu besar ({_megabytes(declared)}); batasnya {_megabytes(limit)}."
                )
            handle, path = tempfile.mkstemp(suffix=suffix)
            size = 0
            with os.fdopen(handle, "wb") as out:
                while chunk := response.read(1024 * 1024):
                    size += len(chunk)
                    if size > limit:
                        out.close()
                        os.unlink(path)
                        raise ConnectorError(f"Berkas lebih besar dari batas {_megabytes(limit)}.")
                    out.write(chunk)
            return path
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise ConnectorError(f"Berkas tidak dapat diunduh dari {url}: {exc}") from exc


class FileConnector(Connector):
    suffix = ""

    def __init__(self, source, resource=None):
        super().__init__(source, resource)
        self._path: str | None = None
        self._temporary = False
        self._layout: tuple[int, list[str]] | None = None

    @property
    def path(self) -> str:
        if self._path is None:
            if self.source.file:
                self._path = self.source.file.path
            elif self.source.url:
                self._path = fetch_to_temp(self.source.url, self.suffix)
                self._temporary = True
            else:
                raise ConnectorError("Unggah berkas atau isi URL berkas.")
            size = os.path.getsize(self._path)
            if size > max_bytes():
                raise ConnectorError(
                    f"Berkas terlalu besar ({_megabytes(size)}); "
                    f"batasnya {_megabytes(max_bytes())}. "
                    "Pecah berkas atau hubungkan basis datanya langsung."
                )
            self.check_signature(self._path)
        return self._path

    def close(self) -> None:
        if self._temporary and self._path and os.path.exists(self._path):
            os.unlink(self._path)
        self._path = None

    def check_signature(self, path: str) -> None:
        """Refuse a file whose content is not what its kind says."""

    def raw_rows(self) -> Iterator[list]:
        raise NotImplementedError

    # --- layout: where the header is and what the columns are called -----------------------
    def layout(self) -> tuple[int, list[str]]:
        """(index of the first data row, column labels)."""
        if self._layout is None:
            head = []
            for index, row in enumerate(self.raw_rows()):
                head.append(row)
                if index >= SCAN_ROWS:
                    break
            self._layout = detect_header(head, self.options.get("header_rows"))
        return self._layout

    def test(self) -> str:
        start, labels = self.layout()
        return f"Berkas terbaca: {len(labels)} kolom, data mulai baris {start + 1}."

    def columns(self) -> list[SourceColumn]:
        _start, labels = self.layout()
        samples: list[list] = [[] for _ in labels]
        for count, row in enumerate(self.data_rows()):
            for index, value in enumerate(row):
                samples[index].append(value)
            if count + 1 >= SAMPLE_ROWS:
                break
        decimal = self.options.get("decimal_separator", ",")
        return [
            SourceColumn(label, infer_type(sample, decimal), sample[:50])
            for label, sample in zip(labels, samples, strict=True)
        ]

    def data_rows(self) -> Iterator[tuple]:
        start, labels = self.layout()
        width = len(labels)
        skip_totals = self.options.get("skip_total_rows", True)
        for index, row in enumerate(self.raw_rows()):
            if index < start:
                continue
            cells = [_clean(v) for v in row[:width]]
            cells += [None] * (width - len(cells))
            if all(v in (None, "") for v in cells):
                continue
            if skip_totals and isinstance(cells[0], str) and TOTAL_WORDS.match(cells[0]):
                continue
            yield tuple(cells)

    def batches(
        self, *, cursor_column: str = "", after=None, batch_size: int = 5000
    ) -> Iterator[list[tuple]]:
        batch = []
        for row in self.data_rows():
            batch.append(row)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _is_number(value) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(NUMBER_LIKE.match(value.strip()))


def detect_header(rows: list[list], header_rows: int | None = None) -> tuple[int, list[str]]:
    """Skip empty and title rows, join a multi-row (merged-cell) header into one label per
    column, and return (first data row index, labels)."""
    width = max((len(r) for r in rows), default=0)
    filled = [[_clean(v) for v in r] + [None] * (width - len(r)) for r in rows]
    index = 0
    while index < len(filled):
        non_empty = [v for v in filled[index] if v not in (None, "")]
        if non_empty and (len(non_empty) > 1 or width < 3):
            break
        index += 1
    if index >= len(filled):
        raise ConnectorError("Tidak ditemukan baris judul kolom di berkas.")
    first = index
    if header_rows:
        index = first + int(header_rows)
    else:
        index = first + 1
        table_last = max(_last_filled(r) for r in filled)
        while index < len(filled):
            previous, row = filled[index - 1], filled[index]
            gaps = any(v in (None, "") for v in previous[: table_last + 1])
            if gaps and not any(_is_number(v) for v in row) and any(v for v in row):
                index += 1
            else:
                break
    header = filled[first:index]
    # Merged cells span to the right: carry a label right over empty cells of upper rows.
    for row in header[:-1]:
        carry = None
        for col in range(width):
            if row[col] not in (None, ""):
                carry = row[col]
            elif carry is not None and any(lower[col] for lower in header[header.index(row) + 1 :]):
                row[col] = carry
    labels, used = [], set()
    last = max(_last_filled(r) for r in header)
    for col in range(last + 1):
        parts = []
        for row in header:
            part = str(row[col]) if row[col] not in (None, "") else ""
            if part and part not in parts:
                parts.append(part)
        label = " ".join(parts) or f"kolom {col + 1}"
        while label in used:
            label = f"{label} ({col + 1})"
        used.add(label)
        labels.append(label)
    return index, labels


def _last_filled(row: list) -> int:
    last = 0
    for col, value in enumerate(row):
        if value not in (None, ""):
            last = col
    return last


# --- CSV --------------------------------------------------------------------------------------


def detect_encoding(path: str) -> str:
    """UTF-8 (with or without BOM), or a single-byte Windows/Latin encoding. A file mixing
    UTF-8 and Latin-1 lines cannot be read correctly, so it is refused with the line numbers."""
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        utf8_lines, bad_lines, sample = [], [], bytearray()
        for number, line in enumerate(handle, start=1):
            if len(sample) < 256 * 1024:
                sample += line
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_lines.append(number)
            except UnicodeDecodeError:
                bad_lines.append(number)
    if not bad_lines:
        return "utf-8"
    if utf8_lines:
        raise ConnectorError(
            "Berkas mencampur encoding: baris "
            f"{', '.join(map(str, utf8_lines[:3]))} UTF-8, baris "
            f"{', '.join(map(str, bad_lines[:3]))} bukan. Simpan ulang berkas sebagai CSV UTF-8."
        )
    best = from_bytes(bytes(sample), cp_isolation=["cp1252", "latin_1"]).best()
    return best.encoding if best else "cp1252"


class CsvConnector(FileConnector):
    suffix = ".csv"

    def check_signature(self, path: str) -> None:
        with open(path, "rb") as handle:
            head = handle.read(8192)
        if head.startswith(b"PK\x03\x04"):
            raise ConnectorError(
                "Berkas ini bukan CSV: isinya berkas Excel/ZIP. Pilih jenis sumber XLSX."
            )
        if head.startswith(b"%PDF") or (
            b"\x00" in head.replace(b"\x00\x00", b"")
            and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        ):
            raise ConnectorError("Berkas ini bukan CSV (isinya biner).")

    @property
    def encoding(self) -> str:
        if "_encoding" not in self.__dict__:
            self.__dict__["_encoding"] = self.options.get("encoding") or detect_encoding(self.path)
        return self.__dict__["_encoding"]

    @property
    def dialect_delimiter(self) -> str:
        if "_delimiter" not in self.__dict__:
            delimiter = self.options.get("delimiter")
            if not delimiter:
                with open(self.path, encoding=self.encoding, newline="") as handle:
                    sample = handle.read(64 * 1024)
                try:
                    delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
                except csv.Error:
                    delimiter = ","
            self.__dict__["_delimiter"] = delimiter
        return self.__dict__["_delimiter"]

    def raw_rows(self) -> Iterator[list]:
        try:
            with open(self.path, encoding=self.encoding, newline="") as handle:
                yield from csv.reader(handle, delimiter=self.dialect_delimiter)
        except UnicodeDecodeError as exc:
            raise ConnectorError(f"Encoding berkas tidak konsisten: {exc}") from exc
        except csv.Error as exc:
            raise ConnectorError(f"CSV rusak: {exc}") from exc


# --- XLSX -------------------------------------------------------------------------------------


class XlsxConnector(FileConnector):
    suffix = ".xlsx"

    def check_signature(self, path: str) -> None:
        with open(path, "rb") as handle:
            head = handle.read(4)
        if head != b"PK\x03\x04" or not zipfile.is_zipfile(path):
            raise ConnectorError(
                "Berkas ini bukan XLSX (Excel 2007 ke atas). Berkas .xls lama "
                "atau CSV yang diganti namanya tidak dapat dibaca sebagai XLSX."
            )

    def raw_rows(self) -> Iterator[list]:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ConnectorError(f"Berkas XLSX tidak dapat dibuka: {exc}") from exc
        try:
            sheet_name = self.options.get("sheet")
            if sheet_name and sheet_name not in workbook.sheetnames:
                raise ConnectorError(f"Lembar {sheet_name!r} tidak ada di berkas.")
            sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
            for row in sheet.iter_rows(values_only=True):
                yield list(row)
        finally:
            workbook.close()

"""CSV and XLSX export of a table's rows (every filtered row, not one page).

CSV starts with a UTF-8 byte order mark so Excel opens names like "Ogan Komering Ulu Timur" and
"Dinas Pekerjaan Umum & Penataan Ruang" without mojibake, and text cells that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) are prefixed with an
apostrophe (OWASP "CSV injection"). XLSX cells are written with the string type, so they are
never formulas, and keep their real types for numbers and dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def neutralise_formula(value: Any) -> Any:
    """Text that a spreadsheet would evaluate is prefixed with an apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_text(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return neutralise_formula(value)


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise_formula(h) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(value) for value in row])


def xlsx_bytes(headers: list[str], rows: Iterable[list[Any]], *, title: str = "Data") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # Sheet titles: at most 31 characters, none of []:*?/\ .
    sheet = workbook.create_sheet(title=slugify(title)[:31] or "data")
    bold = Font(bold=True)

    def text_cell(value: str, font=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(str(h), bold) for h in headers])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cells.append(text_cell(value))
            else:
                cells.append(WriteOnlyCell(sheet, value=value))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(base: str, fmt: str) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"{slugify(base) or 'data'}-{stamp}.{fmt}"


def export_response(
    fmt: str, headers: list[str], rows: Iterable[list[Any]], *, basename: str
) -> HttpResponse | StreamingHttpResponse:
    """A download of all `rows` in `fmt` ("csv" or "xlsx"); ValueError for another format."""
    name = filename(basename, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(headers, rows, title=basename), content_type=XLSX_CONTENT_TYPE
        )
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

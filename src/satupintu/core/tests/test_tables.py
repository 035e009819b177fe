"""core.tables (Table, Column, TableListView) and core.export (CSV/XLSX)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from openpyxl import load_workbook

from satupintu.core import export
from satupintu.core.models import Organisation
from satupintu.core.tables import Column, Table, TableListView, format_value, resolve
from satupintu.core.views import OrganisationListView


class PersonTable(Table):
    name = Column("Nama", link="profile_url")
    district = Column("Kecamatan", accessor="address.district")
    fee = Column("Biaya", numeric=True)
    note = Column("Catatan", export_only=True)

    class Meta:
        caption = "Warga"


def _rows() -> list[dict]:
    return [
        {
            "name": "Siti Aminah",
            "profile_url": "/warga/1/",
            "address": {"district": "Lengkiti"},
            "fee": 150000,
            "note": '=HYPERLINK("http://evil")',
        },
        {
            "name": "Budi Santoso",
            "profile_url": None,
            "address": {"district": None},
            "fee": None,
            "note": "biasa",
        },
    ]


def test_columns_keep_declaration_order_and_subclasses_add_columns():
    class WithStatus(PersonTable):
        status = Column("Status")

    assert [c.name for c in PersonTable.columns] == ["name", "district", "fee", "note"]
    assert [c.name for c in WithStatus.columns] == ["name", "district", "fee", "note", "status"]
    assert PersonTable.caption == "Warga"
    # The page hides export-only columns; the download has them.
    table = PersonTable(_rows())
    assert [c.name for c in table.visible_columns] == ["name", "district", "fee"]
    assert table.export_headers() == ["Nama", "Kecamatan", "Biaya", "Catatan"]


def test_cells_format_values_links_and_empty_values():
    with translation.override("id"):
        first, second = PersonTable(_rows()).rows
    assert first[0].text == "Siti Aminah" and first[0].url == "/warga/1/"
    assert first[1].text == "Lengkiti"
    assert first[2].text == "150.000" and first[2].numeric
    assert second[0].url is None
    assert second[1].text == "—" and second[2].text == "—"


def test_resolve_follows_attributes_dict_keys_and_methods():
    org = Organisation(name="Dinas Kesehatan", kind=Organisation.Kind.DINAS)
    assert resolve(org, "get_kind_display") == "Dinas"
    assert resolve({"a": {"b": 3}}, "a.b") == 3
    assert resolve({"a": None}, "a.b") is None


def test_format_value_uses_local_time_with_zone_label_and_indonesian_words():
    moment = datetime.datetime(2026, 11, 24, 7, 5, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert format_value(moment) == "24 Nov 2026 14.05 WIB"
        assert format_value(True) == "Ya"
        assert format_value(Decimal("1234567.5")) == "1.234.567,5"
    with translation.override("en"):
        assert format_value(False) == "No"


def test_csv_starts_with_bom_and_neutralises_formulas():
    table = PersonTable([])
    body = "".join(export.csv_lines(table.export_headers(), table.export_rows(_rows())))
    assert body.startswith("\ufeffNama,Kecamatan,Biaya,Catatan")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1] == ["Siti Aminah", "Lengkiti", "150000", '\'=HYPERLINK("http://evil")']
    assert rows[2] == ["Budi Santoso", "", "", "biasa"]
    for dangerous in ("=1+1", "+62812", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert export.neutralise_formula(dangerous) == "'" + dangerous
    # Numbers stay numbers (a negative amount is not a formula).
    assert export.neutralise_formula(-5) == -5
    assert export.neutralise_formula("Rp 150.000") == "Rp 150.000"


def test_xlsx_keeps_types_and_never_writes_formulas():
    table = PersonTable([])
    data = export.xlsx_bytes(table.export_headers(), table.export_rows(_rows()), title="warga")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Nama", "Kecamatan", "Biaya", "Catatan"]
    assert values[1][2] == 150000
    # The text is kept as text: the cell is a string, not a formula.
    assert values[1][3] == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_export_value_makes_datetimes_local_and_naive():
    from satupintu.core.tables import export_value

    moment = timezone.make_aware(datetime.datetime(2026, 11, 24, 14, 5, 9, 123))
    assert export_value(moment) == datetime.datetime(2026, 11, 24, 14, 5, 9)


@pytest.fixture
def many_organisations(db):
    Organisation.objects.bulk_create(
        Organisation(
            code=f"kecamatan-{n:03d}",
            name=f"Kecamatan Contoh {n:03d}",
            short_name=f"Kec {n:03d}",
            kind=Organisation.Kind.KECAMATAN,
        )
        for n in range(1, 61)
    )
    Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=Organisation.Kind.DINAS
    )


def _get(view, query: dict):
    request = RequestFactory().get("/opd/", query)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = view.as_view()(request)
    if hasattr(response, "render"):
        response.render()
    return response


@pytest.mark.parametrize(
    ("page", "expected"), [("abc", 1), ("999", 3), ("-1", 3), ("0", 3), ("", 1), ("2", 2)]
)
def test_page_out_of_range_or_not_a_number_shows_a_real_page(many_organisations, page, expected):
    response = _get(OrganisationListView, {"page": page})
    assert response.status_code == 200
    assert response.context_data["page_obj"].number == expected


def test_export_contains_every_filtered_row_not_one_page(many_organisations):
    response = _get(OrganisationListView, {"kind": "kecamatan", "export": "csv", "page": "2"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "perangkat-daerah-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(lines) == 1 + 60  # header + all 60 kecamatan, across 3 pages of 25
    assert all("Kecamatan Contoh" in line[0] for line in lines[1:])


def test_xlsx_export_of_a_filtered_list(many_organisations):
    response = _get(OrganisationListView, {"q": "kesehatan", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Dinas Kesehatan"


def test_unknown_export_format_is_a_400_with_a_message(many_organisations):
    with translation.override("id"):
        response = _get(OrganisationListView, {"export": "pdf"})
    assert response.status_code == 400
    assert "Format unduhan “pdf” tidak tersedia" in response.content.decode()


def test_invalid_filter_shows_the_error_and_no_rows(many_organisations):
    with translation.override("id"):
        response = _get(OrganisationListView, {"kind": "bukan-jenis"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert response.context_data["paginator"].count == 0
    export_response = _get(OrganisationListView, {"kind": "bukan-jenis", "export": "csv"})
    assert export_response.status_code == 400


def test_a_list_view_without_filters_still_paginates(db):
    class PlainList(TableListView):
        table_class = PersonTable
        paginate_by = 1

        def get_base_queryset(self):
            return Organisation.objects.all()

    class OrganisationNames(Table):
        name = Column("Nama")

    PlainList.table_class = OrganisationNames
    Organisation.objects.create(code="a", name="A", short_name="A", kind="dinas")
    Organisation.objects.create(code="b", name="B", short_name="B", kind="dinas")
    response = _get(PlainList, {"page": "2"})
    assert response.status_code == 200
    assert [r[0].text for r in response.context_data["table"].rows] == ["B"]

"""Inventory import: a preview with row-level errors, nothing saved unless every row is valid;
BOM and Windows-1252 files read, wrong columns, empty rows and duplicates reported."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from satupintu.catalogue.models import Application

HEADER = "nama,opd,kategori,url,status,sso,data_pribadi,kontak_teknis\n"
GOOD = (
    "SIMPEG OKU,diskominfo,Kepegawaian,https://simpeg.okukab.go.id,Aktif,Tidak,Ya,"
    "aptika@okukab.go.id\n"
    "OKU Menyapa,diskominfo,Pengaduan,https://okumenyapa.okukab.go.id,aktif,tidak,ya,"
    "Seksi Layanan Pengaduan\n"
)


def upload(client, content: bytes, name: str = "inventaris.csv"):
    return client.post(
        "/kelola/katalog/impor/", {"file": SimpleUploadedFile(name, content)}, follow=False
    )


def test_preview_then_confirm_creates_and_updates(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    before = Application.objects.count()
    preview = upload(client, ("\ufeff" + HEADER + GOOD).encode("utf-8"))  # Excel's BOM
    assert preview.status_code == 200
    rows = preview.context["checked"]
    assert [(r.values["nama"], str(r.action), r.errors) for r in rows] == [
        ("SIMPEG OKU", "baru", []),
        ("OKU Menyapa", "ubah", []),
    ]
    assert Application.objects.count() == before  # a preview saves nothing
    response = client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert response.status_code == 302
    simpeg = Application.objects.get(name="SIMPEG OKU")
    assert (simpeg.uses_sso, simpeg.holds_personal_data, simpeg.has_api) == ("no", "yes", "unknown")
    assert simpeg.database_engine == "unknown" and simpeg.status == "draft"
    menyapa = Application.objects.get(slug="oku-menyapa")
    assert menyapa.technical_contact == "Seksi Layanan Pengaduan"
    assert menyapa.status == "published"  # an update keeps the publication state
    assert Application.objects.count() == before + 1


def test_row_errors_block_the_whole_import(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    before = list(Application.objects.values_list("name", "technical_contact"))
    content = (
        HEADER
        + GOOD
        + ",,,,,,,\n"  # empty row: skipped with a note
        + "SIMPEG OKU,diskominfo,Kepegawaian,,,,,\n"  # duplicate of line 2
        + "E-KIR,dishub,Perhubungan,,,,,\n"  # another OPD's app
        + "Aplikasi Baru,tidak-ada,,javascript:alert(1),hidup,mungkin,,\n"
    ).encode()
    preview = upload(client, content)
    errors = {r.line: " ".join(r.errors) for r in preview.context["checked"]}
    assert errors[2] == errors[3] == ""
    assert "sama dengan baris 2" in errors[5]
    assert "perangkat daerah lain" in errors[6]
    assert "URL" in errors[7] or "alamat" in errors[7].lower()
    assert "organisasi" in errors[7].lower() and "status" in errors[7].lower()
    assert "Baris 4 kosong, dilewati." in preview.context["notes"]
    assert "Simpan semua baris" not in preview.content.decode()
    response = client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert response.status_code == 302
    assert list(Application.objects.values_list("name", "technical_contact")) == before


def test_windows_1252_file_is_read_with_a_note(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    content = (HEADER + "Sistem Café Data,diskominfo,Data,,,,,\n").encode("cp1252")
    preview = upload(client, content)
    assert preview.context["checked"][0].values["nama"] == "Sistem Café Data"
    assert "Windows-1252" in preview.context["notes"][0]


def test_wrong_columns_and_wrong_files_are_refused(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    wrong = upload(client, b"name,owner\nSIMPEG,diskominfo\n")
    assert wrong.status_code == 400
    message = wrong.context["error"]
    assert "kolom wajib tidak ada: nama, opd" in message and "owner" in message
    assert upload(client, b"\x00\x01", name="inventaris.pdf").status_code == 400
    assert upload(client, b"not a zip", name="inventaris.xlsx").status_code == 400
    assert upload(client, b"nama,opd\n", name="inventaris.csv").status_code == 400
    assert client.post("/kelola/katalog/impor/", {}).status_code == 400


def test_xlsx_inventory(client, demo, diskominfo_operator):
    client.force_login(diskominfo_operator)
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama", "OPD", "Kategori", "SSO"])
    sheet.append(["Dashboard Pimpinan", "diskominfo", "Data", "Ya"])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, buffer.getvalue(), name="inventaris.xlsx")
    assert [r.errors for r in preview.context["checked"]] == [[]]
    client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert Application.objects.get(name="Dashboard Pimpinan").uses_sso == "yes"


def test_import_refuses_anonymous_and_confirm_without_preview(client, demo, dinkes_operator):
    assert client.get("/kelola/katalog/impor/").status_code == 302
    client.force_login(dinkes_operator)
    response = client.post("/kelola/katalog/impor/", {"confirm": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/kelola/katalog/impor/")

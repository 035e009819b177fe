"""CSV/XLSX sources through the sync engine: encodings, Indonesian numbers, messy headers,
change detection, rejected rows, and the published table left intact on errors."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from satupintu.core.models import Run
from satupintu.data import datastore, datastore_read
from satupintu.data.models import Resource, Source, ValidationIssue
from satupintu.data.sync import run_sync

from .helpers import data_db

pytestmark = data_db()

FASKES = (
    "Nama Fasilitas;Jenis;Kecamatan;Jumlah Tenaga;Luas Bangunan (m2)\n"
    "Puskesmas Sukaraya;Puskesmas;16.01.01;1.234;1.250,5\n"
    "RSUD Dr. Ibnu Sutowo;Rumah Sakit;16.01.02;312;12.000\n"
    "Puskesmas Pengandonan;Puskesmas;16.01.05;27;450,75\n"
)


def rows_of(resource):
    columns = [datastore.Column(v.name, v.type) for v in resource.variables.all()]
    return datastore_read.search(resource.pk, columns, limit=1000).records


def test_csv_semicolons_decimal_commas_and_thousands_dots(csv_resource):
    resource = csv_resource(FASKES.encode())
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.counts == {"read": 3, "inserted": 3, "updated": 0, "deleted": 0, "rejected": 0}
    names = list(resource.variables.values_list("name", "type"))
    assert names == [
        ("nama_fasilitas", "text"),
        ("jenis", "text"),
        ("kecamatan", "text"),
        ("jumlah_tenaga", "integer"),
        ("luas_bangunan_m2", "decimal"),
    ]
    records = rows_of(resource)
    assert records[0]["jumlah_tenaga"] == 1234
    assert float(records[0]["luas_bangunan_m2"]) == 1250.5
    assert float(records[1]["luas_bangunan_m2"]) == 12000
    assert resource.row_count == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings_are_detected(csv_resource, encoding):
    text = "Nama,Keterangan\nPosyandu Mawar,Kegiatan ibu & balita — rutin\nPosyandu Melati,Café\n"
    if encoding == "latin-1":
        text = text.replace("—", "-")
    resource = csv_resource(text.encode(encoding))
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    values = [r["keterangan"] for r in rows_of(resource)]
    assert values[1] == "Café"


def test_mixed_encodings_fail_clearly_and_keep_published_rows(csv_resource):
    resource = csv_resource("Nama,Ket\nA,Café\n".encode())
    assert run_sync(resource).status == Run.Status.SUCCEEDED
    source = resource.source
    mixed = "Nama,Ket\nA,Café\n".encode() + "B,Café\n".encode("cp1252")
    with open(source.file.path, "wb") as handle:
        handle.write(mixed)
    run = run_sync(Resource.objects.get(pk=resource.pk))
    assert run.status == Run.Status.FAILED
    assert "mencampur encoding" in run.error
    assert [r["ket"] for r in rows_of(resource)] == ["Café"]
    resource.refresh_from_db()
    assert "mencampur encoding" in resource.last_error


def test_messy_multirow_header_title_and_total_rows(csv_resource):
    content = (
        "JUMLAH PENDUDUK MENURUT KECAMATAN DAN JENIS KELAMIN 2025,,,\n"
        ",,,\n"
        "Kecamatan,Jumlah Penduduk,,Luas (km2)\n"
        ",Laki-laki,Perempuan,\n"
        'Baturaja Timur,"45.210","44.873","107,2"\n'
        'Lengkiti,"11.402","10.987","520,9"\n'
        'Jumlah,"56.612","55.860","628,1"\n'
    )
    resource = csv_resource(content.encode())
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert list(resource.variables.values_list("name", flat=True)) == [
        "kecamatan",
        "jumlah_penduduk_laki_laki",
        "jumlah_penduduk_perempuan",
        "luas_km2",
    ]
    records = rows_of(resource)
    assert [r["kecamatan"] for r in records] == ["Baturaja Timur", "Lengkiti"]
    assert records[0]["jumlah_penduduk_laki_laki"] == 45210


def test_rerun_detects_changes_inserts_updates_deletes(csv_resource):
    resource = csv_resource(FASKES.encode())
    resource.key_columns = ["nama_fasilitas"]
    resource.save()
    run_sync(resource)
    again = run_sync(resource)
    assert again.counts["inserted"] == again.counts["updated"] == again.counts["deleted"] == 0
    changed = (
        FASKES.replace(";27;", ";30;").replace(
            "RSUD Dr. Ibnu Sutowo;Rumah Sakit;16.01.02;312;12.000\n", ""
        )
        + "Puskesmas Baturaja;Puskesmas;16.01.01;40;300\n"
    )
    with open(resource.source.file.path, "wb") as handle:
        handle.write(changed.encode())
    run = run_sync(resource)
    assert run.counts == {"read": 3, "inserted": 1, "updated": 1, "deleted": 1, "rejected": 0}
    assert sorted(r["nama_fasilitas"] for r in rows_of(resource)) == [
        "Puskesmas Baturaja",
        "Puskesmas Pengandonan",
        "Puskesmas Sukaraya",
    ]


def test_invalid_rows_are_rejected_with_a_report(csv_resource):
    resource = csv_resource(FASKES.encode())
    run_sync(resource)
    variable = resource.variables.get(name="jenis")
    variable.allowed_values = ["Puskesmas", "Rumah Sakit"]
    variable.save()
    content = FASKES + "Klinik X;Apotek;16.01.01;sepuluh;10\n"
    with open(resource.source.file.path, "wb") as handle:
        handle.write(content.encode())
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED
    assert run.counts["rejected"] == 1
    issues = ValidationIssue.objects.filter(run=run)
    assert {(i.row_number, i.column) for i in issues} == {(4, "jenis"), (4, "jumlah_tenaga")}


def test_type_change_in_source_fails_and_keeps_table(csv_resource):
    resource = csv_resource(FASKES.encode())
    run_sync(resource)
    broken = FASKES.replace("1.234", "banyak").replace(";312;", ";ratusan;")
    with open(resource.source.file.path, "wb") as handle:
        handle.write(broken.encode())
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert "ditolak validasi" in run.error
    assert len(rows_of(resource)) == 3
    assert not [t for t in datastore.existing_tables() if "__stage_" in t]


def test_file_that_is_not_what_its_kind_says(csv_resource, dinkes, dataset, tmp_path):
    workbook = Workbook()
    workbook.active.append(["a", "b"])
    data = io.BytesIO()
    workbook.save(data)
    resource = csv_resource(data.getvalue())
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert "bukan CSV" in run.error

    from django.core.files.base import ContentFile

    source = Source(organisation=dinkes, name="Bukan excel", kind=Source.Kind.XLSX)
    source.file.save("data.xlsx", ContentFile(b"Nama,Jumlah\nA,1\n"), save=False)
    source.save()
    resource = Resource.objects.create(dataset=dataset, name="x", source=source)
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert "bukan XLSX" in run.error


def test_too_big_file_is_refused(csv_resource, settings):
    settings.DATA_MAX_FILE_BYTES = 100
    resource = csv_resource(FASKES.encode() * 5)
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert "terlalu besar" in run.error


def test_xlsx_with_merged_header_published_by_walidata(dinkes, dataset, operator, walidata):
    from django.core.files.base import ContentFile

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Panjang Jalan Kabupaten Menurut Kondisi (km), 2025"])
    sheet.append(["Kecamatan", "Kondisi", None, None])
    sheet.append([None, "Baik", "Sedang", "Rusak"])
    sheet.merge_cells("B2:D2")
    sheet.append(["Baturaja Barat", 35.5, 12.25, 4])
    sheet.append(["Peninjauan", 60.1, 20, 18.75])
    data = io.BytesIO()
    workbook.save(data)
    source = Source(organisation=dinkes, name="Jalan", kind=Source.Kind.XLSX)
    source.file.save("jalan.xlsx", ContentFile(data.getvalue()), save=False)
    source.save()
    resource = Resource.objects.create(dataset=dataset, name="Jalan", source=source)
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    assert list(resource.variables.values_list("name", "type")) == [
        ("kecamatan", "text"),
        ("kondisi_baik", "decimal"),
        ("kondisi_sedang", "decimal"),
        ("kondisi_rusak", "decimal"),
    ]
    assert float(rows_of(resource)[1]["kondisi_rusak"]) == 18.75
    dataset.submit(operator)
    dataset.approve(walidata)
    assert dataset.versions.get().metadata["resources"][0]["rows"] == 2

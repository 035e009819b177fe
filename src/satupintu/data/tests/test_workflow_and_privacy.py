"""The walidata workflow and the personal-data guard: detection by name and by pattern, a public
dataset blocked while a flagged column is published, declassification with a logged reason,
versions kept, and aggregation into publishable counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from satupintu.core.models import ChangeLogEntry
from satupintu.data import datastore, datastore_read
from satupintu.data.aggregation import age_band, aggregate
from satupintu.data.models import Dataset, DatasetVersion
from satupintu.data.validation import detect_personal_kind

from .helpers import data_db, loaded_dataset

pytestmark = data_db()

WARGA = (
    "NIK,Nama Lengkap,No HP,Alamat,Tgl Lahir,Jenis Kelamin,Kode Desa\n"
    "1601284506850002,Siti Aminah,081234567890,Jl. Merdeka No. 5 RT 01,1985-06-05,P,16.01.28.2009\n"
    "1601281203900001,Budi Santoso,082112345678,Jl. Lintas RT 02,1990-03-12,L,16.01.28.2009\n"
    "1601285010000003,Ani Lestari,085267891234,Gg. Mawar RT 03,2000-10-10,P,16.01.28.2017\n"
    "1601280101150004,Rudi,081377788899,Jl. Pasar RT 01,2015-01-01,L,16.01.28.2009\n"
    "1601284101200005,Dewi,081399988877,Jl. Pasar RT 04,2020-01-01,P,16.01.28.2009\n"
    "1601280505800006,Joko,081311122233,Jl. Sawah RT 02,1980-05-05,L,16.01.28.2009\n"
)


@pytest.mark.parametrize(
    ("name", "sample", "kind"),
    [
        ("nik", [], "nik"),
        ("No. KK", [], "kk"),
        ("nama_lengkap", [], "name"),
        ("Telp/HP", [], "phone"),
        ("alamat_rumah", [], "address"),
        ("Tanggal Lahir", [], "birth_date"),
        ("identitas", ["1601284506850002", "1601281203900001"], "nik"),
        ("kontak", ["081234567890", "+6282112345678"], "phone"),
        ("lokasi", ["Jl. Merdeka No. 5", "Gg. Mawar RT 03"], "address"),
        ("jumlah_penduduk", ["45210", "11402"], ""),
        ("kecamatan", ["Lengkiti", "Baturaja Timur"], ""),
    ],
)
def test_personal_data_detection(name, sample, kind):
    assert detect_personal_kind(name, sample) == kind


def test_flagged_columns_hidden_and_block_publication(dinkes, operator, walidata, topic):
    dataset = loaded_dataset(
        dinkes, None, slug="warga", content=WARGA, publish=False, key_columns=("nik",), topic=topic
    )
    resource = dataset.resources.get()
    flags = dict(resource.variables.values_list("name", "personal_kind"))
    assert flags == {
        "nik": "nik",
        "nama_lengkap": "name",
        "no_hp": "phone",
        "alamat": "address",
        "tgl_lahir": "birth_date",
        "jenis_kelamin": "",
        "kode_desa": "",
    }
    # Hidden by default: the public view of the table has no personal column.
    assert [v.name for v in resource.public_variables()] == ["jenis_kelamin", "kode_desa"]

    # An operator who ticks "publish" on the NIK column cannot get the dataset approved.
    resource.variables.filter(name="nik").update(is_published=True)
    dataset.submit(operator)
    with pytest.raises(ValidationError, match="nik"):
        dataset.approve(walidata)
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.SUBMITTED
    assert not DatasetVersion.objects.filter(dataset=dataset).exists()
    assert [v.name for v in resource.public_variables()] == ["jenis_kelamin", "kode_desa"]

    # Hiding it again lets the dataset through; the published table never shows it.
    resource.variables.filter(name="nik").update(is_published=False)
    dataset.approve(walidata)
    assert dataset.status == Dataset.Status.PUBLISHED


def test_declassification_is_logged(client, dinkes, operator, walidata, topic):
    dataset = loaded_dataset(
        dinkes, None, slug="warga", content=WARGA, publish=False, key_columns=("nik",), topic=topic
    )
    dataset.submit(operator)
    variable = dataset.resources.get().variables.get(name="kode_desa")
    variable.personal_kind = "address"
    variable.save()
    client.force_login(operator)
    url = f"/data/verifikasi/kolom/{variable.pk}/deklasifikasi/"
    assert client.post(url, {"reason": "x" * 30}).status_code == 403
    client.force_login(walidata)
    response = client.post(url, {"reason": "pendek"})
    assert "reason" in response.context["form"].errors
    client.post(url, {"reason": "Kode desa bukan alamat rumah; hanya wilayah administrasi."})
    variable.refresh_from_db()
    assert variable.declassified and variable.declassified_by == walidata
    entry = ChangeLogEntry.objects.for_object(variable).first()
    assert "declassified_reason" in entry.changes
    assert "kode_desa" in [v.name for v in variable.resource.public_variables()]


def test_workflow_versions_and_permissions(dinkes, operator, other_operator, walidata, topic):
    dataset = loaded_dataset(dinkes, None, topic=topic, publish=False)
    with pytest.raises(PermissionDenied):
        dataset.submit(other_operator)
    dataset.submit(operator)
    with pytest.raises(PermissionDenied):
        dataset.approve(operator)
    with pytest.raises(ValidationError):
        dataset.return_to_draft(walidata, "")
    dataset.return_to_draft(walidata, "Lengkapi definisi kolom laki_laki.")
    assert dataset.status == Dataset.Status.DRAFT
    dataset.submit(operator)
    dataset.approve(walidata, "Sesuai standar data.")
    assert dataset.version == 1
    version = dataset.versions.get()
    frozen = version.metadata["resources"][0]["table"]
    assert datastore.table_exists(frozen)
    # A later sync changes the live table; version 1 stays as approved.
    resource = dataset.resources.get()
    columns = [datastore.Column("kecamatan", "text")]
    assert len(datastore_read.search(resource.pk, columns, table=frozen).records) == 3


def test_aggregation_makes_publishable_counts(dinkes, walidata, topic):
    people = loaded_dataset(
        dinkes, None, slug="warga", content=WARGA, publish=False, key_columns=("nik",), topic=topic
    )
    target = Dataset.objects.create(
        organisation=dinkes,
        slug="penduduk-desa-umur",
        title="Penduduk per desa, jenis kelamin dan umur",
        description="Agregasi data warga.",
        topic=topic,
    )
    result = aggregate(
        people.resources.get(),
        target,
        name="Per desa dan jenis kelamin",
        region="kode_desa",
        sex="jenis_kelamin",
        min_cell=2,
    )
    columns = [datastore.Column(v.name, v.type) for v in result.variables.all()]
    rows = {
        (r["kode_wilayah"], r["jenis_kelamin"]): r["jumlah"]
        for r in datastore_read.search(result.pk, columns).records
    }
    assert rows == {
        ("16.01.28.2009", "Laki-laki"): 3,
        ("16.01.28.2009", "Perempuan"): 2,
        ("16.01.28.2017", "Perempuan"): None,
    }
    assert not target.blocked_personal_columns()
    assert age_band("1985-06-05", dt.date(2026, 11, 24)) == "35-44"
    assert age_band("bukan tanggal", dt.date(2026, 11, 24)) == "Tidak diketahui"


def mapping_post(resource, **changes) -> dict:
    """The column-mapping formset as the page submits it, with `changes` per variable name."""
    from satupintu.data.forms import VariableFormSet

    formset = VariableFormSet(queryset=resource.variables.all())
    data = {key: value for key, value in formset.management_form.initial.items()}
    data = {f"form-{key}": value for key, value in data.items()}
    for index, form in enumerate(formset.forms):
        variable = form.instance
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            value = changes.get(variable.name, {}).get(name, value)
            if isinstance(value, bool):
                if value:
                    data[f"form-{index}-{name}"] = "on"
                continue
            data[f"form-{index}-{name}"] = "" if value is None else value
    return data


def test_opd_cannot_unflag_personal_data_in_the_mapping(client, dinkes, operator, topic):
    dataset = loaded_dataset(
        dinkes, None, slug="warga", content=WARGA, publish=False, key_columns=("nik",), topic=topic
    )
    resource = dataset.resources.get()
    url = f"/data/kelola/dataset/warga/sumber-daya/{resource.pk}/kolom/"
    client.force_login(operator)
    response = client.post(url, mapping_post(resource, nik={"personal_kind": ""}))
    assert response.status_code == 200  # the form comes back with the error
    assert resource.variables.get(name="nik").personal_kind == "nik"
    response = client.post(
        url, mapping_post(resource, kode_desa={"label": "Kode desa", "is_filter": True})
    )
    assert response.status_code == 302
    variable = resource.variables.get(name="kode_desa")
    assert variable.label == "Kode desa" and variable.is_filter


def test_aggregation_page_for_own_opd_only(client, dinkes, operator, other_operator, topic):
    people = loaded_dataset(
        dinkes, None, slug="warga", content=WARGA, publish=False, key_columns=("nik",), topic=topic
    )
    target = Dataset.objects.create(
        organisation=dinkes,
        slug="penduduk-per-desa",
        title="Penduduk per desa",
        description="Agregat",
        topic=topic,
    )
    url = f"/data/kelola/dataset/warga/sumber-daya/{people.resources.get().pk}/agregasi/"
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(operator)
    response = client.post(url, {"target": target.pk, "name": "Per desa"})
    assert "Pilih minimal satu" in response.text
    response = client.post(
        url,
        {"target": target.pk, "name": "Per desa", "region": "kode_desa", "sex": "jenis_kelamin"},
    )
    assert response.url == "/data/kelola/dataset/penduduk-per-desa/"
    table = target.resources.get()
    assert [v.name for v in table.public_variables()] == ["kode_wilayah", "jenis_kelamin", "jumlah"]

"""Portal, workspace and review views: what anonymous visitors, the owning OPD, another OPD's
operator and the walidata can reach; downloads; bad input answered with a 4xx."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from satupintu.core.models import Run
from satupintu.data.models import Dataset, Source

from .helpers import data_db, loaded_dataset

pytestmark = data_db()


@pytest.fixture
def published(dinkes, walidata, topic):
    return loaded_dataset(dinkes, walidata, topic=topic)


@pytest.fixture
def draft(dinkes, topic):
    return loaded_dataset(dinkes, None, slug="draf-faskes", topic=topic, publish=False)


def test_dataset_list_facets_and_search(client, published, draft):
    page = client.get("/data/")
    assert page.status_code == 200
    assert published.title in page.text and draft.title not in page.text
    assert "Dinas Kesehatan" in page.text
    assert client.get("/data/", {"opd": "pupr"}).context["total"] == 0
    assert client.get("/data/", {"tag": "penduduk", "q": "kecamatan"}).context["total"] == 1
    assert client.get("/data/", {"tahun": "abc"}).status_code == 400


def test_dataset_page_preview_chart_map_and_snippets(client, published):
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Lengkiti" in page.text
    assert page.context["chart"]["data"]["labels"]
    assert page.context["map"]["kind"] == "points"
    assert "datastore_search" in page.text and "ckanapi" in page.text
    chart = client.get(
        published.get_absolute_url(), {"x": "kecamatan", "y": ["perempuan"], "jenis": "line"}
    ).context["chart"]
    assert chart["data"]["type"] == "line"
    assert chart["data"]["datasets"][0]["data"] == [20877.0, 44873.0, 10987.0]


def test_downloads_csv_json_xlsx(client, published):
    resource = published.resources.get()
    csv_text = b"".join(client.get(f"/data/unduh/{resource.pk}.csv").streaming_content)
    assert csv_text.decode().splitlines()[0].startswith("kode_kecamatan,kecamatan")
    records = json.loads(b"".join(client.get(f"/data/unduh/{resource.pk}.json").streaming_content))
    assert records[2]["laki_laki"] == 11402
    xlsx = client.get(f"/data/unduh/{resource.pk}.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == 4
    assert client.get(f"/data/unduh/{resource.pk}.pdf").status_code == 400


def test_resource_page_filters_and_bad_page(client, published):
    resource = published.resources.get()
    url = f"{published.get_absolute_url()}sumber-daya/{resource.pk}/"
    page = client.get(url, {"kode_kecamatan": "16.01.01", "page": "x"})
    assert page.status_code == 200
    assert page.context["result"].total == 1


def test_drafts_hidden_from_anonymous_and_other_opd(client, draft, other_operator, operator):
    resource = draft.resources.get()
    for user in (None, other_operator):
        if user:
            client.force_login(user)
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(f"/data/unduh/{resource.pk}.csv").status_code == 404
        assert client.get(f"/data/{draft.slug}/datapackage.json").status_code == 404
    client.force_login(operator)
    assert client.get(draft.get_absolute_url()).status_code == 200


WORKSPACE_URLS = [
    "/data/kelola/dataset/{slug}/",
    "/data/kelola/dataset/{slug}/ubah/",
    "/data/kelola/dataset/{slug}/ms-keg/",
    "/data/kelola/dataset/{slug}/ms-ind/",
    "/data/kelola/dataset/{slug}/sumber-daya/baru/",
    "/data/kelola/dataset/{slug}/sumber-daya/{res}/",
    "/data/kelola/dataset/{slug}/sumber-daya/{res}/kolom/",
    "/data/kelola/sumber/{src}/",
    "/data/kelola/sumber/{src}/ubah/",
]


@pytest.mark.parametrize("template", WORKSPACE_URLS)
def test_workspace_refuses_anonymous_and_other_opd(
    client, draft, operator, other_operator, template
):
    resource = draft.resources.get()
    url = template.format(slug=draft.slug, res=resource.pk, src=resource.source_id)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(operator)
    assert client.get(url).status_code == 200


def test_sync_now_and_run_report_scoped(client, draft, operator, other_operator):
    resource = draft.resources.get()
    url = f"/data/kelola/dataset/{draft.slug}/sumber-daya/{resource.pk}/sinkron/"
    client.force_login(other_operator)
    assert client.post(url).status_code == 404
    client.force_login(operator)
    response = client.post(url)
    run = Run.objects.latest("pk")
    assert response.url == f"/data/kelola/proses/{run.pk}/"
    assert run.status == Run.Status.SUCCEEDED  # tests run tasks immediately
    assert client.get(response.url).status_code == 200
    client.force_login(other_operator)
    assert client.get(response.url).status_code == 404


def test_citizen_cannot_open_workspace(client, draft):
    from satupintu.accounts.models import User

    citizen = User.objects.create_user(username="siti", password="x" * 12, full_name="Siti")
    client.force_login(citizen)
    assert client.get("/data/kelola/").status_code == 403
    assert client.get("/data/verifikasi/").status_code == 403


def test_opd_creates_dataset_and_source_for_own_opd_only(client, operator, dinkes, pupr):
    client.force_login(operator)
    response = client.post(
        "/data/kelola/dataset/baru/",
        {
            "organisation": pupr.pk,
            "title": "Panjang Jalan",
            "description": "Jalan kabupaten",
            "licence": "cc-by-4.0",
            "frequency": "ANNUAL",
            "classification": "public",
        },
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    response = client.post(
        "/data/kelola/dataset/baru/",
        {
            "organisation": dinkes.pk,
            "title": "Jumlah Puskesmas",
            "description": "Per kecamatan",
            "licence": "cc-by-4.0",
            "frequency": "ANNUAL",
            "classification": "public",
            "tag_names": "kesehatan, puskesmas",
            "temporal_start": "2025-12-31",
            "temporal_end": "2025-01-01",
        },
    )
    assert "temporal_end" in response.context["form"].errors
    response = client.post(
        "/data/kelola/sumber/baru/",
        {
            "organisation": dinkes.pk,
            "name": "SIMPUS",
            "kind": "mysql",
            "host": "10.0.0.5",
            "database": "simpus",
            "username": "baca",
            "password": "rahasia-db",
            "options_json": "{}",
            "is_active": "on",
        },
    )
    source = Source.objects.get(name="SIMPUS")
    assert response.url == f"/data/kelola/sumber/{source.pk}/"
    assert source.password == "rahasia-db"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM data_source WHERE id = %s", [source.pk])
        assert "rahasia-db" not in cursor.fetchone()[0]  # encrypted at rest


def test_source_test_connection_failure_is_reported(client, operator, dinkes):
    source = Source.objects.create(
        organisation=dinkes,
        name="Mati",
        kind="postgresql",
        host="127.0.0.1",
        port=1,
        database="x",
        username="x",
    )
    client.force_login(operator)
    response = client.post(f"/data/kelola/sumber/{source.pk}/", {"test": "1"})
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.last_check_ok is False
    assert "tidak dapat dihubungi" in source.last_check_message


def test_review_queue_only_for_walidata(client, draft, operator, walidata):
    draft.submit(operator)
    client.force_login(operator)
    assert client.get("/data/verifikasi/").status_code == 403
    assert client.get(f"/data/verifikasi/{draft.slug}/").status_code == 403
    client.force_login(walidata)
    assert draft.title in client.get("/data/verifikasi/").text
    response = client.post(f"/data/verifikasi/{draft.slug}/", {"decision": "return"})
    assert "note" in response.context["form"].errors
    client.post(f"/data/verifikasi/{draft.slug}/", {"decision": "approve", "note": "Lengkap"})
    draft.refresh_from_db()
    assert draft.status == Dataset.Status.PUBLISHED and draft.version == 1


def test_admin_pages_open_for_a_superuser(client, published):
    from satupintu.accounts.models import User

    admin = User.objects.create_superuser(
        username="root", password="x" * 12, email="a@b.id", full_name="Admin"
    )
    client.force_login(admin)
    for model in ("dataset", "resource", "source", "variable", "datasetversion"):
        assert client.get(f"/admin/data/{model}/").status_code == 200, model
    source = published.resources.get().source
    page = client.get(f"/admin/data/source/{source.pk}/change/")
    assert page.status_code == 200 and 'name="password"' not in page.text


def test_workspace_lists_filter_export_and_scope(client, draft, operator, other_operator):
    client.force_login(other_operator)
    assert draft.title not in client.get("/data/kelola/dataset/").text
    assert "CSV draf-faskes" not in client.get("/data/kelola/sumber/").text
    client.force_login(operator)
    page = client.get("/data/kelola/dataset/", {"status": "draft"})
    assert draft.title in page.text
    assert draft.title not in client.get("/data/kelola/dataset/", {"status": "published"}).text
    export = client.get("/data/kelola/dataset/", {"export": "csv"})
    assert (
        draft.title in b"".join(export.streaming_content).decode()
        if export.streaming
        else draft.title in export.content.decode()
    )
    sources = client.get("/data/kelola/sumber/", {"export": "xlsx"})
    assert sources.status_code == 200
    assert client.get("/data/kelola/sumber/", {"export": "pdf"}).status_code == 400
    client.logout()
    assert client.get("/data/kelola/dataset/").status_code == 302


def test_unversioned_ckan_path_for_ckanapi(client, published):
    body = client.post(
        "/api/action/package_show",
        data='{"id": "penduduk-kecamatan"}',
        content_type="application/json",
    ).json()
    assert body["success"] and body["result"]["name"] == "penduduk-kecamatan"


def test_source_upload_checked_at_once(client, operator, dinkes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator)
    form = {
        "organisation": dinkes.pk,
        "name": "Rekap",
        "kind": "xlsx",
        "options_json": "{}",
        "is_active": "on",
        "file": SimpleUploadedFile("rekap.xlsx", b"Nama;Jumlah\nA;1\n", "text/csv"),
    }
    response = client.post("/data/kelola/sumber/baru/", form)
    assert response.status_code == 200
    assert "bukan XLSX" in str(response.context["form"].errors["file"])
    form["kind"] = "csv"
    form["file"] = SimpleUploadedFile("rekap.csv", b"Nama;Jumlah\nA;1\n", "text/csv")
    response = client.post("/data/kelola/sumber/baru/", form)
    assert response.status_code == 302
    assert Source.objects.get(name="Rekap").file.name.endswith(".csv")


def test_public_catalogue_export(client, published, draft):
    response = client.get("/data/", {"export": "csv", "opd": "dinkes"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert published.title in body and draft.title not in body
    assert client.get("/data/", {"export": "xlsx"}).status_code == 200
    assert client.get("/data/", {"export": "pdf"}).status_code == 400

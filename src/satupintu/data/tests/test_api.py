"""/api/v1/data/: dataset list with filters and pages, dataset detail with the data dictionary,
resource rows; drafts only for their OPD, hidden columns never, bad filters are 400s."""

from __future__ import annotations

import pytest

from satupintu.data.models import Dataset

from .helpers import data_db, loaded_dataset

pytestmark = data_db()

API = "/api/v1/data"


@pytest.fixture
def published(dinkes, walidata, topic):
    return loaded_dataset(dinkes, walidata, topic=topic)


@pytest.fixture
def draft(dinkes):
    return loaded_dataset(dinkes, slug="penduduk-draf", publish=False)


def test_anonymous_lists_published_public_datasets_only(client, published, draft, dinkes):
    Dataset.objects.create(
        organisation=dinkes,
        slug="terbatas",
        title="Data terbatas",
        description="terbit tapi terbatas",
        status=Dataset.Status.PUBLISHED,
        classification=Dataset.Classification.RESTRICTED,
    )
    response = client.get(f"{API}/datasets")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1 and body["page"] == 1 and body["page_size"] == 20
    item = body["results"][0]
    assert item["slug"] == "penduduk-kecamatan"
    assert item["organisation"] == {"code": "dinkes", "name": "Dinas Kesehatan"}
    assert item["topic"]["slug"] == "kesehatan"
    assert item["tags"] == ["penduduk"]
    assert item["licence"] == "cc-by-4.0"
    assert item["url"] == "/data/penduduk-kecamatan/"


def test_filters_and_pagination(client, published, pupr, walidata, dinkes):
    loaded_dataset(pupr, walidata, slug="jalan-kabupaten")
    Dataset.objects.filter(pk=published.pk).update(
        temporal_start="2024-01-01", temporal_end="2025-12-31"
    )

    def slugs(**params):
        response = client.get(f"{API}/datasets", params)
        assert response.status_code == 200, response.content
        return [d["slug"] for d in response.json()["results"]]

    assert set(slugs()) == {"penduduk-kecamatan", "jalan-kabupaten"}
    assert slugs(opd="pupr") == ["jalan-kabupaten"]
    assert slugs(topic="kesehatan") == ["penduduk-kecamatan"]
    assert slugs(year=2025) == ["penduduk-kecamatan"]
    assert slugs(year=2019) == []
    assert set(slugs(tag="PENDUDUK")) == {"penduduk-kecamatan", "jalan-kabupaten"}
    assert slugs(q="jalan-kabupaten") == ["jalan-kabupaten"]
    assert len(slugs(page_size=1)) == 1
    second = client.get(f"{API}/datasets", {"page_size": 1, "page": 2}).json()
    assert second["count"] == 2 and len(second["results"]) == 1
    assert client.get(f"{API}/datasets", {"page": 3, "page_size": 1}).status_code == 404


def test_bad_list_filters_are_400(client, published):
    response = client.get(f"{API}/datasets", {"opd": "tidak-ada"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "opd"
    response = client.get(f"{API}/datasets", {"year": "dua ribu"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"
    assert client.get(f"{API}/datasets", {"q": "x" * 201}).status_code == 400


def test_detail_with_resources_and_data_dictionary(client, published):
    resource = published.resources.get()
    resource.variables.filter(name="lat").update(
        personal_kind="address", is_published=False, label="Lintang"
    )
    response = client.get(f"{API}/datasets/penduduk-kecamatan")
    body = response.json()
    assert response.status_code == 200
    assert body["contact_name"] == "Bidang Data"
    [out] = body["resources"]
    assert out["id"] == resource.pk and out["row_count"] == 3
    assert out["rows_url"] == f"/api/v1/data/resources/{resource.pk}/rows"
    assert out["downloads"]["csv"] == f"/data/unduh/{resource.pk}.csv"
    names = [v["name"] for v in out["variables"]]
    assert "kode_kecamatan" in names and "laki_laki" in names
    assert "lat" not in names  # a personal-data column that is not declassified stays out
    by_name = {v["name"]: v for v in out["variables"]}
    # the dataset page shows the same calls
    page = client.get("/data/penduduk-kecamatan/").text
    assert "/api/v1/data/datasets/penduduk-kecamatan" in page
    assert f"/api/v1/data/resources/{resource.pk}/rows" in page
    assert by_name["laki_laki"]["type"] == "integer"
    assert by_name["kode_kecamatan"]["is_filter"] is True


def test_rows_filters_sort_and_pages(client, published):
    resource = published.resources.get()
    url = f"{API}/resources/{resource.pk}/rows"
    body = client.get(url).json()
    assert body["count"] == 3
    assert [f["name"] for f in body["fields"]][:2] == ["_id", "kode_kecamatan"]
    assert body["results"][0]["kode_kecamatan"] == "16.01.01"
    assert body["results"][0]["laki_laki"] == 45210

    body = client.get(url, {"filter": "kode_kecamatan:16.01.28"}).json()
    assert body["count"] == 1 and body["results"][0]["kecamatan"] == "Lengkiti"
    body = client.get(url + "?filter=kode_kecamatan:16.01.28&filter=kode_kecamatan:16.01.02").json()
    assert body["count"] == 2
    body = client.get(url, {"sort": "-laki_laki", "page_size": 1}).json()
    assert body["results"][0]["kecamatan"] == "Baturaja Timur" and len(body["results"]) == 1
    assert client.get(url, {"q": "baturaja"}).json()["count"] == 2
    assert client.get(url, {"page": 9}).status_code == 404


def test_bad_row_filters_are_400_and_hidden_columns_refused(client, published):
    resource = published.resources.get()
    resource.variables.filter(name="lat").update(personal_kind="address", is_published=False)
    url = f"{API}/resources/{resource.pk}/rows"
    for params in (
        {"filter": "lat:-4.1"},
        {"filter": "tanpa-titik-dua"},
        {"filter": "kolom_lain:1"},
        {"sort": "lat"},
        {"filter": "laki_laki:banyak"},
    ):
        response = client.get(url, params)
        assert response.status_code == 400, params
        assert response.json()["detail"] == "Masukan tidak valid."
    assert "lat" not in client.get(url).json()["results"][0]


def test_drafts_only_for_their_opd(client, draft, operator, other_operator, walidata):
    resource = draft.resources.get()
    detail, rows = f"{API}/datasets/penduduk-draf", f"{API}/resources/{resource.pk}/rows"
    # anonymous and another OPD's operator: as if it did not exist
    for user in (None, other_operator, walidata):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.get(rows).status_code == 404
        assert client.get(f"{API}/datasets").json()["count"] == 0
    # the owning OPD's operator sees the draft, without download links (those are open data)
    client.force_login(operator)
    body = client.get(detail).json()
    assert body["status"] == "draft"
    assert body["resources"][0]["downloads"] == {}
    assert client.get(rows).json()["count"] == 3
    assert [d["slug"] for d in client.get(f"{API}/datasets").json()["results"]] == ["penduduk-draf"]


def test_walidata_sees_submitted_datasets(client, draft, walidata):
    from .helpers import walidata_owner

    draft.submit(walidata_owner(draft))
    client.force_login(walidata)
    assert client.get(f"{API}/datasets/penduduk-draf").json()["status"] == "submitted"


def test_bad_bearer_token_is_401(client, published):
    response = client.get(f"{API}/datasets", HTTP_AUTHORIZATION="Bearer tidak-sah")
    assert response.status_code == 401
    assert response.json()["detail"]

"""The CKAN Action API v3 as ckanapi-style clients call it: envelopes, actions, GET and POST
JSON, CKAN error types, and nothing unpublished or hidden leaking out."""

from __future__ import annotations

import json

import pytest

from satupintu.data.models import Dataset

from .helpers import data_db, loaded_dataset

pytestmark = data_db()


@pytest.fixture
def published(dinkes, walidata, topic):
    return loaded_dataset(dinkes, walidata, topic=topic)


def call(client, action, method="get", **params):
    url = f"/api/3/action/{action}"
    if method == "post":
        return client.post(url, data=json.dumps(params), content_type="application/json")
    return client.get(url, params)


def test_status_show_and_envelope(client):
    response = call(client, "status_show")
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=status_show")
    assert body["result"]["api_version"] == 3


def test_package_list_show_and_search(client, published, dinkes):
    Dataset.objects.create(
        organisation=dinkes, slug="draf-rahasia", title="Draf", description="belum terbit"
    )
    assert call(client, "package_list").json()["result"] == ["penduduk-kecamatan"]
    package = call(client, "package_show", id="penduduk-kecamatan").json()["result"]
    assert package["organization"]["name"] == "dinkes"
    assert package["license_id"] == "cc-by-4.0"
    assert package["tags"][0]["name"] == "penduduk"
    assert package["resources"][0]["datastore_active"] is True
    by_id = call(client, "package_show", id=str(published.pk)).json()["result"]
    assert by_id["name"] == "penduduk-kecamatan"

    result = call(
        client,
        "package_search",
        q="penduduk",
        fq="organization:dinkes",
        rows=5,
        **{"facet.field": '["organization","tags","groups"]'},
    ).json()["result"]
    assert result["count"] == 1
    assert result["facets"]["organization"] == {"dinkes": 1}
    assert result["search_facets"]["groups"]["items"][0]["name"] == "kesehatan"
    assert call(client, "package_search", fq="organization:pupr").json()["result"]["count"] == 0
    assert call(client, "package_search", q="draf").json()["result"]["count"] == 0


def test_package_search_counts_datasets_not_tags_and_shares_one_facet_query(
    client, dinkes, pupr, topic, django_assert_max_num_queries
):
    """Tags and formats filter through subqueries (a dataset with three tags counts once); the
    row facets and the total come from one grouped query."""
    from django.utils import timezone

    from satupintu.data.models import Resource, Tag

    tags = [Tag.objects.get_or_create(name=name)[0] for name in ("jalan", "jembatan", "irigasi")]
    now = timezone.now()
    roads = Dataset.objects.create(
        organisation=pupr,
        slug="panjang-jalan",
        title="Panjang jalan kabupaten",
        description="Kondisi jalan",
        status="published",
        classification="public",
        published_at=now,
    )
    roads.tags.set(tags)
    Resource.objects.create(
        dataset=roads, name="Berkas", kind="link", url="https://x.test/a.xlsx", format="XLSX"
    )
    clinics = Dataset.objects.create(
        organisation=dinkes,
        topic=topic,
        slug="puskesmas",
        title="Puskesmas dan jalan masuknya",
        description="Lokasi",
        status="published",
        classification="public",
        published_at=now,
    )
    clinics.tags.set(tags[:1])
    with django_assert_max_num_queries(7):
        result = call(
            client,
            "package_search",
            q="jalan",
            **{"facet.field": '["organization","groups","license_id","tags"]'},
        ).json()["result"]
    assert result["count"] == 2
    assert result["facets"]["organization"] == {"dinkes": 1, "pupr": 1}
    assert result["facets"]["groups"] == {"kesehatan": 1}
    assert result["facets"]["license_id"] == {"cc-by-4.0": 2}
    assert result["facets"]["tags"] == {"jalan": 2, "irigasi": 1, "jembatan": 1}
    assert [i["display_name"] for i in result["search_facets"]["organization"]["items"]] == [
        "Dinas Kesehatan",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
    ]
    by_tag = call(client, "package_search", fq="tags:JEMBATAN").json()["result"]
    assert [p["name"] for p in by_tag["results"]] == ["panjang-jalan"]
    assert call(client, "package_search", q="irigasi").json()["result"]["count"] == 1
    by_format = call(client, "package_search", fq="res_format:xlsx").json()["result"]
    assert by_format["count"] == 1
    assert call(client, "package_search", fq="-tags:jalan").json()["result"]["count"] == 0


def test_post_json_works_like_get(client, published):
    body = call(
        client, "package_search", method="post", q="penduduk", rows=1, sort="metadata_modified desc"
    ).json()
    assert body["success"] is True
    assert body["result"]["results"][0]["name"] == "penduduk-kecamatan"


def test_organization_group_tag_lists(client, published):
    assert call(client, "organization_list").json()["result"] == ["dinkes"]
    org = call(client, "organization_show", id="dinkes", include_datasets="true").json()
    assert org["result"]["package_count"] == 1
    assert org["result"]["packages"][0]["name"] == "penduduk-kecamatan"
    groups = call(client, "group_list", all_fields="true").json()["result"]
    assert groups[0]["name"] == "kesehatan" and groups[0]["package_count"] == 1
    assert call(client, "tag_list").json()["result"] == ["penduduk"]


def test_resource_show_and_datastore_search(client, published):
    resource = published.resources.get()
    shown = call(client, "resource_show", id=str(resource.pk)).json()["result"]
    assert shown["url"].endswith(f"/data/unduh/{resource.pk}.csv")
    result = call(
        client,
        "datastore_search",
        resource_id=str(resource.pk),
        filters='{"kode_kecamatan": "16.01.28"}',
    ).json()["result"]
    assert result["total"] == 1
    assert result["records"][0]["kecamatan"] == "Lengkiti"
    assert result["records"][0]["laki_laki"] == 11402
    sorted_rows = call(
        client,
        "datastore_search",
        method="post",
        resource_id=str(resource.pk),
        sort="perempuan desc",
        limit=2,
        fields=["kecamatan"],
    ).json()["result"]
    assert [r["kecamatan"] for r in sorted_rows["records"]] == ["Baturaja Timur", "Baturaja Barat"]
    assert set(sorted_rows["records"][0]) == {"_id", "kecamatan"}
    assert sorted_rows["total"] == 3
    q = call(client, "datastore_search", resource_id=str(resource.pk), q="lengkiti")
    assert q.json()["result"]["total"] == 1


@pytest.mark.parametrize(
    ("name", "params", "status", "error_type"),
    [
        ("package_show", {"id": "tidak-ada"}, 404, "Not Found Error"),
        ("package_show", {}, 409, "Validation Error"),
        ("package_search", {"rows": "banyak"}, 409, "Validation Error"),
        ("package_search", {"fq": "warna:merah"}, 409, "Validation Error"),
        ("datastore_search", {"resource_id": "999"}, 404, "Not Found Error"),
        ("package_create", {"name": "x"}, 403, "Authorization Error"),
        ("datastore_upsert", {"resource_id": "1"}, 403, "Authorization Error"),
        ("datastore_search_sql", {"sql": "SELECT 1"}, 400, "Bad Request"),
    ],
)
def test_errors_use_ckan_types(client, published, name, params, status, error_type):
    response = call(client, name, **params)
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == error_type
    assert body["error"]["message"]


def test_unknown_action_message(client):
    body = call(client, "hapus_semua").json()
    assert body["error"]["message"] == "Bad request - Action name not known: hapus_semua"


def test_datastore_search_rejects_unknown_and_hidden_columns(client, published):
    resource = published.resources.get()
    resource.variables.filter(name="lat").update(is_published=False)
    bad = call(
        client, "datastore_search", resource_id=str(resource.pk), filters='{"lat": "-4.1290"}'
    )
    assert bad.status_code == 409
    fields = call(client, "datastore_search", resource_id=str(resource.pk)).json()["result"]
    assert "lat" not in {f["id"] for f in fields["fields"]}
    assert "lat" not in fields["records"][0]
    broken = call(client, "datastore_search", resource_id=str(resource.pk), filters="{oops")
    assert broken.status_code == 409


def test_restricted_and_unpublished_datasets_stay_hidden(
    client, published, operator, other_operator
):
    Dataset.objects.filter(pk=published.pk).update(classification="restricted")
    assert call(client, "package_list").json()["result"] == []
    assert call(client, "package_show", id=published.slug).status_code == 404
    client.force_login(other_operator)
    assert call(client, "package_show", id=published.slug).status_code == 404
    client.force_login(operator)  # the owning OPD still sees its own restricted dataset
    assert call(client, "package_show", id=published.slug).status_code == 200

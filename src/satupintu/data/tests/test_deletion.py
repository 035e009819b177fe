"""Delete pages for resources and sources: confirmation first, own OPD only, the datastore
table dropped, published versions and published data kept, every delete in the change log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from satupintu.core.models import ChangeLogEntry
from satupintu.data import datastore
from satupintu.data.models import Dataset, Resource, Source

from .helpers import data_db, loaded_dataset

pytestmark = data_db()


def _deleted_in_log(model, pk) -> bool:
    return ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(pk),
        action=ChangeLogEntry.Action.DELETE,
    ).exists()


def test_resource_delete_confirms_then_drops_table_keeps_versions(
    client, dinkes, walidata, operator, django_capture_on_commit_callbacks
):
    dataset = loaded_dataset(dinkes, walidata)
    resource = dataset.resources.get()
    # The walidata archives the published dataset so its OPD may change it again.
    Dataset.objects.filter(pk=dataset.pk).update(status=Dataset.Status.DRAFT)
    frozen = f"res_{resource.pk}__v1"
    assert datastore.table_exists(frozen)
    url = f"/data/kelola/dataset/{dataset.slug}/sumber-daya/{resource.pk}/hapus/"
    client.force_login(operator)

    page = client.get(url)
    assert page.status_code == 200
    assert "Ya, hapus" in page.text and "3 baris" in page.text
    assert "versi 1–1" in page.text
    assert Resource.objects.filter(pk=resource.pk).exists()  # a GET deletes nothing

    with django_capture_on_commit_callbacks(execute=True):
        with_commit = client.post(url)
    assert with_commit.status_code == 302
    assert with_commit["Location"] == f"/data/kelola/dataset/{dataset.slug}/"
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert not datastore.table_exists(f"res_{resource.pk}")
    assert datastore.read_state(resource.pk) is None
    assert datastore.table_exists(frozen)  # the published version stays
    assert _deleted_in_log(Resource, resource.pk)


def test_resource_of_published_dataset_cannot_be_deleted(client, dinkes, walidata, operator):
    dataset = loaded_dataset(dinkes, walidata)
    resource = dataset.resources.get()
    url = f"/data/kelola/dataset/{dataset.slug}/sumber-daya/{resource.pk}/hapus/"
    client.force_login(operator)
    page = client.get(url)
    assert page.status_code == 200 and "sedang terbit" in page.text
    assert "Ya, hapus" not in page.text
    assert client.post(url).status_code == 409
    assert Resource.objects.filter(pk=resource.pk).exists()
    assert datastore.table_exists(f"res_{resource.pk}")


def test_resource_delete_refused_to_other_opd_and_anonymous(
    client, dinkes, operator, other_operator
):
    dataset = loaded_dataset(dinkes, None, slug="draf", publish=False)
    resource = dataset.resources.get()
    url = f"/data/kelola/dataset/draf/sumber-daya/{resource.pk}/hapus/"
    response = client.post(url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Resource.objects.filter(pk=resource.pk).exists()
    assert datastore.table_exists(f"res_{resource.pk}")


def test_source_delete_keeps_loaded_and_published_data(
    client, dinkes, walidata, operator, django_capture_on_commit_callbacks
):
    dataset = loaded_dataset(dinkes, walidata)
    resource = dataset.resources.get()
    source = resource.source
    stored = source.file.name
    storage = source.file.storage
    assert storage.exists(stored)
    url = f"/data/kelola/sumber/{source.pk}/hapus/"
    client.force_login(operator)

    page = client.get(url)
    assert page.status_code == 200
    assert "tidak lagi disinkronkan" in page.text and "Berkas sumber" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/data/kelola/sumber/"
    assert not Source.objects.filter(pk=source.pk).exists()
    resource.refresh_from_db()
    assert resource.source is None and resource.row_count == 3
    assert datastore.table_exists(f"res_{resource.pk}")
    assert client.get(dataset.get_absolute_url()).status_code == 200
    assert not storage.exists(stored)
    assert _deleted_in_log(Source, source.pk)


def test_source_delete_refused_to_other_opd_and_anonymous(client, dinkes, other_operator):
    dataset = loaded_dataset(dinkes, None, slug="draf", publish=False)
    source = dataset.resources.get().source
    url = f"/data/kelola/sumber/{source.pk}/hapus/"
    assert client.post(url).status_code == 302
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Source.objects.filter(pk=source.pk).exists()

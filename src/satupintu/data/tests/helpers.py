"""Shared builders for the data tests: a published dataset with a loaded datastore table."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from satupintu.data.models import Dataset, Resource, Source, Tag
from satupintu.data.sync import run_sync


def data_db():
    """The django_db mark of the data tests. On a MySQL datastore (the MariaDB service tier)
    DDL commits implicitly and would break the per-test savepoint, so those runs use
    transactional tests instead."""
    mysql = "mysql" in settings.DATABASES["datastore"]["ENGINE"]
    return pytest.mark.django_db(databases=["default", "datastore"], transaction=mysql)


PENDUDUK = (
    "Kode Kecamatan,Kecamatan,Laki-laki,Perempuan,Lat,Lon\n"
    '16.01.01,Baturaja Timur,"45.210","44.873",-4.1290,104.1710\n'
    '16.01.02,Baturaja Barat,"21.034","20.877",-4.1405,104.1402\n'
    '16.01.28,Lengkiti,"11.402","10.987",-4.2960,103.7900\n'
)


def loaded_dataset(
    organisation,
    walidata=None,
    *,
    slug="penduduk-kecamatan",
    content: str = PENDUDUK,
    publish: bool = True,
    topic=None,
    key_columns: tuple[str, ...] = ("kode_kecamatan",),
) -> Dataset:
    dataset = Dataset.objects.create(
        organisation=organisation,
        slug=slug,
        title=f"Jumlah Penduduk per Kecamatan ({slug})",
        description="Jumlah penduduk Kabupaten Ogan Komering Ulu menurut kecamatan dan jenis "
        "kelamin, semester II 2025.",
        topic=topic,
        contact_name="Bidang Data",
        contact_email="data@okukab.go.id",
    )
    dataset.tags.set([Tag.objects.get_or_create(name="penduduk")[0]])
    source = Source(organisation=organisation, name=f"CSV {slug}", kind=Source.Kind.CSV)
    source.file.save(f"{slug}.csv", ContentFile(content.encode()), save=False)
    source.save()
    resource = Resource.objects.create(
        dataset=dataset,
        name="Penduduk per kecamatan",
        source=source,
        format="CSV",
        key_columns=list(key_columns),
    )
    run = run_sync(resource)
    assert run.status == "succeeded", run.error
    resource.variables.filter(name="kode_kecamatan").update(is_filter=True)
    if publish and walidata is not None:
        dataset.refresh_from_db()
        dataset.submit(walidata_owner(dataset))
        dataset.approve(walidata)
    dataset.refresh_from_db()
    return dataset


def walidata_owner(dataset):
    """Any operator of the owning OPD (created on the fly) to submit the dataset."""
    from satupintu.accounts.models import Membership, User
    from satupintu.core.roles import Role

    user = User.objects.create_user(
        username=f"op-{dataset.slug}", password="x" * 12, full_name="Operator", kind=User.Kind.STAFF
    )
    Membership.objects.create(user=user, organisation=dataset.organisation, role=Role.OPERATOR)
    return User.objects.get(pk=user.pk)

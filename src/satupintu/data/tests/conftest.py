from __future__ import annotations

import pytest

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.data.models import Dataset, Resource, Source, Topic


def make_user(username: str, organisation: Organisation, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password="rahasia-panjang-123",
        full_name=username.title(),
        kind=User.Kind.STAFF,
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def dinkes(db) -> Organisation:
    return Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas"
    )


@pytest.fixture
def pupr(db) -> Organisation:
    return Organisation.objects.create(
        code="pupr", name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="PUPR", kind="dinas"
    )


@pytest.fixture
def diskominfo(db) -> Organisation:
    return Organisation.objects.create(
        code="diskominfo",
        name="Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
        kind="dinas",
    )


@pytest.fixture
def operator(dinkes) -> User:
    return make_user("budi", dinkes, Role.OPERATOR)


@pytest.fixture
def other_operator(pupr) -> User:
    return make_user("joko", pupr, Role.OPERATOR)


@pytest.fixture
def walidata(diskominfo) -> User:
    return make_user("rina", diskominfo, Role.WALIDATA)


@pytest.fixture
def topic(db) -> Topic:
    return Topic.objects.create(slug="kesehatan", name="Kesehatan")


@pytest.fixture
def dataset(dinkes, topic) -> Dataset:
    return Dataset.objects.create(
        organisation=dinkes,
        slug="fasilitas-kesehatan",
        title="Fasilitas Kesehatan OKU",
        description="Daftar puskesmas dan rumah sakit di Kabupaten Ogan Komering Ulu.",
        topic=topic,
        contact_name="Seksi Data Dinkes",
        contact_email="data@dinkes.okukab.go.id",
    )


@pytest.fixture
def csv_source(dinkes):
    def make(content: bytes, name: str = "faskes.csv", **options) -> Source:
        from django.core.files.base import ContentFile

        source = Source(
            organisation=dinkes, name=f"Berkas {name}", kind=Source.Kind.CSV, options=options
        )
        source.file.save(name, ContentFile(content), save=False)
        source.save()
        return source

    return make


@pytest.fixture
def csv_resource(dataset, csv_source):
    def make(content: bytes, **fields) -> Resource:
        options = fields.pop("options", {})
        source = csv_source(content, **options)
        return Resource.objects.create(
            dataset=dataset, name="Data utama", source=source, format="CSV", **fields
        )

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; these tests are about data, not passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and synced source files go to a temporary folder, never the real var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"

"""The demo loader: three OKU datasets synced from the bundled CSV files and published through
the walidata workflow; a second run changes nothing."""

from __future__ import annotations

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.data.demo import DATASETS, load_demo
from satupintu.data.models import Dataset, DatasetVersion

from .helpers import data_db

pytestmark = data_db()


def test_demo_datasets_published_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisations = {
        code: Organisation.objects.create(
            code=code,
            name=code.title(),
            short_name=code,
            kind="dinas",
            email=f"{code}@okukab.go.id",
        )
        for code in ("disdukcapil", "dinkes", "dinas-pupr", "bapelitbangda")
    }
    admin = User.objects.create_user(
        username="admin", password=None, full_name="Admin", kind=User.Kind.STAFF
    )
    Membership.objects.create(
        user=admin, organisation=organisations["bapelitbangda"], role=Role.PLATFORM_ADMIN
    )
    rina = User.objects.create_user(
        username="rina", password=None, full_name="Rina", kind=User.Kind.STAFF
    )
    Membership.objects.create(
        user=rina, organisation=organisations["bapelitbangda"], role=Role.WALIDATA
    )
    context = {
        "organisations": organisations,
        "users": {"admin": User.objects.get(pk=admin.pk), "rina": User.objects.get(pk=rina.pk)},
    }
    assert load_demo(context) == "3 dataset"
    published = Dataset.objects.open_data()
    assert published.count() == len(DATASETS) == 3
    population = published.get(slug="penduduk-kecamatan-2025").resources.get()
    assert population.row_count == 13  # the "Jumlah" total row is not data
    health = published.get(slug="fasilitas-kesehatan").resources.get()
    assert "alamat" in [v.name for v in health.public_variables()]  # declassified with reason
    assert load_demo(context) == ""
    assert DatasetVersion.objects.count() == 3

"""manage.py load_demo: the OKU demo regency, its accounts, idempotency and the production guard."""

from __future__ import annotations

import gzip
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.core.demo import ACCOUNTS, DEMO_PASSWORD, demo_loaders
from satupintu.core.models import ChangeLogEntry, Organisation, Region
from satupintu.core.regions import DEFAULT_REGION_FILE, import_regions
from satupintu.core.registry import registry
from satupintu.core.roles import Role
from satupintu.core.validators import Sex, validate_nik, validate_nip

User = get_user_model()
Kind = Organisation.Kind


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Argon2 at production cost makes each demo account take ~0.1 s; the hasher is not what
    # these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def oku_region_file(tmp_path_factory) -> Path:
    """The shipped file cut down to Sumatera Selatan and OKU: enough for the demo, quick."""
    path = tmp_path_factory.mktemp("regions") / "oku.csv"
    with gzip.open(DEFAULT_REGION_FILE, "rt", encoding="utf-8") as source:
        lines = [line for n, line in enumerate(source) if n == 0 or line.startswith("16")]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def oku_regions(oku_region_file, db) -> None:
    import_regions(oku_region_file, scope="all")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.app_label in {"core", "accounts", "auth"}
    }


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_imports_missing_regions_and_a_second_run_changes_nothing():
    first = run_demo()
    assert "7994 kode wilayah diimpor" in first
    assert (
        Region.objects.filter(level=Region.Level.VILLAGE).exclude(code__startswith="16.01.").count()
        == 0
    )
    counts = row_counts()
    log_count = ChangeLogEntry.objects.count()
    stamps = dict(Organisation.objects.values_list("code", "updated_at"))
    assert log_count > 0

    second = run_demo()

    assert row_counts() == counts
    assert ChangeLogEntry.objects.count() == log_count
    assert dict(Organisation.objects.values_list("code", "updated_at")) == stamps
    assert "sudah ada, tidak diimpor ulang" in second
    assert "0 baru, 0 diubah" in second
    # The accounts table is printed on every run (make run shows it).
    for account in ACCOUNTS:
        assert account.username in second
    assert DEMO_PASSWORD in second


@pytest.mark.django_db
def test_opds_are_realistic_and_valid(oku_regions):
    run_demo()
    opds = Organisation.objects.opds()
    assert opds.count() >= 30
    for name in (
        "Sekretariat Daerah Kabupaten Ogan Komering Ulu",
        "Dinas Komunikasi dan Informatika",
        "Dinas Kearsipan dan Perpustakaan",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Dinas Kesehatan",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Badan Penanggulangan Bencana Daerah",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "RSUD Dr. Ibnu Sutowo Baturaja",
    ):
        assert opds.filter(name=name).exists(), name
    baturaja = (Decimal("-4.13"), Decimal("104.17"))
    for opd in opds.filter(parent__isnull=True):
        opd.full_clean()
        assert opd.email.endswith("@okukab.go.id"), opd
        assert opd.phone.startswith("(0735)"), opd
        assert opd.description and opd.head_name and opd.head_title, opd
        assert "Baturaja" in opd.address, opd
        assert abs(opd.latitude - baturaja[0]) < Decimal("0.05"), opd
        assert abs(opd.longitude - baturaja[1]) < Decimal("0.05"), opd
        assert opd.region_id == "16.01"
    assert len(set(opds.values_list("short_name", flat=True))) == opds.count()


@pytest.mark.django_db
def test_territorial_governments_follow_the_region_list(oku_regions):
    run_demo()
    kecamatan = Organisation.objects.filter(kind=Kind.KECAMATAN)
    assert kecamatan.count() == 13
    districts = set(Region.objects.filter(parent_id="16.01").values_list("code", flat=True))
    assert set(kecamatan.values_list("region_id", flat=True)) == districts
    for org in kecamatan.select_related("region"):
        assert org.name == f"Kecamatan {org.region.name}"
        org.full_clean()

    lengkiti = Organisation.objects.get(region_id="16.01.28", kind=Kind.KECAMATAN)
    for code, name in (("16.01.28.2009", "Segara Kembang"), ("16.01.28.2017", "Bunga Tanjung")):
        desa = Organisation.objects.get(region_id=code)
        assert desa.kind == Kind.DESA
        assert desa.name == f"Pemerintah Desa {name}"
        assert desa.parent == lengkiti
    kelurahan = Organisation.objects.filter(kind=Kind.KELURAHAN)
    assert kelurahan.count() >= 2
    for org in kelurahan.select_related("region", "parent"):
        assert org.region.is_kelurahan
        assert org.parent.region_id == org.region.parent_id
        assert org.parent.name.startswith("Kecamatan Baturaja")
    assert Organisation.objects.filter(kind=Kind.EXTERNAL, short_name="BPS OKU").exists()


@pytest.mark.django_db
def test_demo_accounts_cover_every_role(oku_regions):
    run_demo()
    held = {account.role for account in ACCOUNTS}
    assert held == set(Role)
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.has_role(account.role)
        if account.organisation:
            membership = user.memberships.get()
            assert membership.organisation.code == account.organisation

    siti = User.objects.get(username="siti")
    nik = validate_nik(siti.nik)
    assert siti.nik.startswith("160128") and nik.region_known
    assert nik.sex == Sex.FEMALE and int(siti.nik[6:8]) > 40
    assert not siti.nik_region_unknown
    assert siti.kind == User.Kind.CITIZEN and siti.memberships.count() == 0
    assert User.objects.find_by_nik(siti.nik) == siti

    budi = User.objects.get(username="budi")
    validate_nip(budi.nip)
    assert budi.memberships.get().organisation.short_name == "Dinas PUPR"
    assert budi.roles == {Role.OPERATOR}
    pupr_admin = User.objects.get(memberships__role=Role.OPD_ADMIN)
    assert pupr_admin.memberships.get().organisation.code == "dinas-pupr"
    # A second OPD's operator, for isolation demos.
    dinkes = User.objects.get(
        memberships__organisation__code="dinkes", memberships__role="operator"
    )
    assert not dinkes.is_member_of(budi.memberships.get().organisation)
    rina = User.objects.get(username="rina")
    assert rina.memberships.get().organisation.short_name == "Bapelitbangda"
    assert User.objects.get(username="bupati").has_role(Role.PIMPINAN)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.memberships.get().organisation.short_name == "Diskominfo"
    assert not User.objects.filter(is_staff=True).exclude(username="admin").exists()


@pytest.mark.django_db
def test_changes_are_logged_as_the_command_and_a_rerun_restores_the_demo(oku_regions):
    run_demo()
    assert set(ChangeLogEntry.objects.values_list("via", flat=True)) == {"command:load_demo"}
    budi = User.objects.get(username="budi")
    budi.set_password("sandi-lain-yang-panjang")
    budi.full_name = "Budi"
    budi.save()
    Organisation.objects.filter(code="dinas-pupr").update(phone="(0735) 000 000")
    log_count = ChangeLogEntry.objects.count()

    out = run_demo()

    assert "1 diubah" in out
    budi.refresh_from_db()
    assert budi.full_name == "Budi Santoso, S.T." and budi.check_password(DEMO_PASSWORD)
    assert Organisation.objects.get(code="dinas-pupr").phone == "(0735) 320 502"
    # One entry for Budi's name, one for the PUPR phone number.
    assert ChangeLogEntry.objects.count() == log_count + 2


@pytest.mark.django_db
def test_production_is_refused_without_force(settings, oku_regions):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--force"):
        run_demo()
    assert not Organisation.objects.exists() and not User.objects.exists()
    run_demo("--force")
    assert User.objects.filter(username="siti").exists()


@pytest.mark.django_db
def test_another_regency_is_refused_and_nothing_is_written(settings, oku_regions):
    settings.INSTALLATION = {**settings.INSTALLATION, "regency_code": "16.10"}
    with pytest.raises(CommandError, match=r"16\.10"):
        run_demo()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_app_demo_loaders_run_after_core_with_the_shared_context(monkeypatch, oku_regions):
    seen = {}

    def load_village_profiles(context: dict) -> str:
        seen["desa"] = context["organisations"]["desa-segara-kembang"].name
        seen["user"] = context["users"]["siti"].full_name
        return "2 profil desa"

    monkeypatch.setattr(registry, "demo_loaders", dict(registry.demo_loaders))
    registry.add_demo_loader("villages", load_village_profiles, order=150)
    with pytest.raises(ValueError, match="registered twice"):
        registry.add_demo_loader("villages", load_village_profiles)
    names = [loader.name for loader in demo_loaders()]
    assert names[:3] == ["regions", "organisations", "accounts"]
    assert names.index("villages") > 2

    out = run_demo()

    assert seen == {"desa": "Pemerintah Desa Segara Kembang", "user": "Siti Aminah"}
    assert "villages: 2 profil desa" in out


@pytest.mark.django_db
def test_a_failing_app_loader_rolls_back_the_whole_demo(monkeypatch, oku_regions):
    def broken(context: dict) -> None:
        raise RuntimeError("berkas contoh hilang")

    monkeypatch.setattr(registry, "demo_loaders", dict(registry.demo_loaders))
    registry.add_demo_loader("broken", broken, order=200)
    with pytest.raises(RuntimeError):
        run_demo()
    assert not Organisation.objects.exists() and not User.objects.exists()

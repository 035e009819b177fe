from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from satupintu.accounts.models import Membership, User
from satupintu.complaints.models import Category, Holiday
from satupintu.core.demo.opds import OPDS
from satupintu.core.models import Organisation, Region
from satupintu.core.roles import Role

# Desa Segara Kembang, Kec. Lengkiti: a place inside OKU used by most tests.
LENGKITI = (Decimal("-4.052300"), Decimal("103.958100"))
BATURAJA = (Decimal("-4.128400"), Decimal("104.181200"))


def make_user(username: str, organisation: Organisation | None, role: str, **extra) -> User:
    kind = User.Kind.CITIZEN if role == Role.CITIZEN else User.Kind.STAFF
    user = User.objects.create_user(
        username=username,
        password="rahasia-panjang-123",
        full_name=extra.pop("full_name", username.title()),
        kind=kind,
        email=extra.pop("email", f"{username}@example.com"),
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db) -> dict[str, Region]:
    rows = [
        ("16", "SUMATERA SELATAN", 1, None),
        ("16.01", "KABUPATEN OGAN KOMERING ULU", 2, "16"),
        ("16.01.28", "Lengkiti", 3, "16.01"),
        ("16.01.28.2009", "Segara Kembang", 4, "16.01.28"),
        ("16.01.28.2017", "Bunga Tanjung", 4, "16.01.28"),
        ("16.01.14", "Baturaja Timur", 3, "16.01"),
        ("16.01.14.1004", "Kemalaraja", 4, "16.01.14"),
    ]
    return {
        code: Region.objects.create(code=code, name=name, level=level, parent_id=parent)
        for code, name, level, parent in rows
    }


@pytest.fixture
def organisations(regions) -> dict[str, Organisation]:
    orgs = {
        spec.code: Organisation.objects.create(code=spec.code, **spec.values())
        for spec in OPDS
        if spec.parent is None
    }
    lengkiti = Organisation.objects.create(
        code="kecamatan-lengkiti",
        name="Kecamatan Lengkiti",
        short_name="Kec. Lengkiti",
        kind=Organisation.Kind.KECAMATAN,
        region=regions["16.01.28"],
        latitude=Decimal("-4.060000"),
        longitude=Decimal("103.970000"),
        email="kec.lengkiti@okukab.go.id",
    )
    orgs["kecamatan-lengkiti"] = lengkiti
    orgs["desa-segara-kembang"] = Organisation.objects.create(
        code="desa-segara-kembang",
        name="Pemerintah Desa Segara Kembang",
        short_name="Desa Segara Kembang",
        kind=Organisation.Kind.DESA,
        parent=lengkiti,
        region=regions["16.01.28.2009"],
        latitude=LENGKITI[0],
        longitude=LENGKITI[1],
    )
    orgs["kecamatan-baturaja-timur"] = Organisation.objects.create(
        code="kecamatan-baturaja-timur",
        name="Kecamatan Baturaja Timur",
        short_name="Kec. Baturaja Timur",
        kind=Organisation.Kind.KECAMATAN,
        region=regions["16.01.14"],
        latitude=Decimal("-4.121000"),
        longitude=Decimal("104.186000"),
    )
    return orgs


@pytest.fixture
def categories(organisations) -> dict[str, Category]:
    return {
        "jalan-rusak": Category.objects.create(
            code="jalan-rusak",
            name="Jalan rusak",
            group="Infrastruktur",
            organisation=organisations["dinas-pupr"],
            area_based=True,
            response_days=3,
            completion_days=10,
            attributes=[
                {
                    "code": "tingkat",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "description": "Tingkat kerusakan",
                    "order": 1,
                    "values": [
                        {"key": "ringan", "name": "Ringan"},
                        {"key": "berat", "name": "Berat"},
                    ],
                }
            ],
        ),
        "sampah": Category.objects.create(
            code="sampah",
            name="Sampah menumpuk",
            group="Lingkungan",
            organisation=organisations["dlh"],
            response_days=2,
            completion_days=5,
        ),
    }


@pytest.fixture
def citizen(organisations) -> User:
    return make_user("siti", None, Role.CITIZEN, full_name="Siti Aminah")


@pytest.fixture
def pupr_operator(organisations) -> User:
    return make_user("budi", organisations["dinas-pupr"], Role.OPERATOR)


@pytest.fixture
def pupr_head(organisations) -> User:
    return make_user("hendra", organisations["dinas-pupr"], Role.OPD_ADMIN)


@pytest.fixture
def dinkes_operator(organisations) -> User:
    return make_user("dewi", organisations["dinkes"], Role.OPERATOR)


@pytest.fixture
def desa_operator(organisations) -> User:
    return make_user("sukri", organisations["desa-segara-kembang"], Role.OPERATOR)


@pytest.fixture
def platform_admin(organisations) -> User:
    return make_user("admin", organisations["diskominfo"], Role.PLATFORM_ADMIN)


@pytest.fixture
def holidays_2026(db) -> None:
    for day, name in [
        (dt.date(2026, 12, 25), "Hari Raya Natal"),
        (dt.date(2026, 12, 24), "Cuti bersama Natal"),
    ]:
        Holiday.objects.create(date=day, name=name)


@pytest.fixture
def submit(categories, citizen):
    """submit_report with sensible defaults: a broken road in Segara Kembang by Siti."""
    from satupintu.complaints.services import submit_report

    def _submit(**overrides):
        values = {
            "category": categories["jalan-rusak"],
            "title": "Jalan berlubang di depan SD Negeri 12",
            "description": "Lubang besar di tengah jalan desa, sudah dua motor jatuh minggu ini.",
            "channel": "web",
            "reporter": citizen,
            "latitude": LENGKITI[0],
            "longitude": LENGKITI[1],
        }
        values.update(overrides)
        return submit_report(**values)

    return _submit

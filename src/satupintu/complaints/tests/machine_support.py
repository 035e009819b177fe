"""Data for the tests of the machine channels (Open311, gateway webhook, LAPOR!): OKU's OPDs,
three categories as a regency would define them, users of two OPDs."""

from __future__ import annotations

from satupintu.accounts.models import Membership, User
from satupintu.core.demo.opds import OPDS
from satupintu.core.models import Organisation
from satupintu.core.roles import Role

from .. import services
from ..models import Category, Report

ROAD_ATTRIBUTES = [
    {
        "code": "tingkat",
        "datatype": "singlevaluelist",
        "required": True,
        "description": "Tingkat kerusakan",
        "order": 1,
        "values": [{"key": "ringan", "name": "Ringan (retak)"}, {"key": "berat", "name": "Berat"}],
    },
    {"code": "lebar", "datatype": "number", "required": False, "description": "Lebar lubang (m)"},
]
# A point on the Baturaja–Lengkiti road, inside the regency.
LENGKITI = ("-4.137800", "104.183300")


def submit(category: Category, description: str, **extra) -> Report:
    """An anonymous web report at LENGKITI, through the service every channel uses."""
    return services.submit_report(
        category=category,
        title="",
        description=description,
        channel=Report.Channel.WEB,
        latitude=LENGKITI[0],
        longitude=LENGKITI[1],
        **extra,
    )


def make_organisations() -> dict[str, Organisation]:
    return {
        spec.code: Organisation.objects.create(code=spec.code, **spec.values()) for spec in OPDS
    }


def make_categories(organisations: dict[str, Organisation]) -> dict[str, Category]:
    specs = [
        dict(
            code="jalan-rusak",
            name="Jalan rusak",
            description="Jalan berlubang, retak atau amblas di jalan kabupaten.",
            group="Infrastruktur",
            keywords="jalan, berlubang, aspal, amblas",
            organisation=organisations["dinas-pupr"],
            attributes=ROAD_ATTRIBUTES,
        ),
        dict(
            code="lampu-jalan",
            name="Lampu jalan mati",
            description="Penerangan jalan umum yang padam atau rusak.",
            group="Infrastruktur",
            keywords="lampu, penerangan, pju",
            organisation=organisations["dishub"],
        ),
        dict(
            code="lainnya",
            name="Lainnya",
            description="Pengaduan yang belum masuk kategori lain.",
            group="Umum",
            organisation=organisations["diskominfo"],
        ),
    ]
    return {spec["code"]: Category.objects.create(**spec) for spec in specs}


def make_user(username: str, organisation: Organisation | None, role: str) -> User:
    kind = User.Kind.CITIZEN if role == Role.CITIZEN else User.Kind.STAFF
    user = User.objects.create_user(
        username=username, password="rahasia-panjang-123", full_name=username.title(), kind=kind
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)


def locmem_cache(settings, name: str) -> None:
    """A private cache for the test: rate limits and replay memory must not leak between
    tests (the default file cache is shared by every test run on the machine)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": name,
        }
    }
    from django.core.cache import cache

    cache.clear()


def post_request(client, key: str, fmt: str = "json", **changes):
    """An Open311 `POST requests` as a third-party app sends it: a street light out in Lengkiti,
    with `changes` on top (a None value leaves the field out)."""
    data = {
        "api_key": key,
        "service_code": "lampu-jalan",
        "lat": LENGKITI[0],
        "long": LENGKITI[1],
        "description": "Lampu jalan di simpang tiga pasar Lengkiti padam sejak seminggu.",
    }
    data.update(changes)
    sent = {name: value for name, value in data.items() if value is not None}
    return client.post(f"/open311/v2/requests.{fmt}", sent)

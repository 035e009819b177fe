"""Organisation validation (coordinates, parent cycles, territorial regions) and the Django
admin of regions and organisations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from satupintu.core.models import ChangeLogEntry, Organisation, Region
from satupintu.core.roles import Role

User = get_user_model()
Kind = Organisation.Kind


@pytest.fixture
def regions(db) -> None:
    for code, name, level, parent in [
        ("16", "Sumatera Selatan", 1, None),
        ("16.01", "Kabupaten Ogan Komering Ulu", 2, "16"),
        ("16.01.28", "Lengkiti", 3, "16.01"),
        ("16.01.28.2009", "Segara Kembang", 4, "16.01.28"),
    ]:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)


def organisation(code: str, kind: str = Kind.DINAS, **fields) -> Organisation:
    fields.setdefault("name", code.replace("-", " ").title())
    fields.setdefault("short_name", code.upper())
    return Organisation.objects.create(code=code, kind=kind, **fields)


def errors_of(org: Organisation) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    return excinfo.value.message_dict


@pytest.mark.django_db
def test_coordinates_of_baturaja_are_valid():
    org = Organisation(
        code="dinas-pupr",
        name="Dinas PUPR",
        short_name="Dinas PUPR",
        kind=Kind.DINAS,
        latitude=Decimal("-4.141200"),
        longitude=Decimal("104.179800"),
    )
    org.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "field", "fragment"),
    [
        ("-91", "104.17", "latitude", "-90 dan 90"),
        ("-4.13", "181", "longitude", "-180 dan 180"),
        ("104.17", "-4.13", "latitude", "-90 dan 90"),  # swapped
        ("-4.13", "-104.17", "latitude", "luar wilayah Indonesia"),  # a stray minus
        ("51.5", "-0.12", "latitude", "luar wilayah Indonesia"),
        ("-4.13", None, "longitude", "sekaligus"),
        (None, "104.17", "latitude", "sekaligus"),
    ],
)
def test_bad_coordinates_are_explained(latitude, longitude, field, fragment):
    org = Organisation(
        code="dinas-pupr",
        name="Dinas PUPR",
        short_name="Dinas PUPR",
        kind=Kind.DINAS,
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if longitude else None,
    )
    messages = errors_of(org)
    assert fragment in " ".join(messages[field])


@pytest.mark.django_db
def test_parent_cannot_be_itself_or_a_descendant():
    setda = organisation("setda", Kind.SEKRETARIAT)
    bagian = organisation("bagian-pbj", Kind.SEKRETARIAT, parent=setda)
    subbagian = organisation("subbagian-lpse", Kind.SEKRETARIAT, parent=bagian)

    setda.parent = setda
    assert "dirinya sendiri" in errors_of(setda)["parent"][0]

    setda.parent = subbagian
    assert "berputar" in errors_of(setda)["parent"][0]

    # Moving a leaf under another branch is fine.
    setda.parent = None
    dinkes = organisation("dinkes")
    subbagian.parent = dinkes
    subbagian.full_clean()
    assert [o.code for o in subbagian.ancestors()] == ["dinkes"]
    assert [o.code for o in bagian.ancestors()] == ["setda"]


@pytest.mark.django_db
def test_territorial_kinds_need_a_region_of_their_level(regions):
    kecamatan = Organisation(
        code="kecamatan-lengkiti",
        name="Kecamatan Lengkiti",
        short_name="Kec. Lengkiti",
        kind=Kind.KECAMATAN,
        region_id="16.01.28.2009",
    )
    assert "Kecamatan" in errors_of(kecamatan)["region"][0]
    kecamatan.region_id = "16.01.28"
    kecamatan.full_clean()
    kecamatan.save()

    desa = Organisation(
        code="desa-segara-kembang",
        name="Pemerintah Desa Segara Kembang",
        short_name="Desa Segara Kembang",
        kind=Kind.DESA,
        region_id="16.01.28",
        parent=kecamatan,
    )
    assert "Desa/Kelurahan" in errors_of(desa)["region"][0]
    desa.region_id = "16.01.28.2009"
    desa.full_clean()
    # An OPD may sit in any region (its jurisdiction is the regency).
    Organisation(
        code="dinkes",
        name="Dinas Kesehatan",
        short_name="Dinkes",
        kind=Kind.DINAS,
        region_id="16.01",
    ).full_clean()


@pytest.mark.django_db
def test_opds_queryset_leaves_out_territories_and_external_agencies():
    organisation("dinkes")
    organisation("bpbd", Kind.BADAN)
    organisation("rsud-ibnu-sutowo", Kind.RSUD)
    organisation("kecamatan-lengkiti", Kind.KECAMATAN)
    organisation("bps-oku", Kind.EXTERNAL)
    organisation("diarpus", is_active=False)
    assert set(Organisation.objects.opds().values_list("code", flat=True)) == {
        "dinkes",
        "bpbd",
        "rsud-ibnu-sutowo",
        "diarpus",
    }
    assert "diarpus" not in set(Organisation.objects.opds().active().values_list("code", flat=True))


# --- admin ------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(
        username="admin",
        email="admin@okukab.go.id",
        password="Demo-OKU-2026!",
        full_name="Arief Rahman",
    )


@pytest.fixture
def operator(db):
    pupr = organisation("dinas-pupr")
    user = User.objects.create_user(
        username="budi", password="Demo-OKU-2026!", full_name="Budi Santoso", kind=User.Kind.STAFF
    )
    user.memberships.create(organisation=pupr, role=Role.OPERATOR)
    return user


ADMIN_PAGES = [
    "admin:core_region_changelist",
    "admin:core_organisation_changelist",
    "admin:core_organisation_add",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_refuse_anonymous_users_and_opd_operators(client, operator, page):
    url = reverse(page)
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_region_admin_is_read_only_and_searchable_by_code_prefix(client, superuser, regions):
    client.force_login(superuser)
    response = client.get(reverse("admin:core_region_changelist"), {"q": "16.01.28"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Segara Kembang" in content and "Sumatera Selatan" not in content
    assert client.get(reverse("admin:core_region_add")).status_code == 403
    change = client.get(reverse("admin:core_region_change", args=["16.01.28"]))
    assert change.status_code == 200
    assert b'name="name"' not in change.content  # shown, not editable
    delete = client.post(reverse("admin:core_region_delete", args=["16.01.28"]), {"post": "yes"})
    assert delete.status_code == 403
    assert Region.objects.filter(pk="16.01.28").exists()


@pytest.mark.django_db
def test_organisation_admin_lists_filters_and_validates(client, superuser, regions):
    organisation(
        "dinas-pupr", name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="Dinas PUPR"
    )
    organisation("kecamatan-lengkiti", Kind.KECAMATAN, region_id="16.01.28")
    client.force_login(superuser)
    url = reverse("admin:core_organisation_changelist")
    response = client.get(url, {"kind__exact": Kind.KECAMATAN})
    assert response.status_code == 200
    assert b"Kecamatan Lengkiti" in response.content
    assert b"Dinas Pekerjaan Umum" not in response.content
    assert b"Dinas Pekerjaan Umum" in client.get(url, {"q": "PUPR"}).content

    log_count = ChangeLogEntry.objects.count()
    data = {
        "code": "bpbd",
        "name": "Badan Penanggulangan Bencana Daerah",
        "short_name": "BPBD",
        "kind": Kind.BADAN,
        "region": "16.01",
        "is_active": "on",
        "latitude": "104.17",
        "longitude": "-4.13",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:core_organisation_add"), data)
    assert response.status_code == 200
    assert "-90 dan 90" in response.content.decode()
    assert not Organisation.objects.filter(code="bpbd").exists()
    assert ChangeLogEntry.objects.count() == log_count

    data.update(latitude="-4.1228", longitude="104.1724")
    response = client.post(reverse("admin:core_organisation_add"), data)
    assert response.status_code == 302
    bpbd = Organisation.objects.get(code="bpbd")
    entry = ChangeLogEntry.objects.for_object(bpbd).get()
    assert entry.user == superuser and entry.via == "web"

    change = client.get(reverse("admin:core_organisation_change", args=[bpbd.pk]))
    assert change.status_code == 200

"""Small builders for people and organisations, shared by the core and accounts tests.

The people are the personas of PERSONAS.md: Ibu Siti (citizen, Desa Segara Kembang), Pak Budi
(operator at Dinas PUPR), Bu Rina (walidata), and a second OPD (Dinas Kesehatan) whose staff
must never see PUPR's unpublished work.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import make_password

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation, Region
from satupintu.core.roles import Role

# Ibu Siti: born 5 September 1987 (day 05 + 40 = 45), NIK issued in Kec. Lengkiti (16.01.28).
SITI_NIK = "1601284509870001"
# Pak Budi: born 12 March 1985, CPNS from January 2010, man, serial 003.
BUDI_NIP = "198503122010011003"
PASSWORD = "Rahasia-Baturaja-2026"


# A second village of Lengkiti and a town district (kecamatan Baturaja Timur with its
# kelurahan Sukaraya), for tests that need more than one village or district.
EXTRA_REGIONS = [
    ("16.01.28.2017", "Bunga Tanjung", Region.Level.VILLAGE, "16.01.28"),
    ("16.01.01", "Baturaja Timur", Region.Level.DISTRICT, "16.01"),
    ("16.01.01.1001", "Sukaraya", Region.Level.VILLAGE, "16.01.01"),
]


def make_regions(*, extra: bool = False) -> None:
    """Sumatera Selatan → Ogan Komering Ulu → Lengkiti → Segara Kembang; with `extra`, also
    the villages and district of EXTRA_REGIONS."""
    rows = [
        ("16", "Sumatera Selatan", Region.Level.PROVINCE, None),
        ("16.01", "Kabupaten Ogan Komering Ulu", Region.Level.REGENCY, "16"),
        ("16.01.28", "Lengkiti", Region.Level.DISTRICT, "16.01"),
        ("16.01.28.2009", "Segara Kembang", Region.Level.VILLAGE, "16.01.28"),
    ]
    if extra:
        rows += EXTRA_REGIONS
    for code, name, level, parent in rows:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )


def make_organisation(
    code: str, name: str, kind: str = Organisation.Kind.DINAS, parent: Organisation | None = None
) -> Organisation:
    short_name = code.upper()[:40]
    return Organisation.objects.create(
        code=code, name=name, short_name=short_name, kind=kind, parent=parent
    )


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once per test session.
    return make_password(PASSWORD)


def make_user(
    username: str,
    *memberships: tuple[Organisation, str],
    kind: str = User.Kind.STAFF,
    full_name: str | None = None,
    **fields,
) -> User:
    user = User.objects.create(
        username=username,
        password=_password_hash(),
        email=f"{username}@okukab.go.id",
        full_name=full_name or username.title(),
        kind=kind,
        **fields,
    )
    for organisation, role in memberships:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class Regency:
    """The organisations and people most tests need, built once per test."""

    def __init__(self) -> None:
        self.pupr = make_organisation("dinas-pupr", "Dinas Pekerjaan Umum dan Penataan Ruang")
        self.dinkes = make_organisation("dinas-kesehatan", "Dinas Kesehatan")
        self.bapelitbangda = make_organisation(
            "bapelitbangda",
            "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
            Organisation.Kind.BADAN,
        )
        self.diskominfo = make_organisation("diskominfo", "Dinas Komunikasi dan Informatika")
        self.lengkiti = make_organisation(
            "kecamatan-lengkiti", "Kecamatan Lengkiti", Organisation.Kind.KECAMATAN
        )
        self.segara_kembang = make_organisation(
            "desa-segara-kembang",
            "Pemerintah Desa Segara Kembang",
            Organisation.Kind.DESA,
            parent=self.lengkiti,
        )

        self.budi = make_user(
            "budi", (self.pupr, Role.OPERATOR), full_name="Budi Santoso", nip=BUDI_NIP
        )
        self.pupr_admin = make_user(
            "hendra", (self.pupr, Role.OPD_ADMIN), full_name="Hendra Wijaya"
        )
        self.dina = make_user("dina", (self.dinkes, Role.OPERATOR), full_name="Dina Marlina")
        self.dinkes_admin = make_user(
            "yusuf", (self.dinkes, Role.OPD_ADMIN), full_name="Yusuf Effendi"
        )
        self.rina = make_user(
            "rina", (self.bapelitbangda, Role.WALIDATA), full_name="Rina Oktaviani"
        )
        self.bupati = make_user(
            "bupati", (self.diskominfo, Role.PIMPINAN), full_name="Bupati Ogan Komering Ulu"
        )
        self.admin = make_user(
            "admin", (self.diskominfo, Role.PLATFORM_ADMIN), full_name="Ahmad Fauzi"
        )
        self.camat_operator = make_user(
            "rudi", (self.lengkiti, Role.OPERATOR), full_name="Rudi Hartono"
        )
        self.desa_operator = make_user(
            "wati", (self.segara_kembang, Role.OPERATOR), full_name="Wati Susanti"
        )
        self.siti = make_user(
            "siti",
            kind=User.Kind.CITIZEN,
            full_name="Siti Aminah",
            nik=SITI_NIK,
            phone="081234565678",
        )

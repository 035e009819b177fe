"""Demo step "accounts": one person per role of the platform (see PERSONAS.md).

Every demo account shares one documented password. A second run restores what the demo
promises (names, roles, the password) and otherwise writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from ..roles import Role
from ..validators import validate_nik, validate_nip
from .common import Tally, upsert

# Shown by `load_demo` and in the README. load_demo refuses to run in production without --force.
DEMO_PASSWORD = "Demo-OKU-2026!"  # noqa: S105 (a documented demo password, not a secret)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    organisation: str | None  # code of the organisation the role is held through
    position: str = ""
    email: str = ""
    nik: str = ""
    nip: str = ""
    phone: str = ""
    superuser: bool = False
    home: str = ""  # where a citizen lives, for the accounts table


ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        "siti",
        "Siti Aminah",
        Role.CITIZEN,
        None,
        email="siti.aminah@example.com",
        # Issued in Kec. Lengkiti (16.01.28); born 12 March 1985, a woman: day 12 + 40 = 52.
        nik="1601285203850003",
        phone="0812-7345-6621",
        home="Desa Segara Kembang, Kec. Lengkiti",
    ),
    DemoAccount(
        "budi",
        "Budi Santoso, S.T.",
        Role.OPERATOR,
        "dinas-pupr",
        position="Pengelola Layanan Pengaduan, Bidang Bina Marga",
        email="budi.santoso@okukab.go.id",
        nip="198207152008011002",
    ),
    DemoAccount(
        "hendra",
        "Hendra Wijaya, S.Kom.",
        Role.OPD_ADMIN,
        "dinas-pupr",
        position="Pranata Komputer Ahli Pertama",
        email="hendra.wijaya@okukab.go.id",
        nip="199003212015031001",
    ),
    DemoAccount(
        "dewi",
        "Dewi Lestari, S.K.M.",
        Role.OPERATOR,
        "dinkes",
        position="Epidemiolog Kesehatan Ahli Pertama",
        email="dewi.lestari@okukab.go.id",
        nip="198911042014022003",
    ),
    DemoAccount(
        "yusuf",
        "Yusuf Maulana, S.IP.",
        Role.OPERATOR,
        "kecamatan-lengkiti",
        position="Kepala Seksi Pelayanan Umum Kecamatan Lengkiti",
        email="yusuf.maulana@okukab.go.id",
        nip="199207082019031005",
    ),
    DemoAccount(
        "sukri",
        "Sukri Hamdani",
        Role.OPERATOR,
        "desa-segara-kembang",
        position="Sekretaris Desa Segara Kembang",
    ),
    DemoAccount(
        "rina",
        "Rina Marlina, S.Si., M.Si.",
        Role.WALIDATA,
        "bapelitbangda",
        position="Statistisi Ahli Muda, Walidata Satu Data OKU",
        email="rina.marlina@okukab.go.id",
        nip="198605102010012015",
    ),
    DemoAccount(
        "bupati",
        "H. Syamsul Bahri, S.H., M.M.",
        Role.PIMPINAN,
        "setda",
        position="Bupati Ogan Komering Ulu",
        email="bupati@okukab.go.id",
    ),
    DemoAccount(
        "admin",
        "Arief Rahman, S.Kom., M.T.",
        Role.PLATFORM_ADMIN,
        "diskominfo",
        position="Kepala Bidang Aplikasi Informatika",
        email="arief.rahman@okukab.go.id",
        nip="198108172006041002",
        superuser=True,
    ),
]


def _user_values(account: DemoAccount) -> dict:
    User = get_user_model()
    nik_region_unknown = False
    if account.nik:
        nik_region_unknown = not validate_nik(account.nik).region_known
    if account.nip:
        validate_nip(account.nip)
    return {
        "full_name": account.full_name,
        "email": account.email,
        "kind": User.Kind.CITIZEN if account.role == Role.CITIZEN else User.Kind.STAFF,
        "nik": account.nik,
        "nik_region_unknown": nik_region_unknown,
        "nip": account.nip,
        "phone": account.phone,
        "is_active": True,
        "is_superuser": account.superuser,
        # Django's technical admin (/admin/) is for the platform admin only.
        "is_staff": account.superuser,
    }


def _load_user(account: DemoAccount) -> tuple[object, str]:
    User = get_user_model()
    values = _user_values(account)
    user = User.objects.filter(username=account.username).first()
    if user is None:
        user = User(username=account.username, **values)
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user, "created"
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, values[name])
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed.append("password")
    if not changed:
        return user, "unchanged"
    if "nik" in changed:
        changed.append("nik_hash")
    if "nip" in changed:
        changed.append("nip_hash")
    user.save(update_fields=[*changed, "updated_at"])
    return user, "updated"


def load_accounts(context: dict) -> Tally:
    # core knows no app: reach the membership model through the user model's relation.
    Membership = get_user_model()._meta.get_field("memberships").related_model
    tally = Tally()
    organisations = context["organisations"]
    users = context.setdefault("users", {})
    rows = context.setdefault("account_rows", [])
    for account in ACCOUNTS:
        user, outcome = _load_user(account)
        users[account.username] = user
        tally.add(_("akun"), outcome)
        if account.organisation is None:
            where = account.home
        else:
            organisation = organisations[account.organisation]
            _membership, outcome = upsert(
                Membership,
                {"user": user, "organisation": organisation, "role": account.role},
                {"position": account.position},
            )
            tally.add(_("keanggotaan"), outcome)
            where = organisation.short_name
        rows.append((account.username, str(Role(account.role).label), where, DEMO_PASSWORD))
    return tally

"""Demo step "sso" (after the catalogue's, to link clients to its entries): OIDC clients for a
few OPD apps, and a TOTP device for every demo staff account so the demo can be used with staff
MFA switched on.

Every demo staff account's first sign-in leads to the enrolment page as in production, but the
key it shows is one documented secret (DEMO_TOTP_SECRET): add it once to an authenticator app,
or run `manage.py demo_totp_code`, and the six-digit code works for every demo staff account.
Demo client secrets are documented too. Never in production (load_demo refuses without
--force).
"""

from __future__ import annotations

from base64 import b32decode
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.core.demo import Tally, upsert

from .models import Client

# A documented demo secret (base32), not a real one: every demo staff device uses it.
DEMO_TOTP_SECRET = "OKUDEMOSATUPINTUTOTPDEMOOKUSATUP"  # noqa: S105
DEMO_CLIENT_SECRET = "Demo-Aplikasi-OKU-2026"  # noqa: S105 (documented in README)
DEMO_DEVICE_NAME = "demo-autentikator"

# (client_id, name, owner OPD code, type, grant, redirect URIs, post-logout URIs, scopes, about)
DEMO_CLIENTS = [
    (
        "contoh-aplikasi-opd",
        "Contoh Aplikasi OPD",
        "diskominfo",
        Client.CLIENT_CONFIDENTIAL,
        Client.GRANT_AUTHORIZATION_CODE,
        "http://127.0.0.1:8765/callback",
        "http://127.0.0.1:8765/",
        "openid profile email",
        "Aplikasi contoh examples/sample_rp: Masuk dengan satupintu.",
    ),
    (
        "simpus-dinkes",
        "SIMPUS — Sistem Informasi Puskesmas",
        "dinkes",
        Client.CLIENT_PUBLIC,
        Client.GRANT_AUTHORIZATION_CODE,
        "http://127.0.0.1:8766/callback",
        "http://127.0.0.1:8766/",
        "openid profile email phone nik",
        "Pendaftaran dan rekam medis pasien puskesmas; memerlukan NIK pasien.",
    ),
    (
        "simbg-pupr",
        "SIMBG — Persetujuan Bangunan Gedung",
        "dinas-pupr",
        Client.CLIENT_CONFIDENTIAL,
        Client.GRANT_AUTHORIZATION_CODE,
        "http://127.0.0.1:8767/oidc/callback",
        "http://127.0.0.1:8767/",
        "openid profile email nip opd roles",
        "Pengajuan dan verifikasi PBG oleh petugas Dinas PUPR.",
    ),
    (
        "sakip-bapelitbangda",
        "Sakip — Akuntabilitas Kinerja",
        "bapelitbangda",
        Client.CLIENT_CONFIDENTIAL,
        Client.GRANT_AUTHORIZATION_CODE,
        "http://127.0.0.1:8768/oidc/callback",
        "http://127.0.0.1:8768/",
        "openid profile nip opd roles",
        "Perjanjian dan laporan kinerja perangkat daerah; petugas OPD masuk dengan NIP.",
    ),
    (
        "e-kir-dishub",
        "E-KIR — Uji Berkala Kendaraan",
        "dishub",
        Client.CLIENT_CONFIDENTIAL,
        Client.GRANT_AUTHORIZATION_CODE,
        "http://127.0.0.1:8769/callback",
        "http://127.0.0.1:8769/",
        "openid profile email phone",
        "Pendaftaran uji KIR oleh pemilik kendaraan dan hasil uji oleh penguji Dishub.",
    ),
    (
        "sinkron-simda-bpkad",
        "Sinkronisasi SIMDA Keuangan",
        "bpkad",
        Client.CLIENT_CONFIDENTIAL,
        Client.GRANT_CLIENT_CREDENTIALS,
        "",
        "",
        "introspection",
        "Layanan antar-mesin: mengirim realisasi anggaran ke Satu Data setiap malam.",
    ),
]


# Demo clients of apps in the demo catalogue (catalogue/demo.py, by slug): the link makes
# the catalogue entry say "memakai SSO satupintu: Ya".
DEMO_CATALOGUE_ENTRIES = {"sakip-bapelitbangda": "sakip", "e-kir-dishub": "e-kir"}


@dataclass
class SsoDemoTally(Tally):
    """The counts, followed by how to use the demo's second factor and client secret."""

    def __str__(self) -> str:
        return "\n  ".join(
            [
                super().__str__(),
                _(
                    "Verifikasi dua langkah akun aparatur demo: saat pertama masuk, halaman "
                    "pemasangan menampilkan kunci %(secret)s (sama untuk semua akun aparatur "
                    "demo); kodenya juga dicetak oleh `manage.py demo_totp_code`."
                )
                % {"secret": DEMO_TOTP_SECRET},
                f"otpauth://totp/Satu%20Pintu%20OKU:demo?secret={DEMO_TOTP_SECRET}"
                "&issuer=Satu%20Pintu%20OKU",
                _("Client secret aplikasi SSO demo (rahasia): %(secret)s")
                % {"secret": DEMO_CLIENT_SECRET},
            ]
        )


def catalogue_entry(client_id: str, organisation):
    from satupintu.catalogue.models import Application

    slug = DEMO_CATALOGUE_ENTRIES.get(client_id)
    if slug is None:
        return None
    return Application.objects.filter(slug=slug, organisation=organisation).first()


def load_demo(context: dict) -> Tally:
    tally = SsoDemoTally()
    organisations = context["organisations"]
    for client_id, name, opd, kind, grant, redirects, logouts, scopes, about in DEMO_CLIENTS:
        client, outcome = upsert(
            Client,
            {"client_id": client_id},
            {
                "name": name,
                "organisation": organisations[opd],
                "client_type": kind,
                "authorization_grant_type": grant,
                "redirect_uris": redirects,
                "post_logout_redirect_uris": logouts,
                "allowed_scopes": scopes,
                "description": about,
                "algorithm": Client.RS256_ALGORITHM,
                "catalogue_entry": catalogue_entry(client_id, organisations[opd]),
            },
        )
        if kind == Client.CLIENT_CONFIDENTIAL and not client.check_secret(DEMO_CLIENT_SECRET):
            client.client_secret = DEMO_CLIENT_SECRET
            client.save(update_fields=["client_secret", "updated"])
            outcome = "updated" if outcome == "unchanged" else outcome
        tally.add(_("aplikasi SSO"), outcome)

    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in context.get("users", {}).values():
        if not user.is_staff_member:
            continue
        # Unconfirmed: the first sign-in still walks through enrolment (as in production),
        # but the key the enrolment page shows is the documented demo one.
        _device, created = TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": key, "confirmed": False}
        )
        tally.add(_("perangkat TOTP demo"), "created" if created else "unchanged")
    return tally

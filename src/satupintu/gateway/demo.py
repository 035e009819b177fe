"""Demo content for `manage.py load_demo`: Disdukcapil's SIAK offers village population
aggregates, Dinas Kesehatan's SIMPUS may read them (examples/opd_systems/ are the two systems).
SIMPUS' API key is written to var/demo/simpus-gateway.key for the example client."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from .models import AccessRight, Credential, Member, Service, Subsystem

KEY_LABEL = "Demo SIMPUS (examples/opd_systems)"
OPENAPI = """{"openapi": "3.0.3",
 "info": {"title": "Data penduduk per wilayah (SIAK Disdukcapil OKU)", "version": "1.0"},
 "paths": {
  "/desa/{kode}": {"get": {"summary": "Jumlah penduduk, KK dan balita satu desa",
    "parameters": [{"name": "kode", "in": "path", "required": true,
                    "schema": {"type": "string", "example": "16.01.28.2009"}}],
    "responses": {"200": {"description": "Agregat penduduk desa"}}}},
  "/kecamatan/{kode}": {"get": {"summary": "Agregat penduduk per desa dalam satu kecamatan",
    "parameters": [{"name": "kode", "in": "path", "required": true,
                    "schema": {"type": "string", "example": "16.01.28"}}],
    "responses": {"200": {"description": "Agregat penduduk kecamatan"}}}}}}"""


def key_file() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "simpus-gateway.key"


def load_demo(context: dict) -> dict:
    organisations = context["organisations"]
    disdukcapil, dinkes = organisations["disdukcapil"], organisations["dinkes"]
    provider_member, _ = Member.objects.get_or_create(
        organisation=disdukcapil, defaults={"member_code": "DISDUKCAPIL"}
    )
    client_member, _ = Member.objects.get_or_create(
        organisation=dinkes, defaults={"member_code": "DINKES"}
    )
    siak, _ = Subsystem.objects.get_or_create(
        member=provider_member,
        code="SIAK",
        defaults={
            "name": "Sistem Informasi Administrasi Kependudukan",
            "description": "Data kependudukan Disdukcapil OKU.",
        },
    )
    simpus, _ = Subsystem.objects.get_or_create(
        member=client_member,
        code="SIMPUS",
        defaults={
            "name": "Sistem Informasi Manajemen Puskesmas",
            "description": "Pencatatan pelayanan dan imunisasi di 18 puskesmas.",
        },
    )
    service, _ = Service.objects.get_or_create(
        subsystem=siak,
        code="penduduk-wilayah",
        defaults={
            "name": "Agregat penduduk per desa dan kecamatan",
            "base_url": "http://127.0.0.1:8091",
            "timeout_seconds": 10,
            "rate_limit_per_minute": 600,
            "health_path": "/health",
            "openapi_document": OPENAPI,
            "description": "Jumlah penduduk, kepala keluarga dan balita; tanpa data perorangan.",
        },
    )
    AccessRight.objects.get_or_create(
        client=simpus,
        service=service,
        defaults={
            "methods": "GET",
            "path_prefixes": "/desa\n/kecamatan",
            "note": "Perjanjian kerja sama Disdukcapil–Dinkes No. 470/112/DUKCAPIL/2026",
        },
    )
    path = key_file()
    if not (
        path.exists()
        and Credential.objects.filter(subsystem=simpus, label=KEY_LABEL).usable().exists()
    ):
        # The key on disk is lost (or never written): replace it.
        for old in Credential.objects.filter(subsystem=simpus, label=KEY_LABEL).usable():
            old.revoke()
        _, key = Credential.issue(simpus, KEY_LABEL)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key + "\n")
        os.chmod(path, 0o600)
    return {"gateway_service": service, "gateway_client": simpus}

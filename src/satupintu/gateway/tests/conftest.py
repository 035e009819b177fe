"""Two OPDs exchanging data: Dinas Kependudukan (provider of population data) and Dinas Kesehatan
(a client calling it from its puskesmas system), with their admins and a platform admin."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.gateway.models import AccessRight, Credential, Member, Service, Subsystem


@dataclass
class Exchange:
    disdukcapil: Organisation
    dinkes: Organisation
    bappeda: Organisation
    provider: Subsystem
    client: Subsystem
    service: Service
    right: AccessRight
    key: str
    credential: Credential
    provider_admin: User
    client_admin: User
    other_operator: User
    platform_admin: User


def make_user(username: str, organisation: Organisation | None, role: str) -> User:
    # An unusable password set directly: tests sign in with force_login, and hashing with
    # Argon2 (even Django's unusable-password path) costs ~0.4 s a user.
    user = User.objects.create(
        username=username, password="!", full_name=username.replace(".", " ").title(), kind="staff"
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_exchange(base_url: str = "http://127.0.0.1:9/api") -> Exchange:
    disdukcapil = Organisation.objects.create(
        code="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        kind=Organisation.Kind.DINAS,
    )
    dinkes = Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=Organisation.Kind.DINAS
    )
    bappeda = Organisation.objects.create(
        code="bapelitbangda",
        name="Badan Perencanaan, Penelitian dan Pengembangan Daerah",
        short_name="Bapelitbangda",
        kind=Organisation.Kind.BADAN,
    )
    diskominfo = Organisation.objects.create(
        code="diskominfo",
        name="Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
        kind=Organisation.Kind.DINAS,
    )
    provider_member = Member.objects.create(organisation=disdukcapil, member_code="DISDUKCAPIL")
    client_member = Member.objects.create(organisation=dinkes, member_code="DINKES")
    provider = Subsystem.objects.create(
        member=provider_member, code="SIAK", name="Sistem Informasi Administrasi Kependudukan"
    )
    client = Subsystem.objects.create(
        member=client_member, code="SIMPUS", name="Sistem Informasi Manajemen Puskesmas"
    )
    service = Service.objects.create(
        subsystem=provider,
        code="penduduk",
        name="Data penduduk per NIK",
        base_url=base_url,
        timeout_seconds=2,
        max_body_bytes=64 * 1024,
        rate_limit_per_minute=0,
        openapi_document='{"openapi": "3.0.3", "info": {"title": "Data penduduk", '
        '"version": "1.0"}, "paths": {}}',
    )
    right = AccessRight.objects.create(
        client=client, service=service, methods="GET,POST", path_prefixes="/penduduk\n/wilayah"
    )
    credential, key = Credential.issue(client, "Server SIMPUS")
    return Exchange(
        disdukcapil=disdukcapil,
        dinkes=dinkes,
        bappeda=bappeda,
        provider=provider,
        client=client,
        service=service,
        right=right,
        key=key,
        credential=credential,
        provider_admin=make_user("admin.disdukcapil", disdukcapil, Role.OPD_ADMIN),
        client_admin=make_user("admin.dinkes", dinkes, Role.OPD_ADMIN),
        other_operator=make_user("operator.bappeda", bappeda, Role.OPERATOR),
        platform_admin=make_user("admin.kominfo", diskominfo, Role.PLATFORM_ADMIN),
    )


@pytest.fixture
def exchange(db) -> Exchange:
    return make_exchange()

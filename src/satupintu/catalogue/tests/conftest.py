from __future__ import annotations

import pytest

from satupintu.accounts.models import Membership, User
from satupintu.catalogue.demo import load_demo
from satupintu.core.demo.opds import OPDS
from satupintu.core.models import Organisation
from satupintu.core.roles import Role


def make_user(username: str, organisation: Organisation | None, role: str) -> User:
    kind = User.Kind.CITIZEN if role == Role.CITIZEN else User.Kind.STAFF
    user = User.objects.create_user(
        username=username, password="rahasia-panjang-123", full_name=username.title(), kind=kind
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def organisations(db) -> dict[str, Organisation]:
    """The demo regency's OPDs (without regions: the catalogue does not need them)."""
    return {
        spec.code: Organisation.objects.create(code=spec.code, **spec.values()) for spec in OPDS
    }


@pytest.fixture
def demo(organisations) -> dict:
    context = {"organisations": organisations}
    load_demo(context)
    return context


@pytest.fixture
def dinkes_operator(organisations) -> User:
    return make_user("budi", organisations["dinkes"], Role.OPERATOR)


@pytest.fixture
def dpmptsp_operator(organisations) -> User:
    return make_user("sari", organisations["dpmptsp"], Role.OPERATOR)


@pytest.fixture
def diskominfo_operator(organisations) -> User:
    return make_user("andi", organisations["diskominfo"], Role.OPERATOR)

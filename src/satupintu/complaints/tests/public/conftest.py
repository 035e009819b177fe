"""Fixtures of the citizen-side tests: the persona regency (accounts' factories) with the
Lengkiti villages and a district of Baturaja, and two categories owned by two OPDs."""

from __future__ import annotations

import pytest

from satupintu.accounts.tests.factories import Regency, make_regions

from ...models import Category


@pytest.fixture
def regency(db) -> Regency:
    make_regions(extra=True)
    return Regency()


@pytest.fixture
def road(regency) -> Category:
    return Category.objects.create(
        code="jalan-rusak",
        name="Jalan rusak",
        group="Infrastruktur",
        keywords="jalan, lubang, aspal",
        organisation=regency.pupr,
        response_days=3,
        completion_days=10,
    )


@pytest.fixture
def clinic(regency) -> Category:
    return Category.objects.create(
        code="layanan-puskesmas",
        name="Layanan puskesmas",
        group="Kesehatan",
        organisation=regency.dinkes,
    )

from __future__ import annotations

import pytest

from satupintu.accounts.tests.factories import Regency, make_regions
from satupintu.core.models import Region


@pytest.fixture
def regency(db):
    """The factories' regency plus a few real OKU regions (districts, desa and a kelurahan)."""
    make_regions()
    Region.objects.bulk_create(
        [
            Region(
                code="16.01.28.2017",
                name="Bunga Tanjung",
                level=Region.Level.VILLAGE,
                parent_id="16.01.28",
            ),
            Region(
                code="16.01.01",
                name="Baturaja Timur",
                level=Region.Level.DISTRICT,
                parent_id="16.01",
            ),
            Region(
                code="16.01.01.1001",
                name="Sukaraya",
                level=Region.Level.VILLAGE,
                parent_id="16.01.01",
            ),
        ]
    )
    return Regency()

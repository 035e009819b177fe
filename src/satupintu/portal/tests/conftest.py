from __future__ import annotations

import pytest

from satupintu.accounts.tests.factories import Regency, make_regions


@pytest.fixture
def regency(db):
    """The factories' regency plus a few real OKU regions (districts, desa and a kelurahan)."""
    make_regions(extra=True)
    return Regency()

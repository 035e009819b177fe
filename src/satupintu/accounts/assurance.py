"""Identity assurance levels (P0 self-asserted, P1 contact verified, P2 NIK verified) and how
relying parties ask for a minimum one with `acr_values`."""

from __future__ import annotations

from .models import AssuranceLevel

ORDER = {level: rank for rank, level in enumerate(AssuranceLevel.values)}


def meets_minimum(level: str, minimum: str) -> bool:
    return ORDER.get(level, -1) >= ORDER[minimum]


def minimum_requested(acr_values: str) -> str | None:
    """The lowest level listed in `acr_values` (any of them satisfies the app); None when no
    known level is asked for."""
    known = [value for value in acr_values.split() if value in ORDER]
    return min(known, key=ORDER.__getitem__) if known else None

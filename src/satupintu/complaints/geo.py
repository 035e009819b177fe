"""Small geometry for a regency: distances in metres (haversine) and the bounding box check."""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def degree_box(latitude, longitude, metres: float) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """A (south, north, west, east) box around a point, for an indexed pre-filter."""
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(0.01, math.cos(math.radians(float(latitude)))))
    lat, lon = float(latitude), float(longitude)
    return tuple(Decimal(f"{v:.6f}") for v in (lat - dlat, lat + dlat, lon - dlon, lon + dlon))


def inside_regency(latitude, longitude) -> bool:
    south, west, north, east = settings.COMPLAINTS["bbox"]
    return south <= float(latitude) <= north and west <= float(longitude) <= east

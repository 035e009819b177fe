"""Points for region codes, so rows that only carry a Kemendagri code can be placed on a map
(see README.md in this folder for where the points come from)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

POINTS_FILE = Path(__file__).with_name("titik-kecamatan-oku.csv")


@cache
def region_points() -> dict[str, tuple[float, float]]:
    """{region code: (latitude, longitude)} for the regions the project has a point for."""
    with POINTS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["kode"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(handle)
        }

"""Duplicate proposals: an open report of the same category near the new one, sent within the
last `COMPLAINTS["duplicate_days"]` days, closer than `COMPLAINTS["duplicate_distance_m"]`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .geo import degree_box, distance_m
from .models import Report


def find_duplicates(category, latitude, longitude, *, exclude=None) -> list[Report]:
    """Open, unmerged reports of `category` near the point, nearest first."""
    if latitude is None or longitude is None:
        return []
    metres = settings.COMPLAINTS["duplicate_distance_m"]
    since = timezone.now() - dt.timedelta(days=settings.COMPLAINTS["duplicate_days"])
    south, north, west, east = degree_box(latitude, longitude, metres)
    candidates = (
        Report.objects.open()
        .filter(
            category=category,
            duplicate_of__isnull=True,
            created_at__gte=since,
            latitude__range=(south, north),
            longitude__range=(west, east),
        )
        .select_related("category")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=getattr(exclude, "pk", exclude))
    near = [(distance_m(latitude, longitude, r.latitude, r.longitude), r) for r in candidates[:200]]
    return [report for d, report in sorted(near, key=lambda pair: pair[0]) if d <= metres]

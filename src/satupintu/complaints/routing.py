"""Who handles a report: the OPD that owns the category; for area-based categories (a broken
road, a street lamp) also the village or district government of the place, found from the
report's region or, with only a map pin, from the nearest village/district office."""

from __future__ import annotations

from dataclasses import dataclass

from satupintu.core.models import Organisation, Region

from .geo import distance_m

TERRITORIAL_KINDS = (
    Organisation.Kind.KECAMATAN,
    Organisation.Kind.KELURAHAN,
    Organisation.Kind.DESA,
)


@dataclass(frozen=True)
class Route:
    organisation: Organisation
    area_organisation: Organisation | None
    region: Region | None


def route(category, *, region=None, latitude=None, longitude=None) -> Route:
    area = None
    if category.area_based:
        if region is not None:
            area = area_organisation_for_region(region)
        elif latitude is not None and longitude is not None:
            area = nearest_area_organisation(latitude, longitude)
            if area is not None and region is None:
                region = area.region
    return Route(category.organisation, area, region)


def area_organisation_for_region(region: Region) -> Organisation | None:
    """The village government of a village, else the kecamatan containing it."""
    territorial = Organisation.objects.active().filter(kind__in=TERRITORIAL_KINDS)
    code = region.code
    while code:
        found = territorial.filter(region_id=code).order_by("pk").first()
        if found is not None:
            return found
        if code.count(".") < 2:  # reached the regency: no territorial organisation below it
            return None
        code = code.rsplit(".", 1)[0]
    return None


def nearest_area_organisation(latitude, longitude) -> Organisation | None:
    """The territorial organisation whose office is nearest the pin. Villages are preferred
    when one is within `VILLAGE_RADIUS_M`; otherwise the nearest kecamatan office."""
    candidates = list(
        Organisation.objects.active()
        .filter(kind__in=TERRITORIAL_KINDS, latitude__isnull=False, longitude__isnull=False)
        .select_related("region")
    )
    if not candidates:
        return None

    def dist(org):
        return distance_m(latitude, longitude, org.latitude, org.longitude)

    villages = [o for o in candidates if o.kind != Organisation.Kind.KECAMATAN]
    near_village = min(villages, key=dist, default=None)
    if near_village is not None and dist(near_village) <= VILLAGE_RADIUS_M:
        return near_village
    districts = [o for o in candidates if o.kind == Organisation.Kind.KECAMATAN]
    return min(districts or candidates, key=dist)


# A village office this close to the pin is taken as the village of the place.
VILLAGE_RADIUS_M = 3_000

"""Demo step "organisations": the OPDs, kecamatan, desa/kelurahan and BPS of the demo regency."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import Organisation, Region
from .common import DemoError, Tally, upsert
from .opds import OPDS, DemoOrganisation
from .territories import (
    EXTERNAL,
    KECAMATAN,
    VILLAGES,
    kecamatan_organisations,
    village_organisations,
)


def demo_organisations() -> list[DemoOrganisation]:
    """Every demo organisation, parents before children; territorial names come from the
    imported Kemendagri list so they always match the Region rows they point at."""
    regency = settings.INSTALLATION["regency_code"]
    if regency != "16.01":
        raise DemoError(
            _(
                "Konten demo menggambarkan Kabupaten Ogan Komering Ulu (16.01), sedangkan "
                "instalasi ini diatur untuk %(code)s. Jalankan load_demo dengan "
                "SATUPINTU_REGENCY_CODE=16.01."
            )
            % {"code": regency}
        )
    names = dict(Region.objects.filter(pk__in=[*KECAMATAN, *VILLAGES]).values_list("code", "name"))
    missing = sorted((set(KECAMATAN) | set(VILLAGES)) - set(names))
    if missing:
        raise DemoError(
            _("Kode wilayah berikut belum ada; jalankan import_regions: %(codes)s")
            % {"codes": ", ".join(missing)}
        )
    kecamatan = kecamatan_organisations(names)
    kecamatan_code_of = {org.region: org.code for org in kecamatan}
    return [*OPDS, *kecamatan, *village_organisations(names, kecamatan_code_of), *EXTERNAL]


def load_organisations(context: dict) -> Tally:
    tally = Tally()
    organisations: dict[str, Organisation] = context.setdefault("organisations", {})
    for demo in demo_organisations():
        values = demo.values()
        values["parent"] = organisations[demo.parent] if demo.parent else None
        values["region"] = Region.objects.get(pk=demo.region) if demo.region else None
        organisation, outcome = upsert(Organisation, {"code": demo.code}, values)
        organisations[demo.code] = organisation
        tally.add(_("organisasi"), outcome)
    return tally

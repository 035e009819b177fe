"""The catalogue's blocks on an organisation's public page (/opd/<code>/): that OPD's public
services and applications, as far as the visitor may see them (core.registry hook, so core
does not import the catalogue)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from satupintu.core.registry import OrganisationSection, registry

ON_ORGANISATION_PAGE = 10


def organisation_services_section(request, organisation) -> str:
    """The OPD page's list of that OPD's services the visitor may see ('' when none)."""
    from .models import PublicService

    services = PublicService.objects.for_user(request.user).filter(organisation=organisation)
    total = services.count()
    if not total:
        return ""
    return render_to_string(
        "catalogue/organisation_services.html",
        {
            "organisation": organisation,
            "services": services.order_by("name")[:ON_ORGANISATION_PAGE],
            "total": total,
        },
        request=request,
    )


def organisation_apps_section(request, organisation) -> str:
    """The OPD page's list of that OPD's applications (retired ones left out)."""
    from .models import Application

    apps = (
        Application.objects.for_user(request.user)
        .filter(organisation=organisation)
        .exclude(lifecycle=Application.Lifecycle.RETIRED)
    )
    total = apps.count()
    if not total:
        return ""
    return render_to_string(
        "catalogue/organisation_apps.html",
        {
            "organisation": organisation,
            "apps": apps.order_by("name")[:ON_ORGANISATION_PAGE],
            "total": total,
        },
        request=request,
    )


def register() -> None:
    registry.add_organisation_section(
        OrganisationSection(
            "catalogue.services", gettext_lazy("Layanan publik"), organisation_services_section, 10
        )
    )
    registry.add_organisation_section(
        OrganisationSection(
            "catalogue.apps", gettext_lazy("Aplikasi"), organisation_apps_section, 20
        )
    )

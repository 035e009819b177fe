"""The registry's read pages: the overview and one page per subsystem and per service."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from satupintu.core.models import Organisation

from .. import access
from ..models import AccessRight, HealthCheck, Member, Service, Subsystem
from .common import staff_view


@staff_view
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    members = list(Member.objects.for_user(user).select_related("organisation"))
    subsystems = list(
        Subsystem.objects.for_user(user).select_related("member").prefetch_related("services")
    )
    received = (
        AccessRight.objects.visible_to(user)
        .exclude(organisation_id__in=[m.organisation_id for m in members])
        .select_related("client__member", "service__subsystem__member")
    )
    admin_ids = (
        set(Organisation.objects.values_list("pk", flat=True))
        if user.is_platform_admin
        else access.admin_organisation_ids(user)
    )
    registered = {m.organisation_id for m in members}
    return render(
        request,
        "gateway/overview.html",
        {
            "members": members,
            "subsystems": subsystems,
            "received": received,
            "can_register": bool(admin_ids - registered),
            "managed_ids": admin_ids,
            "gateway_url": settings.GATEWAY["public_url"],
        },
    )


@staff_view
def subsystem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subsystem = get_object_or_404(
        Subsystem.objects.for_user(request.user).select_related("member", "oauth_client"), pk=pk
    )
    return render(
        request,
        "gateway/subsystem_detail.html",
        {
            "subsystem": subsystem,
            "services": subsystem.services.all(),
            "credentials": subsystem.credentials.all(),
            "rights": AccessRight.objects.filter(client=subsystem).select_related(
                "service__subsystem__member"
            ),
            "can_manage": access.can_manage(request.user, subsystem.organisation_id),
        },
    )


@staff_view
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.for_user(request.user).select_related("subsystem__member"), pk=pk
    )
    return render(
        request,
        "gateway/service_detail.html",
        {
            "service": service,
            "rights": service.access_rights.select_related("client__member"),
            "health": HealthCheck.objects.filter(service=service)[:10],
            "can_manage": access.can_manage(request.user, service.organisation_id),
            "call_url": f"{settings.GATEWAY['public_url']}{service.gateway_path}",
        },
    )

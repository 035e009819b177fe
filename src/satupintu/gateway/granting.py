"""Granting and changing access rights: one path for the web pages and the JSON API, so both
validate the same way and both tell the client OPD (event `gateway.access_granted`)."""

from __future__ import annotations

from django.db import transaction

from satupintu.events.publishing import publish

from .models import AccessRight


def save_access_right(right: AccessRight, user, *, created: bool) -> AccessRight:
    """Validate and save `right` (owned by the service's OPD); a new right raises the event."""
    with transaction.atomic():
        if created:
            right.granted_by = user if getattr(user, "pk", None) else None
        right.organisation_id = right.service.organisation_id
        right.full_clean()
        right.save()
        if created:
            publish(
                "gateway.access_granted",
                {
                    "client": right.client.identifier,
                    "service": right.service.identifier,
                    "methods": right.method_list,
                    "path_prefixes": right.prefix_list,
                },
                organisation=right.client.organisation_id,
            )
    return right

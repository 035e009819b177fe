"""CKAN's JSON shapes of organisations, groups, packages and resources (the `result` of
organization_show, group_show, package_show, resource_show, ...), built from satupintu's models
for the Action API in ckan.py."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from satupintu.core.models import Organisation

from .models import Dataset, Resource, Topic


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL


def organization_dict(org: Organisation, count: int | None = None) -> dict:
    data = {
        "id": str(org.pk),
        "name": org.code,
        "title": org.name,
        "display_name": org.name,
        "description": org.description,
        "type": "organization",
        "state": "active",
        "is_organization": True,
        "approval_status": "approved",
        "image_url": "",
        "created": org.created_at.isoformat(),
    }
    if count is not None:
        data["package_count"] = count
    return data


def group_dict(topic: Topic, count: int | None = None) -> dict:
    data = {
        "id": str(topic.pk),
        "name": topic.slug,
        "title": topic.name,
        "display_name": topic.name,
        "description": topic.description,
        "type": "group",
        "state": "active",
        "is_organization": False,
        "image_url": "",
    }
    if count is not None:
        data["package_count"] = count
    return data


def resource_dict(resource: Resource, request=None) -> dict:
    base = site_url(request)
    if resource.kind == Resource.Kind.LINK:
        url = resource.url
    elif resource.kind == Resource.Kind.FILE and resource.file:
        url = base + resource.file_url()
    else:
        url = base + reverse("data:resource_download", args=[resource.pk, "csv"])
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "url": url,
        "format": resource.format or ("CSV" if resource.kind == Resource.Kind.DATASTORE else ""),
        "datastore_active": resource.kind == Resource.Kind.DATASTORE and resource.has_table,
        "position": resource.position,
        "state": "active",
        "created": resource.created_at.isoformat(),
        "last_modified": (resource.last_synced_at or resource.updated_at).isoformat(),
        "url_type": "datastore" if resource.kind == Resource.Kind.DATASTORE else "",
    }


def package_dict(dataset: Dataset, request=None) -> dict:
    resources = list(dataset.resources.all())
    tags = list(dataset.tags.all())
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": dataset.classification != Dataset.Classification.PUBLIC,
        "license_id": dataset.licence,
        "license_title": dataset.licence_title,
        "license_url": dataset.licence_url,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "author": dataset.organisation.name,
        "author_email": dataset.organisation.email,
        "version": str(dataset.version),
        "metadata_created": dataset.created_at.isoformat(),
        "metadata_modified": dataset.updated_at.isoformat(),
        "url": site_url(request) + dataset.get_absolute_url(),
        "organization": organization_dict(dataset.organisation),
        "owner_org": str(dataset.organisation_id),
        "groups": [group_dict(dataset.topic)] if dataset.topic else [],
        "tags": [
            {"id": str(t.pk), "name": t.name, "display_name": t.name, "state": "active"}
            for t in tags
        ],
        "num_tags": len(tags),
        "resources": [resource_dict(r, request) for r in resources],
        "num_resources": len(resources),
        "extras": [
            {"key": "frequency", "value": dataset.frequency},
            {"key": "classification", "value": dataset.classification},
            {"key": "temporal_start", "value": str(dataset.temporal_start or "")},
            {"key": "temporal_end", "value": str(dataset.temporal_end or "")},
            {"key": "spatial", "value": ",".join(sorted(r.code for r in dataset.regions.all()))},
            {"key": "quality_score", "value": str(dataset.quality_score or "")},
        ],
    }

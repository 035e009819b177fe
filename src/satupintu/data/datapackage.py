"""A Frictionless Data Package (datapackage.json, tabular profile) for one dataset."""

from __future__ import annotations

import re

from django.urls import reverse

from .models import Dataset, Resource

TYPES = {
    "text": "string",
    "integer": "integer",
    "decimal": "number",
    "date": "date",
    "datetime": "datetime",
    "boolean": "boolean",
}


def package_name(text: str) -> str:
    """Frictionless names: lower case, digits, '-', '_', '.'."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "data"


def field(variable) -> dict:
    data = {
        "name": variable.name,
        "title": variable.label or variable.name,
        "type": TYPES[variable.type],
    }
    if variable.definition:
        data["description"] = variable.definition
    if variable.unit:
        data["unit"] = variable.unit
    constraints = {}
    if variable.required:
        constraints["required"] = True
    if variable.min_value is not None:
        constraints["minimum"] = float(variable.min_value)
    if variable.max_value is not None:
        constraints["maximum"] = float(variable.max_value)
    if variable.allowed_values:
        constraints["enum"] = list(variable.allowed_values)
    if constraints:
        data["constraints"] = constraints
    return data


def resource_descriptor(resource: Resource, base: str) -> dict:
    descriptor = {"name": package_name(f"{resource.pk}-{resource.name}"), "title": resource.name}
    if resource.description:
        descriptor["description"] = resource.description
    if resource.kind == Resource.Kind.DATASTORE:
        variables = resource.public_variables()
        descriptor.update(
            {
                "path": base + reverse("data:resource_download", args=[resource.pk, "csv"]),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [field(v) for v in variables]},
            }
        )
        keys = [k for k in resource.key_columns if k in {v.name for v in variables}]
        if keys and len(keys) == len(resource.key_columns):
            descriptor["schema"]["primaryKey"] = keys
    else:
        path = (
            resource.url
            if resource.kind == Resource.Kind.LINK
            else (base + resource.file_url() if resource.file else "")
        )
        descriptor.update({"path": path, "format": (resource.format or "").lower()})
    return descriptor


def datapackage(dataset: Dataset, base: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": package_name(dataset.slug),
        "id": base + dataset.get_absolute_url(),
        "title": dataset.title,
        "description": dataset.description,
        "homepage": base + dataset.get_absolute_url(),
        "version": f"{dataset.version}.0.0",
        "created": dataset.created_at.isoformat(),
        "keywords": sorted(dataset.tags.values_list("name", flat=True)),
        "licenses": [
            {"name": dataset.licence, "title": dataset.licence_title, "path": dataset.licence_url}
        ],
        "contributors": [{"title": dataset.organisation.name, "role": "publisher"}],
        "resources": [resource_descriptor(r, base) for r in dataset.resources.all()],
    }

"""Snapshots and diffs for the change log of `Audited` models."""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import models
from django.db.models.fields.files import FieldFile

MASK = "***"


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # a file or image field: its stored name
        return value.name or ""
    return value


def snapshot(instance) -> dict:
    """The concrete field values of an instance (foreign keys as ids), JSON-ready.

    Deferred fields (`.only()`, `.defer()`) are left out rather than loaded: reading them
    would cost one query per field per row.
    """
    excluded = set(getattr(instance, "audit_exclude_fields", ()))
    deferred = instance.get_deferred_fields()  # attnames
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.attname in deferred:
            continue
        values[field.name] = _plain(field.value_from_object(instance))
    return values


def diff(before: dict | None, after: dict | None, masked: tuple[str, ...] = ()) -> dict:
    names = set(before or {}) | set(after or {})
    if before and after:
        # An update: compare only what both snapshots hold (a field deferred when the row was
        # loaded is unknown before, not empty).
        names = set(before) & set(after)
    before, after = before or {}, after or {}
    changes = {}
    for name in sorted(names):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in masked:
            changes[name] = [
                MASK if old not in (None, "") else None,
                MASK if new not in (None, "") else None,
            ]
        else:
            changes[name] = [old, new]
    return changes

"""Helpers for idempotent demo loaders: write a row only when something differs, so a second
`load_demo` leaves the database, its `updated_at` stamps and the change log untouched."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _


class DemoError(Exception):
    """The demo cannot be loaded in this installation; the message says why (in Indonesian)."""


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field_ = instance._meta.get_field(name)
    if field_.is_relation and field_.many_to_one:
        wanted = value.pk if isinstance(value, models.Model) else value
        return getattr(instance, field_.attname) != wanted
    return getattr(instance, name) != value


def upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[models.Model, str]:
    """Find the row by `lookup`; create it with `values`, or update only the fields whose value
    differs. Returns the instance and "created", "updated" or "unchanged"."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        return instance, "created"
    changed = [name for name, value in values.items() if _differs(instance, name, value)]
    if not changed:
        return instance, "unchanged"
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean()
    update_fields = [instance._meta.get_field(name).name for name in changed]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    return instance, "updated"


@dataclass
class Tally:
    """Counts of what a loader did, per kind of row, for the command's summary line."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def __str__(self) -> str:
        return "; ".join(
            _("%(kind)s %(created)d baru, %(updated)d diubah, %(unchanged)d tetap")
            % {
                "kind": kind,
                "created": counter["created"],
                "updated": counter["updated"],
                "unchanged": counter["unchanged"],
            }
            for kind, counter in self.counts.items()
        )

"""Writes the change log for every `Audited` model (create, update, delete)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .actor import current_actor
from .changelog import diff
from .models import Audited, ChangeLogEntry


def _organisation_id(instance):
    owner_field = getattr(instance, "owner_field", None)
    if owner_field:
        return getattr(instance, f"{owner_field}_id", None)
    if instance._meta.label == "core.Organisation":
        return instance.pk
    return None


def _record(instance, action: str, changes: dict) -> None:
    actor = current_actor()
    user = actor.user
    ChangeLogEntry.objects.using(instance._state.db or "default").create(
        user=user,
        user_name=(user.get_username() if user else "")[:150],
        via=actor.via[:60],
        ip=actor.ip,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        organisation_id=_organisation_id(instance),
        changes=changes,
    )


def _record_or_roll_back(instance, action: str, changes: dict) -> None:
    """The entry, or, when it cannot be written, the caller's transaction marked for rollback:
    the row is written already and Audited takes no savepoint inside a transaction, so a
    caller catching the error must not be able to commit the row without its entry."""
    try:
        _record(instance, action, changes)
    except BaseException:
        using = instance._state.db or "default"
        if connections[using].in_atomic_block:
            transaction.set_rollback(True, using=using)
        raise


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Audited):
        return
    after = instance.audit_snapshot()
    before = None if created else getattr(instance, "_audit_snapshot", None)
    changes = diff(before, after, instance.audit_masked_fields)
    if changes or created:
        _record_or_roll_back(
            instance,
            ChangeLogEntry.Action.CREATE if created else ChangeLogEntry.Action.UPDATE,
            changes,
        )
    instance._audit_snapshot = after


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if not isinstance(instance, Audited):
        return
    before = getattr(instance, "_audit_snapshot", None) or instance.audit_snapshot()
    _record_or_roll_back(
        instance, ChangeLogEntry.Action.DELETE, diff(before, None, instance.audit_masked_fields)
    )

"""`publish()`: how every module raises a domain event.

    from satupintu.events.publishing import publish
    publish("complaints.created", {"id": 42, "kategori": "jalan rusak"}, organisation=dinas_pupr)

The event type must be declared in the core registry (`registry.add_event_type`) by the app
that raises it. Publishing stores the event and one delivery per matching subscription in the
caller's transaction; sending starts after it commits, through the task queue.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from satupintu.core.configcache import ConfigCache
from satupintu.core.registry import registry

from .models import Delivery, Event, Subscription


class UnknownEventType(ValueError):
    pass


def _active_subscriptions() -> tuple[Subscription, ...]:
    # Only what matching needs: the secret stays encrypted in the database, not decrypted in
    # every web process's memory (delivery reads the subscription afresh).
    return tuple(
        Subscription.objects.filter(is_active=True).only(
            "pk", "organisation_id", "all_organisations", "event_types"
        )
    )


# Every publish looks for subscriptions (each new complaint does): a few rows that change rarely.
_subscriptions = ConfigCache(_active_subscriptions, watch=("events.Subscription",))


def matching_subscriptions(event_type: str, organisation_id: int | None) -> list[Subscription]:
    """The active subscriptions that receive `event_type` raised by `organisation_id`: those of
    that organisation and those of every organisation."""
    return [
        s
        for s in _subscriptions.get()
        if (
            s.all_organisations
            or (organisation_id is not None and s.organisation_id == organisation_id)
        )
        and event_type in (s.event_types or [])
    ]


def publish(event_type: str, payload: dict[str, Any], organisation=None) -> Event:
    if event_type not in registry.event_types:
        raise UnknownEventType(
            f"Event type {event_type!r} is not registered; declare it with "
            "registry.add_event_type() in the app's ready()."
        )
    # Fail now, in the caller, if the payload cannot travel as JSON.
    DjangoJSONEncoder().encode(payload)
    organisation_id = getattr(organisation, "pk", organisation)
    # No savepoint inside the caller's transaction: a failure here fails the caller's whole
    # change (nothing half-written either way) and a hot path saves two round trips.
    with transaction.atomic(savepoint=False):
        event = Event.objects.create(
            event_type=event_type, organisation_id=organisation_id, payload=payload
        )
        # One INSERT each (not bulk_create): MySQL does not return the new ids of a bulk insert.
        ids = [
            Delivery.objects.create(
                event=event, subscription=subscription, next_attempt_at=event.occurred_at
            ).pk
            for subscription in matching_subscriptions(event_type, organisation_id)
        ]
        if ids:
            transaction.on_commit(lambda: enqueue_deliveries(ids))
    return event


def enqueue_deliveries(ids: list[int]) -> None:
    from .tasks import deliver_webhook

    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)

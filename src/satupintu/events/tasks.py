"""Webhook delivery through the task queue: one task per delivery attempt, and a sweeper every
minute that re-enqueues deliveries whose backoff has passed (or whose worker died mid-send)."""

from __future__ import annotations

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from satupintu.core.taskqueue import crontab, periodic

from . import delivery as sending
from .models import Delivery


@task
def deliver_webhook(delivery_id: int) -> str:
    result = sending.attempt(delivery_id)
    return result.status if result else "skipped"


@periodic(crontab(minute="*"))
@task
def retry_due_deliveries() -> int:
    now = timezone.now()
    due = Delivery.objects.filter(
        Q(status__in=Delivery.OPEN_STATUSES, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
    ).values_list("pk", flat=True)
    ids = list(due[:1000])
    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)
    return len(ids)

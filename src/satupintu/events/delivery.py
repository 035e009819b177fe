"""Sending one webhook delivery: claim it, POST the signed event, record the attempt, and
schedule the next try with exponential backoff or dead-letter it."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import time
from urllib.parse import urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from .models import Delivery, DeliveryAttempt
from .signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

# 1, 2, 4, 8, 16, 32 minutes, then hourly: 15 tries cover about ten hours of receiver outage.
MAX_ATTEMPTS = 15
FIRST_DELAY = dt.timedelta(minutes=1)
MAX_DELAY = dt.timedelta(hours=1)
CLAIM_FOR = dt.timedelta(minutes=2)
TIMEOUT_SECONDS = 10
USER_AGENT = "satupintu-webhooks/1"


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def event_body(delivery: Delivery) -> bytes:
    event = delivery.event
    organisation = event.organisation
    document = {
        "id": str(event.id),
        "type": event.event_type,
        "occurred_at": event.occurred_at.isoformat(),
        "organisation": (
            {"code": organisation.code, "name": organisation.name} if organisation else None
        ),
        "data": event.payload,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take the delivery for this worker; False if it is not due or someone else has it."""
    due = Q(status__in=Delivery.OPEN_STATUSES, next_attempt_at__lte=now)
    stale = Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
    return bool(
        Delivery.objects.filter(due | stale, pk=delivery_id).update(
            status=Delivery.Status.SENDING,
            claimed_until=now + CLAIM_FOR,
        )
    )


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One POST without following redirects (a redirect is an answer, not a success)."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(2000)
    finally:
        connection.close()


def attempt(delivery_id: int) -> Delivery | None:
    now = timezone.now()
    if not claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("event__organisation", "subscription").get(
        pk=delivery_id
    )
    subscription = delivery.subscription
    body = event_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Satupintu-Event-Id": str(delivery.event_id),
        "X-Satupintu-Event": delivery.event.event_type,
        "X-Satupintu-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
    }
    started = time.perf_counter()
    status_code, error, excerpt = None, "", ""
    if not subscription.is_active:
        error = "Langganan dinonaktifkan."
    else:
        try:
            status_code, response = post(subscription.url, body, headers)
            excerpt = response.decode("utf-8", "replace")[:500]
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
    number = delivery.attempts + 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        at=now,
        status_code=status_code,
        duration_ms=int((time.perf_counter() - started) * 1000),
        error=error,
        response_excerpt=excerpt,
    )
    delivery.attempts = number
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.claimed_until = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
    else:
        delivery.last_error = error or f"Penerima menjawab HTTP {status_code}."
        if number >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.DEAD
            delivery.next_attempt_at = None
        else:
            delivery.status = Delivery.Status.RETRYING
            delivery.next_attempt_at = now + backoff(number)
    delivery.save()
    return delivery


def replay(delivery: Delivery) -> None:
    """Send a delivery again from the UI (dead-lettered, or to re-send a delivered one)."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now(),
        claimed_until=None,
        attempts=0 if delivery.status == Delivery.Status.DEAD else delivery.attempts,
    )

"""Periodic gateway work: provider health checks and message-log retention."""

from __future__ import annotations

import datetime as dt
import http.client
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from satupintu.core.taskqueue import crontab, periodic

from . import messagelog
from .models import HealthCheck, Service

HEALTH_TIMEOUT_SECONDS = 5
HEALTH_KEEP_DAYS = 7


def probe(service: Service) -> HealthCheck:
    """GET the service's health path (or its base URL); any answer below 500 counts as alive."""
    url = service.base_url.rstrip("/") + (service.health_path or "/")
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=HEALTH_TIMEOUT_SECONDS)
    started = time.perf_counter()
    status, error = None, ""
    try:
        connection.request(
            "GET",
            (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            headers={"User-Agent": "satupintu-gateway-health/1"},
        )
        response = connection.getresponse()
        response.read(1024)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.close()
    return HealthCheck(
        service=service,
        checked_at=timezone.now(),
        ok=status is not None and status < 500,
        status_code=status,
        latency_ms=int((time.perf_counter() - started) * 1000),
        error=error,
    )


@periodic(crontab(minute="*/5"))
@task
def check_service_health() -> dict[str, int]:
    from satupintu.events.publishing import publish

    result = {"ok": 0, "down": 0}
    for service in Service.objects.filter(is_active=True).select_related("subsystem__member"):
        previous = HealthCheck.objects.filter(service=service).first()
        check = probe(service)
        check.save()
        result["ok" if check.ok else "down"] += 1
        if previous is None or previous.ok != check.ok:
            if previous is None and check.ok:
                continue
            publish(
                "gateway.service_up" if check.ok else "gateway.service_down",
                {
                    "service": service.identifier,
                    "status_code": check.status_code,
                    "error": check.error,
                    "checked_at": check.checked_at,
                },
                organisation=service.organisation_id,
            )
    HealthCheck.objects.filter(
        checked_at__lt=timezone.now() - dt.timedelta(days=HEALTH_KEEP_DAYS)
    ).delete()
    return result


@periodic(crontab(minute="17", hour="2"))
@task
def archive_message_log() -> int:
    """Daily at 02:17 (installation time): move records past retention to archive files."""
    cutoff = timezone.now() - dt.timedelta(days=settings.GATEWAY["retention_days"])
    archived = 0
    while (segment := messagelog.archive(cutoff)) is not None:
        archived += segment.record_count
    return archived

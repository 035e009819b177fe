"""Liveness and readiness.

`/healthz` answers as long as the process serves requests (no database, so a load balancer does
not restart a healthy web process because PostgreSQL is down). `/readyz` checks what a request
needs: both databases, the cache and the task-queue storage. A failing part is named with a
short reason: the exception's class and first line, with credentials in URLs blanked out;
never a stack trace.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections

logger = logging.getLogger("satupintu.health")

# scheme://user:password@host -> scheme://***@host
_CREDENTIALS = re.compile(r"(\w+://)[^/\s@]+@")
REASON_LIMIT = 200


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    duration_ms: float
    reason: str = ""
    detail: dict | None = None

    def as_dict(self) -> dict:
        data: dict = {"status": "ok" if self.ok else "error", "duration_ms": self.duration_ms}
        if self.reason:
            data["reason"] = self.reason
        if self.detail:
            data.update(self.detail)
        return data


def short_reason(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = _CREDENTIALS.sub(r"\1***@", message)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text[:REASON_LIMIT]


def check_database(alias: str) -> dict | None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("SELECT 1 did not return 1")
    return {"engine": connection.vendor}


def check_cache() -> dict | None:
    cache = caches["default"]
    key = f"readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the value written to the cache could not be read back")
    finally:
        cache.delete(key)
    return None


def check_task_queue() -> dict | None:
    """Write and read back a key in the queue's storage: the web process must be able to
    enqueue. Also reports how many tasks wait, which tells whether a worker is running."""
    from .taskqueue import get_huey

    huey = get_huey()
    if huey.immediate:
        return {"mode": "immediate"}
    key = f"readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    huey.put(key, value)
    try:
        if huey.get(key, peek=True) != value:
            raise RuntimeError("the probe written to the queue storage could not be read back")
    finally:
        huey.delete(key)
    return {"pending": huey.pending_count(), "scheduled": huey.scheduled_count()}


def readiness_checks() -> dict[str, Callable[[], dict | None]]:
    checks: dict[str, Callable[[], dict | None]] = {
        alias: (lambda alias=alias: check_database(alias)) for alias in settings.DATABASES
    }
    checks["cache"] = check_cache
    checks["tasks"] = check_task_queue
    return checks


def run_check(name: str, check: Callable[[], dict | None]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        reason = short_reason(exc)
        logger.warning("readiness.failed", extra={"check": name, "reason": reason})
        return CheckResult(name, False, elapsed, reason=reason)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return CheckResult(name, True, elapsed, detail=detail)


def readiness() -> tuple[bool, dict]:
    """(ready, body) where body is {"status": "ok"|"error", "checks": {name: {...}}} and, when
    not ready, "failing": the names of the failing checks."""
    results = [run_check(name, check) for name, check in readiness_checks().items()]
    ready = all(result.ok for result in results)
    body: dict = {
        "status": "ok" if ready else "error",
        "checks": {result.name: result.as_dict() for result in results},
    }
    if not ready:
        body["failing"] = [result.name for result in results if not result.ok]
    return ready, body

"""Per-client rate limits (token buckets), per-service circuit breakers and the provider's
deadlines, kept in the memory of one data-plane process. With several worker processes each
holds its share of a rate limit (the limit divided by the worker count)."""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by (client, service): `per_minute` calls a minute on average, bursts up
    to a minute's worth."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def allow(self, key: tuple[str, str], per_minute: int, now: float) -> bool:
        capacity = max(1.0, per_minute / self.workers)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=capacity, updated=now)
        else:
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * capacity / 60)
            bucket.updated = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def retry_after(self, key: tuple[str, str], per_minute: int) -> int:
        capacity = max(1.0, per_minute / self.workers)
        bucket = self._buckets.get(key)
        missing = 1 - (bucket.tokens if bucket else 1)
        return max(1, int(missing * 60 / capacity + 0.999))


@dataclass(slots=True)
class _Breaker:
    failures: int = 0
    open_until: float = 0.0
    trial_running: bool = False


class CircuitBreakers:
    """After `threshold` consecutive transport failures (refused connection, timeout) a service's
    circuit opens: calls fail fast for `open_seconds`, then one trial call is let through; its
    success closes the circuit, its failure opens it again."""

    def __init__(self, threshold: int = 5, open_seconds: float = 30.0) -> None:
        self.threshold = threshold
        self.open_seconds = open_seconds
        self._breakers: dict[str, _Breaker] = {}

    def allow(self, service: str, now: float) -> bool:
        breaker = self._breakers.get(service)
        if breaker is None or breaker.failures < self.threshold:
            return True
        if now < breaker.open_until or breaker.trial_running:
            return False
        breaker.trial_running = True  # half-open: this call is the trial
        return True

    def success(self, service: str) -> None:
        breaker = self._breakers.get(service)
        if breaker is not None:
            breaker.failures = 0
            breaker.trial_running = False

    def failure(self, service: str, now: float) -> None:
        breaker = self._breakers.setdefault(service, _Breaker())
        breaker.failures += 1
        breaker.trial_running = False
        if breaker.failures >= self.threshold:
            breaker.open_until = now + self.open_seconds

    def is_open(self, service: str, now: float) -> bool:
        breaker = self._breakers.get(service)
        return bool(breaker and breaker.failures >= self.threshold and now < breaker.open_until)


class Deadlines:
    """Service timeouts without a timer per call. A call waiting for its provider puts its task
    here with a deadline (`watch`) and takes it out when the provider answers (`release`); one
    sweep task, running only while calls wait, cancels those whose deadline has passed, and
    `expired()` then tells the cancelled call that this was a timeout. aiohttp's read timeout
    did the same with a loop timer that each call started, rescheduled on every read and
    cancelled: ~14k instructions a call, the most the request path spent on anything but the
    log. A deadline bounds the time without progress, not the whole exchange: each chunk of a
    streamed answer watches again. It fires up to `interval` late."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self._due: dict[asyncio.Task, float] = {}
        self._expired: weakref.WeakSet[asyncio.Task] = weakref.WeakSet()
        self._sweeper: asyncio.Task | None = None

    def watch(self, task: asyncio.Task, seconds: float) -> None:
        """Give `task` `seconds` from now (again, if it is watched already)."""
        self._due[task] = time.monotonic() + seconds
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    def release(self, task: asyncio.Task) -> None:
        self._due.pop(task, None)

    def expired(self, task: asyncio.Task) -> bool:
        """After `task` caught a CancelledError: True when a deadline cancelled it (the
        cancellation is then withdrawn, so the call can answer with its timeout error); False
        when something else did, and the call should let the cancellation through."""
        if task not in self._expired:
            return False
        self._expired.discard(task)
        task.uncancel()
        return True

    def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None

    async def _sweep(self) -> None:
        try:
            while self._due:
                await asyncio.sleep(self.interval)
                now = time.monotonic()
                for task in [task for task, due in self._due.items() if due <= now]:
                    del self._due[task]
                    self._expired.add(task)
                    task.cancel()
        finally:
            if self._sweeper is asyncio.current_task():
                self._sweeper = None

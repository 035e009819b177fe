"""Open311 API keys: generated once, shown once, stored as a keyed hash.

A key looks like `o311_3f9a1c7e2b.Xk…` — a public prefix (to find the row without scanning every
hash, and to recognise a key in logs) and a secret part. The database keeps the prefix and
HMAC-SHA256(LOOKUP_HASH_KEY, key); a leaked database therefore does not leak usable keys.
Verification compares hashes in constant time.

Each key also has a rate limit (requests per minute, `SATUPINTU_OPEN311_RATE_LIMIT`), counted
in the shared cache so every web process sees the same count.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .. import configured
from ..models import ApiKey

KEY_PREFIX = "o311_"
PREFIX_BYTES = 5  # 10 hex characters, unique per key
SECRET_BYTES = 24
# last_used_at is written at most this often per key (not on every request: a hot path).
LAST_USED_RESOLUTION = 300


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    key: str  # the full key: show it once, never store it


def hash_key(key: str) -> str:
    secret = settings.LOOKUP_HASH_KEY
    if not secret:
        raise ImproperlyConfigured("SATUPINTU_LOOKUP_HASH_KEY is not set.")
    message = f"open311-api-key:{key}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue_key(name: str, organisation=None) -> IssuedKey:
    """Create a key for the client `name`; the returned `key` is the only copy of it."""
    name = name.strip()
    if not name:
        raise ValueError("A key needs the name of its client.")
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(PREFIX_BYTES)
            if not ApiKey.objects.filter(prefix=prefix).exists():
                break
        key = f"{KEY_PREFIX}{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
        api_key = ApiKey.objects.create(
            name=name, organisation=organisation, prefix=prefix, key_hash=hash_key(key)
        )
    return IssuedKey(api_key=api_key, key=key)


def _prefix_of(key: str) -> str | None:
    if not key.startswith(KEY_PREFIX) or "." not in key:
        return None
    prefix = key[len(KEY_PREFIX) :].split(".", 1)[0]
    return prefix if len(prefix) == PREFIX_BYTES * 2 else None


def verify_key(key: str | None) -> ApiKey | None:
    """The active ApiKey this key belongs to, or None (unknown, revoked or malformed)."""
    if not key or len(key) > 200:
        return None
    prefix = _prefix_of(key.strip())
    if prefix is None:
        return None
    # The active keys are cached per process (configured.py); issuing, revoking or deleting a
    # key through save()/delete() is seen by every process's next request.
    api_key = configured.shared_active_key(prefix)
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key.strip())):
        return None
    now = timezone.now()
    stale = api_key.last_used_at is None or (
        (now - api_key.last_used_at).total_seconds() > LAST_USED_RESOLUTION
    )
    if stale:
        # A queryset update, on purpose: a recorded use is no configuration change and must not
        # make every process reload its keys. Set on the shared instance too, so this process
        # writes again only after LAST_USED_RESOLUTION.
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return copy.copy(api_key)


def rate_limit() -> int:
    return int(getattr(settings, "OPEN311_RATE_LIMIT", 60))


def allow(api_key: ApiKey, *, now: float | None = None) -> tuple[bool, int]:
    """Count one request of this key in the current minute: (allowed, seconds to wait).

    A fixed one-minute window in the shared cache (Redis in production): `add` starts the
    window's counter, `incr` is atomic on Redis and good enough on the file cache."""
    limit = rate_limit()
    if limit <= 0:
        return True, 0
    now = time.time() if now is None else now
    window = int(now // 60)
    counter = f"open311:rate:{api_key.pk}:{window}"
    if cache.add(counter, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr: this request starts the window
            cache.set(counter, 1, timeout=120)
            count = 1
    if count > limit:
        return False, max(1, 60 - int(now % 60))
    return True, 0

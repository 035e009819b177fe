"""OAuth 2 access tokens as gateway credentials.

A client subsystem linked to an OIDC client (`Subsystem.oauth_client`) may prove itself with an
access token that satupintu's identity provider issued to that client with the client
credentials grant. django-oauth-toolkit stores only the SHA-256 of each token
(`token_checksum`, unique and indexed), so the data plane looks a presented token up by that
hash: one indexed query, then the answer is kept in this process for `ttl` seconds. A revoked
token (django-oauth-toolkit deletes the row) is therefore refused at the latest `ttl` seconds
after revocation; an expired one is refused at once (the expiry travels with the cached entry).

Concurrent calls presenting the same uncached token share one lookup, and unknown tokens are
cached too (as None), so a burst of calls with a bad token costs one query, not one each.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenEntry:
    application: int | None  # accounts.Client pk
    expires_at: float  # unix time
    for_user: bool  # issued to a person (authorization code), not to a machine


def lookup_token(checksum: str) -> TokenEntry | None:
    """The token row with this checksum, or None (synchronous: runs in a worker thread)."""
    from django.db import close_old_connections
    from oauth2_provider.models import get_access_token_model

    close_old_connections()
    row = (
        get_access_token_model()
        .objects.filter(token_checksum=checksum)
        .values_list("application_id", "expires", "user_id")
        .first()
    )
    if row is None:
        return None
    application, expires, user = row
    return TokenEntry(application=application, expires_at=expires.timestamp(), for_user=bool(user))


class TokenVerifier:
    def __init__(
        self,
        *,
        ttl: float = 5.0,
        max_entries: int = 10_000,
        lookup: Callable[[str], TokenEntry | None] = lookup_token,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.lookup = lookup
        self._cache: dict[str, tuple[TokenEntry | None, float]] = {}
        self._pending: dict[str, asyncio.Future] = {}

    async def entry(self, checksum: str) -> TokenEntry | None:
        """The token with this SHA-256 (hex), from the cache or one database lookup."""
        now = time.monotonic()
        cached = self._cache.get(checksum)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        pending = self._pending.get(checksum)
        if pending is not None:
            return await asyncio.shield(pending)
        future = asyncio.get_running_loop().create_future()
        self._pending[checksum] = future
        try:
            entry = await asyncio.to_thread(self.lookup, checksum)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody else may be waiting
            raise
        finally:
            self._pending.pop(checksum, None)
        if len(self._cache) >= self.max_entries:
            # Drop the oldest tenth (dicts keep insertion order) rather than grow unbounded
            # under a stream of random tokens.
            for key in list(self._cache)[: self.max_entries // 10 or 1]:
                del self._cache[key]
        self._cache[checksum] = (entry, time.monotonic())
        future.set_result(entry)
        return entry


def token_checksum(token: bytes) -> str:
    return hashlib.sha256(token).hexdigest()

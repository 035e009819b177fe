"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret.

Headers on every delivery (docs/webhooks.md shows how to verify them in Python and PHP):

    X-Satupintu-Event-Id: <uuid>          same for every retry of the event: deduplicate on it
    X-Satupintu-Event: <event type>       e.g. complaints.created
    X-Satupintu-Delivery: <delivery id>
    X-Satupintu-Timestamp: <unix seconds> when this attempt was signed
    X-Satupintu-Signature: sha256=<hex>   HMAC-SHA256(secret, timestamp + "." + body)
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Satupintu-Signature"
TIMESTAMP_HEADER = "X-Satupintu-Timestamp"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale timestamps
    (a replayed old request)."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature or "")

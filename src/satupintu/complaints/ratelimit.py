"""Submission rate limit shared by every channel (web form, Open311, WhatsApp/SMS gateway):
at most `COMPLAINTS["rate_per_hour"]` reports per account and per IP address per hour."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WINDOW_SECONDS = 3600


class SubmissionRateExceeded(ValidationError):
    """Too many reports from one account or address; the message says when to try again."""


def _keys(user, ip: str | None) -> list[str]:
    hour = int(time.time() // WINDOW_SECONDS)
    keys = []
    if user is not None and getattr(user, "is_authenticated", False):
        keys.append(f"complaints:rate:user:{user.pk}:{hour}")
    if ip:
        keys.append(f"complaints:rate:ip:{ip}:{hour}")
    return keys


def check_submission_rate(user, ip: str | None, *, record: bool = True) -> None:
    """Raise SubmissionRateExceeded when the account or the IP address has used up this hour's
    reports; otherwise count this submission (unless `record=False`)."""
    limit = settings.COMPLAINTS["rate_per_hour"]
    keys = _keys(user, ip)
    counts = cache.get_many(keys)
    if any(counts.get(key, 0) >= limit for key in keys):
        minutes = max(1, int((WINDOW_SECONDS - time.time() % WINDOW_SECONDS) // 60))
        raise SubmissionRateExceeded(
            _(
                "Anda sudah mengirim %(limit)d laporan dalam satu jam terakhir. Silakan coba "
                "lagi dalam %(minutes)d menit, atau hubungi call center jika mendesak."
            )
            % {"limit": limit, "minutes": minutes},
            code="rate_limited",
        )
    if record:
        for key in keys:
            cache.add(key, 0, WINDOW_SECONDS + 60)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS + 60)

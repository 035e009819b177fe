"""Checking a NIK against the population registry (Dukcapil).

`get_verifier()` returns the implementation chosen by settings (NIK_VERIFIER):

- `HttpNikVerifier` when SATUPINTU_NIK_VERIFIER_URL is set. It speaks this contract (the
  regency's adapter in front of Dukcapil's web service, e.g. through SPLP):

      POST <url>   Authorization: Bearer <token>   Content-Type: application/json
      {"nik": "1601284509870001", "nama_lengkap": "Siti Aminah", "tanggal_lahir": "1987-09-05"}
      → 200 {"match": true}   or   200 {"match": false}

  Anything else (4xx/5xx, a timeout, a body without a boolean `match`) is UNAVAILABLE: the
  person is told to try later or go to a counter, and nothing changes.
- `OfflineNikVerifier` otherwise: it checks only the NIK's shape and that the birth date
  matches it, answers SHAPE_ONLY, and never raises an account to P2.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError

from satupintu.core.validators import validate_nik

from .models import NikVerification

log = logging.getLogger(__name__)
Result = NikVerification.Result


class NikVerifier(Protocol):
    def verify(self, nik: str, full_name: str, birth_date: datetime.date) -> str:
        """One of NikVerification.Result's values."""


class OfflineNikVerifier:
    def verify(self, nik: str, full_name: str, birth_date: datetime.date) -> str:
        try:
            parsed = validate_nik(nik)
        except ValidationError:
            return Result.NO_MATCH
        return Result.SHAPE_ONLY if parsed.birth_date == birth_date else Result.NO_MATCH


class HttpNikVerifier:
    def __init__(self, url: str, token: str = "", timeout: float = 5.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def verify(self, nik: str, full_name: str, birth_date: datetime.date) -> str:
        body = json.dumps(
            {"nik": nik, "nama_lengkap": full_name, "tanggal_lahir": birth_date.isoformat()}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read(64 * 1024))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            log.warning("NIK verifier unavailable: %s", exc)
            return Result.UNAVAILABLE
        match = answer.get("match") if isinstance(answer, dict) else None
        if not isinstance(match, bool):
            log.warning("NIK verifier answered without a boolean match")
            return Result.UNAVAILABLE
        return Result.MATCH if match else Result.NO_MATCH


def get_verifier() -> NikVerifier:
    config = settings.NIK_VERIFIER
    if config.get("url"):
        return HttpNikVerifier(config["url"], config.get("token", ""), config.get("timeout", 5.0))
    return OfflineNikVerifier()

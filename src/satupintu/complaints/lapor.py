"""SP4N-LAPOR! adapter: forward a complaint to the national complaint system and sync its status.

LAPOR!'s real API is not public, so satupintu speaks a small documented contract (docs/lapor.md)
through the `LaporClient` interface; `HttpLaporClient` implements it over HTTP with the settings
`SATUPINTU_LAPOR_URL`, `SATUPINTU_LAPOR_TOKEN` and `SATUPINTU_LAPOR_TIMEOUT`. A bridge at the
national side (or LAPOR! itself, once its API is opened) answers that contract.

No half-state: a report gets its `lapor_id` and its timeline entry in one transaction, only
after LAPOR! accepted it. A failed call changes nothing; a call that timed out after LAPOR!
accepted it is harmless to repeat, because every forward carries the report's token as
`Idempotency-Key` and the contract requires LAPOR! to answer a repeat with the same id.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import Report, ReportUpdate

logger = logging.getLogger("satupintu.complaints.lapor")

# LAPOR! ids are short opaque tokens; anything else in a response is a protocol error.
LAPOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$")
# The statuses of the contract, with the words shown on the timeline.
STATUS_LABELS = {
    "diterima": "Diterima LAPOR!",
    "diverifikasi": "Diverifikasi LAPOR!",
    "didisposisikan": "Didisposisikan ke instansi",
    "ditindaklanjuti": "Ditindaklanjuti instansi",
    "selesai": "Selesai",
    "ditutup": "Ditutup",
    "ditolak": "Ditolak LAPOR!",
}
FINAL_STATUSES = frozenset({"selesai", "ditutup", "ditolak"})
MAX_RESPONSE_BYTES = 256 * 1024


class LaporError(Exception):
    """LAPOR! refused, failed or could not be reached; the message says which, for the staff."""


@dataclass(frozen=True)
class LaporStatus:
    lapor_id: str
    status: str
    note: str = ""
    updated_at: datetime | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class LaporClient(Protocol):
    def forward(self, report: Report) -> str:
        """Send the report; return LAPOR!'s id for it. Raise LaporError on any failure."""

    def fetch_status(self, lapor_id: str) -> LaporStatus:
        """The current status of a forwarded report. Raise LaporError on any failure."""


def payload(report: Report) -> dict:
    """What LAPOR! receives: the public (masked) text, never the reporter's contact data."""
    region = report.region
    return {
        "external_id": report.reference,
        "title": report.title,
        "description": report.public_description or report.title,
        "category": {"code": report.category.code, "name": report.category.name},
        "agency": {"code": report.organisation.code, "name": report.organisation.name},
        "location": {
            "latitude": float(report.latitude) if report.latitude is not None else None,
            "longitude": float(report.longitude) if report.longitude is not None else None,
            "address": report.address,
            "region_code": region.code if region is not None else None,
        },
        "submitted_at": timezone.localtime(report.created_at).isoformat(timespec="seconds"),
        "channel": report.channel,
    }


class HttpLaporClient:
    """The contract over HTTP: `POST {url}/laporan` and `GET {url}/laporan/{id}`, JSON, bearer
    token; 2xx with a JSON object is success, anything else a LaporError."""

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SATUPINTU_LAPOR_URL must be an http(s) URL.")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None, headers=None) -> dict:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                "User-Agent": "satupintu-lapor/1",
                **({"Content-Type": "application/json"} if body is not None else {}),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            raise LaporError(
                _("LAPOR! menolak permintaan (HTTP %(status)s): %(detail)s")
                % {"status": exc.code, "detail": detail}
            ) from exc
        except TimeoutError as exc:
            raise LaporError(
                _("LAPOR! tidak menjawab dalam %(s)s detik.") % {"s": self.timeout}
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise LaporError(
                    _("LAPOR! tidak menjawab dalam %(s)s detik.") % {"s": self.timeout}
                ) from exc
            raise LaporError(_("LAPOR! tidak dapat dihubungi: %(r)s") % {"r": reason}) from exc
        if len(raw) > MAX_RESPONSE_BYTES:
            raise LaporError(_("Jawaban LAPOR! terlalu besar."))
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise LaporError(_("Jawaban LAPOR! bukan JSON yang sah.")) from exc
        if not isinstance(data, dict):
            raise LaporError(_("Jawaban LAPOR! bukan objek JSON."))
        return data

    def forward(self, report: Report) -> str:
        data = self._call(
            "POST", "/laporan", payload(report), {"Idempotency-Key": str(report.token)}
        )
        return _valid_id(data.get("id"))

    def fetch_status(self, lapor_id: str) -> LaporStatus:
        data = self._call("GET", f"/laporan/{urllib.request.quote(lapor_id, safe='')}")
        status = data.get("status")
        if not isinstance(status, str) or not status.strip() or len(status) > 60:
            raise LaporError(_("Jawaban LAPOR! tanpa status yang sah."))
        note = data.get("note") or ""
        updated = data.get("updated_at")
        return LaporStatus(
            lapor_id=_valid_id(data.get("id", lapor_id)),
            status=status.strip().lower(),
            note=str(note)[:2000],
            updated_at=parse_datetime(updated) if isinstance(updated, str) else None,
        )


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read(8192) or b"{}")
    except ValueError:
        data = {}
    message = data.get("error") if isinstance(data, dict) else None
    return str(message)[:300] if message else exc.reason or ""


def _valid_id(value) -> str:
    if not isinstance(value, str) or not LAPOR_ID.match(value):
        raise LaporError(_("Jawaban LAPOR! tanpa ID laporan yang sah."))
    return value


def client() -> LaporClient:
    """The configured client (tests and other installations may swap the class)."""
    return HttpLaporClient(
        settings.LAPOR_URL, settings.LAPOR_TOKEN, timeout=float(settings.LAPOR_TIMEOUT)
    )


def is_configured() -> bool:
    return bool(getattr(settings, "LAPOR_URL", ""))


def forward(report: Report, *, actor, lapor: LaporClient | None = None) -> Report:
    """Forward `report` to LAPOR! and record it; raises LaporError (nothing recorded) on failure
    and when the report was forwarded already."""
    if report.lapor_id:
        raise LaporError(
            _("Laporan ini sudah diteruskan ke LAPOR! (%(id)s).") % {"id": report.lapor_id}
        )
    if not report.is_open:
        raise LaporError(_("Laporan yang sudah selesai atau ditutup tidak dapat diteruskan."))
    lapor_id = (lapor or client()).forward(report)
    now = timezone.now()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.lapor_id:  # a concurrent forward won; LAPOR! answered both with one id
            return locked
        locked.lapor_id = lapor_id
        locked.lapor_status = "diterima"
        locked.lapor_synced_at = now
        locked.save(update_fields=["lapor_id", "lapor_status", "lapor_synced_at", "updated_at"])
        ReportUpdate.objects.create(
            report=locked,
            author=actor,
            kind=ReportUpdate.Kind.LAPOR,
            message=_("Diteruskan ke SP4N-LAPOR! dengan nomor %(id)s.") % {"id": lapor_id},
            is_public=True,
            created_at=now,
        )
    logger.info("report %s forwarded to LAPOR! as %s", report.reference, lapor_id)
    return locked


def sync(report: Report, *, lapor: LaporClient | None = None) -> bool:
    """Fetch the LAPOR! status of one forwarded report; record a timeline entry when it
    changed. Returns whether it changed."""
    status = (lapor or client()).fetch_status(report.lapor_id)
    now = timezone.now()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        changed = status.status != locked.lapor_status
        locked.lapor_synced_at = now
        fields = ["lapor_synced_at"]
        if changed:
            locked.lapor_status = status.status
            fields.append("lapor_status")
            message = _("Status di SP4N-LAPOR!: %(label)s.") % {"label": status.label}
            if status.note:
                message = f"{message} {status.note}"
            ReportUpdate.objects.create(
                report=locked,
                kind=ReportUpdate.Kind.LAPOR,
                message=message,
                is_public=True,
                created_at=now,
            )
        # update() rather than save(): a sync is bookkeeping, not a change by a person.
        Report.objects.filter(pk=locked.pk).update(
            **{field: getattr(locked, field) for field in fields}
        )
    return changed


def reports_to_sync():
    """Forwarded reports whose LAPOR! status is not final yet."""
    return (
        Report.objects.exclude(lapor_id="")
        .exclude(lapor_status__in=FINAL_STATUSES)
        .order_by("lapor_synced_at", "pk")
    )


def sync_all(*, lapor: LaporClient | None = None, limit: int = 500) -> dict:
    """One pass of the periodic sync: each report on its own; one failure does not stop the
    rest. Returns counts for the task result."""
    counts = {"checked": 0, "changed": 0, "failed": 0}
    if lapor is None and not is_configured():
        return counts
    lapor = lapor or client()
    for report in reports_to_sync()[:limit]:
        counts["checked"] += 1
        try:
            counts["changed"] += sync(report, lapor=lapor)
        except LaporError as exc:
            counts["failed"] += 1
            logger.warning("LAPOR! sync of %s failed: %s", report.reference, exc)
    return counts

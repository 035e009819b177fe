"""The generic gateway adapter: an HMAC-SHA256 signed JSON POST, answered with JSON.

Any WhatsApp Business or SMS gateway that can call a webhook with a signature (most can, or a
ten-line relay can) speaks this. The signature scheme is the one satupintu uses for its own
outgoing webhooks (docs/webhooks.md), so one verification snippet serves both directions:

    X-Satupintu-Timestamp: 1795934400
    X-Satupintu-Signature: sha256=hex(HMAC-SHA256(secret, "<timestamp>." + raw body))

    {"message_id": "wamid.HBgN…", "channel": "whatsapp", "from": "+6281234567890",
     "name": "Siti", "text": "Jalan berlubang di depan SD Negeri 3 Lengkiti …",
     "location": {"latitude": -4.1378, "longitude": 104.1833},
     "address": "Desa Lengkiti, depan SD Negeri 3"}      (location and address optional,
                                                          but one of them is needed)
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from ..models import Report
from .base import ChannelError, InboundMessage, Reply

TIMESTAMP_HEADER = "X-Satupintu-Timestamp"
SIGNATURE_HEADER = "X-Satupintu-Signature"
MAX_BODY_BYTES = 64 * 1024
CHANNELS = {Report.Channel.WHATSAPP, Report.Channel.SMS}


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp` (used by tests and docs)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _timestamp(request: HttpRequest) -> int:
    value = request.headers.get(TIMESTAMP_HEADER, "")
    if not value.isdigit() or len(value) > 12:
        raise ChannelError(
            _("Header %(h)s wajib berisi waktu Unix (detik).") % {"h": TIMESTAMP_HEADER},
            status=401,
            code="bad_timestamp",
        )
    return int(value)


def _text(data: dict, key: str, *, required: bool = False, limit: int = 200) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ChannelError(_("Kolom %(k)s harus berupa teks.") % {"k": key}, code="invalid_field")
    value = value.strip()
    if required and not value:
        raise ChannelError(_("Kolom %(k)s wajib diisi.") % {"k": key}, code="missing_field")
    if len(value) > limit:
        raise ChannelError(
            _("Kolom %(k)s terlalu panjang (maksimal %(n)s karakter).") % {"k": key, "n": limit},
            code="invalid_field",
        )
    return value


def _coordinate(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidOperation
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(Decimal("0.000001"))


class SignedJsonAdapter:
    """HMAC-signed JSON in, JSON out."""

    def verify(self, request: HttpRequest, secret: str) -> None:
        timestamp = _timestamp(request)
        given = request.headers.get(SIGNATURE_HEADER, "")
        expected = sign(secret, timestamp, request.body)
        if not given or not hmac.compare_digest(given.encode(), expected.encode()):
            raise ChannelError(_("Tanda tangan tidak sah."), status=401, code="bad_signature")

    def parse(self, request: HttpRequest) -> InboundMessage:
        if len(request.body) > MAX_BODY_BYTES:
            raise ChannelError(_("Pesan terlalu besar."), status=413, code="too_large")
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ChannelError(_("Isi permintaan bukan JSON yang sah."), code="bad_json") from exc
        if not isinstance(data, dict):
            raise ChannelError(_("Isi permintaan harus objek JSON."), code="bad_json")
        channel = _text(data, "channel", required=True, limit=20)
        if channel not in CHANNELS:
            raise ChannelError(
                _("Kolom channel harus 'whatsapp' atau 'sms'."), code="invalid_field"
            )
        latitude = longitude = None
        location = data.get("location")
        if location is not None:
            if not isinstance(location, dict):
                raise ChannelError(
                    _("Kolom location harus objek {latitude, longitude}."), code="invalid_field"
                )
            try:
                latitude = _coordinate(location.get("latitude"))
                longitude = _coordinate(location.get("longitude"))
            except (InvalidOperation, ValueError) as exc:
                raise ChannelError(
                    _("Koordinat lokasi harus berupa angka."), code="invalid_field"
                ) from exc
        return InboundMessage(
            message_id=_text(data, "message_id", required=True, limit=120),
            sent_at=datetime.fromtimestamp(_timestamp(request), tz=UTC),
            channel=channel,
            sender=_text(data, "from", required=True, limit=32),
            sender_name=_text(data, "name", limit=120),
            address=_text(data, "address", limit=500),
            # The length of the text itself is the report's rule (services.submit_report).
            text=_text(data, "text", limit=MAX_BODY_BYTES),
            latitude=latitude,
            longitude=longitude,
        )

    def respond(self, reply: Reply) -> HttpResponse:
        if reply.error_code:
            body = {"ok": False, "error": {"code": reply.error_code, "message": reply.text}}
            if reply.reference:
                body["reference"] = reply.reference
            if reply.status in (409, 422):
                body["reply"] = reply.text  # the gateway may pass this on to the citizen
            return JsonResponse(
                body, status=reply.status, json_dumps_params={"ensure_ascii": False}
            )
        return JsonResponse(
            {"ok": True, "reference": reply.reference, "token": reply.token, "reply": reply.text},
            status=reply.status,
            json_dumps_params={"ensure_ascii": False},
        )

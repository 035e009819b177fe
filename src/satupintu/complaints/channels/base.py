"""The interface of an inbound messaging channel (a WhatsApp or SMS gateway provider).

A provider adapter turns the provider's webhook request into an `InboundMessage` after checking
that the provider really sent it, and turns satupintu's answer into the response body the
provider expects. Everything else (replay protection, choosing the category, creating the
report, the reply text) is the same for every provider and lives in `inbound.py`.

Register an adapter under the name used in the URL `/pengaduan/kanal/<name>/` with
`register(name, adapter)`; its secret comes from `SATUPINTU_COMPLAINTS_CHANNEL_SECRETS`
(`name=secret,name2=secret2`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.http import HttpRequest, HttpResponse


class ChannelError(Exception):
    """The request cannot be accepted; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


@dataclass(frozen=True)
class InboundMessage:
    message_id: str  # the provider's id of the message: replays are refused by it
    sent_at: datetime  # when the provider says it sent the webhook (signed)
    channel: str  # Report.Channel value: "whatsapp" or "sms"
    sender: str  # the phone number (E.164 or national); personal data, stored encrypted
    text: str
    sender_name: str = ""
    address: str = ""  # where, in words (a gateway with a conversation flow asks for it)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """satupintu's answer: the text the gateway sends back to the citizen, and the report."""

    text: str
    reference: str = ""
    token: str = ""
    status: int = 200
    error_code: str = ""


class ChannelAdapter(Protocol):
    def verify(self, request: HttpRequest, secret: str) -> None:
        """Raise ChannelError(status=401/403) unless the request was signed with `secret`."""

    def parse(self, request: HttpRequest) -> InboundMessage:
        """The message in the request; raise ChannelError(status=400) when malformed."""

    def respond(self, reply: Reply) -> HttpResponse:
        """The HTTP response the provider expects, carrying `reply.text` to the citizen."""


_adapters: dict[str, ChannelAdapter] = {}


def register(name: str, adapter: ChannelAdapter) -> None:
    _adapters[name] = adapter


def adapter(name: str) -> ChannelAdapter | None:
    return _adapters.get(name)


def names() -> list[str]:
    return sorted(_adapters)

"""What every messaging channel shares: replay protection, the category from keywords, the
report (through services.submit_report), and the reply text for the citizen."""

from __future__ import annotations

import hmac
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .. import services
from ..models import Category, Report
from ..publicity import mask_personal_data
from .base import ChannelError, InboundMessage, Reply

logger = logging.getLogger("satupintu.complaints.channels")

WORD = re.compile(r"[a-z0-9]+")
# Messages one sender may turn into reports per hour (a chat loop must not flood an inbox).
SENDER_WINDOW = 3600


def secret_for(provider: str) -> str | None:
    return settings.COMPLAINTS_CHANNEL_SECRETS.get(provider) or None


def check_fresh(message: InboundMessage, provider: str, now: float | None = None) -> None:
    """Refuse a message signed too long ago (or in the future) and one already seen.

    Message ids are remembered in the shared cache for as long as their timestamp is inside
    the window, which is exactly as long as a replay would otherwise pass the timestamp check.
    `cache.add` is atomic, so two concurrent deliveries of one message create one report."""
    window = settings.COMPLAINTS_CHANNEL_WINDOW
    now = time.time() if now is None else now
    if abs(now - message.sent_at.timestamp()) > window:
        raise ChannelError(
            _("Waktu pengiriman di luar batas %(s)s detik; periksa jam server gateway.")
            % {"s": window},
            status=401,
            code="stale_timestamp",
        )
    key = _seen_key(provider, message.message_id)
    if not cache.add(key, "", timeout=2 * window + 60):
        reference = cache.get(key) or ""
        raise ChannelError(
            _("Pesan ini sudah diterima sebelumnya%(ref)s.")
            % {"ref": f" (nomor {reference})" if reference else ""},
            status=409,
            code="duplicate_message",
        )


def _seen_key(provider: str, message_id: str) -> str:
    digest = hmac.new(b"channel-message", f"{provider}:{message_id}".encode(), "sha256")
    return f"complaints:channel:seen:{digest.hexdigest()}"


def forget(provider: str, message: InboundMessage) -> None:
    """A message that did not become a report may be delivered again (after a fix)."""
    cache.delete(_seen_key(provider, message.message_id))


def answerable_by_chat(category: Category) -> bool:
    """A chat message cannot answer a category's required questions (Open311 attributes), so
    such categories are left to the default category's OPD, which forwards the report."""
    return not any(isinstance(d, dict) and d.get("required") for d in category.attributes or [])


def choose_category(text: str) -> Category | None:
    """The active category whose keywords occur most often in the text; ties go to the first
    in the usual order. Without any match, the default category (`lainnya`)."""
    words = set(WORD.findall(text.lower()))
    lowered = " ".join(WORD.findall(text.lower()))
    best, best_hits = None, 0
    active = Category.objects.filter(is_active=True).only("pk", "keywords", "code", "attributes")
    for category in active:
        if not answerable_by_chat(category):
            continue
        hits = 0
        for keyword in category.keyword_list():
            keyword = " ".join(WORD.findall(keyword.lower()))
            if not keyword:
                continue
            if (" " in keyword and f" {keyword} " in f" {lowered} ") or keyword in words:
                hits += 1
        if hits > best_hits:
            best, best_hits = category, hits
    if best is not None:
        return Category.objects.select_related("organisation").get(pk=best.pk)
    code = settings.COMPLAINTS_CHANNEL_DEFAULT_CATEGORY
    return (
        Category.objects.select_related("organisation").filter(Q(code=code), is_active=True).first()
    )


def title_from(text: str) -> str:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return Truncator(mask_personal_data(first_line)).chars(80)


def _check_sender_rate(provider: str, sender: str) -> None:
    limit = settings.COMPLAINTS["rate_per_hour"]
    hour = int(time.time() // SENDER_WINDOW)
    digest = hmac.new(b"channel-sender", f"{provider}:{sender}".encode(), "sha256").hexdigest()
    key = f"complaints:channel:rate:{digest}:{hour}"
    cache.add(key, 0, SENDER_WINDOW + 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, SENDER_WINDOW + 60)
        count = 1
    if count > limit:
        raise ChannelError(
            _(
                "Anda sudah mengirim %(n)d laporan dalam satu jam terakhir. Silakan coba lagi "
                "nanti, atau hubungi call center jika mendesak."
            )
            % {"n": limit},
            status=429,
            code="rate_limited",
        )


def receive(provider: str, message: InboundMessage) -> Reply:
    """Turn a verified, fresh message into a report. Raises ChannelError (nothing saved)."""
    _check_sender_rate(provider, message.sender)
    category = choose_category(message.text)
    if category is None:
        logger.error("channel %s: no category matches and the default one is missing", provider)
        raise ChannelError(
            _("Kategori bawaan untuk pesan belum diatur; hubungi admin satupintu."),
            status=503,
            code="no_category",
        )
    try:
        report = services.submit_report(
            category=category,
            title=title_from(message.text) or category.name,
            description=message.text,
            channel=message.channel,
            contact={"name": message.sender_name, "phone": message.sender},
            latitude=message.latitude,
            longitude=message.longitude,
            address=message.address,
            # A chat message did not choose to be published under a name: anonymous, and its
            # text is masked like every public text.
            is_anonymous=True,
            is_public=True,
        )
    except ValidationError as exc:
        raise ChannelError(
            _("Laporan belum dapat diterima: %(why)s") % {"why": " ".join(_messages(exc))},
            status=422,
            code="invalid_report",
        ) from exc
    cache.set(
        _seen_key(provider, message.message_id),
        report.reference,
        timeout=2 * settings.COMPLAINTS_CHANNEL_WINDOW + 60,
    )
    return Reply(
        text=reply_text(report),
        reference=report.reference,
        token=str(report.token),
        status=201,
    )


def reply_text(report: Report) -> str:
    return _(
        "Terima kasih, laporan Anda sudah kami terima dengan nomor %(ref)s (kategori "
        "%(category)s, ditangani %(opd)s). Simpan nomor ini untuk memantau laporan di "
        "%(url)s"
    ) % {
        "ref": report.reference,
        "category": report.category.name,
        "opd": report.organisation.name,
        "url": settings.SITE_URL
        + (
            reverse("complaints:public:report_detail", args=[report.reference])
            if report.is_public
            else reverse("complaints:public:track")
        ),
    }


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]

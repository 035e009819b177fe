"""Domain events and signed webhook deliveries to subscribed OPD systems."""

from __future__ import annotations

import secrets
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import Audited, OrgOwned, OrgOwnedQuerySet, Timestamped


class Event(models.Model):
    """Something that happened in a module (a complaint was filed, a dataset was published).
    The id is unique and sent with every delivery so receivers can drop duplicates."""

    owner_field = "organisation"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("jenis peristiwa"), max_length=100, db_index=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi asal"),
    )
    payload = models.JSONField(_("isi"), encoder=DjangoJSONEncoder, default=dict)
    occurred_at = models.DateTimeField(_("terjadi pada"), default=timezone.now, db_index=True)

    objects = OrgOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("peristiwa")
        verbose_name_plural = _("peristiwa")

    def __str__(self) -> str:
        return f"{self.event_type} {self.id}"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(OrgOwned, Timestamped, Audited):
    """An OPD system's webhook: where to send which event types. It receives events raised by
    its own organisation; a platform admin may widen it to every organisation."""

    name = models.CharField(
        _("nama langganan"), max_length=150, help_text=_("Mis. SIMPUS menerima laporan warga.")
    )
    url = models.URLField(_("alamat penerima (URL)"), max_length=500)
    event_types = models.JSONField(_("jenis peristiwa"), default=list)
    secret = EncryptedTextField(_("rahasia penandatangan"))
    all_organisations = models.BooleanField(
        _("peristiwa semua organisasi"),
        default=False,
        help_text=_("Hanya admin platform yang dapat menyalakan ini."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    description = models.TextField(_("keterangan"), blank=True)

    audit_masked_fields = ("secret",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.secret:
            self.secret = new_secret()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events:subscription_detail", args=[self.pk])


class DeliveryQuerySet(OrgOwnedQuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(status__in=Delivery.OPEN_STATUSES, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One event to one subscription, tried until it succeeds or is dead-lettered."""

    owner_field = "subscription__organisation"

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        RETRYING = "retrying", _("Akan dicoba lagi")
        SUCCEEDED = "succeeded", _("Terkirim")
        DEAD = "dead", _("Gagal (surat mati)")

    OPEN_STATUSES = (Status.PENDING, Status.RETRYING)

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="deliveries", verbose_name=_("peristiwa")
    )
    subscription = models.ForeignKey(
        Subscription, models.CASCADE, related_name="deliveries", verbose_name=_("langganan")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(
        _("percobaan berikutnya"), null=True, blank=True, db_index=True
    )
    # A claimed delivery is being sent until this time; after it the sweeper may take it again
    # (the worker died mid-send).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("kode status terakhir"), null=True, blank=True
    )
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="events_delivery_once_per_subscription"
            ),
        ]
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")

    def __str__(self) -> str:
        return f"{self.event.event_type} → {self.subscription}"

    def get_absolute_url(self) -> str:
        return reverse("events:delivery_detail", args=[self.pk])


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, models.CASCADE, related_name="attempt_log", verbose_name=_("pengiriman")
    )
    number = models.PositiveSmallIntegerField(_("percobaan ke"))
    at = models.DateTimeField(_("waktu"))
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    response_excerpt = models.CharField(_("cuplikan jawaban"), max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("percobaan pengiriman")
        verbose_name_plural = _("percobaan pengiriman")

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

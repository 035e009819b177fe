"""Traffic counters, latency histograms and provider health checks. Counters are written by the
message-log writer in the same transaction as each batch, so they add up across every data-plane
process and survive restarts (Prometheus counters must only grow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds in seconds (Prometheus "le" labels); the last bucket is +Inf.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def empty_buckets() -> list[int]:
    return [0] * (len(LATENCY_BUCKETS) + 1)


class TrafficCounter(models.Model):
    service = models.CharField(_("layanan"), max_length=400)
    client = models.CharField(_("klien"), max_length=300)
    status = models.PositiveSmallIntegerField(_("kode status"))
    requests = models.BigIntegerField(_("jumlah panggilan"), default=0)
    request_bytes = models.BigIntegerField(default=0)
    response_bytes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "client", "status"], name="gateway_traffic_unique"
            ),
        ]
        verbose_name = _("penghitung lalu lintas")

    def __str__(self) -> str:
        return f"{self.client} → {self.service} {self.status}: {self.requests}"


class LatencyHistogram(models.Model):
    service = models.CharField(_("layanan"), max_length=400, unique=True)
    buckets = models.JSONField(default=empty_buckets)  # non-cumulative counts
    count = models.BigIntegerField(default=0)
    sum_seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("histogram latensi")

    def __str__(self) -> str:
        return f"{self.service}: {self.count}"


class HealthCheck(models.Model):
    """One probe of a provider service (periodic task gateway.tasks.check_service_health)."""

    service = models.ForeignKey(
        "gateway.Service", models.CASCADE, related_name="health_checks", verbose_name=_("layanan")
    )
    checked_at = models.DateTimeField(_("diperiksa"), db_index=True)
    ok = models.BooleanField(_("sehat"))
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latensi (ms)"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]
        get_latest_by = "checked_at"
        verbose_name = _("cek kesehatan")
        verbose_name_plural = _("cek kesehatan")

    def __str__(self) -> str:
        return f"{self.service_id} {self.checked_at:%Y-%m-%d %H:%M} {'OK' if self.ok else 'DOWN'}"

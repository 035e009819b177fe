"""Message-log search, the monitoring page and the Prometheus endpoint."""

from __future__ import annotations

import hmac
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from satupintu.core.tables import TableListView

from . import access
from .filters import MessageRecordFilter
from .messagelog import public_key_b64, signing_key
from .models import (
    LATENCY_BUCKETS,
    Checkpoint,
    HealthCheck,
    LatencyHistogram,
    MessageRecord,
    Service,
    TrafficCounter,
)
from .tables import MessageRecordTable


class MessageLogView(TableListView):
    table_class = MessageRecordTable
    filterset_class = MessageRecordFilter
    page_title = _("Log pesan gerbang")
    page_intro = _(
        "Setiap panggilan antar-sistem yang melewati gerbang: siapa memanggil apa, "
        "kapan, dan hasilnya. Rantai hash membuat perubahan catatan dapat dideteksi."
    )
    export_basename = "log-pesan-gerbang"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if (denied := access.require_staff(request)) is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return MessageRecord.objects.visible_to(self.request.user).order_by("-seq")


def _quantile(buckets: list[int], count: int, q: float) -> float | None:
    """Upper bound (seconds) of the bucket holding the q-quantile."""
    if not count:
        return None
    target, seen = q * count, 0
    for index, value in enumerate(buckets):
        seen += value
        if seen >= target:
            return LATENCY_BUCKETS[index] if index < len(LATENCY_BUCKETS) else None
    return None


def visible_service_ids(user) -> list[str] | None:
    """Identifiers of services whose numbers the user may see; None = all (platform view)."""
    if user.is_platform_admin:
        return None
    services = Service.objects.for_user(user).select_related("subsystem__member")
    return [s.identifier for s in services]


def monitoring(request: HttpRequest) -> HttpResponse:
    if (denied := access.require_staff(request)) is not None:
        return denied
    ids = visible_service_ids(request.user)
    counters = TrafficCounter.objects.all()
    histograms = LatencyHistogram.objects.all()
    if ids is not None:
        counters, histograms = counters.filter(service__in=ids), histograms.filter(service__in=ids)
    rows: dict[str, dict] = defaultdict(lambda: {"requests": 0, "errors": 0, "bytes": 0})
    for item in counters.values("service", "status").annotate(
        n=Sum("requests"), b=Sum("response_bytes")
    ):
        row = rows[item["service"]]
        row["requests"] += item["n"]
        row["bytes"] += item["b"]
        if item["status"] >= 400:
            row["errors"] += item["n"]
    for histogram in histograms:
        row = rows[histogram.service]
        peak = max(histogram.buckets) or 1
        row["p50"] = _quantile(histogram.buckets, histogram.count, 0.5)
        row["p95"] = _quantile(histogram.buckets, histogram.count, 0.95)
        row["mean_ms"] = histogram.sum_seconds * 1000 / histogram.count if histogram.count else 0
        row["histogram"] = [
            (label, value, peak)
            for label, value in zip(
                [f"≤ {b * 1000:g} ms" for b in LATENCY_BUCKETS] + ["> 10 s"],
                histogram.buckets,
                strict=True,
            )
        ]
    services = Service.objects.for_user(request.user).select_related("subsystem__member")
    health = {}
    for service in services:
        latest = HealthCheck.objects.filter(service=service).first()
        health[service.identifier] = latest
    table = []
    for service_id in sorted(set(rows) | set(health)):
        row = dict(rows.get(service_id, {"requests": 0, "errors": 0, "bytes": 0}))
        row["service"] = service_id
        row["error_rate"] = row["errors"] * 100 / row["requests"] if row["requests"] else 0
        row["health"] = health.get(service_id)
        table.append(row)
    return render(
        request,
        "gateway/monitoring.html",
        {
            "rows": table,
            "checkpoint": Checkpoint.objects.order_by("-seq").first(),
            "public_key": public_key_b64(signing_key().public_key()),
        },
    )


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. Scraped with `Authorization: Bearer $SATUPINTU_METRICS_TOKEN`, or
    opened by a signed-in platform admin."""
    token = settings.GATEWAY["metrics_token"]
    header = request.headers.get("Authorization", "")
    allowed = bool(token) and hmac.compare_digest(header, f"Bearer {token}")
    if not allowed:
        user = request.user
        if not (access.signed_in(user) and user.is_platform_admin):
            if not access.signed_in(user) and not header:
                return HttpResponse(
                    _("Perlu token metrik (Authorization: Bearer …).\n"),
                    status=401,
                    content_type="text/plain; charset=utf-8",
                    headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
                )
            raise PermissionDenied
    lines = [
        "# HELP satupintu_gateway_requests_total Calls through the gateway data plane.",
        "# TYPE satupintu_gateway_requests_total counter",
    ]
    for item in TrafficCounter.objects.order_by("service", "client", "status"):
        labels = (
            f'service="{_escape(item.service)}",client="{_escape(item.client)}",'
            f'code="{item.status}"'
        )
        lines.append(f"satupintu_gateway_requests_total{{{labels}}} {item.requests}")
    lines += [
        "# HELP satupintu_gateway_response_bytes_total Bytes sent back to callers.",
        "# TYPE satupintu_gateway_response_bytes_total counter",
    ]
    for item in TrafficCounter.objects.values("service").annotate(b=Sum("response_bytes")):
        lines.append(
            f'satupintu_gateway_response_bytes_total{{service="{_escape(item["service"])}"}}'
            f" {item['b']}"
        )
    lines += [
        "# HELP satupintu_gateway_request_duration_seconds Time from request to last byte.",
        "# TYPE satupintu_gateway_request_duration_seconds histogram",
    ]
    for histogram in LatencyHistogram.objects.order_by("service"):
        name = _escape(histogram.service)
        cumulative = 0
        for bound, value in zip([*LATENCY_BUCKETS, None], histogram.buckets, strict=True):
            cumulative += value
            le = "+Inf" if bound is None else f"{bound:g}"
            lines.append(
                f'satupintu_gateway_request_duration_seconds_bucket{{service="{name}",'
                f'le="{le}"}} {cumulative}'
            )
        lines.append(
            f'satupintu_gateway_request_duration_seconds_sum{{service="{name}"}} '
            f"{histogram.sum_seconds:.6f}"
        )
        lines.append(
            f'satupintu_gateway_request_duration_seconds_count{{service="{name}"}} '
            f"{histogram.count}"
        )
    lines += [
        "# HELP satupintu_gateway_service_up Result of the last health check (1 = answering).",
        "# TYPE satupintu_gateway_service_up gauge",
    ]
    for service in Service.objects.filter(is_active=True).select_related("subsystem__member"):
        latest = HealthCheck.objects.filter(service=service).first()
        if latest is not None:
            lines.append(
                f'satupintu_gateway_service_up{{service="{_escape(service.identifier)}"}}'
                f" {int(latest.ok)}"
            )
    checkpoint = Checkpoint.objects.order_by("-seq").first()
    lines += [
        "# HELP satupintu_gateway_messagelog_seq Sequence number of the last signed checkpoint.",
        "# TYPE satupintu_gateway_messagelog_seq gauge",
        f"satupintu_gateway_messagelog_seq {checkpoint.seq if checkpoint else 0}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8"
    )

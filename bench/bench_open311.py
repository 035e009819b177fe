"""Open311 GeoReport v2: `POST requests` per second and `GET requests` p95 with N reports.

- creates: CREATES form-encoded POSTs to /open311/v2/requests.json through Django's full request
  stack (middleware, api_key check, services.submit_report: validation, masking, routing,
  deadlines, reference counter, change log, timeline, event) against a bare ORM insert of the
  same report (`Report.objects.create` with a precomputed reference), one client in sequence.
- reads: the GET requests queries a client makes (newest page, by category and status, a list
  of ids, page 5) over N bulk-inserted reports, p95 against the same rows read with a bare
  `values()` query.

Small by default (`make bench`: N = 2,000, under a minute on SQLite). The issue's size:

    BENCH_OPEN311_REPORTS=100000 \\
    SATUPINTU_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_co_bench \\
        .venv/bin/python bench/run.py open311

or `python bench/bench_open311.py [N]`, which uses that PostgreSQL database (created if needed)
whenever 127.0.0.1:5432 answers, else SQLite.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from urllib.parse import urlencode

from harness import Row

REPORTS = int(os.environ.get("BENCH_OPEN311_REPORTS", "2000"))
CREATES = int(os.environ.get("BENCH_OPEN311_CREATES", "100"))
ROUNDS = 10
DESCRIPTION = (
    "Jalan berlubang di depan SD Negeri 3 Lengkiti, sudah beberapa motor jatuh. Mohon segera "
    "ditambal sebelum musim hujan."
)


def world():
    from satupintu.complaints.models import Category
    from satupintu.complaints.open311.keys import issue_key
    from satupintu.core.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        code="dinas-pupr",
        defaults={
            "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
            "short_name": "Dinas PUPR",
            "kind": "dinas",
        },
    )
    categories = []
    for code, name in (("jalan-rusak", "Jalan rusak"), ("drainase", "Saluran air tersumbat")):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "group": "Infrastruktur", "organisation": organisation},
        )
        categories.append(category)
    return organisation, categories, issue_key("Bench Open311").key


def fill(total: int, organisation, categories) -> list[str]:
    """Public reports up to `total`, with one timeline entry each, inserted in bulk."""
    from django.db import connection

    from satupintu.complaints.models import Report

    batch = []
    for number in range(Report.objects.count(), total):
        batch.append(
            Report(
                reference=f"ADU-9901-{number:06d}",
                category=categories[number % len(categories)],
                organisation=organisation,
                title="Jalan berlubang",
                description=DESCRIPTION,
                public_description=DESCRIPTION,
                latitude="-4.137800",
                longitude="104.183300",
                address=f"Jl. Lintas Lengkiti km {number % 40}",
                status=("received", "in_progress", "resolved")[number % 3],
                channel="web",
            )
        )
        if len(batch) == 5000:
            _flush(batch)
            batch = []
    _flush(batch)
    if connection.vendor == "postgresql":  # as autovacuum would after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_report; ANALYZE complaints_reportupdate")
    return list(Report.objects.order_by("-pk").values_list("reference", flat=True)[:20])


def _flush(batch) -> None:
    from satupintu.complaints.models import Report, ReportUpdate

    if not batch:
        return
    created = Report.objects.bulk_create(batch, batch_size=1000)
    ReportUpdate.objects.bulk_create(
        [
            ReportUpdate(
                report_id=report.pk, kind="status", status_to="received", message="Diterima."
            )
            for report in created
        ],
        batch_size=1000,
    )


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def time_creates(client, key: str) -> float:
    """Seconds per Open311 POST, over CREATES sequential posts."""
    client.get("/open311/v2/services.json")  # warm-up: URLconf, translations, connection
    start = time.perf_counter()
    for number in range(CREATES):
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": key,
                "service_code": "jalan-rusak",
                "lat": f"{-4.13 - number / 100000:.6f}",
                "long": "104.183300",
                "description": DESCRIPTION,
                "email": "warga@example.id",
            },
        )
        if response.status_code != 200:
            raise RuntimeError(f"POST failed: {response.status_code} {response.content[:300]!r}")
    return (time.perf_counter() - start) / CREATES


def time_bare_creates(organisation, category) -> float:
    from satupintu.complaints.models import Report

    start = time.perf_counter()
    for number in range(CREATES):
        Report.objects.create(
            reference=f"ADU-9902-{number:06d}",
            category=category,
            organisation=organisation,
            title="Jalan berlubang",
            description=DESCRIPTION,
            public_description=DESCRIPTION,
            latitude="-4.137800",
            longitude="104.183300",
            channel="open311",
        )
    return (time.perf_counter() - start) / CREATES


def read_queries(references: list[str]) -> list[dict]:
    return [
        {},
        {"service_code": "jalan-rusak", "status": "open"},
        {"service_request_id": ",".join(references[:10])},
        {"page": "5"},
    ]


def time_reads(client, references) -> list[float]:
    client.get("/open311/v2/services.json")  # warm-up: URLconf, translations, connection
    samples = []
    for _ in range(ROUNDS):
        for query in read_queries(references):
            start = time.perf_counter()
            response = client.get(f"/open311/v2/requests.json?{urlencode(query)}")
            samples.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"GET failed: {response.status_code}")
    return samples


def time_bare_reads(references) -> list[float]:
    from satupintu.complaints.models import Report

    fields = ("reference", "status", "public_description", "latitude", "longitude")
    base = Report.objects.filter(is_public=True).order_by("-created_at", "-pk")
    queries = [
        base,
        base.filter(category__code="jalan-rusak", status__in=("received", "in_progress")),
        base.filter(reference__in=references[:10]),
        base,
    ]
    samples = []
    for _ in range(ROUNDS):
        for number, queryset in enumerate(queries):
            offset = 200 if number == 3 else 0
            start = time.perf_counter()
            list(queryset.values(*fields)[offset : offset + 51])
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def run() -> list[Row]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from satupintu.complaints.models import Report

    # The benchmark measures the work, not the per-key limit (a client is held to 120/min).
    settings.OPEN311_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    organisation, categories, key = world()
    client = Client()
    engine = connection.vendor

    per_post = time_creates(client, key)
    per_insert = time_bare_creates(organisation, categories[0])
    Report.objects.filter(reference__startswith="ADU-9902-").delete()

    references = fill(REPORTS, organisation, categories)
    reads = time_reads(client, references)
    bare_reads = time_bare_reads(references)
    return [
        Row(
            "open311 POST requests",
            per_post * 1000,
            per_insert * 1000,
            "ms/create",
            f"{1 / per_post:.0f} creates/s vs bare insert {1 / per_insert:.0f}/s "
            f"({CREATES}, {engine}; goal ≥ 200/s)",
        ),
        Row(
            "open311 GET requests p95",
            p95(reads),
            p95(bare_reads),
            "ms",
            f"{Report.objects.count():,} reports, 4 queries × {ROUNDS}, {engine}",
        ),
    ]


def _postgres_url() -> str | None:
    """The bench database on a local PostgreSQL, created if needed; None when none answers."""
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        if sock.connect_ex(("127.0.0.1", 5432)) != 0:
            return None
    import psycopg

    name = "sp_co_bench"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


if __name__ == "__main__":
    import shutil

    if len(sys.argv) > 1:
        REPORTS = int(sys.argv[1])
    url = os.environ.get("SATUPINTU_BENCH_DATABASE_URL") or _postgres_url()
    if url:
        os.environ["SATUPINTU_BENCH_DATABASE_URL"] = url
    from harness import setup_django
    from run import format_table

    var_dir = setup_django()
    try:
        print(format_table(run()))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

"""The bare database work an Open311 call costs at least, shared by the in-process rows of
bench_open311.py and the HTTP server it starts (open311_server.py), so both baselines do the
same thing: one report row inserted, one `values()` page read per GET query of the benchmark.
Models are imported inside the functions: Django is set up by the caller."""

from __future__ import annotations

DESCRIPTION = (
    "Jalan berlubang di depan SD Negeri 3 Lengkiti, sudah beberapa motor jatuh. Mohon segera "
    "ditambal sebelum musim hujan."
)
READ_FIELDS = ("reference", "status", "public_description", "latitude", "longitude")
PAGE = 51  # the Open311 list's page size plus the row that tells whether a next page exists


def bare_report(reference: str, category, organisation, **fields):
    """An unsaved public report with the benchmark's text and position."""
    from satupintu.complaints.models import Report

    values = {"title": "Jalan berlubang", "channel": "open311", **fields}
    return Report(
        reference=reference,
        category=category,
        organisation=organisation,
        description=DESCRIPTION,
        public_description=DESCRIPTION,
        latitude="-4.137800",
        longitude="104.183300",
        **values,
    )


def bare_read(number: int, references: list[str]) -> list[dict]:
    """The page the `number`-th GET requests query of the benchmark reads (read_queries in
    bench_open311.py: newest, category + open, a list of ids, page 5), without Django's views."""
    from satupintu.complaints.models import Report

    base = Report.objects.filter(is_public=True).order_by("-created_at", "-pk")
    offset = 0
    if number == 1:
        base = base.filter(category__code="jalan-rusak", status__in=("received", "in_progress"))
    elif number == 2:
        base = base.filter(reference__in=references)
    elif number == 3:
        offset = 200
    return list(base.values(*READ_FIELDS)[offset : offset + PAGE])

"""Catalogue search (`catalogue.search.find`: Sastrawi stems, synonyms, name-first and popularity
ranking) against a plain `name__icontains` filter, at 1k and 10k published services.

Rows are the 42 demo services repeated with a district suffix, bulk-inserted with their search
text precomputed. Each query of QUERIES is run ROUNDS times; the table shows p50 and p95.
"""

from __future__ import annotations

import statistics
import time

from harness import Row

# 100k is the target size; it is left out of `make bench` until the search reads an
# index instead of scanning (p95 at 10k is already above the 50 ms goal, about 120 ms).
SIZES = (1_000, 10_000)
QUERIES = ("praktek dokter", "akta kelahiran", "mengurus izin reklame", "kartu keluarga")
ROUNDS = 5


def fill(total: int) -> None:
    from satupintu.catalogue import text
    from satupintu.catalogue.demo import SERVICES, SYNONYMS
    from satupintu.catalogue.models import PublicService, SearchSynonym
    from satupintu.core.models import Organisation

    for words in SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)
    groups = SearchSynonym.groups()
    organisation, _ = Organisation.objects.get_or_create(
        code="bench-opd", defaults={"name": "OPD Bench", "short_name": "Bench", "kind": "dinas"}
    )
    PublicService.objects.all().delete()
    base = []
    for slug, name, _code, desc, requirements, steps, time_, fee, *_rest in SERVICES:
        body = " ".join([name, desc, requirements.replace("|", " ")])
        base.append((slug, name, desc, requirements, steps, time_, fee, body))
    rows = []
    for number in range(total):
        slug, name, desc, requirements, steps, time_, fee, body = base[number % len(base)]
        suffix = f"wilayah {number}"
        rows.append(
            PublicService(
                organisation=organisation,
                slug=f"{slug}-{number}",
                name=f"{name} {suffix}",
                description=desc,
                requirements=requirements.replace("|", "\n"),
                procedure=steps.replace("|", "\n"),
                completion_time=time_,
                fee=fee,
                status="published",
                search_text=" " + " ".join(text.normalise(f"{body} {suffix}", groups)) + " ",
            )
        )
    PublicService.objects.bulk_create(rows, batch_size=2000)


def timings(function) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            function(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def run() -> list[Row]:
    from satupintu.catalogue.models import PublicService
    from satupintu.catalogue.search import find

    rows = []
    for size in SIZES:
        fill(size)
        services = PublicService.objects.all()
        found = timings(lambda q, services=services: find(services, q, 20))
        plain = timings(lambda q, services=services: list(services.filter(name__icontains=q)[:20]))
        rows.append(
            Row(
                f"catalogue search p50, {size:,} services",
                statistics.median(found),
                statistics.median(plain),
                "ms",
                "find() vs name__icontains",
            )
        )
        rows.append(
            Row(
                f"catalogue search p95, {size:,} services",
                p95(found),
                p95(plain),
                "ms",
                "goal ≤ 50 ms at 100k",
            )
        )
    return rows

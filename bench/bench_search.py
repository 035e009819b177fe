"""Search (core.search_index: stems, synonyms, typo fallback, ranking, facets, the top 20 hits
with highlighted snippets — what /cari/ asks of the index) against a plain `title__icontains`
filter, at growing index sizes, on SQLite (FTS5) and, when reachable, PostgreSQL (tsvector).

Documents are the 42 demo services repeated over OKU's districts ("… Kecamatan Lengkiti 17"),
indexed through `search_index.index()`. Each query of QUERIES runs ROUNDS times; rows show p50
and p95 in milliseconds, and each p95 row past the first size how much it grew for ×10 documents
(1.0 flat, 10 linear; the goal is sublinear).

    python bench/run.py search                                  # 1k, 10k and 100k (a few minutes)
    BENCH_SEARCH_SIZES=1000,10000 python bench/run.py search    # quicker
    BENCH_SEARCH_PG_URL=postgres://postgres@127.0.0.1:5432/sp_bench python bench/run.py search
    BENCH_SEARCH_PG_URL= python bench/run.py search              # SQLite only

PostgreSQL runs in a child process (Django reads its database URL once, at setup) against a
throw-away database that it creates and migrates on first use.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import PROJECT_DIR, Row

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SEARCH_SIZES", "1000,10000,100000").split(","))
PG_URL = os.environ.get(
    "BENCH_SEARCH_PG_URL", "postgres://postgres@127.0.0.1:5432/satupintu_bench_search"
)
QUERIES = (
    "praktek dokter",
    "akta kelahiran",
    "mengurus izin reklame",
    "kartu keluarga",
    "praktk dokter",  # a typo: the vocabulary fallback
    "pajak bumi bangunan",
)
ROUNDS = 5
DISTRICTS = (
    "Baturaja Timur", "Baturaja Barat", "Lengkiti", "Sosoh Buay Rayap", "Pengandonan",
    "Semidang Aji", "Ulu Ogan", "Muara Jaya", "Peninjauan", "Lubuk Batang", "Sinar Peninjauan",
    "Kedaton Peninjauan Raya", "Lubuk Raja",
)  # fmt: skip


def documents(total: int):
    from satupintu.catalogue.demo import SERVICES
    from satupintu.core.models import Organisation
    from satupintu.core.search_index import Document

    organisations = {}
    for _slug, _name, code, *_rest in SERVICES:
        organisations[code], _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": f"OPD {code}", "short_name": code, "kind": "dinas"}
        )
    for number in range(total):
        slug, name, code, desc, requirements, _steps, *_rest = SERVICES[number % len(SERVICES)]
        events = _rest[-1]
        district = DISTRICTS[number % len(DISTRICTS)]
        yield Document(
            kind="layanan",
            key=f"{slug}-{number}",
            title=f"{name} Kecamatan {district} {number // len(SERVICES)}",
            url=f"/layanan/{slug}-{number}/",
            body=f"{desc} {requirements.replace('|', ' ')}",
            organisation_id=organisations[code].pk,
            life_events=tuple(e for e in events.split(",") if e),
            popularity=float(number % 97),
        )


def fill(total: int) -> None:
    from satupintu.catalogue.demo import SYNONYMS
    from satupintu.core import search_index
    from satupintu.core.models import SearchDocument, SearchSynonym, SearchTerm

    for words in SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    search_index.engine_for().rebuild()
    batch = []
    for document in documents(total):
        batch.append(document)
        if len(batch) == 5000:
            search_index.index(batch)
            batch = []
    search_index.index(batch)
    search_index.engine_for().analyze()


def page(query: str) -> int:
    """What /cari/ asks of the index for one query (anonymous visitor)."""
    from satupintu.core.search_index import Search

    search = Search(query, None)
    search.facets()
    return len(search.hits(limit=20))


def plain(query: str) -> int:
    from satupintu.core.models import SearchDocument

    return len(list(SearchDocument.objects.filter(title__icontains=query)[:20]))


def timings(function) -> list[float]:
    function(QUERIES[0])  # warm caches (the stemmer's, the database's)
    samples = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            function(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def measure(engine: str) -> list[dict]:
    from satupintu.core.search_engines import engine_for

    assert engine_for().name.startswith(engine.split("-")[0]), engine_for().name
    rows = []
    previous: tuple[int, float] | None = None
    for size in SIZES:
        start = time.perf_counter()
        fill(size)
        seconds = time.perf_counter() - start
        print(f"… {engine}: {size:,} dokumen diindeks dalam {seconds:.1f} s", file=sys.stderr)
        found, baseline = timings(page), timings(plain)
        growth = ""
        if previous:
            # Per ×10 documents whatever the step between sizes: ratio ** (1 / log10(step)).
            steps = math.log10(size / previous[0])
            growth = f"; ×{(p95(found) / previous[1]) ** (1 / steps):.1f} per ×10 docs"
        previous = (size, p95(found))
        for label, value, base, note in (
            ("p50", statistics.median(found), statistics.median(baseline), "index vs icontains"),
            ("p95", p95(found), p95(baseline), "goal ≤ 50 ms at 100k" + growth),
        ):
            rows.append(
                {
                    "name": f"search {label}, {engine}, {size:,} docs",
                    "measured": value,
                    "baseline": base,
                    "unit": "ms",
                    "note": note,
                }
            )
    return rows


def postgres_reachable(url: str) -> str:
    """'' when the server answers, else why not."""
    import psycopg

    server = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return str(error).strip()
    return ""


def run_postgres() -> list[Row]:
    reason = postgres_reachable(PG_URL)
    if reason:
        print(f"… PostgreSQL dilewati: {reason}", file=sys.stderr)
        return []
    environment = dict(os.environ, SATUPINTU_BENCH_SEARCH_CHILD=PG_URL)
    result = subprocess.run(
        [sys.executable, __file__],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    sys.stderr.write(result.stderr[-4000:] if result.returncode else result.stderr)
    if result.returncode:
        raise RuntimeError("bench_search on PostgreSQL failed")
    return [Row(**row) for row in json.loads(result.stdout)]


def run() -> list[Row]:
    rows = [Row(**row) for row in measure("sqlite-fts5")]
    if PG_URL:
        rows.extend(run_postgres())
    return rows


def child(url: str) -> None:
    """The PostgreSQL half, in its own process: Django set up against `url`, migrated."""
    for name in ("SATUPINTU_DATASTORE_URL", "SATUPINTU_REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["SATUPINTU_DATABASE_URL"] = url
    os.environ["SATUPINTU_VAR_DIR"] = tempfile.mkdtemp(prefix="satupintu-bench-pg-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("SATUPINTU_DEBUG", "0")
    sys.path.insert(0, str(Path(PROJECT_DIR) / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(measure("postgresql-fts")))


if __name__ == "__main__" and os.environ.get("SATUPINTU_BENCH_SEARCH_CHILD"):
    child(os.environ["SATUPINTU_BENCH_SEARCH_CHILD"])

"""Satu Data sync: N rows from a real MariaDB table into the datastore (SQLite file, the
embedded default), against the raw baseline measured in the same run: the database's own dump
(`mariadb --batch --quick`, tab-separated) plus SQLite's own bulk load (`sqlite3 .import`).

Rows:
- full sync time vs raw dump + load time (goal: ratio <= 2, i.e. >= 50% of raw throughput);
- incremental sync after 1% of rows changed vs the full sync (goal: <= 0.05);
- peak RSS of the process after the syncs vs the 300 MB goal;
- package_search p95 over 10,000 datasets vs the same page fetched by a plain ORM query.

Both sides are measured twice and keep their faster round (raw: before and after the syncs;
the full sync: two fresh resources one after the other), so a burst of other work on the machine,
or the source server still flushing its freshly loaded table, moves one round of one side, not
the ratio.

N defaults to 100,000 so `make bench` stays within minutes; set SATUPINTU_BENCH_DATA_ROWS=1000000
for the issue's full run. Needs MariaDB on 127.0.0.1:3306 (root, no password) and the `mariadb`
and `sqlite3` command-line clients; without them the benchmark reports why and returns no rows.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from harness import Row

N = int(os.environ.get("SATUPINTU_BENCH_DATA_ROWS", "100000"))
SEARCH_DATASETS = int(os.environ.get("SATUPINTU_BENCH_SEARCH_DATASETS", "10000"))
HOST, PORT, USER = "127.0.0.1", 3306, "root"
PUSKESMAS = ["Sukaraya", "Lengkiti", "Peninjauan", "Pengandonan", "Ulu Ogan", "Semidang Aji"]
KECAMATAN = ["16.01.14", "16.01.28", "16.01.09", "16.01.08", "16.01.20", "16.01.21"]


def _mariadb(database: str = ""):
    import pymysql

    return pymysql.connect(
        host=HOST,
        port=PORT,
        user=USER,
        database=database or None,
        autocommit=True,
        local_infile=True,
    )


def create_source(name: str) -> None:
    with _mariadb() as conn, conn.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        cursor.execute(f"USE {name}")
        cursor.execute(
            "CREATE TABLE kunjungan (id INT PRIMARY KEY, puskesmas VARCHAR(60), "
            "kode_kecamatan VARCHAR(13), tanggal DATE, jumlah INT, biaya DECIMAL(14,2), "
            "diperbarui DATETIME, INDEX (diperbarui))"
        )
        start = dt.datetime(2025, 1, 1, 7, 0)
        batch = []
        for i in range(1, N + 1):
            batch.append(
                (
                    i,
                    f"Puskesmas {PUSKESMAS[i % 6]}",
                    KECAMATAN[i % 6],
                    dt.date(2025, 1 + i % 12, 1 + i % 28),
                    i % 250,
                    f"{(i % 9000) + 1000}.50",
                    start + dt.timedelta(seconds=i),
                )
            )
            if len(batch) == 10000:
                cursor.executemany("INSERT INTO kunjungan VALUES (%s,%s,%s,%s,%s,%s,%s)", batch)
                batch = []
        if batch:
            cursor.executemany("INSERT INTO kunjungan VALUES (%s,%s,%s,%s,%s,%s,%s)", batch)


def drop_source(name: str) -> None:
    with _mariadb() as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def raw_baseline(name: str, work: Path, round_number: int) -> tuple[float, float]:
    """The database's own dump (tab-separated, streamed) + SQLite's own bulk load: wall time and
    the CPU time of the two client programs."""
    dump = work / f"kunjungan-{round_number}.tsv"
    target = work / f"raw-{round_number}.sqlite3"
    cpu_started = _children_cpu()
    started = time.perf_counter()
    with open(dump, "wb") as out:
        subprocess.run(
            [
                "mariadb",
                "-h",
                HOST,
                "-P",
                str(PORT),
                "-u",
                USER,
                "--batch",
                "--quick",
                "--skip-column-names",
                "--raw",
                name,
                "-e",
                "SELECT * FROM kunjungan",
            ],
            stdout=out,
            check=True,
        )
    with sqlite3.connect(target) as db:
        db.execute(
            "CREATE TABLE kunjungan (id INTEGER PRIMARY KEY, puskesmas TEXT, "
            "kode_kecamatan TEXT, tanggal TEXT, jumlah INTEGER, biaya NUMERIC, "
            "diperbarui TEXT)"
        )
    subprocess.run(["sqlite3", str(target), ".mode tabs", f".import {dump} kunjungan"], check=True)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu_started
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM kunjungan").fetchone()[0] == N
    return elapsed, cpu


def sync_rows(name: str) -> tuple[float, float, int, float]:
    from sqlalchemy.engine import URL

    from satupintu.core.models import Organisation

    # Every connector module imported before timing, as a running worker has them (the first
    # connector_for() imports them all: openpyxl, charset-normalizer, SQLAlchemy, ~0.3 s).
    from satupintu.data.connectors import files, http_json, sql  # noqa: F401
    from satupintu.data.models import Dataset, Resource, Source
    from satupintu.data.sync import run_sync

    # ... and the SQLAlchemy dialect and driver of the source (the first engine imports them).
    URL.create(sql.mysql_driver()).get_dialect().import_dbapi()

    org = Organisation.objects.create(
        code=f"dinkes-{name[-6:]}", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas"
    )
    source = Source.objects.create(
        organisation=org,
        name="SIMPUS",
        kind="mysql",
        host=HOST,
        port=PORT,
        database=name,
        username=USER,
    )

    def resource(round_number: int) -> Resource:
        dataset = Dataset.objects.create(
            organisation=org,
            slug=f"kunjungan-{name[-6:]}-{round_number}",
            title=f"Kunjungan puskesmas {round_number}",
            description="Benchmark",
        )
        return Resource.objects.create(
            dataset=dataset,
            name="Kunjungan",
            source=source,
            source_table="kunjungan",
            key_columns=["id"],
            mode=Resource.Mode.INCREMENTAL,
            cursor_column="diperbarui",
        )

    def full_sync(res: Resource) -> tuple[float, float, float]:
        # The sync's CPU time includes its reader process's (data/reader_process.py), a child
        # that has ended and been waited for by the time run_sync() returns.
        cpu_started, reader_started = time.process_time(), _children_cpu()
        started = time.perf_counter()
        run = run_sync(res, batch_size=5000)
        elapsed = time.perf_counter() - started
        reader_cpu = _children_cpu() - reader_started
        assert run.status == "succeeded" and run.counts["inserted"] == N, (run.status, run.error)
        return elapsed, time.process_time() - cpu_started + reader_cpu, reader_cpu

    res = resource(1)
    full, full_cpu, reader_cpu = min(full_sync(res), full_sync(resource(2)))

    changed = max(1, N // 100)
    with _mariadb(name) as conn, conn.cursor() as cursor:
        cursor.execute(
            "UPDATE kunjungan SET jumlah = jumlah + 1, diperbarui = %s ORDER BY id LIMIT %s",
            (dt.datetime(2026, 11, 24, 9, 0), changed),
        )
    started = time.perf_counter()
    run = run_sync(Resource.objects.get(pk=res.pk), batch_size=5000)
    incremental = time.perf_counter() - started
    assert run.status == "succeeded" and run.counts["updated"] == changed, run.counts
    return full, incremental, changed, full_cpu, reader_cpu


def _sync_in_child(name: str, results) -> None:
    """The syncs in a fresh process on the already migrated installation, so its peak RSS is
    the sync's (plus Django and the apps), not the migrations that ran before."""
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    django.setup()
    full, incremental, changed, full_cpu, reader_cpu = sync_rows(name)
    results.put((full, incremental, changed, full_cpu, reader_cpu, peak_rss_mb()))


def peak_rss_mb() -> float:
    """VmHWM, the process's peak resident set (ru_maxrss would survive exec and report the
    parent's migrations)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure_syncs(name: str) -> tuple[float, float, int, float, float, float]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_sync_in_child, args=(name, results))
    child.start()
    outcome = results.get(timeout=3600)
    child.join()
    return outcome


def search_p95() -> tuple[float, float]:
    from django.test import Client

    from satupintu.core.models import Organisation
    from satupintu.data.models import Dataset, Topic

    orgs = [
        Organisation.objects.create(
            code=f"opd-{i}", name=f"OPD {i}", short_name=f"O{i}", kind="dinas"
        )
        for i in range(40)
    ]
    topics = [Topic.objects.create(slug=f"topik-{i}", name=f"Topik {i}") for i in range(12)]
    words = [
        "penduduk",
        "jalan",
        "puskesmas",
        "sekolah",
        "pertanian",
        "anggaran",
        "air",
        "pasar",
        "bencana",
        "ternak",
    ]
    now = dt.datetime.now(dt.UTC)
    Dataset.objects.bulk_create(
        [
            Dataset(
                organisation=orgs[i % 40],
                topic=topics[i % 12],
                slug=f"ds-{i}",
                title=f"Data {words[i % 10]} kecamatan {i}",
                description=f"{words[(i * 7) % 10]}",
                status="published",
                classification="public",
                published_at=now,
            )
            for i in range(SEARCH_DATASETS)
        ],
        batch_size=2000,
    )
    client = Client()
    measured, baseline = [], []
    for i in range(60):
        word = words[i % 10]
        started = time.perf_counter()
        response = client.get(
            "/api/3/action/package_search",
            {"q": word, "rows": 10, "facet.field": '["organization","groups"]'},
        )
        measured.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.json()["result"]["count"] > 0
        started = time.perf_counter()
        list(Dataset.objects.filter(title__icontains=word).order_by("-updated_at")[:10])
        baseline.append(time.perf_counter() - started)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[18] * 1000

    return p95(measured), p95(baseline)


def run() -> list[Row]:
    missing = [tool for tool in ("mariadb", "sqlite3") if shutil.which(tool) is None]
    try:
        _mariadb().close()
    except Exception as error:  # any connection failure means: nothing to measure here
        print(f"bench_data_sync dilewati: MariaDB {HOST}:{PORT} tidak dapat dihubungi ({error})")
        return []
    if missing:
        print(f"bench_data_sync dilewati: program {', '.join(missing)} tidak ada")
        return []
    name = f"sp_bench_{uuid.uuid4().hex[:8]}"
    work = Path(tempfile.mkdtemp(prefix="satupintu-bench-data-"))
    try:
        create_source(name)
        first_raw = raw_baseline(name, work, 1)
        full, incremental, changed, full_cpu, reader_cpu, peak_mb = measure_syncs(name)
        raw, raw_cpu = min(first_raw, raw_baseline(name, work, 2))
    finally:
        drop_source(name)
        shutil.rmtree(work, ignore_errors=True)
    p95, p95_base = search_p95()
    from satupintu.data.connectors.sql import mysql_driver

    driver = "mysqlclient" if mysql_driver() == "mysql+mysqldb" else "PyMySQL"
    note = f"N={N:,}, MariaDB ({driver}) → SQLite datastore"
    return [
        Row(
            "data sync: full (vs dump + bulk load)",
            full,
            raw,
            "s",
            f"{note}; {N / full:,.0f} rows/s vs {N / raw:,.0f} raw, each the faster of 2 "
            "rounds; goal ratio ≤ 2",
        ),
        Row(
            "data sync: full, CPU time (vs dump + bulk load)",
            full_cpu,
            raw_cpu,
            "s",
            f"the sync process and its reader process ({reader_cpu:.2f} s; 0 when the run "
            "found no free core for it) vs the mariadb and sqlite3 clients (the server's share "
            "is the same for both and not counted)",
        ),
        Row(
            "data sync: incremental 1% (vs full)",
            incremental,
            full,
            "s",
            f"{changed:,} rows changed; goal ratio ≤ 0.05",
        ),
        Row(
            "data sync: peak RSS (vs 300 MB goal)",
            peak_mb,
            300,
            "MB",
            "sync process, Django and every app loaded",
        ),
        Row(
            "CKAN package_search p95 (vs ORM page)",
            p95,
            p95_base,
            "ms",
            f"{SEARCH_DATASETS:,} datasets, q + 2 facets",
        ),
    ]

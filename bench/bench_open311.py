"""Open311 GeoReport v2: `POST requests` per second and `GET requests` p95 with 100k reports on
PostgreSQL (issue 7's goal: ≥ 200 creates/s on 2 cores), plus the same in one process.

Over HTTP, on PostgreSQL (when 127.0.0.1:5432 answers and `wrk` is installed):
- the app is served by granian, WSGI, BENCH_OPEN311_WORKERS (default 2) worker processes ×
  BENCH_OPEN311_THREADS (default 4) threads (bench/open311_server.py: satupintu's own
  `satupintu.wsgi` plus two baseline routes in the same workers);
- BENCH_OPEN311_HTTP_REPORTS (default 100,000) public reports are bulk-loaded once into the
  database `sp_bench_open311` (BENCH_OPEN311_PG_URL to name another; kept between runs, so only
  the first run pays the loading, about a minute);
- creates: `wrk` POSTs form-encoded Open311 requests from 8 connections for
  BENCH_OPEN311_SECONDS (default 5) against `POST /__bench__/insert`, a bare ORM insert of the
  same report through the same server; reported as creates/s and as server CPU per create
  (granian workers + the PostgreSQL backends serving them, from /proc), which is what decides
  the rate on 2 cores when the machine is shared;
- reads: the GET requests queries a client makes (newest page, by category and open status, a
  list of 10 ids, page 5), p95 from 4 connections, against the same rows read by a bare
  `values()` query through the same server.
The e-mail task queue is Huey on SQLite in a temporary directory unless BENCH_OPEN311_REDIS_URL
names a Redis database (production's setting).

In one process (Django test client, whatever database bench/harness.py set up: SQLite by
default): CREATES sequential creates against a bare `Report.objects.create`, and the GET
queries over BENCH_OPEN311_REPORTS (default 2,000) reports against bare `values()` queries.

    .venv/bin/python bench/run.py open311
    BENCH_OPEN311_PG_URL=postgres://postgres@127.0.0.1:5432/sp_h1_bench \\
    BENCH_OPEN311_REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/run.py open311
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from harness import PROJECT_DIR, Row
from open311_baseline import DESCRIPTION, bare_read, bare_report
from processes import cpu_seconds, free_port, group_pids, stop

REPORTS = int(os.environ.get("BENCH_OPEN311_REPORTS", "2000"))
CREATES = int(os.environ.get("BENCH_OPEN311_CREATES", "100"))
ROUNDS = 10
HTTP_REPORTS = int(os.environ.get("BENCH_OPEN311_HTTP_REPORTS", "100000"))
HTTP_SECONDS = int(os.environ.get("BENCH_OPEN311_SECONDS", "5"))
# granian worker processes (BENCH_OPEN311_WORKERS, default 2: one per core).
HTTP_WORKERS = int(os.environ.get("BENCH_OPEN311_WORKERS", "2"))
WARMUP_SECONDS = 3
# Python threads per worker: enough to overlap a request's database round trips with another's
# Python work, few enough not to fight over the GIL (granian's WSGI default is 128).
HTTP_THREADS = int(os.environ.get("BENCH_OPEN311_THREADS", "4"))
POST_CONNECTIONS = 8
GET_CONNECTIONS = 4
BENCH_DIR = Path(__file__).resolve().parent


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
            bare_report(
                f"ADU-9901-{number:06d}",
                categories[number % len(categories)],
                organisation,
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


def create_form(key: str) -> dict[str, str]:
    """An Open311 POST requests form without its `lat` (each create gets its own position)."""
    return {
        "api_key": key,
        "service_code": "jalan-rusak",
        "long": "104.183300",
        "description": DESCRIPTION,
        "email": "warga@example.id",
    }


def time_creates(client, key: str) -> float:
    """Seconds per Open311 POST, over CREATES sequential posts."""
    client.get("/open311/v2/services.json")  # warm-up: URLconf, translations, connection
    start = time.perf_counter()
    for number in range(CREATES):
        response = client.post(
            "/open311/v2/requests.json",
            {**create_form(key), "lat": f"{-4.13 - number / 100000:.6f}"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"POST failed: {response.status_code} {response.content[:300]!r}")
    return (time.perf_counter() - start) / CREATES


def time_bare_creates(organisation, category) -> float:
    start = time.perf_counter()
    for number in range(CREATES):
        bare_report(f"ADU-9902-{number:06d}", category, organisation).save(force_insert=True)
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
    samples = []
    for _ in range(ROUNDS):
        for number in range(len(read_queries(references))):
            start = time.perf_counter()
            bare_read(number, references[:10])
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def in_process_rows() -> list[Row]:
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
            "open311 POST requests, 1 process",
            per_post * 1000,
            per_insert * 1000,
            "ms/create",
            f"{1 / per_post:.0f} creates/s vs bare insert {1 / per_insert:.0f}/s "
            f"({CREATES} in sequence, test client, {engine})",
        ),
        Row(
            "open311 GET requests p95, 1 process",
            p95(reads),
            p95(bare_reads),
            "ms",
            f"{Report.objects.count():,} reports, 4 queries × {ROUNDS}, {engine}",
        ),
    ]


# --- over HTTP on PostgreSQL -------------------------------------------------------------------


@dataclass
class Load:
    """One wrk run: rate, latency percentiles and the CPU the server side spent per request."""

    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    requests: int
    web_cpu_ms: float  # CPU of the granian processes per request
    database_cpu_ms: float  # CPU of the PostgreSQL backends serving them, per request

    @property
    def server_cpu_ms(self) -> float:
        return self.web_cpu_ms + self.database_cpu_ms


def wait_until_ready(port: int, server: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    """granian listens before its workers have loaded Django: wait for every worker to say it
    started, then for one answer (a request during start-up would count the start-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the benchmark server stopped:\n{log.read_text()[-2000:]}")
        if log.read_text().count("Started worker-") >= HTTP_WORKERS:
            break
        time.sleep(0.2)
    else:
        raise RuntimeError(f"the benchmark server's workers did not start:\n{log.read_text()}")
    import http.client

    status = None
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/open311/v2/services.json")
            status = connection.getresponse().status
            if status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"the benchmark server did not answer on port {port} (last {status})")


def backend_pids(url: str) -> set[int]:
    """The PostgreSQL server processes connected to the benchmark database (the workers')."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        rows = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return {pid for (pid,) in rows}


def lua_string(text: str) -> str:
    if "]==]" in text:
        raise ValueError("text cannot be a Lua long string")
    return f"[==[{text}]==]"


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def post_script(path: str, prefix: str, suffix: str) -> str:
    """POST `prefix` + a latitude that changes per request + `suffix` (form-encoded)."""
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  local body = {lua_string(prefix)} .. string.format("%.6f", -4.13 - (n % 9000) / 1000000)
    .. {lua_string(suffix)}
  return wrk.format(nil, {lua_string(path)}, nil, body)
end
{WRK_DONE}"""


def get_script(paths: list[str]) -> str:
    listed = ", ".join(lua_string(p) for p in paths)
    return f"""
local paths = {{{listed}}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
{WRK_DONE}"""


def wrk(port: int, script: str, connections: int, seconds: int, workdir: Path) -> dict:
    path = workdir / f"load-{time.monotonic_ns()}.lua"
    path.write_text(script)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "20s",
        "-s",
        str(path),
        f"http://127.0.0.1:{port}",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration_us, status_errors, socket_errors, p50, p95 = line.split()[1:]
    return {
        "requests": int(requests),
        "seconds": int(duration_us) / 1e6,
        "errors": int(status_errors) + int(socket_errors),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
    }


def measure(port: int, server, url: str, script: str, connections: int, workdir: Path) -> Load:
    # Warm-up: every thread of both workers opens its database connection and loads what
    # Django loads lazily; on a loaded machine that takes seconds, and it is not the work.
    wrk(port, script, connections, WARMUP_SECONDS, workdir)
    web, database = group_pids(server.pid), backend_pids(url)
    web_before, database_before = cpu_seconds(web), cpu_seconds(database)
    result = wrk(port, script, connections, HTTP_SECONDS, workdir)
    # Backends a worker opened during the run started at zero CPU: their whole time counts.
    database_after = cpu_seconds(database | backend_pids(url))
    web_after = cpu_seconds(web)
    if not result["requests"] or result["errors"] > result["requests"] // 100:
        raise RuntimeError(f"{result['errors']} of {result['requests']} requests failed")
    requests = result["requests"]
    return Load(
        rps=requests / result["seconds"],
        p50_ms=result["p50_ms"],
        p95_ms=result["p95_ms"],
        errors=result["errors"],
        requests=requests,
        web_cpu_ms=(web_after - web_before) * 1000 / requests,
        database_cpu_ms=(database_after - database_before) * 1000 / requests,
    )


def server_env(url: str, var_dir: Path) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("SATUPINTU_") and name != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        PYTHONPATH=os.pathsep.join([str(PROJECT_DIR / "src"), str(BENCH_DIR)]),
        DJANGO_SETTINGS_MODULE="satupintu.settings",
        SATUPINTU_DATABASE_URL=url,
        SATUPINTU_VAR_DIR=str(var_dir),
        SATUPINTU_DEBUG="0",
        # The benchmark measures the work, not the per-key limit (a client gets 120/min).
        SATUPINTU_OPEN311_RATE_LIMIT="0",
    )
    if os.environ.get("BENCH_OPEN311_REDIS_URL"):
        env["SATUPINTU_REDIS_URL"] = os.environ["BENCH_OPEN311_REDIS_URL"]
        # Its own queue name: the queued mail (nobody runs a worker) is deleted afterwards.
        env["SATUPINTU_HUEY_NAME"] = f"benchopen311x{os.getpid()}"  # Huey keeps [a-z0-9] only
    return env


def forget_queue(env: dict[str, str]) -> None:
    """Delete the benchmark's task queue from Redis (keys named after its own queue only)."""
    if "SATUPINTU_HUEY_NAME" not in env:
        return
    import redis

    client = redis.Redis.from_url(env["SATUPINTU_REDIS_URL"])
    for key in client.scan_iter(match=f"*{env['SATUPINTU_HUEY_NAME']}*"):
        client.delete(key)


def start_server(port: int, env: dict[str, str], workdir: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        str(HTTP_WORKERS),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--blocking-threads",
        str(HTTP_THREADS),
        "--no-access-log",
        "open311_server:application",
    ]
    log = open(workdir / "server.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        command, cwd=BENCH_DIR, env=env, stdout=log, stderr=log, start_new_session=True
    )


def prepare(url: str, env: dict[str, str]) -> dict:
    """Migrate the PostgreSQL benchmark database and load it (in a child process: this
    process's Django is configured for the in-process rows)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--prepare", str(HTTP_REPORTS)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing {url} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def http_rows() -> list[Row]:
    url = _postgres_url(
        os.environ.get("BENCH_OPEN311_PG_URL")
        or "postgres://postgres@127.0.0.1:5432/sp_bench_open311"
    )
    if not url or not shutil.which("wrk"):
        why = "no PostgreSQL on 127.0.0.1:5432" if not url else "wrk is not installed"
        print(f"open311 over HTTP skipped: {why}", file=sys.stderr)
        return []
    workdir = Path(tempfile.mkdtemp(prefix="satupintu-bench-open311-"))
    env = server_env(url, workdir)
    server = None
    try:
        loaded = prepare(url, env)
        port = free_port()
        server = start_server(port, env, workdir)
        wait_until_ready(port, server, workdir / "server.log")
        key, references = loaded["key"], loaded["references"][:10]
        prefix = urlencode(create_form(key)) + "&lat="
        creates = measure(
            port,
            server,
            url,
            post_script("/open311/v2/requests.json", prefix, ""),
            POST_CONNECTIONS,
            workdir,
        )
        inserts = measure(
            port,
            server,
            url,
            post_script("/__bench__/insert", "lat=", ""),
            POST_CONNECTIONS,
            workdir,
        )
        paths = [
            f"/open311/v2/requests.json?{urlencode(query)}" for query in read_queries(references)
        ]
        reads = measure(port, server, url, get_script(paths), GET_CONNECTIONS, workdir)
        ids = quote(",".join(references))
        bare_paths = [f"/__bench__/read?q={n}&ids={ids}" for n in range(4)]
        bare_reads = measure(port, server, url, get_script(bare_paths), GET_CONNECTIONS, workdir)
    finally:
        if server is not None:
            stop(server, timeout=15)
        forget_queue(env)
        shutil.rmtree(workdir, ignore_errors=True)
    load_average = " ".join(f"{n:.1f}" for n in os.getloadavg())
    queue = "Redis" if os.environ.get("BENCH_OPEN311_REDIS_URL") else "SQLite"
    setup = (
        f"granian WSGI {HTTP_WORKERS} workers × {HTTP_THREADS} threads, postgresql, "
        f"{loaded['count']:,} reports"
    )
    return [
        Row(
            "open311 POST requests over HTTP [goal ≥ 200/s on 2 cores]",
            creates.rps,
            inserts.rps,
            "creates/s",
            f"vs bare ORM insert, same server; wrk {POST_CONNECTIONS} connections "
            f"{HTTP_SECONDS} s; p95 {creates.p95_ms:.0f} ms; {setup}; mail queue {queue}",
        ),
        Row(
            "open311 POST requests per CPU-second [goal ≥ 100 = 200/s on 2 cores]",
            1000 / creates.server_cpu_ms,
            1000 / inserts.server_cpu_ms,
            "creates/CPU-s",
            f"server CPU per create: {creates.web_cpu_ms:.1f} ms web workers + "
            f"{creates.database_cpu_ms:.1f} ms PostgreSQL; bare insert "
            f"{inserts.web_cpu_ms:.1f} + {inserts.database_cpu_ms:.1f} ms; load {load_average}",
        ),
        Row(
            "open311 GET requests p95 over HTTP",
            reads.p95_ms,
            bare_reads.p95_ms,
            "ms",
            f"vs bare values() page, same server; 4 queries, wrk {GET_CONNECTIONS} connections; "
            f"{reads.rps:.0f} req/s (bare {bare_reads.rps:.0f}); {setup}",
        ),
    ]


def run() -> list[Row]:
    # BENCH_OPEN311_HTTP_ONLY=1 skips the in-process rows (e.g. to compare server settings).
    if os.environ.get("BENCH_OPEN311_HTTP_ONLY") == "1":
        return http_rows()
    return in_process_rows() + http_rows()


def _postgres_url(url: str) -> str | None:
    """`url`'s database, created if needed; None when its server does not answer."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(0.5)
        if sock.connect_ex((parts.hostname or "127.0.0.1", parts.port or 5432)) != 0:
            return None
    import psycopg

    name = parts.path.lstrip("/")
    server = parts._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
    return url


def _prepare_main(total: int) -> None:
    """Child process of prepare(): settings come from the environment server_env() made."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    organisation, categories, key = world()
    references = fill(total, organisation, categories)
    from satupintu.complaints.models import Report

    print(json.dumps({"key": key, "references": references, "count": Report.objects.count()}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--prepare"]:
        _prepare_main(int(sys.argv[2]))
        sys.exit(0)
    if len(sys.argv) > 1:
        REPORTS = int(sys.argv[1])
    from harness import setup_django
    from run import format_table

    var_dir = setup_django()
    try:
        print(format_table(run()))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

"""The gateway data plane against its ceilings, side by side in one run, on loopback:

(a) the upstream called directly, (b) through nginx `proxy_pass` (if /usr/sbin/nginx exists),
(c) through a bare pass-through ASGI proxy with the gateway's own server and client libraries
(granian + aiohttp; no auth, no log), (d) through the gateway with the message log on and off.

Same upstream, one granian worker per Python server, 32 concurrent keep-alive clients; `wrk`
(Debian package) measures throughput and p50/p99 when installed, else an aiohttp client does.
Bounded in time: two rounds of about 5 s per target.

Besides req/s, each target's server processes are charged the CPU time they used during the
measured run (/proc, utime + stime of the process group), divided by the calls served: CPU per
call does not depend on what else runs on the machine, so its ratios hold on a busy machine where
req/s and latency mostly measure the wait for a core.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from harness import PROJECT_DIR, Row
from processes import cpu_seconds, free_port, group_pids, stop

BENCH_DIR = Path(__file__).resolve().parent
CONNECTIONS = 32
DURATION = 3
WARMUP = 1
# Targets are measured in turn, ROUNDS times, and each keeps its best round: a burst of other
# work on the machine then lowers one round of one target, not the ratio.
ROUNDS = 2
# Latency is measured a second time below saturation. With every client sending its next call as
# soon as the last one returns, the p50 of a saturated server is the clients' number divided by
# its throughput (Little's law): the saturated rounds restate the throughput rows. Paced rounds
# keep the same 32 clients but have each wait between calls so that together they offer
# PACED_SHARE of what the bare proxy can serve; their p50 is what a hop adds to one call when the
# server is busy but not saturated, the latency an OPD system calling through the gateway sees.
# The waits are drawn from an exponential distribution (independent callers, as OPD systems
# are): a fixed wait keeps the 32 clients in step, arriving in bursts that queue behind each
# other at any load.
PACED_SHARE = 0.5
PACED_TARGETS = ("direct", "bare", "log_on")
PATH = "/desa/16.01.28.2009"
SERVICE = "OKU/GOV/DISDUKCAPIL/SIAK/penduduk-wilayah"
CLIENT = "OKU/GOV/DINKES/SIMPUS"


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    server_cpu_us: float = float("nan")  # CPU time of the server processes per call
    load_cpu_us: float = float("nan")  # CPU time of the load generator per call
    writer_cpu_us: float = 0.0  # of server_cpu_us: the gateway's message-log writer process


def best(a: Result, b: Result) -> Result:
    """The faster round's throughput and latencies, the lower CPU per call of the two."""
    fast = a if a.rps >= b.rps else b
    return Result(
        fast.rps,
        fast.p50_ms,
        fast.p99_ms,
        min(a.server_cpu_us, b.server_cpu_us),
        min(a.load_cpu_us, b.load_cpu_us),
        min(a.writer_cpu_us, b.writer_cpu_us),
    )


WRITER_COMMAND = b"satupintu.gateway.dataplane.logwriter_child"


def group_cpu_seconds(pgid: int, *, writer_only: bool = False) -> float:
    """utime + stime of every live process in process group `pgid` (each server is started in
    its own session, so its group is the server, its workers and the gateway's log writer
    process); with writer_only, of the log writer processes alone. NaN without /proc."""
    try:
        pids = group_pids(pgid)
    except OSError:
        return float("nan")
    if writer_only:
        pids = {pid for pid in pids if _is_log_writer(pid)}
    return cpu_seconds(pids)


def _is_log_writer(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return WRITER_COMMAND in cmdline.read()
    except OSError:
        return False


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# Let the gateway's log writer (it flushes every 0.5 s) finish the warm-up's records before the
# CPU count starts, and the measured run's records before it ends.
SETTLE = 0.7


def wait_for(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def granian(
    target: str, port: int, env: dict[str, str], wrapper: tuple[str, ...] = ()
) -> subprocess.Popen:
    """One granian worker serving `target`, in a session of its own; `wrapper` goes before the
    interpreter (profile_servers.py runs it under valgrind)."""
    command = [
        *wrapper,
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-log",
        "--backlog",
        "2048",
        target,
    ]
    return subprocess.Popen(
        command,
        cwd=BENCH_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def nginx(port: int, upstream_port: int, workdir: Path) -> subprocess.Popen | None:
    binary = "/usr/sbin/nginx"
    if not os.path.exists(binary):
        return None
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
error_log {workdir}/error.log crit;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}; proxy_temp_path {workdir};
  fastcgi_temp_path {workdir}; uwsgi_temp_path {workdir}; scgi_temp_path {workdir};
  upstream provider {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://provider;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
""")
    return subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(workdir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


# wrk's time units (format_time_us in its source).
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk latency: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _wrk_latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+(\S+)", output, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {percentile}th percentile in wrk's output:\n{output}")
    return _ms(match.group(1))


def load_wrk(url: str, headers: dict[str, str], server: int, pause_ms: int = 0) -> Result:
    """One warm-up and one measured wrk run; with pause_ms, each connection waits a random
    time averaging pause_ms after every answer before its next call (wrk's Lua `delay` hook)."""
    flags = [item for name, value in headers.items() for item in ("-H", f"{name}: {value}")]
    if not pause_ms:
        return _wrk_runs(url, flags, server)
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-wrk-") as scratch:
        script = Path(scratch) / "pause.lua"
        script.write_text(
            "function delay()\n"
            f"  return math.floor(-math.log(1 - math.random()) * {pause_ms})\n"
            "end\n"
        )
        return _wrk_runs(url, [*flags, "-s", str(script)], server)


def _wrk_runs(url: str, flags: list[str], server: int) -> Result:
    subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{WARMUP}s", *flags, url],
        capture_output=True,
        check=True,
    )
    time.sleep(SETTLE)
    server_cpu, load_cpu = group_cpu_seconds(server), children_cpu_seconds()
    writer_cpu = group_cpu_seconds(server, writer_only=True)
    output = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", *flags, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    load_cpu = children_cpu_seconds() - load_cpu
    time.sleep(SETTLE)
    server_cpu = group_cpu_seconds(server) - server_cpu
    writer_cpu = group_cpu_seconds(server, writer_only=True) - writer_cpu
    if re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise RuntimeError(f"errors while benchmarking {url}:\n{output}")
    calls = int(re.search(r"(\d+) requests in", output).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p99 = _wrk_latency(output, "50"), _wrk_latency(output, "99")
    return Result(
        rps,
        p50,
        p99,
        server_cpu / calls * 1e6,
        load_cpu / calls * 1e6,
        writer_cpu / calls * 1e6,
    )


def load_aiohttp(url: str, headers: dict[str, str], server: int, pause_ms: int = 0) -> Result:
    """Fallback load generator (slower than wrk: it may cap the fastest targets)."""
    import aiohttp

    async def main() -> Result:
        latencies: list[float] = []
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONNECTIONS)
        ) as session:

            async def worker(until: float, record: bool) -> None:
                while time.perf_counter() < until:
                    started = time.perf_counter()
                    async with session.get(url, headers=headers) as response:
                        await response.read()
                        if response.status != 200:
                            raise RuntimeError(f"{url} answered {response.status}")
                    if record:
                        latencies.append(time.perf_counter() - started)
                    if pause_ms:
                        await asyncio.sleep(random.expovariate(1000 / pause_ms))

            until = time.perf_counter() + WARMUP
            await asyncio.gather(*(worker(until, False) for _ in range(CONNECTIONS)))
            await asyncio.sleep(SETTLE)
            server_cpu, load_cpu = group_cpu_seconds(server), time.process_time()
            writer_cpu = group_cpu_seconds(server, writer_only=True)
            start = time.perf_counter()
            await asyncio.gather(*(worker(start + DURATION, True) for _ in range(CONNECTIONS)))
            elapsed = time.perf_counter() - start
            load_cpu = time.process_time() - load_cpu
            await asyncio.sleep(SETTLE)
            server_cpu = group_cpu_seconds(server) - server_cpu
            writer_cpu = group_cpu_seconds(server, writer_only=True) - writer_cpu
        latencies.sort()
        calls = len(latencies)
        return Result(
            calls / elapsed,
            latencies[calls // 2] * 1000,
            latencies[int(calls * 0.99)] * 1000,
            server_cpu / calls * 1e6,
            load_cpu / calls * 1e6,
            writer_cpu / calls * 1e6,
        )

    return asyncio.run(main())


def register_demo_service(upstream_port: int) -> str:
    """The registry rows the gateway serves: one service, one client with a key and a right."""
    from satupintu.core.models import Organisation
    from satupintu.gateway.models import AccessRight, Credential, Member, Service, Subsystem

    provider_org, _ = Organisation.objects.get_or_create(
        code="disdukcapil",
        defaults={
            "name": "Dinas Kependudukan dan Pencatatan Sipil",
            "short_name": "Disdukcapil",
            "kind": "dinas",
        },
    )
    client_org, _ = Organisation.objects.get_or_create(
        code="dinkes", defaults={"name": "Dinas Kesehatan", "short_name": "Dinkes", "kind": "dinas"}
    )
    provider = Subsystem.objects.create(
        member=Member.objects.create(organisation=provider_org, member_code="DISDUKCAPIL"),
        code="SIAK",
        name="SIAK",
    )
    client = Subsystem.objects.create(
        member=Member.objects.create(organisation=client_org, member_code="DINKES"),
        code="SIMPUS",
        name="SIMPUS",
    )
    service = Service.objects.create(
        subsystem=provider,
        code="penduduk-wilayah",
        name="Agregat penduduk",
        rate_limit_per_minute=0,
        base_url=f"http://127.0.0.1:{upstream_port}",
    )
    AccessRight.objects.create(client=client, service=service, methods="GET", path_prefixes="/desa")
    _, key = Credential.issue(client, "bench")
    return key


def server_env(upstream_port: int) -> dict[str, str]:
    """The environment of the granian servers: the project's and the bench's modules, this
    throw-away installation's data directory, and the upstream the proxies forward to."""
    from django.conf import settings

    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT_DIR / "src"), str(BENCH_DIR)]),
        "SATUPINTU_VAR_DIR": str(settings.VAR_DIR),
        "BENCH_UPSTREAM": f"http://127.0.0.1:{upstream_port}",
    }


def run() -> list[Row]:
    load = load_wrk if shutil.which("wrk") else load_aiohttp
    tool = "wrk" if load is load_wrk else "aiohttp client"
    ports = {name: free_port() for name in ("upstream", "nginx", "bare", "log_on", "log_off")}
    key = register_demo_service(ports["upstream"])
    env = server_env(ports["upstream"])
    workdir = Path(tempfile.mkdtemp(prefix="satupintu-bench-nginx-"))
    processes = {
        "direct": granian("gateway_targets:upstream", ports["upstream"], env),
        "nginx": nginx(ports["nginx"], ports["upstream"], workdir),
        "bare": granian("gateway_targets:bare_proxy", ports["bare"], env),
    }
    for name, log in (("log_on", "1"), ("log_off", "0")):
        processes[name] = granian(
            "satupintu.gateway.dataplane.asgi:application",
            ports[name],
            {**env, "SATUPINTU_GATEWAY_MESSAGE_LOG": log},
        )
    if processes["nginx"] is None:
        del processes["nginx"]
    urls = {
        "direct": f"http://127.0.0.1:{ports['upstream']}{PATH}",
        "nginx": f"http://127.0.0.1:{ports['nginx']}{PATH}",
        "bare": f"http://127.0.0.1:{ports['bare']}{PATH}",
        "log_on": f"http://127.0.0.1:{ports['log_on']}/r1/{SERVICE}{PATH}",
        "log_off": f"http://127.0.0.1:{ports['log_off']}/r1/{SERVICE}{PATH}",
    }
    gateway_headers = {"X-Road-Client": CLIENT, "Authorization": f"Bearer {key}"}
    results: dict[str, Result] = {}
    per_round: dict[str, list[Result]] = {name: [] for name in processes}
    try:
        for name in processes:
            wait_for(ports["upstream" if name == "direct" else name])
        for _ in range(ROUNDS):
            for name, process in processes.items():
                headers = gateway_headers if name.startswith("log_") else {}
                result = load(urls[name], headers, process.pid)
                per_round[name].append(result)
                results[name] = best(results[name], result) if name in results else result
        pause_ms = round(CONNECTIONS / (PACED_SHARE * results["bare"].rps) * 1000)
        paced = {
            name: load(
                urls[name],
                gateway_headers if name.startswith("log_") else {},
                processes[name].pid,
                pause_ms,
            )
            for name in PACED_TARGETS
        }
    finally:
        for process in processes.values():
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)

    from satupintu.gateway.messagelog import verify
    from satupintu.gateway.models import MessageRecord

    logged = MessageRecord.objects.count()
    report = verify()
    assert logged > 0 and report.ok, (logged, report.problems[:3])
    return rows_for(results, tool, logged, per_round) + paced_rows(paced, pause_ms)


def paced_rows(paced: dict[str, Result], pause_ms: int) -> list[Row]:
    gateway, bare, direct = paced["log_on"], paced["bare"], paced["direct"]
    note = (
        f"{CONNECTIONS} clients each pausing {pause_ms} ms on average (exponential) after an "
        f"answer (offered load "
        f"{PACED_SHARE:.0%} of the bare proxy's saturated req/s); "
        + ", ".join(
            f"{name} {r.rps:,.0f} req/s p50 {r.p50_ms:.2f} ms p99 {r.p99_ms:.2f} ms"
            for name, r in paced.items()
        )
    )
    return [
        Row(
            f"gateway p50 vs direct, paced (added {gateway.p50_ms - direct.p50_ms:.2f} ms, "
            "goal ≤ 2)",
            gateway.p50_ms,
            direct.p50_ms,
            "ms",
            note,
        ),
        Row(
            f"bare ASGI proxy p50 vs direct, paced (added {bare.p50_ms - direct.p50_ms:.2f} ms)",
            bare.p50_ms,
            direct.p50_ms,
            "ms",
        ),
        Row("gateway p99 vs direct, paced", gateway.p99_ms, direct.p99_ms, "ms"),
    ]


def round_ratios(per_round: dict[str, list[Result]], measure) -> str:
    """The gateway's ratio to the bare proxy in each round (measured one after the other): how
    far the machine moved the best-of-rounds ratio."""
    return ", ".join(
        f"{measure(gateway) / measure(bare):.2f}"
        for gateway, bare in zip(per_round["log_on"], per_round["bare"], strict=True)
    )


def rows_for(
    results: dict[str, Result], tool: str, logged: int, per_round: dict[str, list[Result]]
) -> list[Row]:
    summary = ", ".join(
        f"{name} {r.rps:,.0f} req/s p50 {r.p50_ms:.2f} ms p99 {r.p99_ms:.2f} ms "
        f"CPU {r.server_cpu_us:.0f} µs/call"
        for name, r in results.items()
    )
    load_cpu = results["direct"].load_cpu_us
    note = (
        f"{CONNECTIONS} clients, best of {ROUNDS} rounds of {DURATION}s, {tool} "
        f"({load_cpu:.0f} µs CPU/call), 1 worker, "
        f"load {os.getloadavg()[0]:.1f}; {summary}"
    )
    gateway, bare, direct = results["log_on"], results["bare"], results["direct"]
    log_off = results["log_off"]
    rows = [
        Row(
            "gateway (log on) req/s vs bare ASGI proxy [goal ≥ 0.75]",
            gateway.rps,
            bare.rps,
            "req/s",
            f"round by round {round_ratios(per_round, lambda r: r.rps)}; {note}",
        ),
        Row(
            "gateway (log on) calls per CPU-second vs bare ASGI proxy [goal ≥ 0.75]",
            1e6 / gateway.server_cpu_us,
            1e6 / bare.server_cpu_us,
            "calls/CPU-s",
            f"server CPU per call: gateway {gateway.server_cpu_us:.0f} µs, "
            f"bare {bare.server_cpu_us:.0f} µs; round by round "
            f"{round_ratios(per_round, lambda r: 1 / r.server_cpu_us)}",
        ),
        Row(
            "gateway (log on) process alone, without its log writer process, calls per "
            "CPU-second vs bare ASGI proxy",
            1e6 / (gateway.server_cpu_us - gateway.writer_cpu_us),
            1e6 / bare.server_cpu_us,
            "calls/CPU-s",
            f"log writer process {gateway.writer_cpu_us:.0f} µs a call (log off: "
            f"{log_off.writer_cpu_us:.0f} µs), in its own process and GIL",
        ),
        Row("gateway (log off) req/s vs bare ASGI proxy", log_off.rps, bare.rps, "req/s"),
        Row(
            "message log: req/s log on vs off [goal ≥ 0.85]",
            gateway.rps,
            log_off.rps,
            "req/s",
            f"{logged:,} records chained and verified",
        ),
        Row(
            "message log: calls per CPU-second log on vs off [goal ≥ 0.85]",
            1e6 / gateway.server_cpu_us,
            1e6 / log_off.server_cpu_us,
            "calls/CPU-s",
            f"log off {log_off.server_cpu_us:.0f} µs CPU per call",
        ),
        Row(
            f"gateway p50 vs direct, saturated (added {gateway.p50_ms - direct.p50_ms:.2f} ms: "
            "32 ÷ req/s, Little's law)",
            gateway.p50_ms,
            direct.p50_ms,
            "ms",
        ),
        Row(
            f"bare ASGI proxy p50 vs direct, saturated (added "
            f"{bare.p50_ms - direct.p50_ms:.2f} ms)",
            bare.p50_ms,
            direct.p50_ms,
            "ms",
        ),
        Row("gateway p99 vs direct, saturated", gateway.p99_ms, direct.p99_ms, "ms"),
        Row("bare ASGI proxy req/s vs direct", bare.rps, direct.rps, "req/s"),
    ]
    if "nginx" in results:
        nginx_result = results["nginx"]
        rows[2:2] = [
            Row(
                "gateway (log on) req/s vs nginx proxy_pass [goal ≥ 0.10]",
                gateway.rps,
                nginx_result.rps,
                "req/s",
            ),
            Row(
                "gateway (log on) calls per CPU-second vs nginx proxy_pass",
                1e6 / gateway.server_cpu_us,
                1e6 / nginx_result.server_cpu_us,
                "calls/CPU-s",
                f"nginx {nginx_result.server_cpu_us:.0f} µs CPU per call",
            ),
        ]
    else:
        rows.append(Row("nginx proxy_pass: not measured (/usr/sbin/nginx missing)", 0, 1, "-"))
    return rows

"""Profile the gateway's request path in one process (cProfile), to see where a call's CPU goes.

    .venv/bin/python bench/profile_gateway.py [--calls 20000] [--log off] [--top 30]
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/profile_gateway.py \
        --callgrind --calls 4000      # instructions per call of the gateway and the bare proxy

Starts the benchmark upstream under granian (bench/gateway_targets.py), then drives the data
plane's ASGI app directly from 32 concurrent in-process callers (no client socket, so what is
measured is the gateway's own work plus the aiohttp call to the upstream), and prints the
functions with the most own time, and the wall time per call. Not part of `make bench`.

With --callgrind (under valgrind, as above) it switches callgrind's instrumentation on after the
warm-up and dumps one profile per target (`callgrind.out.<pid>.<n>`, "Trigger: dump <target>";
`summary` ÷ calls = instructions per call): unlike CPU time, instruction counts do not move with
the load of a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gateway import (
    CLIENT,
    PATH,
    SERVICE,
    granian,
    register_demo_service,
    wait_for,
)
from harness import PROJECT_DIR, setup_django
from processes import free_port, stop

CONCURRENCY = 32


async def drive(app, key: str, calls: int) -> float:
    headers = [
        (b"host", b"127.0.0.1:8081"),
        (b"user-agent", b"SIMPUS/2.3"),
        (b"accept", b"application/json"),
        (b"x-road-client", CLIENT.encode()),
        (b"authorization", f"Bearer {key}".encode()),
    ]
    path = f"/r1/{SERVICE}{PATH}"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8081),
    }
    request = {"type": "http.request", "body": b"", "more_body": False}

    async def receive():
        return request

    statuses: list[int] = []

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def caller(count: int) -> None:
        for _ in range(count):
            await app(scope, receive, send)

    started = time.perf_counter()
    await asyncio.gather(*(caller(calls // CONCURRENCY) for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    bad = [s for s in statuses if s != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} calls failed, e.g. {bad[0]}")
    return elapsed


def callgrind(*args: str) -> None:
    """Control the callgrind run this process is in (valgrind --tool=callgrind)."""
    import os
    import subprocess

    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


async def count_instructions(app, key: str, calls: int) -> None:
    """One callgrind dump per target, `calls` calls each, after a warm-up."""
    import aiohttp
    import gateway_targets

    gateway_targets._session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=200),
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept-Encoding"),
    )
    try:
        targets = {"bare": gateway_targets.bare_proxy, "gateway": app}
        for target in targets.values():
            await drive(target, key, 1000)
        callgrind("--instr=on")
        for name, target in targets.items():
            callgrind("--zero")
            await drive(target, key, calls)
            callgrind(f"--dump={name}")
        callgrind("--instr=off")
    finally:
        await gateway_targets._session.close()
    print(f"dumped {calls} calls per target; instructions per call = summary / {calls}")


async def compare(app, key: str, calls: int) -> None:
    """CPU time per call of the gateway and of the bare proxy, alternating three rounds."""
    import aiohttp
    import gateway_targets

    # What bare_proxy's lifespan startup does.
    gateway_targets._session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=200),
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept-Encoding"),
    )
    bare_app = gateway_targets.bare_proxy
    try:
        await drive(bare_app, key, 2000)
        results = {"gateway": [], "bare": []}
        for _ in range(3):
            for name, target in (("gateway", app), ("bare", bare_app)):
                cpu = time.process_time()
                await drive(target, key, calls)
                results[name].append((time.process_time() - cpu) / calls * 1e6)
    finally:
        await gateway_targets._session.close()
    for name, values in results.items():
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"{name}: {min(values):.0f} µs CPU/call (rounds: {rounds})")
    print(f"bare/gateway: {min(results['bare']) / min(results['gateway']):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--log", choices=("on", "off"), default="on")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--no-profile", action="store_true", help="only time the gateway against the bare proxy"
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="under valgrind --tool=callgrind --instr-atstart=no: one dump per target",
    )
    options = parser.parse_args()
    setup_django()
    import os

    from satupintu.gateway.dataplane.factory import create_app

    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_DIR / "src"), str(Path(__file__).parent)])
    upstream = granian("gateway_targets:upstream", port, env)
    try:
        wait_for(port)
        key = register_demo_service(port)
        from django.conf import settings

        settings.GATEWAY["message_log"] = options.log == "on"
        app = create_app()

        os.environ["BENCH_UPSTREAM"] = f"http://127.0.0.1:{port}"
        import gateway_targets

        gateway_targets.UPSTREAM = os.environ["BENCH_UPSTREAM"]

        async def run() -> None:
            app.log.start()
            await app.startup(poll=False)
            try:
                await drive(app, key, 2000)  # warm up the pool
                if options.callgrind:
                    from satupintu.gateway.dataplane.logsink import freeze_startup_objects

                    freeze_startup_objects()  # as the lifespan startup does
                    await count_instructions(app, key, options.calls)
                    return
                if options.no_profile:
                    await compare(app, key, options.calls)
                    return
                profiler = cProfile.Profile()
                profiler.enable()
                elapsed = await drive(app, key, options.calls)
                profiler.disable()
            finally:
                await app.shutdown()
                await asyncio.to_thread(app.log.stop)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(options.top)
            print(f"{options.calls} calls: {elapsed / options.calls * 1e6:.0f} µs/call")

        uvloop.run(run())  # the loop granian runs the data plane on
    finally:
        stop(upstream)


if __name__ == "__main__":
    main()

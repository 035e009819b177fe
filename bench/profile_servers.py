"""Instructions per call of the real server processes, bare proxy against gateway, under callgrind:

    .venv/bin/python bench/profile_servers.py [--seconds 10]

Starts the benchmark upstream under granian as bench_gateway.py does, then the bare proxy and
the gateway (message log on), each under `valgrind --tool=callgrind --trace-children=yes`,
loads each with wrk after a warm-up, and prints the instructions each granian worker process
executed per call: all its threads together (granian's Rust threads and ASGI bridge, the event
loop, and in the gateway the log sink thread), and the event-loop thread alone. That thread
runs the Python side of every call under the GIL, so its work is what one worker's req/s is
bound by; the other threads run on the machine's other cores. Unlike wrk's req/s and CPU time,
instruction counts do not move with what else the machine runs; unlike
`profile_gateway.py --callgrind` (the ASGI app driven in-process) they include the server
around the app.

The gateway's log writer process is left out: under valgrind a call takes ~50x longer, so its
batches hold tens of entries instead of the ~2,000 of a full-speed run and its per-batch costs
would dominate. `profile_messagelog.py --callgrind` gives its instructions per record at full
batches; add them to the gateway's figure for the whole gateway. Not part of `make bench`;
takes a few minutes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gateway import (
    CLIENT,
    CONNECTIONS,
    PATH,
    SERVICE,
    granian,
    register_demo_service,
    server_env,
    wait_for,
)
from harness import setup_django
from processes import free_port, group_pids, stop

TARGETS = {
    "bare": ("gateway_targets:bare_proxy", False),
    "gateway": ("satupintu.gateway.dataplane.asgi:application", True),
}


def callgrind_control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args], check=True, capture_output=True)


def wrk(url: str, flags: list[str], seconds: int) -> int:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", *flags, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    return int(re.search(r"(\d+) requests in", output).group(1))


@dataclass
class WorkerCount:
    total: int  # all the worker process's threads
    event_loop: int  # its main thread, where granian runs the asyncio loop


def worker_instructions(outdir: Path, tag: str) -> WorkerCount:
    """Instructions in the dumps ("Trigger: dump", one file per thread: `<tag>.<pid>.1-<thread>`)
    of the granian worker of target `tag` (the process that served the calls: the one with the
    most)."""
    per_process: dict[str, dict[str, int]] = {}
    for dump in outdir.glob(f"{tag}.*.1-*"):
        text = dump.read_text(errors="replace")
        command = re.search(r"^cmd: (.*)", text, re.MULTILINE)
        if command and "logwriter_child" in command.group(1):
            continue
        summary = re.search(r"^summary: (\d+)", text, re.MULTILINE)
        if summary:
            pid, thread = dump.name.removeprefix(f"{tag}.").split(".1-")
            per_process.setdefault(pid, {})[thread] = int(summary.group(1))
    if not per_process:
        raise RuntimeError(f"no callgrind dump for {tag} in {outdir}")
    worker = max(per_process.values(), key=lambda threads: sum(threads.values()))
    return WorkerCount(total=sum(worker.values()), event_loop=worker.get("01", 0))


def profile(tag: str, target: str, gateway: bool, key: str, env: dict, outdir: Path, seconds: int):
    port = free_port()
    process = granian(
        target,
        port,
        env,
        wrapper=(
            "valgrind",
            "--tool=callgrind",
            "--trace-children=yes",
            "--instr-atstart=no",
            "--separate-threads=yes",
            f"--callgrind-out-file={outdir}/{tag}.%p",
        ),
    )
    try:
        wait_for(port, timeout=300)
        if gateway:
            url = f"http://127.0.0.1:{port}/r1/{SERVICE}{PATH}"
            flags = ["-H", f"X-Road-Client: {CLIENT}", "-H", f"Authorization: Bearer {key}"]
        else:
            url, flags = f"http://127.0.0.1:{port}{PATH}", []
        wrk(url, flags, 5)  # warm-up: connections, caches, the registry snapshot
        pids = [str(pid) for pid in sorted(group_pids(process.pid))]
        for pid in pids:
            callgrind_control("--instr=on", pid)
            callgrind_control("--zero", pid)
        calls = wrk(url, flags, seconds)
        for pid in pids:
            callgrind_control("--dump", pid)
            callgrind_control("--instr=off", pid)
    finally:
        stop(process, timeout=120)
    return worker_instructions(outdir, tag), calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured load per target")
    options = parser.parse_args()
    setup_django()
    upstream_port = free_port()
    key = register_demo_service(upstream_port)
    env = server_env(upstream_port)
    upstream = granian("gateway_targets:upstream", upstream_port, env)
    per_call: dict[str, tuple[float, float]] = {}  # (whole worker, event-loop thread)
    try:
        wait_for(upstream_port)
        with tempfile.TemporaryDirectory(prefix="satupintu-callgrind-") as scratch:
            for tag, (target, gateway) in TARGETS.items():
                started = time.monotonic()
                count, calls = profile(
                    tag, target, gateway, key, env, Path(scratch), options.seconds
                )
                per_call[tag] = (count.total / calls, count.event_loop / calls)
                print(
                    f"{tag}: {per_call[tag][0]:,.0f} instructions a call in the worker process, "
                    f"{per_call[tag][1]:,.0f} of them in its event-loop thread "
                    f"({calls} calls, {time.monotonic() - started:.0f} s)",
                    flush=True,
                )
    finally:
        stop(upstream)
    (bare_total, bare_loop), (gateway_total, gateway_loop) = per_call["bare"], per_call["gateway"]
    print(
        f"bare ÷ gateway (without its log writer process): {bare_total / gateway_total:.3f}; "
        f"event-loop threads alone: {bare_loop / gateway_loop:.3f}"
    )


if __name__ == "__main__":
    main()

"""CPU and instructions per record of the message-log writer (`messagelog.write_rows`, what the
writer process runs), on the throw-away installation of bench/harness.py:

    .venv/bin/python bench/profile_messagelog.py [--records 16000] [--batch 2000]
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/profile_messagelog.py \
        --callgrind --records 8000     # summary ÷ records = instructions per record

Entries look like the gateway's (a UUID-shaped message id from one counter, the bench's client
and service, a 200 answer with its SHA-256), in batches of the log sink's default size. The
first batch is a warm-up (the table's first pages, Django's connection); then either CPU time
per record over three rounds, or with --callgrind one dump ("Trigger: dump writer") around the
measured batches. Set SATUPINTU_BENCH_DATABASE_URL to measure on PostgreSQL (the client's
side only: the server's CPU is not counted). Not part of `make bench`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import setup_django

CLIENT = "OKU/GOV/DINKES/SIMPUS"
SERVICE = "OKU/GOV/DISDUKCAPIL/SIAK/penduduk"
ANSWER = hashlib.sha256(b'{"kode": "16.01.28.2009"}').hexdigest()
EMPTY = hashlib.sha256(b"").hexdigest()


def entries(first: int, count: int) -> list:
    from satupintu.gateway.messagelog import LogEntry

    now = time.time()
    return [
        LogEntry(
            message_id=f"3f0c2a91-5b7e-4d21-9c4a-{n:012x}",
            at=now + n * 1e-4,
            client=CLIENT,
            service=SERVICE,
            client_org=1,
            provider_org=2,
            method="GET",
            path=f"/desa/{n % 300}",
            status=200,
            response_bytes=137,
            duration_us=900 + n % 700,
            request_sha256=EMPTY,
            response_sha256=ANSWER,
        )
        for n in range(first, first + count)
    ]


def callgrind(*args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=16000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--callgrind", action="store_true")
    options = parser.parse_args()
    setup_django()
    from satupintu.gateway.messagelog import entry_row, verify, write_rows

    next_n = 0

    def batches():
        nonlocal next_n
        for _ in range(options.records // options.batch):
            # As they reach the writer process: the entries' tuples.
            yield list(map(entry_row, entries(next_n, options.batch)))
            next_n += options.batch

    write_rows(list(map(entry_row, entries(0, options.batch))))  # warm-up
    next_n = options.batch
    if options.callgrind:
        prepared = list(batches())
        callgrind("--instr=on")
        callgrind("--zero")
        for batch in prepared:
            write_rows(batch)
        callgrind("--dump=writer")
        callgrind("--instr=off")
        print(f"dumped {options.records} records; instructions per record = summary / records")
    else:
        rounds, system = [], []
        for _ in range(3):
            prepared = list(batches())
            before = os.times()
            for batch in prepared:
                write_rows(batch)
            after = os.times()
            user, kernel = after.user - before.user, after.system - before.system
            rounds.append((user + kernel) / options.records * 1e6)
            system.append(kernel / options.records * 1e6)
        shown = ", ".join(
            f"{r:.1f} ({k:.1f} in the kernel)" for r, k in zip(rounds, system, strict=True)
        )
        print(
            f"write_rows: {min(rounds):.1f} µs CPU/record "
            f"(rounds: {shown}; batches of {options.batch})"
        )
    report = verify()
    assert report.ok, report.problems


if __name__ == "__main__":
    main()

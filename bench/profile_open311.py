"""Profile an Open311 `POST requests` in one process: CPU per create, statements per create, and
(with --profile) where the CPU goes (cProfile), to decide what to cut on the create path.

    SATUPINTU_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/sp_mine_profile \\
    BENCH_OPEN311_REDIS_URL=redis://127.0.0.1:6379/12 \\
    .venv/bin/python bench/profile_open311.py [--creates 300] [--profile] [--top 40]

Requests go through satupintu's WSGI application (every middleware, as granian calls it), one
after another, with the benchmark's form (bench_open311.py). The database is migrated and gets
the benchmark's organisation, categories and key; it is left in place (drop it yourself). CPU is
this process's (time.process_time), so it does not depend on what else the machine runs; the
database server's CPU is not included (bench_open311.py measures both over HTTP). Not part of
`make bench`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import PROJECT_DIR  # noqa: E402


def setup(redis_url: str) -> None:
    """Django on the named benchmark database (SQLite in a temporary var dir without one), with
    the benchmark server's settings (bench_open311.server_env): DEBUG off, no per-key limit,
    Redis as cache and queue when given, on a queue name of its own."""
    os.environ["SATUPINTU_VAR_DIR"] = tempfile.mkdtemp(prefix="satupintu-profile-open311-")
    for name in ("SATUPINTU_DATABASE_URL", "SATUPINTU_DATASTORE_URL", "SATUPINTU_REDIS_URL"):
        os.environ.pop(name, None)
    if os.environ.get("SATUPINTU_BENCH_DATABASE_URL"):
        os.environ["SATUPINTU_DATABASE_URL"] = os.environ["SATUPINTU_BENCH_DATABASE_URL"]
    if redis_url:
        os.environ["SATUPINTU_REDIS_URL"] = redis_url
        os.environ["SATUPINTU_HUEY_NAME"] = f"profileopen311x{os.getpid()}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="satupintu.settings",
        SATUPINTU_DEBUG="0",
        SATUPINTU_OPEN311_RATE_LIMIT="0",
    )
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def forget_queue() -> None:
    from django.conf import settings

    if not settings.HUEY.get("redis_url"):
        return
    import redis

    client = redis.Redis.from_url(settings.HUEY["redis_url"])
    for key in client.scan_iter(match=f"*{settings.HUEY['name']}*"):
        client.delete(key)


def post(application, body: bytes) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/open311/v2/requests.json",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status = []

    def start_response(code, headers, exc_info=None):
        status.append(code)

    result = application(environ, start_response)
    content = b"".join(result)
    if hasattr(result, "close"):
        result.close()  # Django's request_finished: what a server does after each response
    return status[0], content


def _without_search_index() -> None:
    from satupintu.complaints import search

    search.write = lambda document, report_id: None


def _without_mail_queue() -> None:
    from satupintu.complaints import services

    services.notify_public_update = lambda update: None


def _without_change_log() -> None:
    from satupintu.core import signals

    signals._record = lambda instance, action, changes: None


def _without_event() -> None:
    from satupintu.complaints import services

    services._publish = lambda event_type, report, **extra: None


ABLATIONS = {
    "search-index": _without_search_index,
    "mail-queue": _without_mail_queue,
    "change-log": _without_change_log,
    "event": _without_event,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--dump", help="also write the profile here (pstats format)")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=sorted(ABLATIONS),
        help="leave out one step (to measure what it costs; the result is not a valid create)",
    )
    args = parser.parse_args()
    setup(os.environ.get("BENCH_OPEN311_REDIS_URL", ""))
    for name in args.without:
        ABLATIONS[name]()

    from bench_open311 import create_form, world
    from django.db import connection

    from satupintu.wsgi import application

    _organisation, _categories, key = world()
    form = create_form(key)

    def body(number: int) -> bytes:
        return urlencode({**form, "lat": f"{-4.13 - (number % 9000) / 1000000:.6f}"}).encode()

    try:
        for number in range(30):  # warm-up: URLconf, translations, the connection
            status, content = post(application, body(number))
            if not status.startswith("200"):
                raise RuntimeError(f"POST failed: {status} {content[:300]!r}")
        statements = []

        def record(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        # (Django empties connection.queries when a request starts: wrap the executions.)
        with connection.execute_wrapper(record):
            post(application, body(0))
        # CPU time, not wall: waiting for the database is not what the web process spends.
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for number in range(args.creates):
            post(application, body(number))
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        forget_queue()
    print(
        f"{connection.vendor}: {cpu * 1000 / args.creates:.2f} ms CPU, "
        f"{wall * 1000 / args.creates:.2f} ms wall per create "
        f"({args.creates} creates{', under cProfile' if profiler else ''}); "
        f"{len(statements)} statements per create:"
    )
    for sql in statements:
        print(f"  {sql[:150]}")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
        if args.dump:
            profiler.dump_stats(args.dump)


if __name__ == "__main__":
    main()

"""Is the server behind a database or Redis URL reachable? Used by `make test-service`.

    python tests/service/probe.py postgres://postgres@127.0.0.1:5432/satupintu_ci

Exit 0 when a real connection works (a login and a trivial query, not just an open port);
otherwise exit 1 and print the reason on one line, which the Makefile shows as the skip reason.
"""

from __future__ import annotations

import sys
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 3


def probe_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    # The test database does not exist yet; Django creates it from the maintenance database.
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        connect_timeout=TIMEOUT_SECONDS,
    ) as connection:
        connection.execute("SELECT 1")


def probe_mysql(url: str) -> None:
    try:
        import MySQLdb
    except ImportError as error:
        raise RuntimeError(
            "driver mysqlclient belum terpasang (uv sync --extra mysql; perlu libmariadb-dev "
            "dan pkg-config)"
        ) from error
    parts = urlsplit(url)
    connection = MySQLdb.connect(
        host=parts.hostname,
        port=parts.port or 3306,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        connect_timeout=TIMEOUT_SECONDS,
    )
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
    finally:
        connection.close()


def probe_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS)
    try:
        client.ping()
    finally:
        client.close()


PROBES = {
    "postgres": probe_postgres,
    "postgresql": probe_postgres,
    "mysql": probe_mysql,
    "redis": probe_redis,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("pemakaian: probe.py URL")
        return 2
    url = argv[1]
    scheme = urlsplit(url).scheme
    probe = PROBES.get(scheme)
    if probe is None:
        print(f"skema URL tidak dikenal: {scheme!r}")
        return 2
    try:
        probe(url)
    except Exception as error:  # any failure is a reason to report, not a crash
        host = urlsplit(url).netloc.rsplit("@", 1)[-1]
        reason = " ".join(str(error).split()) or type(error).__name__
        print(f"{host}: {reason}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The service tier: the same tests against real PostgreSQL, MariaDB and Redis.

Django reads its database and Redis URLs from the environment when settings load, so the server
is chosen per pytest run, not per test. `make test-service` runs pytest once per server:

    SATUPINTU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/satupintu_ci
    SATUPINTU_DATASTORE_URL=postgres://postgres@127.0.0.1:5432/satupintu_ci_datastore
        (pytest-django creates and drops test_satupintu_ci and test_satupintu_ci_datastore)
    SATUPINTU_DATABASE_URL=mysql://root@127.0.0.1:3306/satupintu_ci  (+ ..._datastore; utf8mb4)
    SATUPINTU_REDIS_URL=redis://127.0.0.1:6379/15

each time with the database-agnostic core/accounts tests plus this directory. Without those
variables the tests here run on the embedded SQLite files, which is the project's default engine
and must satisfy the same guarantees.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connections

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items) -> None:
    # Everything in this directory is the service tier, whether or not its author marked it.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.service)


@pytest.fixture(scope="session")
def database_vendor() -> str:
    """'postgresql', 'mysql' or 'sqlite': the engine behind the `default` database."""
    return connections["default"].vendor


@pytest.fixture(scope="session")
def redis_url(require: Callable[[str], None]) -> str:
    """A reachable Redis (SATUPINTU_REDIS_URL, else the local server's database 15)."""
    import redis

    url = os.environ.get("SATUPINTU_REDIS_URL") or DEFAULT_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        require(f"Redis di {url} tidak dapat dihubungi: {error}")
    finally:
        client.close()
    return url

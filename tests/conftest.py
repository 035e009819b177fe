"""Shared by the test tiers outside the apps: the service tier (tests/service/, real PostgreSQL,
MariaDB and Redis) and the browser journeys (tests/e2e/).

A tier whose server or browser is missing skips with a printed reason on a developer's machine;
in CI (environment CI=true) the same absence is a failure, so a broken CI machine can never pass
by skipping everything.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"
E2E_PREFIX = "tests/e2e/"


def pytest_report_header(config) -> list[str]:
    databases = ", ".join(
        f"{alias}={db['ENGINE'].rsplit('.', 1)[-1]}" for alias, db in settings.DATABASES.items()
    )
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return [f"satupintu: databases {databases}; cache {cache}; CI={IN_CI}"]


def unavailable(reason: str) -> None:
    """Skip the test (developer machine) or fail it (CI) because something it needs is absent."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing server or browser is a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the browser journeys as one group: one worker runs every test
    under tests/e2e/ (their package-scoped server and browser start once, not once per worker),
    and, the largest group, it starts first while the other workers take the rest test by test.
    (pytest-xdist's own `xdist_group` marker cannot regroup tests under pytest 9: it renames
    node ids through an attribute pytest no longer reads.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class JourneysInOneWorker(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(E2E_PREFIX):
                return E2E_PREFIX
            return super()._split_scope(nodeid)

    return JourneysInOneWorker(config, log)


@pytest.fixture(scope="session")
def require() -> Callable[[str], None]:
    """`require(reason)` skips locally and fails in CI; for session fixtures of the tiers."""
    return unavailable

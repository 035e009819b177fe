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


@pytest.fixture(scope="session")
def require() -> Callable[[str], None]:
    """`require(reason)` skips locally and fails in CI; for session fixtures of the tiers."""
    return unavailable

"""/healthz and /readyz with real failures of each part, and the structured request log line
with its request id."""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from satupintu.accounts.tests.factories import make_user
from satupintu.core.health import short_reason
from satupintu.core.middleware import (
    RequestIdLogFilter,
    RequestLogMiddleware,
    _forget_request_id,
)

# /readyz checks the configured cache and task-queue storage: the Redis service run repeats these.
pytestmark = pytest.mark.redis

BOTH_DATABASES = ["default", "datastore"]


def blocked_path(tmp_path: Path, *parts: str) -> Path:
    """A path that cannot be created, even by root: its parent is a regular file."""
    blocker = tmp_path / "bukan-direktori"
    blocker.write_text("berkas biasa")
    return blocker.joinpath(*parts)


@contextmanager
def unreachable_database(alias: str, tmp_path: Path):
    """Point the `alias` connection at a database that cannot be reached: for SQLite a file
    that cannot be opened, for a server a port nothing listens on."""
    original = connections[alias]
    if original.vendor == "sqlite":
        changes = {"NAME": str(blocked_path(tmp_path, f"{alias}.sqlite3"))}
    else:
        changes = {"HOST": "127.0.0.1", "PORT": "1"}
    settings_dict = {**original.settings_dict, **changes}
    broken = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = broken
    try:
        yield
    finally:
        broken.close()
        connections[alias] = original


def readyz(client) -> tuple[int, dict]:
    response = client.get(reverse("core:readyz"))
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


# --- liveness and readiness ----------------------------------------------------------------------
def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access in this test an error.
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(databases=BOTH_DATABASES)
def test_readyz_is_ok_when_everything_answers(client):
    status, body = readyz(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"default", "datastore", "cache", "tasks"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["default"]["engine"] == connections["default"].vendor
    assert "failing" not in body


@pytest.mark.django_db(databases=BOTH_DATABASES)
@pytest.mark.parametrize("alias", BOTH_DATABASES)
def test_readyz_names_an_unreachable_database(client, tmp_path, alias):
    with unreachable_database(alias, tmp_path):
        status, body = readyz(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["failing"] == [alias]
    reason = body["checks"][alias]["reason"]
    assert reason.startswith("OperationalError: ")
    if connections[alias].vendor == "sqlite":
        assert reason.endswith("unable to open database file")
    assert "Traceback" not in reason
    other = next(a for a in BOTH_DATABASES if a != alias)
    assert body["checks"][other]["status"] == "ok"


@pytest.mark.django_db(databases=BOTH_DATABASES)
def test_readyz_names_a_broken_cache(client, tmp_path):
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocked_path(tmp_path, "cache")),
        }
    }
    with override_settings(CACHES=cache):
        status, body = readyz(client)
    assert status == 503
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["reason"].startswith(("FileExistsError", "NotADirectoryError"))


def queue_settings(tmp_path: Path, **changes) -> dict:
    return {
        **settings.HUEY,
        "name": f"readyz-{uuid.uuid4().hex[:8]}",
        "sqlite_path": str(tmp_path / "tasks.sqlite3"),
        "immediate": False,
        "redis_url": "",  # SQLite, even when the service tier sets SATUPINTU_REDIS_URL
        **changes,
    }


@pytest.mark.django_db(databases=BOTH_DATABASES)
def test_readyz_reports_the_real_task_queue(client, tmp_path):
    from satupintu.core.tests import sample_tasks

    with override_settings(HUEY=queue_settings(tmp_path)):
        sample_tasks.add.enqueue(1, 2)
        status, body = readyz(client)
    assert status == 200
    assert body["checks"]["tasks"]["pending"] == 1  # nobody consumed it: no worker running
    assert body["checks"]["tasks"]["scheduled"] == 0


@pytest.mark.django_db(databases=BOTH_DATABASES)
def test_readyz_names_an_unusable_sqlite_queue(client, tmp_path):
    broken = queue_settings(tmp_path, sqlite_path=str(blocked_path(tmp_path, "tasks.sqlite3")))
    with override_settings(HUEY=broken):
        status, body = readyz(client)
    assert status == 503
    assert body["failing"] == ["tasks"]


@pytest.mark.django_db(databases=BOTH_DATABASES)
def test_readyz_names_an_unreachable_redis_queue_without_its_password(client, tmp_path):
    broken = queue_settings(tmp_path, redis_url="redis://satupintu:rahasia-redis@127.0.0.1:1/0")
    with override_settings(HUEY=broken):
        response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["tasks"]
    assert body["checks"]["tasks"]["reason"].startswith("ConnectionError")
    assert b"rahasia-redis" not in response.content


def test_short_reason_hides_credentials_and_keeps_one_line():
    error = RuntimeError(
        'connection to "postgres://satupintu:Rahasia123@db.okukab.go.id:5432/satupintu" failed\n'
        "DETAIL: second line with internals"
    )
    reason = short_reason(error)
    assert reason == (
        'RuntimeError: connection to "postgres://***@db.okukab.go.id:5432/satupintu" failed'
    )
    assert len(short_reason(ValueError("x" * 1000))) == 200
    assert short_reason(KeyError()) == "KeyError"


# --- the request log line ------------------------------------------------------------------------
def request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "satupintu.request"]


@pytest.mark.django_db
def test_each_request_logs_one_structured_line_with_a_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="satupintu.request"):
        response = client.get("/halaman-yang-tidak-ada/")
    (record,) = request_records(caplog)
    assert record.getMessage() == f"GET /halaman-yang-tidak-ada/ 404 {record.duration_ms}ms"
    assert (record.method, record.path, record.status) == ("GET", "/halaman-yang-tidak-ada/", 404)
    assert record.user_id is None
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", record.request_id)
    assert response["X-Request-ID"] == record.request_id


@pytest.mark.django_db
def test_the_signed_in_user_and_the_callers_request_id_are_logged(client, caplog):
    operator = make_user("budi_log")
    client.force_login(operator)
    with caplog.at_level(logging.INFO, logger="satupintu.request"):
        response = client.get(reverse("core:run_list"), HTTP_X_REQUEST_ID="nginx-4f2a9c.17")
    (record,) = request_records(caplog)
    assert record.user_id == operator.pk
    assert record.request_id == "nginx-4f2a9c.17"
    assert response["X-Request-ID"] == "nginx-4f2a9c.17"


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["dua\nbaris", "<script>", "x" * 129, ""])
def test_an_unusable_incoming_request_id_is_replaced(client, caplog, given):
    with caplog.at_level(logging.INFO, logger="satupintu.request"):
        response = client.get("/tidak-ada/", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert request_records(caplog)[0].request_id == response["X-Request-ID"]


def test_probes_log_at_debug_so_they_do_not_flood_the_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="satupintu.request"):
        client.get(reverse("core:healthz"))
    assert request_records(caplog) == []
    with caplog.at_level(logging.DEBUG, logger="satupintu.request"):
        client.get(reverse("core:healthz"))
    assert request_records(caplog)[0].levelno == logging.DEBUG


def test_every_log_line_of_a_request_carries_its_id():
    seen: list[str] = []

    def view(request):
        record = logging.LogRecord("satupintu.data", logging.INFO, __file__, 1, "sync", (), None)
        RequestIdLogFilter().filter(record)
        seen.append(record.request_id)
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-123")
    request.user = AnonymousUser()
    RequestLogMiddleware(view)(request)
    assert seen == ["req-123"]
    _forget_request_id()  # what the request_finished signal does
    # Outside a request the field is empty rather than missing, so formatters never fail.
    outside = logging.LogRecord("satupintu.tasks", logging.INFO, __file__, 1, "x", (), None)
    RequestIdLogFilter().filter(outside)
    assert outside.request_id == ""


@pytest.mark.django_db
def test_djangos_own_request_lines_carry_the_id_too(client):
    """django.request logs "Not Found" after the middleware chain has returned."""
    seen: list[str] = []

    class Remember(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.request_id)

    handler = Remember()
    handler.addFilter(RequestIdLogFilter())
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:
        response = client.get("/tidak-ada-juga/", HTTP_X_REQUEST_ID="nginx-77")
    finally:
        django_request.removeHandler(handler)
    assert response.status_code == 404
    assert seen == ["nginx-77"]
    outside = logging.LogRecord("satupintu.tasks", logging.INFO, __file__, 1, "x", (), None)
    RequestIdLogFilter().filter(outside)
    assert outside.request_id == "", "the id is forgotten when the request is finished"

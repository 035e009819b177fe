"""The production tier of the task queue and the cache: Redis.

Each test uses its own Huey queue name (keys `huey.*.<name>*`) in the Redis database of the
`redis_url` fixture (database 15 by default) and removes its keys afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse

from satupintu.core.taskqueue import RECORD_PREFIX, get_huey, reset_huey
from satupintu.core.tests import sample_tasks

pytestmark = [pytest.mark.service, pytest.mark.redis]


@pytest.fixture
def redis_queue(redis_url: str):
    """settings.HUEY for a real Redis queue with a name of its own; its keys are removed after."""
    name = f"ujiredis{uuid.uuid4().hex[:10]}"
    config = {**settings.HUEY, "name": name, "redis_url": redis_url, "immediate": False}
    with override_settings(HUEY=config):
        yield config
        get_huey().storage.flush_all()
    reset_huey()
    client = redis.Redis.from_url(redis_url)
    leftovers = list(client.scan_iter(match=f"huey.*{name}*"))
    if leftovers:
        client.delete(*leftovers)
    client.close()


def drain(huey, limit: int = 10) -> int:
    """Run what is queued, as a worker would; returns how many tasks ran."""
    ran = 0
    while ran < limit and (job := huey.dequeue()) is not None:
        huey.execute(job)
        ran += 1
    return ran


@pytest.mark.django_db(transaction=True)
def test_a_task_travels_through_redis_and_its_result_expires(redis_queue, redis_url):
    result = sample_tasks.add.enqueue(1500, 373)
    huey = get_huey()
    assert result.status == TaskResultStatus.READY
    assert huey.pending_count() == 1

    assert drain(huey) == 1
    done = sample_tasks.add.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 1873

    # Redis removes old results by itself (HUEY["result_ttl_days"]).
    client = redis.Redis.from_url(redis_url)
    key = f"huey.r.{redis_queue['name']}.{RECORD_PREFIX}{result.id}"
    ttl = client.ttl(key)
    client.close()
    days = redis_queue.get("result_ttl_days", 7)
    assert 0 < ttl <= days * 86400


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_waits_in_the_redis_schedule(redis_queue, tmp_path):
    result = sample_tasks.flaky.enqueue(str(tmp_path / "counter"), failures=1)
    huey = get_huey()
    drain(huey)
    assert sample_tasks.flaky.get_result(result.id).status == TaskResultStatus.READY
    assert huey.scheduled_count() == 1  # the retry, 0.2 s later

    time.sleep(0.3)
    for job in huey.read_schedule(huey._get_timestamp()):
        huey.execute(job)
    final = sample_tasks.flaky.get_result(result.id)
    assert final.status == TaskResultStatus.SUCCESSFUL
    assert final.attempts == 2


def test_run_worker_consumes_from_redis(redis_queue, redis_url, tmp_path):
    env = {
        **os.environ,
        "SATUPINTU_REDIS_URL": redis_url,
        # The worker's own databases: SQLite in tmp_path (see test_taskqueue).
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "SATUPINTU_DATABASE_URL": "",
        "SATUPINTU_DATASTORE_URL": "",
        "SATUPINTU_HUEY_NAME": redis_queue["name"],
        "SATUPINTU_TASKS_IMMEDIATE": "0",
    }
    added = sample_tasks.add.enqueue(40, 2)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-periodic", "--workers", "1"],
        cwd=Path(settings.PROJECT_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        result = sample_tasks.add.get_result(added.id)
        while not result.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            result = sample_tasks.add.get_result(added.id)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert result.status == TaskResultStatus.SUCCESSFUL, output
    assert result.return_value == 42
    assert worker.returncode == 0, output


@pytest.mark.django_db(databases=["default", "datastore"])
def test_readyz_with_redis_cache_and_queue(client, redis_queue, redis_url):
    caches = {"default": {"BACKEND": "satupintu.core.cache.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=caches):
        sample_tasks.add.enqueue(2, 2)
        response = client.get(reverse("core:readyz"))
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["tasks"]["pending"] == 1


@pytest.mark.django_db(databases=["default", "datastore"])
def test_readyz_names_a_redis_cache_that_went_away(client, redis_queue):
    caches = {
        "default": {
            "BACKEND": "satupintu.core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/15",
        }
    }
    with override_settings(CACHES=caches):
        response = client.get(reverse("core:readyz"))
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"]["reason"].startswith("ConnectionError")


def test_the_redis_cache_keeps_one_client_per_pool(redis_url):
    """The production backend (core/cache.py) works as Django's and builds its redis-py client
    once, not per operation."""
    caches = {"default": {"BACKEND": "satupintu.core.cache.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        key = f"uji-cache-{uuid.uuid4().hex}"
        try:
            assert cache.add(key, 1, 30) and not cache.add(key, 2, 30)
            assert cache.incr(key) == 2 and cache.get(key) == 2
            cache.set_many({key: 5}, 30)
            assert cache.get_many([key]) == {key: 5}
            client = cache._cache.get_client(key, write=True)
            assert cache._cache.get_client(key) is client
        finally:
            cache.delete(key)

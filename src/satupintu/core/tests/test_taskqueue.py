"""The django.tasks backend on Huey: results, failures, retries, deferral, periodic tasks, and a
real worker process draining a SQLite queue."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import types
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.test import override_settings
from django.utils import timezone

from satupintu.core import taskqueue
from satupintu.core.taskqueue import (
    HueyTaskBackend,
    crontab,
    get_huey,
    load_record,
    periodic_tasks,
    purge_results,
    register_periodic,
    retry,
)
from satupintu.core.tests import sample_tasks

PROJECT_DIR = Path(settings.PROJECT_DIR)


def queue_settings(tmp_path: Path, **changes) -> dict:
    """settings.HUEY for a real (not immediate) SQLite queue in tmp_path."""
    return {
        **settings.HUEY,
        "name": f"test-{uuid.uuid4().hex[:8]}",
        "sqlite_path": str(tmp_path / "tasks.sqlite3"),
        "immediate": False,
        "redis_url": "",  # SQLite, even when the service tier sets SATUPINTU_REDIS_URL
        **changes,
    }


# Executing a task outside immediate mode does what the worker does, including closing stale
# database connections around it: that needs database access outside a test transaction.
in_worker = pytest.mark.django_db(transaction=True)


# --- immediate mode (the test settings) --------------------------------------------------------
def test_enqueued_task_runs_and_its_result_can_be_fetched_again():
    result = sample_tasks.add.enqueue(2, 3)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert result.attempts == 1
    assert result.started_at <= result.finished_at

    again = sample_tasks.add.get_result(result.id)
    assert again.return_value == 5
    assert again.args == [2, 3]
    assert again.task.func is sample_tasks.add.func


def test_a_failing_task_is_recorded_with_its_exception():
    result = sample_tasks.explode.enqueue("Kolom NIK kosong pada baris 12")

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is ValueError
    assert "Kolom NIK kosong pada baris 12" in result.errors[0].traceback
    with pytest.raises(ValueError, match="Task failed"):
        _ = result.return_value
    assert sample_tasks.explode.get_result(result.id).status == TaskResultStatus.FAILED


def test_retries_until_the_task_succeeds(tmp_path):
    result = sample_tasks.flaky.enqueue(str(tmp_path / "counter"), failures=2)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 3
    assert result.attempts == 3
    assert [e.exception_class for e in result.errors] == [ConnectionError, ConnectionError]


def test_the_last_failed_retry_fails_the_task(tmp_path):
    result = sample_tasks.flaky.enqueue(str(tmp_path / "counter"), failures=10)

    assert result.status == TaskResultStatus.FAILED
    assert result.attempts == 3  # the first try and the 2 retries of the policy
    assert (tmp_path / "counter").read_text() == "3"


def test_retry_policy_is_validated():
    with pytest.raises(ValueError):
        retry(retries=-1)
    with pytest.raises(ValueError):
        retry(backoff=0.5)


def test_context_and_async_tasks():
    assert sample_tasks.which_attempt.enqueue().return_value == 1
    assert sample_tasks.double_async.enqueue(21).return_value == 42


def test_unknown_result_id():
    with pytest.raises(TaskResultDoesNotExist):
        sample_tasks.add.get_result("tidak-ada")


def test_arguments_must_be_json_and_nothing_is_queued_otherwise():
    pending = len(get_huey().pending())
    with pytest.raises(TypeError):
        sample_tasks.add.enqueue(datetime(2026, 11, 24), 1)
    assert len(get_huey().pending()) == pending


def test_a_task_the_worker_cannot_import_is_refused():
    with pytest.raises(InvalidTask, match="imports tasks by path"):
        sample_tasks.renamed.enqueue(1)


def test_deferred_task_waits_for_its_time():
    huey = get_huey()
    run_after = timezone.now() + timedelta(hours=1)
    result = sample_tasks.add.using(run_after=run_after).enqueue(1, 1)

    assert result.status == TaskResultStatus.READY
    assert result.task.run_after == run_after
    # Nothing is due now; an hour later the scheduler releases it and it runs.
    now = timezone.make_naive(timezone.now(), timezone.get_default_timezone())
    assert [t.id for t in huey.read_schedule(now)] == []
    later = now + timedelta(hours=1, minutes=1)
    due = huey.read_schedule(later)
    assert [t.id for t in due] == [result.id]
    huey.execute(due[0], timestamp=later)
    assert sample_tasks.add.get_result(result.id).return_value == 2


def test_task_lifecycle_is_logged_with_structured_fields(caplog):
    with caplog.at_level(logging.INFO, logger="satupintu.tasks"):
        result = sample_tasks.add.enqueue(4, 4)
    events = [r for r in caplog.records if r.name == "satupintu.tasks"]
    assert [r.getMessage() for r in events] == ["task.started", "task.finished"]
    assert {r.task_id for r in events} == {result.id}
    assert events[-1].task == "satupintu.core.tests.sample_tasks.add"
    assert events[-1].status == "SUCCESSFUL"
    assert events[-1].duration_ms >= 0

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="satupintu.tasks"):
        failed = sample_tasks.explode.enqueue("rusak")
    failure = [r for r in caplog.records if r.getMessage() == "task.failed"]
    assert len(failure) == 1
    assert failure[0].levelno == logging.ERROR
    assert failure[0].task_id == failed.id
    assert failure[0].error == "ValueError"


def test_production_warns_when_tasks_run_inside_requests():
    backend = HueyTaskBackend("default", {})
    with override_settings(PRODUCTION=True, HUEY={**settings.HUEY, "immediate": True}):
        assert [m.id for m in backend.check()] == ["satupintu.W101"]
    with override_settings(PRODUCTION=True, HUEY={**settings.HUEY, "immediate": False}):
        assert backend.check() == []


# --- periodic tasks ------------------------------------------------------------------------------
@pytest.fixture
def clean_periodic():
    before = dict(taskqueue._periodic)
    yield
    taskqueue._periodic.clear()
    taskqueue._periodic.update(before)
    taskqueue.reset_huey()


def test_crontab_is_strict_and_reads_local_time():
    every_quarter = crontab(minute="*/15", hour="7-16", day_of_week="1-5")
    assert every_quarter(datetime(2026, 11, 24, 10, 45))  # Tuesday 10.45 WIB
    assert not every_quarter(datetime(2026, 11, 24, 10, 50))
    assert not every_quarter(datetime(2026, 11, 22, 10, 45))  # Sunday
    with pytest.raises(ValueError):
        crontab(minute="61")
    with pytest.raises(ValueError):
        crontab(hour="tiap jam")


@in_worker
def test_periodic_task_is_scheduled_and_its_run_is_recorded(tmp_path, clean_periodic):
    register_periodic(sample_tasks.tally_complaints, crontab(minute="30", hour="2"))
    assert "satupintu.core.tests.sample_tasks.tally_complaints" in periodic_tasks()

    with override_settings(HUEY=queue_settings(tmp_path)):
        huey = get_huey()
        due = huey.read_periodic(datetime(2026, 11, 24, 2, 30))
        names = [type(t).__name__ for t in due]
        assert "periodic:satupintu.core.tests.sample_tasks.tally_complaints" in names
        assert not [
            t
            for t in huey.read_periodic(datetime(2026, 11, 24, 2, 31))
            if "tally" in type(t).__name__
        ]

        job = next(t for t in due if "tally" in type(t).__name__)
        huey.execute(job)
        result = sample_tasks.tally_complaints.get_result(job.id)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == "rekap pengaduan harian selesai"


def test_periodic_registration_after_the_queue_exists_and_argument_check(tmp_path, clean_periodic):
    with override_settings(HUEY=queue_settings(tmp_path)):
        huey = get_huey()
        register_periodic(sample_tasks.tally_complaints, crontab(minute="0"))
        assert any("tally" in type(t).__name__ for t in huey.read_periodic(datetime(2026, 1, 1)))
    with pytest.raises(TypeError, match="must not need arguments"):
        register_periodic(sample_tasks.needs_an_argument, crontab())
    with pytest.raises(TypeError):
        register_periodic(sample_tasks._plain_function, crontab())


def test_periodic_declared_while_its_module_is_still_being_imported(tmp_path, clean_periodic):
    """`@periodic` runs before the module has the task's name; a queue that already exists
    must register it without importing it by path."""
    source = (
        "from django.tasks import task\n"
        "from satupintu.core.taskqueue import crontab, periodic\n"
        "@periodic(crontab(minute='5'))\n"
        "@task\n"
        "def sweep_expired_tokens():\n"
        "    return 0\n"
    )
    module = types.ModuleType("satupintu_periodic_mid_import")
    with override_settings(HUEY=queue_settings(tmp_path)):
        huey = get_huey()
        sys.modules[module.__name__] = module
        try:
            exec(compile(source, "<periodic>", "exec"), module.__dict__)  # noqa: S102
        finally:
            del sys.modules[module.__name__]
        assert "satupintu_periodic_mid_import.sweep_expired_tokens" in periodic_tasks()
        due = huey.read_periodic(datetime(2026, 11, 24, 8, 5))
        assert any("sweep_expired_tokens" in type(t).__name__ for t in due)


def test_core_declares_its_housekeeping_schedule():
    from satupintu.core import tasks  # noqa: F401  (importing registers the periodic tasks)

    assert "satupintu.core.tasks.purge_task_results" in periodic_tasks()


@in_worker
def test_purge_removes_only_old_finished_results(tmp_path):
    with override_settings(HUEY=queue_settings(tmp_path)):
        huey = get_huey()
        backend = HueyTaskBackend("default", {})
        old = backend.enqueue(sample_tasks.add, [1, 2], {})
        recent = backend.enqueue(sample_tasks.add, [3, 4], {})
        for _finished in (old, recent):
            huey.execute(huey.dequeue())
        waiting = backend.enqueue(sample_tasks.add, [5, 6], {})
        record = load_record(huey, old.id)
        record["finished_at"] = (timezone.now() - timedelta(days=30)).isoformat()
        taskqueue._save_record(huey, record)

        assert purge_results(huey, timedelta(days=7)) == 1
        assert load_record(huey, old.id) is None
        assert load_record(huey, recent.id)["status"] == "SUCCESSFUL"
        assert load_record(huey, waiting.id)["status"] == "READY"


# --- a real SQLite queue and a real worker process -----------------------------------------------
@in_worker
def test_queue_storage_is_sqlite_by_default(tmp_path):
    with override_settings(HUEY=queue_settings(tmp_path)):
        result = sample_tasks.add.enqueue(20, 22)
        assert result.status == TaskResultStatus.READY  # nothing ran: no worker yet
        assert (tmp_path / "tasks.sqlite3").is_file()
        huey = get_huey()
        assert huey.pending_count() == 1
        huey.execute(huey.dequeue())  # what a worker does
        assert sample_tasks.add.get_result(result.id).return_value == 42


def wait_for(fetch, done, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


# Runs its own processes on a SQLite installation of its own, whatever server this pytest run
# targets: `make test` runs it once; the PostgreSQL and MariaDB runs deselect it.
@pytest.mark.embedded
def test_run_worker_process_drains_the_queue(tmp_path):
    config = queue_settings(tmp_path)
    env = {
        **os.environ,
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "SATUPINTU_HUEY_NAME": config["name"],
        "SATUPINTU_TASKS_IMMEDIATE": "0",
        "SATUPINTU_REDIS_URL": "",
        # The worker's own databases: SQLite in tmp_path. The service tier's DATABASE_URL names
        # a database that only exists as test_<name> while pytest runs.
        "SATUPINTU_DATABASE_URL": "",
        "SATUPINTU_DATASTORE_URL": "",
        "SATUPINTU_WORKERS": "2",
        "SATUPINTU_LOG_FORMAT": "json",
    }
    with override_settings(HUEY=config):
        # Enqueue before the worker starts: the queue must hold the tasks until then.
        added = sample_tasks.add.enqueue(19, 23)
        failed = sample_tasks.explode.enqueue("Koneksi ke server Dinas Kesehatan terputus")
        retried = sample_tasks.flaky.enqueue(str(tmp_path / "counter"), failures=1)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-periodic", "--max-delay", "0.5"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            finished = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}
            jobs = {"add": added, "explode": failed, "flaky": retried}
            results = {
                name: wait_for(
                    lambda r=job: r.task.get_result(r.id), lambda r: r.status in finished
                )
                for name, job in jobs.items()
            }
        finally:
            worker.send_signal(signal.SIGTERM)  # graceful: running tasks finish first
            try:
                output, _ = worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()

    assert results["add"].status == TaskResultStatus.SUCCESSFUL, output
    assert results["add"].return_value == 42
    assert results["add"].worker_ids[0].split(":")[1] == str(worker.pid)
    assert results["explode"].status == TaskResultStatus.FAILED
    assert "terputus" in results["explode"].errors[0].traceback
    assert results["flaky"].status == TaskResultStatus.SUCCESSFUL, output
    assert results["flaky"].attempts == 2
    assert worker.returncode == 0, output
    assert '"message": "task.finished"' in output  # structured JSON log lines

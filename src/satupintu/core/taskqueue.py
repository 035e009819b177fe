"""django.tasks on Huey: the platform's task queue.

Apps write ordinary Django tasks (`@task` from django.tasks, `.enqueue()`, `.get_result()`);
this module is the backend that hands them to Huey:

- **Storage.** SQLite (`var/tasks.sqlite3`) on the embedded default, Redis when
  `SATUPINTU_REDIS_URL` is set, an in-process memory store in immediate mode (tests, and
  installations without a worker). Configured by `settings.HUEY`.
- **Execution.** Every Django task travels as one generic Huey task, `run_django_task`, that
  carries the task's import path, arguments and the retry policy. The worker
  (`manage.py run_worker`) imports the task by path and calls it.
- **Results.** A record shaped like Django's TaskResult is kept in Huey's result store under
  `django-task:<id>`, so `get_result()` works from any process that reaches the queue storage.
  Redis expires records by itself; on SQLite the periodic `purge_task_results` task
  (core/tasks.py) removes finished records older than `HUEY["result_ttl_days"]`.
- **Retries.** Django fixes the options of a Task, so retries are declared with the `retry`
  decorator below (on the function, under `@task`). A failing attempt with retries left puts
  the result back to READY and Huey runs it again after the delay; the last failure is FAILED.
  Tasks must therefore be idempotent: an attempt may be repeated.
- **Periodic tasks.** `register_periodic(task, crontab(...))` or the `periodic(...)` decorator;
  the worker's scheduler enqueues them. Schedules are read in the installation's TIME_ZONE
  (WIB by default), because Huey runs with `utc=False` and Django sets the process time zone.
"""

from __future__ import annotations

import inspect
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.dispatch import receiver
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils import timezone
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from huey import PriorityRedisExpireHuey, SqliteHuey
from huey import crontab as huey_crontab
from huey.api import Huey
from huey.signals import SIGNAL_INTERRUPTED

from .actor import acting_as

logger = logging.getLogger("satupintu.tasks")

RECORD_PREFIX = "django-task:"
DEFAULT_RESULT_TTL_DAYS = 7
RUNNER_NAME = "run_django_task"


# --- declaring retries and schedules -----------------------------------------------------------
@dataclass(frozen=True)
class RetryPolicy:
    """How often and how soon a failing task is tried again.

    `retries` extra attempts after the first; the n-th retry waits `delay * backoff**(n-1)`
    seconds (in immediate mode retries happen at once)."""

    retries: int = 3
    delay: float = 30.0
    backoff: float = 2.0


def retry(retries: int = 3, delay: float = 30.0, backoff: float = 2.0) -> Callable:
    """Give a task function a retry policy. Put it UNDER `@task`:

    @task
    @retry(retries=5, delay=60)
    def sync_dataset(source_id: int) -> dict: ...
    """
    if retries < 0 or delay < 0 or backoff < 1:
        raise ValueError("retries and delay must be >= 0 and backoff >= 1")

    def decorate(func: Callable) -> Callable:
        func.retry_policy = RetryPolicy(retries=retries, delay=delay, backoff=backoff)
        return func

    return decorate


def retry_policy(task: Task) -> RetryPolicy | None:
    return getattr(task.func, "retry_policy", None)


def crontab(
    minute: str = "*", hour: str = "*", day: str = "*", month: str = "*", day_of_week: str = "*"
) -> Callable[[datetime], bool]:
    """A cron-style schedule (Huey's crontab, strict: a typo raises instead of being ignored).
    Times are in the installation's TIME_ZONE; day_of_week 0 = Sunday (Minggu)."""
    return huey_crontab(minute, hour, day, month, day_of_week, strict=True)


@dataclass(frozen=True)
class PeriodicEntry:
    task: Task
    schedule: Callable[[datetime], bool]

    @property
    def task_path(self) -> str:
        return self.task.module_path


# Filled at import time by the apps' tasks.py modules (the worker imports them all).
_periodic: dict[str, PeriodicEntry] = {}


def register_periodic(task: Task, schedule: Callable[[datetime], bool]) -> Task:
    """Run `task` (a Django task that takes no arguments) whenever `schedule` matches."""
    if not isinstance(task, Task):
        raise TypeError("register_periodic() expects a django.tasks Task (decorate with @task).")
    params = list(inspect.signature(task.func).parameters.values())
    if task.takes_context:
        params = params[1:]
    if any(
        p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
    ):
        raise TypeError(f"Periodic task {task.module_path} must not need arguments.")
    entry = PeriodicEntry(task, schedule)
    _periodic[task.module_path] = entry
    with _huey_lock:
        if _huey is not None:
            _register_periodic_on(_huey, entry)
    return task


def periodic(schedule: Callable[[datetime], bool]) -> Callable[[Task], Task]:
    """Decorator form of register_periodic; put it ABOVE `@task`."""

    def decorate(task: Task) -> Task:
        return register_periodic(task, schedule)

    return decorate


def periodic_tasks() -> dict[str, PeriodicEntry]:
    return dict(_periodic)


# --- the Huey instance -------------------------------------------------------------------------
_huey: Huey | None = None
_huey_lock = threading.RLock()


def huey_config() -> dict:
    config = dict(getattr(settings, "HUEY", {}) or {})
    config.setdefault("name", "satupintu")
    config.setdefault("immediate", False)
    config.setdefault("redis_url", "")
    config.setdefault("sqlite_path", str(Path(settings.VAR_DIR) / "tasks.sqlite3"))
    config.setdefault("result_ttl_days", DEFAULT_RESULT_TTL_DAYS)
    return config


def build_huey(config: dict) -> Huey:
    """A Huey instance for `config` (the shape of settings.HUEY), with the generic runner and
    every declared periodic task registered on it."""
    common = {"results": False, "utc": False, "immediate": bool(config["immediate"])}
    if config["redis_url"]:
        ttl = int(timedelta(days=config["result_ttl_days"]).total_seconds())
        huey = PriorityRedisExpireHuey(
            config["name"], url=config["redis_url"], expire_time=ttl, **common
        )
    else:
        path = Path(config["sqlite_path"])
        if not common["immediate"]:
            path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(config["name"], filename=str(path), **common)
    # Huey's own results are off: our runner writes the TaskResult-shaped record itself.
    huey.task(context=True, name=RUNNER_NAME)(run_django_task)
    huey.signal(SIGNAL_INTERRUPTED)(_mark_interrupted)
    for entry in _periodic.values():
        _register_periodic_on(huey, entry)
    return huey


def get_huey() -> Huey:
    """The process's Huey instance, built from settings.HUEY on first use."""
    global _huey
    with _huey_lock:
        if _huey is None:
            _huey = build_huey(huey_config())
        return _huey


def reset_huey() -> None:
    global _huey
    with _huey_lock:
        if _huey is not None and not _huey.immediate:
            _huey.storage.close()
        _huey = None


@receiver(setting_changed)
def _reset_on_settings_change(*, setting: str, **kwargs) -> None:
    if setting in {"HUEY", "VAR_DIR"}:
        reset_huey()


def _register_periodic_on(huey: Huey, entry: PeriodicEntry) -> None:
    name = f"periodic:{entry.task_path}"
    if f"{__name__}.{name}" in huey._registry._registry:
        return
    # The Task object itself, not an import by path: `@periodic` runs while its module is still
    # being imported, before the module has the task's name.
    policy = retry_policy(entry.task) or RetryPolicy(retries=0, delay=0)

    def run_periodic(task=None):  # Huey passes its own task object as `task` (context=True)
        return run_django_task(entry.task_path, [], {}, task=task)

    huey.periodic_task(
        entry.schedule,
        context=True,
        name=name,
        retries=policy.retries,
        retry_delay=policy.delay,
        retry_backoff=policy.backoff,
    )(run_periodic)


# --- result records ----------------------------------------------------------------------------
def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def record_key(result_id: str) -> str:
    return RECORD_PREFIX + result_id


def _new_record(result_id: str, task: Task, alias: str, args: list, kwargs: dict) -> dict:
    return {
        "id": result_id,
        "task_path": task.module_path,
        "backend": alias,
        "priority": task.priority,
        "queue_name": task.queue_name,
        "run_after": _iso(task.run_after),
        "takes_context": task.takes_context,
        "status": TaskResultStatus.READY.value,
        "enqueued_at": None,
        "started_at": None,
        "last_attempted_at": None,
        "finished_at": None,
        "args": args,
        "kwargs": kwargs,
        "return_value": None,
        "errors": [],
        "worker_ids": [],
    }


def _save_record(huey: Huey, record: dict) -> None:
    huey.put_result(record_key(record["id"]), record)


def load_record(huey: Huey, result_id: str) -> dict | None:
    return huey.get(record_key(result_id), peek=True)


def _task_for(record: dict) -> Task:
    task = import_string(record["task_path"])
    if not isinstance(task, Task):
        raise InvalidTask(f"{record['task_path']} is not a django.tasks Task.")
    changes = {}
    if record["priority"] != task.priority:
        changes["priority"] = record["priority"]
    if record["queue_name"] != task.queue_name:
        changes["queue_name"] = record["queue_name"]
    if record["run_after"]:
        changes["run_after"] = _parse(record["run_after"])
    return replace(task, **changes) if changes else task


def record_to_result(record: dict) -> TaskResult:
    result = TaskResult(
        task=_task_for(record),
        id=record["id"],
        status=TaskResultStatus(record["status"]),
        enqueued_at=_parse(record["enqueued_at"]),
        started_at=_parse(record["started_at"]),
        last_attempted_at=_parse(record["last_attempted_at"]),
        finished_at=_parse(record["finished_at"]),
        args=record["args"],
        kwargs=record["kwargs"],
        backend=record["backend"],
        errors=[
            TaskError(exception_class_path=path, traceback=tb) for path, tb in record["errors"]
        ],
        worker_ids=list(record["worker_ids"]),
    )
    if record["status"] == TaskResultStatus.SUCCESSFUL:
        object.__setattr__(result, "_return_value", record["return_value"])
    return result


def purge_results(huey: Huey, older_than: timedelta) -> int:
    """Delete finished result records older than `older_than`; returns how many."""
    cutoff = timezone.now() - older_than
    removed = 0
    for key, raw in huey.storage.result_items().items():
        if not key.startswith(RECORD_PREFIX):
            continue
        record = huey.serializer.deserialize(raw)
        finished = _parse(record.get("finished_at"))
        if finished is not None and finished < cutoff:
            huey.delete(key)
            removed += 1
    return removed


# --- execution (in the worker, or in-process in immediate mode) --------------------------------
def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"


def _log(level: int, event: str, record: dict, **fields: Any) -> None:
    logger.log(
        level,
        event,
        extra={
            "task_id": record["id"],
            "task": record["task_path"],
            "status": record["status"],
            "attempt": len(record["worker_ids"]),
            **fields,
        },
    )


def run_django_task(task_path: str, args: list, kwargs: dict, task=None) -> None:
    """The one Huey task: run the Django task at `task_path` and record the outcome.

    `task` is Huey's task object (the runner is registered with context=True); its id is the
    Django result id and `task.retries` the attempts still left after this one."""
    huey = get_huey()
    record = load_record(huey, task.id)
    if record is None:
        # A periodic run (or a record that expired while queued): start a fresh record.
        record = _new_record(task.id, import_string(task_path), "default", args, kwargs)
        record["enqueued_at"] = _iso(timezone.now())
    if record["status"] == TaskResultStatus.SUCCESSFUL:
        # Delivered twice (e.g. a worker died after finishing but before acknowledging).
        _log(logging.INFO, "task.skipped_duplicate", record)
        return None

    if not huey.immediate:
        close_old_connections()
    now = _iso(timezone.now())
    record["status"] = TaskResultStatus.RUNNING.value
    record["started_at"] = record["started_at"] or now
    record["last_attempted_at"] = now
    record["worker_ids"].append(_worker_id())
    _save_record(huey, record)
    task_started.send(sender=HueyTaskBackend, task_result=record_to_result(record))
    _log(logging.INFO, "task.started", record)
    started = time.perf_counter()
    try:
        django_task = _task_for(record)
        call_args = list(args)
        if django_task.takes_context:
            call_args.insert(0, TaskContext(task_result=record_to_result(record)))
        with acting_as(None, via=f"task:{django_task.name}"):
            value = normalize_json(django_task.call(*call_args, **kwargs))
    except Exception as exc:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        kind = type(exc)
        record["errors"].append(
            [f"{kind.__module__}.{kind.__qualname__}", "".join(format_exception(exc))]
        )
        if task.retries > 0:
            record["status"] = TaskResultStatus.READY.value
            _save_record(huey, record)
            _log(
                logging.WARNING,
                "task.retrying",
                record,
                duration_ms=duration_ms,
                error=kind.__qualname__,
                retries_left=task.retries,
            )
            raise  # Huey schedules the next attempt (retry_delay, retry_backoff)
        record["status"] = TaskResultStatus.FAILED.value
        record["finished_at"] = _iso(timezone.now())
        _save_record(huey, record)
        _log(logging.ERROR, "task.failed", record, duration_ms=duration_ms, error=kind.__qualname__)
        task_finished.send(sender=HueyTaskBackend, task_result=record_to_result(record))
        return None
    else:
        record["status"] = TaskResultStatus.SUCCESSFUL.value
        record["finished_at"] = _iso(timezone.now())
        record["return_value"] = value
        _save_record(huey, record)
        _log(
            logging.INFO,
            "task.finished",
            record,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        task_finished.send(sender=HueyTaskBackend, task_result=record_to_result(record))
        return None
    finally:
        if not huey.immediate:
            close_old_connections()


def _mark_interrupted(signal: str, task) -> None:
    """The worker stopped while this task ran (Ctrl-C, SIGTERM timeout): record it as failed
    so nobody waits for it forever. Re-enqueue it if it should still happen."""
    huey = get_huey()
    record = load_record(huey, task.id)
    if record is None or record["status"] != TaskResultStatus.RUNNING:
        return
    record["status"] = TaskResultStatus.FAILED.value
    record["finished_at"] = _iso(timezone.now())
    record["errors"].append(["KeyboardInterrupt", "The worker stopped while the task ran.\n"])
    _save_record(huey, record)
    _log(logging.ERROR, "task.interrupted", record)


# --- the django.tasks backend ------------------------------------------------------------------
class HueyTaskBackend(BaseTaskBackend):
    supports_defer = True
    supports_async_task = True  # Task.call() runs coroutines with async_to_sync
    supports_get_result = True
    supports_priority = True  # SQLite and the priority Redis storage both order by priority

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        # Checked here, not in validate_task(): that runs while @task decorates, before the
        # module has the name.
        try:
            importable = import_string(task.module_path)
        except ImportError:
            importable = None
        if getattr(importable, "func", None) is not task.func:
            raise InvalidTask(
                f"The worker imports tasks by path; {task.module_path!r} does not name this task."
            )
        huey = get_huey()
        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        policy = retry_policy(task) or RetryPolicy(retries=0, delay=0)
        # In immediate mode a delayed retry would be parked in a schedule nobody reads.
        delay = 0 if huey.immediate else policy.delay
        runner = huey._registry.string_to_task(f"{__name__}.{RUNNER_NAME}")
        # Huey runs with utc=False: it compares etas with the naive local time.
        eta = (
            timezone.make_naive(task.run_after, timezone.get_default_timezone())
            if task.run_after is not None
            else None
        )
        huey_task = runner(
            (task.module_path, args, kwargs),
            {},
            eta=eta,
            retries=policy.retries,
            retry_delay=delay,
            retry_backoff=policy.backoff,
            priority=task.priority,
        )
        record = _new_record(huey_task.id, task, self.alias, args, kwargs)
        record["enqueued_at"] = _iso(timezone.now())
        _save_record(huey, record)
        result = record_to_result(record)
        task_enqueued.send(sender=type(self), task_result=result)
        huey.enqueue(huey_task)
        if huey.immediate:
            # The task has run by now: return what it recorded.
            return record_to_result(load_record(huey, huey_task.id) or record)
        # Queued: the record as saved, without reading it back (a round trip on every enqueue;
        # get_result() or refresh() reads what the worker has recorded since).
        return result

    def get_result(self, result_id: str) -> TaskResult:
        record = load_record(get_huey(), str(result_id))
        if record is None:
            raise TaskResultDoesNotExist(result_id)
        return record_to_result(record)

    def check(self, **kwargs) -> list[checks.CheckMessage]:
        messages = []
        config = huey_config()
        if getattr(settings, "PRODUCTION", False) and config["immediate"]:
            messages.append(
                checks.Warning(
                    "Tasks run inside the web request (SATUPINTU_TASKS_IMMEDIATE is on).",
                    hint="Unset SATUPINTU_TASKS_IMMEDIATE and run `manage.py run_worker`.",
                    id="satupintu.W101",
                )
            )
        return messages

"""Background work of the data hub: one sync per resource, and the scheduler that queues the
syncs that are due. Both are idempotent: a repeated sync publishes the same rows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from satupintu.core.models import Run
from satupintu.core.taskqueue import crontab, periodic

from .models import Resource
from .sync import start_run

# A run still "running" after this long lost its worker.
STALE_AFTER = timedelta(hours=6)
INTERVALS = {
    Resource.Schedule.HOURLY: timedelta(hours=1),
    Resource.Schedule.DAILY: timedelta(days=1),
    Resource.Schedule.WEEKLY: timedelta(days=7),
}


def queue_sync(resource: Resource, user=None, *, full: bool = False) -> Run:
    """Create the Run (shown at once with its progress bar) and queue the sync."""
    run = start_run(resource, user)
    result = sync_resource.enqueue(resource.pk, run.pk, full=full)
    Run.objects.filter(pk=run.pk).update(task_id=result.id)
    run.refresh_from_db()
    return run


@task
def sync_resource(resource_id: int, run_id: int, full: bool = False) -> dict:
    from .sync import run_sync

    resource = Resource.objects.select_related("source", "dataset").filter(pk=resource_id)
    resource = resource.first()
    run = Run.objects.get(pk=run_id)
    if resource is None:
        run.fail("Sumber daya sudah dihapus.")
        return {"status": "failed"}
    if run.is_finished:
        return {"status": run.status}  # a retried attempt of a run that already ended
    run = run_sync(resource, run, full=full)
    return {"status": run.status, "counts": run.counts}


def due_resources(now=None) -> list[Resource]:
    """Scheduled resources whose last sync is older than their interval and that have no
    run waiting or running."""
    now = now or timezone.now()
    due = []
    candidates = (
        Resource.objects.filter(
            kind=Resource.Kind.DATASTORE, source__isnull=False, source__is_active=True
        )
        .exclude(schedule=Resource.Schedule.MANUAL)
        .select_related("last_run")
    )
    for resource in candidates:
        interval = INTERVALS[resource.schedule]
        run = resource.last_run
        if run and not run.is_finished:
            if now - (run.started_at or run.created_at) < STALE_AFTER:
                continue
            # The worker died with this run (kill -9, power cut): the published table is intact
            # (see datastore.py), so record the failure and let the schedule go on.
            run.fail("Proses terhenti tanpa selesai (worker mati); dijadwalkan ulang.")
            due.append(resource)
            continue
        # A failing source is retried at its own interval, not every five minutes.
        last = resource.last_synced_at or (run and run.created_at)
        if last is None or now - last >= interval - timedelta(minutes=1):
            due.append(resource)
    return due


@periodic(crontab(minute="*/5"))
@task
def queue_due_syncs() -> int:
    """Every five minutes: queue the scheduled syncs that are due."""
    queued = 0
    for resource in due_resources():
        run = queue_sync(resource)
        Resource.objects.filter(pk=resource.pk).filter(
            Q(last_run__isnull=True) | Q(last_run__status__in=Run.FINISHED)
        ).update(last_run=run)
        queued += 1
    return queued

"""`manage.py run_worker`: the task-queue worker (Huey consumer) with the periodic scheduler."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from satupintu.core.taskqueue import get_huey, periodic_tasks

logger = logging.getLogger("satupintu.tasks")


class Command(BaseCommand):
    help = (
        "Run the task worker: executes queued django.tasks and, unless --no-periodic, the "
        "periodic tasks declared in the apps' tasks.py. SIGTERM stops it gracefully (the "
        "running tasks finish first); Ctrl-C stops it at once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Number of workers (default: settings.HUEY['workers'], SATUPINTU_WORKERS).",
        )
        parser.add_argument(
            "--worker-type",
            choices=["thread", "process"],
            default="thread",
            help="Threads (default; fine for I/O-bound syncs) or processes (CPU-bound work).",
        )
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run the periodic scheduler."
        )
        parser.add_argument(
            "--max-delay",
            type=float,
            default=2.0,
            help="Longest pause in seconds between polls of an empty queue (default 2).",
        )

    def handle(self, *args, **options) -> None:
        workers = options["workers"] or int(settings.HUEY.get("workers", 2))
        if workers < 1:
            raise CommandError(_("--workers paling sedikit 1."))
        # Import every app's tasks.py: the worker resolves tasks by path, and periodic tasks
        # exist only once their module has registered them.
        autodiscover_modules("tasks")
        huey = get_huey()
        if huey.immediate:
            raise CommandError(
                _(
                    "Tugas dijalankan langsung di proses web (SATUPINTU_TASKS_IMMEDIATE aktif), "
                    "jadi pekerja tidak diperlukan. Matikan pengaturan itu untuk memakai antrean."
                )
            )
        # The consumer's threads or forked processes open their own database connections.
        connections.close_all()
        periodic = not options["no_periodic"]
        consumer = huey.create_consumer(
            workers=workers,
            worker_type=options["worker_type"],
            periodic=periodic,
            max_delay=options["max_delay"],
            check_worker_health=True,
            graceful_signal="TERM",
        )
        storage = "Redis" if settings.HUEY.get("redis_url") else settings.HUEY.get("sqlite_path")
        logger.info(
            "worker.started",
            extra={
                "queue": huey.name,
                "storage": storage,
                "workers": workers,
                "worker_type": options["worker_type"],
                "periodic": sorted(periodic_tasks()) if periodic else [],
            },
        )
        self.stdout.write(
            _(
                "Pekerja antrean tugas berjalan: %(workers)d %(type)s, antrean %(queue)s di "
                "%(storage)s, %(periodic)d tugas terjadwal. Hentikan dengan Ctrl-C."
            )
            % {
                "workers": workers,
                "type": options["worker_type"],
                "queue": huey.name,
                "storage": storage,
                "periodic": len(periodic_tasks()) if periodic else 0,
            }
        )
        consumer.run()

"""Run: one execution of a long job (a sync, an import, a key rotation), shown with a live
progress bar (templates/components/progress.html, polled by htmx)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..roles import Role
from .mixins import OrgOwnedQuerySet

# The log keeps its most recent part: a job that logs every row must not grow a row of
# megabytes that every progress poll reads.
LOG_LIMIT = 100_000
LOG_TRUNCATED = "[…] (bagian awal log dipotong)\n"


class RunQuerySet(OrgOwnedQuerySet):
    def for_user(self, user, *, write: bool = False):
        """The usual organisation scoping, except that a run without an organisation (a
        platform-wide job such as a key rotation) is shown to platform admins only: the
        regency-wide readers see every OPD's runs, not the platform's internals."""
        queryset = super().for_user(user, write=write)
        if (
            user is not None
            and user.is_authenticated
            and (user.is_superuser or user.has_role(Role.PLATFORM_ADMIN))
        ):
            return queryset
        return queryset.exclude(organisation__isnull=True)


class Run(models.Model):
    """A long job's state as the UI shows it.

    The job creates the Run (status queued), then calls start(), advance() / count() / log()
    as it goes and finish() or fail() at the end, or wraps its work in `with run.tracking():`.
    Every write is a short UPDATE of this one row (counters with F() expressions, the counts
    and the log under a row lock), so the task can report often while the web process polls,
    and two workers reporting on the same run never lose each other's updates.
    """

    owner_field = "organisation"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Selesai")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("jenis pekerjaan"), max_length=60, db_index=True)
    title = models.CharField(_("judul"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimulai oleh"),
    )
    task_id = models.CharField(
        _("ID tugas"),
        max_length=64,
        blank=True,
        help_text=_("ID hasil tugas di antrean (django.tasks), untuk menelusuri log pekerja."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("jumlah total"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("diproses"), default=0)
    counts = models.JSONField(_("rincian"), default=dict, blank=True)
    log_text = models.TextField(_("log"), blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:run_detail", args=[self.pk])

    def get_progress_url(self) -> str:
        return reverse("core:run_progress", args=[self.pk])

    # --- what the UI reads ---------------------------------------------------------------------
    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None when the size of the job is not known (yet)."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return None
        return max(0, min(100, self.processed * 100 // self.total))

    @property
    def duration(self) -> timedelta | None:
        if not self.started_at:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    @property
    def status_badge(self) -> str:
        """The badge colour (components/badge.html) for the status."""
        return {
            self.Status.RUNNING: "info",
            self.Status.SUCCEEDED: "published",
            self.Status.FAILED: "danger",
            self.Status.CANCELLED: "archived",
        }.get(self.status, "")

    @property
    def last_log_line(self) -> str:
        lines = self.log_text.rstrip("\n").rsplit("\n", 1)
        return lines[-1] if lines else ""

    # --- what the job writes -------------------------------------------------------------------
    def _update(self, **fields) -> None:
        type(self).objects.filter(pk=self.pk).update(**fields)
        self.refresh_from_db()

    @contextmanager
    def _locked(self) -> Iterator[Run]:
        """This row, re-read under a lock, for read-modify-write of the JSON counts and the log.
        (On SQLite the IMMEDIATE transaction mode takes the write lock at BEGIN.)"""
        with transaction.atomic():
            yield type(self).objects.select_for_update().get(pk=self.pk)

    def start(self, total: int | None = None) -> None:
        fields = {"status": self.Status.RUNNING, "started_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        self._update(**fields)

    def set_total(self, total: int) -> None:
        self._update(total=max(0, total))

    def advance(self, step: int = 1) -> None:
        self._update(processed=F("processed") + step)

    def count(self, **increments: int) -> None:
        """Add to named counters, e.g. run.count(dibuat=3, dilewati=1)."""
        with self._locked() as current:
            counts = dict(current.counts)
            for key, value in increments.items():
                counts[key] = counts.get(key, 0) + value
            type(self).objects.filter(pk=self.pk).update(counts=counts)
        self.refresh_from_db()

    def log(self, message: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        line = f"[{stamp}] {message.rstrip()}\n"
        with self._locked() as current:
            text = current.log_text + line
            if len(text) > LOG_LIMIT:
                text = LOG_TRUNCATED + text[-(LOG_LIMIT - len(LOG_TRUNCATED)) :]
            type(self).objects.filter(pk=self.pk).update(log_text=text)
        self.refresh_from_db()

    def finish(self) -> None:
        self._update(status=self.Status.SUCCEEDED, finished_at=timezone.now())

    def fail(self, error: str) -> None:
        self._update(status=self.Status.FAILED, finished_at=timezone.now(), error=error[:10000])

    def cancel(self) -> None:
        if not self.is_finished:
            self._update(status=self.Status.CANCELLED, finished_at=timezone.now())

    @contextmanager
    def tracking(self, total: int | None = None) -> Iterator[Run]:
        """Start the run, finish it when the block ends, or record the failure and re-raise:

        with run.tracking(total=len(rows)):
            for row in rows: ...; run.advance()
        """
        self.start(total=total)
        try:
            yield self
        except Exception as exc:
            self.fail(f"{type(exc).__name__}: {exc}")
            raise
        else:
            self.refresh_from_db(fields=["status"])
            if not self.is_finished:
                self.finish()

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .mixins import OrgOwnedQuerySet


class Run(models.Model):
    """One execution of a long job (a sync, an import, a report), shown with a live progress bar.

    A task creates the Run, then calls start(), advance() / count() / log() as it goes and
    finish() or fail() at the end. Writes are single-row UPDATEs so a task can report progress
    often without racing the web process that reads it.
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
        "core.Organisation", models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("organisasi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dimulai oleh"),
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

    objects = OrgOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:run_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.processed * 100 / self.total))

    @property
    def duration(self):
        if not self.started_at:
            return None
        return (self.finished_at or timezone.now()) - self.started_at

    def _update(self, **fields) -> None:
        type(self).objects.filter(pk=self.pk).update(**fields)
        self.refresh_from_db()

    def start(self, total: int | None = None) -> None:
        self._update(status=self.Status.RUNNING, started_at=timezone.now(), total=total)

    def set_total(self, total: int) -> None:
        self._update(total=total)

    def advance(self, step: int = 1) -> None:
        self._update(processed=F("processed") + step)

    def count(self, **increments: int) -> None:
        counts = dict(self.counts)
        for key, value in increments.items():
            counts[key] = counts.get(key, 0) + value
        self._update(counts=counts)

    def log(self, message: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        line = f"[{stamp}] {message}\n"
        self._update(log_text=Concat(F("log_text"), Value(line)))

    def finish(self) -> None:
        self._update(status=self.Status.SUCCEEDED, finished_at=timezone.now())

    def fail(self, error: str) -> None:
        self._update(status=self.Status.FAILED, finished_at=timezone.now(), error=error[:10000])

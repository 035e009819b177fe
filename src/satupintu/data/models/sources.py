"""Sources: the OPD databases, files and APIs the hub keeps datasets in sync with."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import Audited, OrgOwned, Timestamped


class Source(OrgOwned, Audited, Timestamped):
    class Kind(models.TextChoices):
        MYSQL = "mysql", _("Basis data MariaDB/MySQL")
        POSTGRESQL = "postgresql", _("Basis data PostgreSQL")
        CSV = "csv", _("Berkas CSV")
        XLSX = "xlsx", _("Berkas Excel (XLSX)")
        JSON_API = "json_api", _("API HTTP JSON")

    DATABASE_KINDS = (Kind.MYSQL, Kind.POSTGRESQL)
    FILE_KINDS = (Kind.CSV, Kind.XLSX)

    name = models.CharField(_("nama sumber"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    host = models.CharField(_("host"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True)
    database = models.CharField(_("nama basis data"), max_length=120, blank=True)
    username = models.CharField(_("nama pengguna"), max_length=120, blank=True)
    password = EncryptedTextField(_("kata sandi"))
    url = models.URLField(_("URL berkas atau API"), max_length=500, blank=True)
    file = models.FileField(_("berkas"), upload_to="data/sources/%Y/%m/", blank=True)
    # Connector options: CSV delimiter/decimal separator/header rows, XLSX sheet, API records
    # path and pagination. Documented in docs/data.md.
    options = models.JSONField(_("opsi"), default=dict, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    last_checked_at = models.DateTimeField(_("dicek terakhir"), null=True, blank=True)
    last_check_ok = models.BooleanField(_("koneksi berhasil"), null=True)
    last_check_message = models.TextField(_("hasil cek koneksi"), blank=True)

    audit_masked_fields = ("password",)

    # core.changelog cannot serialise a FieldFile: log the stored file name instead.
    audit_exclude_fields = ("updated_at", "file")

    def audit_snapshot(self) -> dict:
        values = super().audit_snapshot()
        values["file"] = self.file.name or ""
        return values

    class Meta:
        ordering = ["name"]
        verbose_name = _("sumber data")
        verbose_name_plural = _("sumber data")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("data:source_detail", args=[self.pk])

    @property
    def is_database(self) -> bool:
        return self.kind in self.DATABASE_KINDS

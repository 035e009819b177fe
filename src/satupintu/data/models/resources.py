"""Resources of a dataset and their data dictionary (the MS-Var of each column)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Audited, Timestamped


class Resource(Audited, Timestamped):
    """A table in the datastore (kept in sync with a source), an uploaded file, or a link."""

    class Kind(models.TextChoices):
        DATASTORE = "datastore", _("Tabel datastore")
        FILE = "file", _("Berkas unggahan")
        LINK = "link", _("Tautan")

    class Mode(models.TextChoices):
        FULL = "full", _("Muat ulang penuh (deteksi perubahan)")
        INCREMENTAL = "incremental", _("Bertahap (kolom kursor)")

    class Schedule(models.TextChoices):
        MANUAL = "manual", _("Manual")
        HOURLY = "hourly", _("Setiap jam")
        DAILY = "daily", _("Harian")
        WEEKLY = "weekly", _("Mingguan")

    dataset = models.ForeignKey(
        "data.Dataset", models.CASCADE, related_name="resources", verbose_name=_("dataset")
    )
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("deskripsi"), blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DATASTORE)
    format = models.CharField(_("format"), max_length=20, blank=True)
    file = models.FileField(_("berkas"), upload_to="data/resources/%Y/%m/", blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    # --- sync configuration (datastore resources fed from a source) -----------------------
    source = models.ForeignKey(
        "data.Source",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("sumber"),
    )
    source_table = models.CharField(_("tabel sumber"), max_length=200, blank=True)
    source_query = models.TextField(_("kueri baca-saja"), blank=True)
    key_columns = models.JSONField(_("kolom kunci"), default=list, blank=True)
    mode = models.CharField(
        _("cara sinkronisasi"), max_length=12, choices=Mode.choices, default=Mode.FULL
    )
    cursor_column = models.CharField(_("kolom kursor"), max_length=100, blank=True)
    schedule = models.CharField(
        _("jadwal"), max_length=10, choices=Schedule.choices, default=Schedule.MANUAL
    )

    # --- state written by the sync engine ---------------------------------------------------
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    has_table = models.BooleanField(default=False, editable=False)
    last_synced_at = models.DateTimeField(_("sinkron terakhir"), null=True, blank=True)
    last_run = models.ForeignKey(
        "core.Run",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proses terakhir"),
    )
    last_error = models.TextField(_("galat terakhir"), blank=True)

    # core.changelog cannot serialise a FieldFile: log the stored file name instead.
    audit_exclude_fields = ("updated_at", "file")

    def audit_snapshot(self) -> dict:
        values = super().audit_snapshot()
        values["file"] = self.file.name or ""
        return values

    class Meta:
        ordering = ["dataset", "position", "pk"]
        verbose_name = _("sumber daya")
        verbose_name_plural = _("sumber daya")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("data:resource_detail", args=[self.dataset.slug, self.pk])

    def file_url(self) -> str:
        """Where an uploaded file is downloaded: through the app, which checks that the caller
        may see the dataset (never /media/, which the web server does not serve for data)."""
        return reverse("data:resource_file", args=[self.pk]) if self.file else ""

    @property
    def table_name(self) -> str:
        return f"res_{self.pk}"

    @property
    def organisation(self):
        return self.dataset.organisation

    def public_variables(self) -> list[Variable]:
        """The columns anyone who can see the dataset may read: personal-data columns only
        after the walidata declassified them."""
        return [
            v
            for v in self.variables.all()
            if v.is_published and (not v.personal_kind or v.declassified)
        ]


class Variable(Audited, Timestamped):
    """One column of a datastore table: the data dictionary entry and the BPS MS-Var fields."""

    class Type(models.TextChoices):
        TEXT = "text", _("Teks")
        INTEGER = "integer", _("Bilangan bulat")
        DECIMAL = "decimal", _("Bilangan desimal")
        DATE = "date", _("Tanggal")
        DATETIME = "datetime", _("Tanggal dan waktu")
        BOOLEAN = "boolean", _("Ya/tidak")

    class Reference(models.TextChoices):
        NONE = "", _("Tidak ada")
        REGION = "region", _("Kode wilayah Kemendagri")

    class PersonalKind(models.TextChoices):
        NONE = "", _("Bukan data pribadi")
        NIK = "nik", _("NIK")
        KK = "kk", _("Nomor KK")
        NAME = "name", _("Nama orang")
        PHONE = "phone", _("Nomor telepon")
        ADDRESS = "address", _("Alamat lengkap")
        BIRTH_DATE = "birth_date", _("Tanggal lahir")

    resource = models.ForeignKey(
        Resource, models.CASCADE, related_name="variables", verbose_name=_("sumber daya")
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nama kolom"), max_length=63)
    source_column = models.CharField(_("kolom di sumber"), max_length=200, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    definition = models.TextField(_("definisi"), blank=True)
    type = models.CharField(_("tipe"), max_length=10, choices=Type.choices, default=Type.TEXT)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    required = models.BooleanField(_("wajib diisi"), default=False)
    min_value = models.DecimalField(
        _("nilai minimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("nilai maksimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    allowed_values = models.JSONField(_("nilai yang diizinkan"), default=list, blank=True)
    reference = models.CharField(
        _("daftar kode rujukan"), max_length=10, choices=Reference.choices, blank=True
    )
    is_filter = models.BooleanField(_("kolom penyaring (berindeks)"), default=False)
    # MS-Var (BPS metadata statistik variabel)
    alias = models.CharField(_("alias"), max_length=120, blank=True)
    concept = models.CharField(_("konsep"), max_length=200, blank=True)
    definition_source = models.CharField(_("referensi definisi"), max_length=200, blank=True)
    classification_ref = models.CharField(_("referensi klasifikasi"), max_length=200, blank=True)
    # Personal-data guard
    personal_kind = models.CharField(
        _("jenis data pribadi"), max_length=12, choices=PersonalKind.choices, blank=True
    )
    is_published = models.BooleanField(_("ikut diterbitkan"), default=True)
    declassified = models.BooleanField(_("dideklasifikasi walidata"), default=False)
    declassified_reason = models.TextField(_("alasan deklasifikasi"), blank=True)
    declassified_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dideklasifikasi oleh"),
    )
    declassified_at = models.DateTimeField(_("dideklasifikasi pada"), null=True, blank=True)

    class Meta:
        ordering = ["resource", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "name"], name="unique_variable_name")
        ]
        verbose_name = _("variabel")
        verbose_name_plural = _("kamus data")

    def __str__(self) -> str:
        return self.label or self.name

    @property
    def organisation(self):
        return self.resource.dataset.organisation


class ValidationIssue(models.Model):
    """One offending row of a sync run (the validation report). Capped per run."""

    run = models.ForeignKey("core.Run", models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, models.CASCADE, related_name="issues")
    row_number = models.PositiveIntegerField(_("baris"), null=True)
    column = models.CharField(_("kolom"), max_length=200, blank=True)
    value = models.CharField(_("nilai"), max_length=200, blank=True)
    message = models.CharField(_("masalah"), max_length=300)

    class Meta:
        ordering = ["run", "row_number", "pk"]
        verbose_name = _("temuan validasi")
        verbose_name_plural = _("temuan validasi")

    def __str__(self) -> str:
        return f"{self.row_number}: {self.message}"

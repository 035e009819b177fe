"""Complaints and aspirations (OKU Menyapa): categories (Open311 services), reports (Open311
service requests), their timeline, photos and followers, the holiday calendar used for
working-day deadlines, and the API keys of Open311 clients.

A report is changed only through `services.py`: every change is one transaction that writes a
ReportUpdate, publishes an event and notifies the reporter.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import Audited, OrgOwned, Timestamped
from satupintu.core.roles import Role


class Category(OrgOwned, Audited, Timestamped):
    """What can be reported (an Open311 *service*), owned by the OPD that handles it."""

    code = models.SlugField(
        _("kode layanan"),
        max_length=60,
        unique=True,
        help_text=_("Kode Open311 (service_code), mis. jalan-rusak."),
    )
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("keterangan"), blank=True)
    group = models.CharField(_("kelompok"), max_length=80, blank=True)
    keywords = models.CharField(
        _("kata kunci"), max_length=300, blank=True, help_text=_("Dipisah koma.")
    )
    area_based = models.BooleanField(
        _("berbasis wilayah"),
        default=False,
        help_text=_("Laporan diteruskan ke kecamatan/desa lokasi kejadian."),
    )
    response_days = models.PositiveSmallIntegerField(
        _("batas tanggapan (hari kerja)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    completion_days = models.PositiveSmallIntegerField(
        _("batas penyelesaian (hari kerja)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    attributes = models.JSONField(
        _("atribut tambahan"),
        default=list,
        blank=True,
        help_text=_("Atribut Open311: code, datatype, required, description, values."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Holiday(models.Model):
    """A day off that is not a weekend: national holidays and collective leave (cuti bersama),
    entered by the admin each year from the SKB of the ministers."""

    class Kind(models.TextChoices):
        NATIONAL = "nasional", _("Libur nasional")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Cuti bersama")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ApiKey(models.Model):
    """An Open311 client (a mobile app, a third party). Only a hash of the key is stored; the
    key itself is shown once when created (see open311/keys.py)."""

    name = models.CharField(_("nama klien"), max_length=120)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi"),
    )
    prefix = models.CharField(_("awalan"), max_length=16, unique=True)
    key_hash = models.CharField(_("hash kunci"), max_length=128)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kunci API Open311")
        verbose_name_plural = _("kunci API Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ReportQuerySet(models.QuerySet):
    def for_user(self, user, *, write: bool = False):
        """Staff scoping: the responsible OPD and the area organisation (and the organisations
        above them in the tree, through `organisation_ids_with_descendants`) see a report;
        regency readers (walidata, pimpinan) read all; platform admins everything. Nobody
        else (the public side filters `is_public` itself)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_role(Role.PLATFORM_ADMIN):
            return self
        own = user.organisation_ids_with_descendants()
        mine = Q(organisation__in=own) | Q(area_organisation__in=own)
        if write:
            return self.filter(mine)
        if user.roles & {Role.WALIDATA, Role.PIMPINAN}:
            return self
        return self.filter(mine)

    def public(self):
        return self.filter(is_public=True, duplicate_of__isnull=True)

    def open(self):
        return self.exclude(status__in=Report.CLOSED_STATUSES)


class Report(Audited, Timestamped):
    """One complaint or aspiration (an Open311 service request)."""

    owner_field = "organisation"

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        VERIFIED = "verified", _("Diverifikasi")
        ASSIGNED = "assigned", _("Didisposisikan")
        IN_PROGRESS = "in_progress", _("Diproses")
        RESOLVED = "resolved", _("Selesai ditangani")
        CLOSED = "closed", _("Ditutup")
        REJECTED = "rejected", _("Ditolak")
        REOPENED = "reopened", _("Dibuka kembali")

    class Channel(models.TextChoices):
        WEB = "web", _("Situs web")
        OPEN311 = "open311", _("Open311 API")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")
        COUNTER = "counter", _("Loket")

    class Escalation(models.IntegerChoices):
        NONE = 0, _("Belum")
        OPD_HEAD = 1, _("Kepala OPD")
        DISKOMINFO = 2, _("Diskominfo")

    # Open311 "closed" = everything that no longer waits on the government.
    CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.REJECTED)
    # Statuses in which the first response is still owed.
    AWAITING_RESPONSE = (Status.RECEIVED,)

    reference = models.CharField(_("nomor tiket"), max_length=20, unique=True, editable=False)
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="reports", verbose_name=_("kategori")
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        related_name="+",
        verbose_name=_("OPD penanggung jawab"),
    )
    area_organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan/desa"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas"),
    )
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("isi laporan"))
    public_description = models.TextField(_("isi laporan (publik)"), blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.TextField(_("alamat/lokasi"), blank=True)
    region = models.ForeignKey(
        "core.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("wilayah"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint_reports",
        verbose_name=_("pelapor"),
    )
    contact_name = EncryptedTextField(_("nama pelapor"))
    contact_email = EncryptedTextField(_("email pelapor"))
    contact_phone = EncryptedTextField(_("telepon pelapor"))
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_public = models.BooleanField(_("tampil publik"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    attribute_values = models.JSONField(_("nilai atribut"), default=dict, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )
    response_due = models.DateTimeField(_("batas tanggapan"), null=True, blank=True)
    completion_due = models.DateTimeField(_("batas penyelesaian"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("eskalasi"), choices=Escalation.choices, default=Escalation.NONE
    )
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    lapor_id = models.CharField(_("ID SP4N-LAPOR!"), max_length=60, blank=True, db_index=True)
    lapor_status = models.CharField(_("status SP4N-LAPOR!"), max_length=60, blank=True)
    lapor_synced_at = models.DateTimeField(_("sinkron LAPOR! terakhir"), null=True, blank=True)
    api_client = models.ForeignKey(
        ApiKey,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("klien API"),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("laporan pengaduan")
        verbose_name_plural = _("laporan pengaduan")
        indexes = [
            models.Index(fields=["category", "status", "created_at"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["is_public", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:staff_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"

    def public_reporter_name(self) -> str:
        """What the public sees as the reporter: never contact data, nothing if anonymous."""
        if self.is_anonymous:
            return str(_("Anonim"))
        name = (self.reporter.get_full_name() if self.reporter_id else self.contact_name) or ""
        first = name.split()[0] if name.split() else ""
        return first or str(_("Warga"))

    def current_due(self):
        """The deadline that matters now: the first response, then completion."""
        if not self.is_open:
            return None
        if self.responded_at is None:
            return self.response_due
        return self.completion_due

    def sla_state(self, now=None) -> str:
        """on_time / due_soon / late / done, for the inbox badges."""
        due = self.current_due()
        if due is None:
            return "done"
        now = now or timezone.now()
        if now > due:
            return "late"
        if due - now <= dt.timedelta(days=1):
            return "due_soon"
        return "on_time"

    @property
    def sla_badge(self) -> str:
        return SLA_BADGES[self.sla_state()]

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "info")


# Badge modifiers (components/badge.html colours) of the SLA states and of the statuses.
SLA_BADGES = {"on_time": "published", "due_soon": "submitted", "late": "danger", "done": "archived"}
STATUS_BADGES = {
    Report.Status.RECEIVED: "submitted",
    Report.Status.RESOLVED: "published",
    Report.Status.CLOSED: "archived",
    Report.Status.REJECTED: "danger",
    Report.Status.REOPENED: "submitted",
}


class ReportUpdate(models.Model):
    """One entry of a report's timeline. Internal notes (is_public=False) are staff-only."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Perubahan status")
        PUBLIC_UPDATE = "public_update", _("Kabar untuk pelapor")
        INTERNAL_NOTE = "internal_note", _("Catatan internal")
        REASSIGNMENT = "reassignment", _("Dialihkan")
        MERGE = "merge", _("Digabung")
        ESCALATION = "escalation", _("Eskalasi")
        RATING = "rating", _("Penilaian")
        LAPOR = "lapor", _("SP4N-LAPOR!")

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="updates", verbose_name=_("laporan")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penulis"),
    )
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    status_from = models.CharField(
        _("dari status"), max_length=12, choices=Report.Status.choices, blank=True
    )
    status_to = models.CharField(
        _("ke status"), max_length=12, choices=Report.Status.choices, blank=True
    )
    message = models.TextField(_("pesan"), blank=True)
    is_public = models.BooleanField(_("publik"), default=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    # The name is ours, never the uploader's: it could carry personal data or path tricks.
    return f"complaints/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    """A photo, already re-encoded by photos.py (≤1600 px, no EXIF, no GPS)."""

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="photos", verbose_name=_("laporan")
    )
    image = models.ImageField(
        _("foto"), upload_to=photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("lebar"), default=0)
    height = models.PositiveIntegerField(_("tinggi"), default=0)
    is_public = models.BooleanField(_("publik"), default=True)
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("foto laporan")
        verbose_name_plural = _("foto laporan")

    def __str__(self) -> str:
        return f"{self.report_id} {self.image.name}"


class ReportFollower(models.Model):
    """Someone who receives the report's public updates (reporters of merged duplicates)."""

    report = models.ForeignKey(
        Report, models.CASCADE, related_name="followers", verbose_name=_("laporan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("pengguna")
    )
    created_at = models.DateTimeField(_("sejak"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="complaints_follower_unique")
        ]
        verbose_name = _("pengikut laporan")
        verbose_name_plural = _("pengikut laporan")

    def __str__(self) -> str:
        return f"{self.report_id} {self.user_id}"


class ReferenceCounter(models.Model):
    """The last sequence number used per month for tracking numbers (ADU-yymm-nnnnn) on
    SQLite and MySQL/MariaDB; a row locked per month keeps numbers unique under concurrent
    submissions. PostgreSQL numbers with a sequence per month and reads a row here only to start
    a month's sequence after it (references.py)."""

    period = models.CharField(max_length=4, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penghitung nomor tiket")
        verbose_name_plural = _("penghitung nomor tiket")

    def __str__(self) -> str:
        return f"ADU-{self.period}: {self.last}"

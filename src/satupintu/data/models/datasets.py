"""Datasets: what an OPD (produsen data) publishes through the walidata, with SDI metadata."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Audited, OrgOwned, OrgOwnedQuerySet, Publishable, Timestamped
from satupintu.core.roles import REGENCY_READER_ROLES, Role

LICENCES = {
    "cc-by-4.0": (
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "cc-by-sa-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "cc0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "odc-odbl": ("Open Data Commons ODbL", "https://opendatacommons.org/licenses/odbl/1-0/"),
}


class Topic(Timestamped):
    """A topic (CKAN "group", DCAT theme), e.g. Kependudukan, Kesehatan, Infrastruktur."""

    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topik")
        verbose_name_plural = _("topik")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("nama"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kata kunci")
        verbose_name_plural = _("kata kunci")

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(OrgOwnedQuerySet):
    def visible_to(self, user):
        """for_user(), and on top of it the SDI classification: restricted and closed datasets
        are never shown outside the owning OPD and the regency-wide reviewers, even published."""
        qs = self.for_user(user)
        if user is None or not user.is_authenticated:
            return qs.filter(classification=Dataset.Classification.PUBLIC)
        if user.is_superuser or user.roles & REGENCY_READER_ROLES:
            return qs
        return qs.filter(
            Q(classification=Dataset.Classification.PUBLIC)
            | Q(organisation__in=user.organisation_ids_with_descendants())
        )

    def open_data(self):
        """What the open-data portal, the CKAN API and the DCAT catalogue publish."""
        return self.filter(
            status=Dataset.Status.PUBLISHED, classification=Dataset.Classification.PUBLIC
        )


class Dataset(OrgOwned, Publishable, Audited, Timestamped):
    class Classification(models.TextChoices):
        PUBLIC = "public", _("Terbuka")
        RESTRICTED = "restricted", _("Terbatas")
        CLOSED = "closed", _("Tertutup")

    class Frequency(models.TextChoices):
        # Values are the EU frequency authority codes, so DCAT needs no second mapping.
        DAILY = "DAILY", _("Harian")
        WEEKLY = "WEEKLY", _("Mingguan")
        MONTHLY = "MONTHLY", _("Bulanan")
        QUARTERLY = "QUARTERLY", _("Triwulanan")
        ANNUAL = "ANNUAL", _("Tahunan")
        IRREGULAR = "IRREG", _("Tidak tentu")

    # Days after which a dataset counts as late for its frequency (timeliness score).
    FREQUENCY_DAYS = {
        "DAILY": 2,
        "WEEKLY": 9,
        "MONTHLY": 35,
        "QUARTERLY": 100,
        "ANNUAL": 400,
        "IRREG": None,
    }
    approver_roles = frozenset({Role.WALIDATA, Role.PLATFORM_ADMIN})

    slug = models.SlugField(_("nama singkat (URL)"), max_length=100, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("deskripsi"))
    topic = models.ForeignKey(
        Topic,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name=_("topik"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="datasets", verbose_name=_("kata kunci")
    )
    licence = models.CharField(
        _("lisensi"),
        max_length=20,
        default="cc-by-4.0",
        choices=[(key, label) for key, (label, _url) in LICENCES.items()],
    )
    frequency = models.CharField(
        _("frekuensi pemutakhiran"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.ANNUAL,
    )
    temporal_start = models.DateField(_("cakupan waktu mulai"), null=True, blank=True)
    temporal_end = models.DateField(_("cakupan waktu selesai"), null=True, blank=True)
    regions = models.ManyToManyField(
        "core.Region", blank=True, related_name="+", verbose_name=_("cakupan wilayah")
    )
    classification = models.CharField(
        _("klasifikasi"),
        max_length=12,
        choices=Classification.choices,
        default=Classification.PUBLIC,
        db_index=True,
    )
    contact_name = models.CharField(_("narahubung"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email narahubung"), blank=True)
    version = models.PositiveIntegerField(_("versi terbit"), default=0)
    data_updated_at = models.DateTimeField(_("data terakhir diperbarui"), null=True, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("skor kualitas"), null=True, blank=True)
    quality = models.JSONField(_("rincian kualitas"), default=dict, blank=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("dataset")
        indexes = [
            # CKAN package_search's default order (newest change first) among published datasets:
            # the first page is read in index order and stops after `rows`, with no sort of
            # every match (package_search at 10,000 datasets).
            models.Index(fields=["status", "-updated_at", "id"], name="data_dataset_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("data:dataset_detail", args=[self.slug])

    @property
    def licence_title(self) -> str:
        return LICENCES.get(self.licence, (self.licence, ""))[0]

    @property
    def licence_url(self) -> str:
        return LICENCES.get(self.licence, ("", ""))[1]

    @property
    def year(self) -> int | None:
        day = self.temporal_end or self.temporal_start
        return day.year if day else None

    def blocked_personal_columns(self) -> list:
        """Columns that hold personal data, are meant to be published and have not been
        declassified by the walidata: a public dataset cannot be published with any of them."""
        from .resources import Variable

        return list(
            Variable.objects.filter(resource__dataset=self, is_published=True, declassified=False)
            .exclude(personal_kind="")
            .select_related("resource")
        )

    def approve(self, user, note: str = "") -> None:
        if self.classification == self.Classification.PUBLIC:
            blocked = self.blocked_personal_columns()
            if blocked:
                names = ", ".join(f"{v.resource.name}.{v.name}" for v in blocked)
                raise ValidationError(
                    _(
                        "Kolom berisi data pribadi belum boleh terbit: %(cols)s. Sembunyikan "
                        "kolom itu atau walidata mendeklasifikasinya dengan alasan."
                    )
                    % {"cols": names}
                )
        with transaction.atomic():
            super().approve(user, note)
            version = self.record_version(user, note)
            self._publish_event(version)

    def _publish_event(self, version: DatasetVersion) -> None:
        """Tell subscribed OPD systems (webhooks) that a new version is out; the event is
        stored in the approval's transaction, so a failed approval raises none."""
        from satupintu.events.publishing import publish

        publish(
            "data.dataset_published",
            {
                "slug": self.slug,
                "title": self.title,
                "version": version.number,
                "organisation": self.organisation.code,
                "classification": self.classification,
                "url": self.get_absolute_url(),
            },
            organisation=self.organisation,
        )

    def record_version(self, user, note: str = "") -> DatasetVersion:
        from ..datastore import snapshot_table
        from .resources import Resource

        number = self.version + 1
        resources = []
        for resource in self.resources.all():
            entry = {
                "id": resource.pk,
                "name": resource.name,
                "kind": resource.kind,
                "format": resource.format,
                "rows": resource.row_count,
                "columns": [v.name for v in resource.public_variables()],
            }
            if resource.kind == Resource.Kind.DATASTORE and resource.has_table:
                entry["table"] = snapshot_table(resource, number)
            resources.append(entry)
        version = DatasetVersion.objects.create(
            dataset=self,
            number=number,
            approved_by=user,
            note=note,
            metadata={
                "title": self.title,
                "description": self.description,
                "licence": self.licence,
                "classification": self.classification,
                "frequency": self.frequency,
                "tags": sorted(self.tags.values_list("name", flat=True)),
                "resources": resources,
            },
        )
        Dataset.objects.filter(pk=self.pk).update(version=number)
        self.version = number
        return version


class DatasetVersion(models.Model):
    """A published version: the metadata as approved and a frozen copy of each table."""

    dataset = models.ForeignKey(Dataset, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    published_at = models.DateTimeField(_("terbit"), default=timezone.now)
    approved_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    metadata = models.JSONField(_("metadata"), default=dict)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="unique_dataset_version")
        ]
        verbose_name = _("versi terbit")
        verbose_name_plural = _("versi terbit")

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

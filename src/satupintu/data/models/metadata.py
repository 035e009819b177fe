"""BPS statistical metadata forms (Satu Data Indonesia): MS-Keg for the activity that produced a
dataset and MS-Ind for its indicators. MS-Var lives on each data-dictionary Variable."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Audited, Timestamped


class ActivityMetadata(Audited, Timestamped):
    """MS-Keg: the statistical activity (survey, compilation of administrative records...)."""

    class Method(models.TextChoices):
        SURVEY = "survey", _("Survei")
        CENSUS = "census", _("Sensus")
        ADMIN = "admin", _("Kompilasi produk administrasi")
        OTHER = "other", _("Cara lain")

    dataset = models.OneToOneField("data.Dataset", models.CASCADE, related_name="activity")
    title = models.CharField(_("judul kegiatan"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun kegiatan"))
    organiser = models.CharField(_("penyelenggara"), max_length=200)
    person_in_charge = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    method = models.CharField(
        _("cara pengumpulan data"), max_length=10, choices=Method.choices, default=Method.ADMIN
    )
    frequency = models.CharField(_("frekuensi penyelenggaraan"), max_length=60, blank=True)
    purpose = models.TextField(_("tujuan kegiatan"), blank=True)
    background = models.TextField(_("latar belakang"), blank=True)
    coverage = models.CharField(_("cakupan wilayah pengumpulan"), max_length=200, blank=True)
    sampling = models.TextField(_("rancangan sampel"), blank=True)
    collection_unit = models.CharField(_("unit pengumpulan data"), max_length=120, blank=True)
    collection_period = models.CharField(_("jadwal pengumpulan"), max_length=120, blank=True)
    publication_plan = models.CharField(_("rencana rilis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("metadata kegiatan (MS-Keg)")
        verbose_name_plural = _("metadata kegiatan (MS-Keg)")

    def __str__(self) -> str:
        return self.title


class Indicator(Audited, Timestamped):
    """MS-Ind: an indicator computed from the dataset's variables."""

    dataset = models.ForeignKey("data.Dataset", models.CASCADE, related_name="indicators")
    name = models.CharField(_("nama indikator"), max_length=200)
    definition = models.TextField(_("konsep dan definisi"))
    formula = models.TextField(_("rumus perhitungan"))
    unit = models.CharField(_("satuan"), max_length=60)
    interpretation = models.TextField(_("interpretasi"), blank=True)
    aggregation_level = models.CharField(_("level estimasi"), max_length=120, blank=True)
    variables = models.ManyToManyField(
        "data.Variable", blank=True, related_name="indicators", verbose_name=_("variabel pembangun")
    )
    is_composite = models.BooleanField(_("indikator komposit"), default=False)

    class Meta:
        ordering = ["dataset", "name"]
        verbose_name = _("metadata indikator (MS-Ind)")
        verbose_name_plural = _("metadata indikator (MS-Ind)")

    def __str__(self) -> str:
        return self.name

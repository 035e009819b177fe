from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .mixins import Audited, Timestamped
from .regions import Region


class Organisation(Timestamped, Audited, models.Model):
    """An OPD, a district or village government, or an agency outside the regency."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        DINAS = "dinas", _("Dinas")
        BADAN = "badan", _("Badan")
        KANTOR = "kantor", _("Kantor")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        RSUD = "rsud", _("Rumah Sakit Daerah")
        SATPOL = "satpol", _("Satuan Polisi Pamong Praja")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Pemerintah Desa")
        EXTERNAL = "external", _("Instansi luar")

    # Kinds that form the regency's own OPD list (perangkat daerah).
    OPD_KINDS = frozenset(
        {Kind.SEKRETARIAT, Kind.DINAS, Kind.BADAN, Kind.KANTOR, Kind.INSPEKTORAT, Kind.RSUD,
         Kind.SATPOL}
    )

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("induk"),
    )
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="organisations",
        verbose_name=_("wilayah"),
    )
    description = models.TextField(_("tugas dan fungsi"), blank=True)
    head_name = models.CharField(_("nama pimpinan"), max_length=120, blank=True)
    head_title = models.CharField(_("jabatan pimpinan"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    website = models.URLField(_("situs web"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation_detail", args=[self.code])

    @property
    def is_opd(self) -> bool:
        return self.kind in self.OPD_KINDS

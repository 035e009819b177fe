from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .mixins import Audited, Timestamped
from .regions import Region

# Indonesia's extent with a small margin (Sabang to Merauke, Miangas to Rote): coordinates of
# an organisation of the regency outside it are almost always swapped or mistyped.
INDONESIA_LATITUDE = (Decimal("-11.5"), Decimal("6.5"))
INDONESIA_LONGITUDE = (Decimal("94.5"), Decimal("141.5"))


class OrganisationQuerySet(models.QuerySet):
    def opds(self):
        """The regency's own agencies (perangkat daerah), without districts and villages."""
        return self.filter(kind__in=Organisation.OPD_KINDS)

    def active(self):
        return self.filter(is_active=True)


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
        {
            Kind.SEKRETARIAT,
            Kind.DINAS,
            Kind.BADAN,
            Kind.KANTOR,
            Kind.INSPEKTORAT,
            Kind.RSUD,
            Kind.SATPOL,
        }
    )

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("wilayah"),
    )
    description = models.TextField(_("tugas dan fungsi"), blank=True)
    head_name = models.CharField(_("nama pimpinan"), max_length=120, blank=True)
    head_title = models.CharField(_("jabatan pimpinan"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    website = models.URLField(_("situs web"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = OrganisationQuerySet.as_manager()

    # Region level each territorial kind must point at.
    REGION_LEVEL_OF_KIND = {
        Kind.KECAMATAN: Region.Level.DISTRICT,
        Kind.KELURAHAN: Region.Level.VILLAGE,
        Kind.DESA: Region.Level.VILLAGE,
    }

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

    def ancestors(self) -> list["Organisation"]:
        """Parent, grandparent, ... up to the top (stops rather than loops on a broken chain)."""
        chain: list[Organisation] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def _parent_chain_reaches_self(self) -> bool:
        # Walks up from the chosen parent as stored in the database: if it passes through this
        # organisation, the chosen parent is one of its descendants and saving makes a cycle.
        seen: set[int] = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        errors.update(self._coordinate_errors())
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors.setdefault("parent", []).append(
                    _("Organisasi tidak dapat menjadi induk dirinya sendiri.")
                )
            elif self.pk is not None and self._parent_chain_reaches_self():
                errors.setdefault("parent", []).append(
                    _(
                        "Induk ini berada di bawah organisasi ini sendiri; susunan induk akan "
                        "berputar. Pilih induk lain."
                    )
                )
        expected_level = self.REGION_LEVEL_OF_KIND.get(self.kind)
        if expected_level is not None and self.region_id is not None:
            region = self.region
            if region.level != expected_level:
                errors.setdefault("region", []).append(
                    _("%(kind)s harus berwilayah %(level)s, bukan %(actual)s (%(code)s).")
                    % {
                        "kind": self.get_kind_display(),
                        "level": Region.Level(expected_level).label,
                        "actual": region.get_level_display(),
                        "code": region.code,
                    }
                )
        if errors:
            raise ValidationError(errors)

    def _coordinate_errors(self) -> dict[str, list]:
        errors: dict[str, list] = {}
        lat, lon = self.latitude, self.longitude
        if (lat is None) != (lon is None):
            missing = "longitude" if lon is None else "latitude"
            errors[missing] = [_("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")]
            return errors
        if lat is None:
            return errors
        if not Decimal(-90) <= lat <= Decimal(90):
            errors["latitude"] = [_("Lintang harus di antara -90 dan 90 derajat.")]
        if not Decimal(-180) <= lon <= Decimal(180):
            errors["longitude"] = [_("Bujur harus di antara -180 dan 180 derajat.")]
        if errors:
            return errors
        if not (
            INDONESIA_LATITUDE[0] <= lat <= INDONESIA_LATITUDE[1]
            and INDONESIA_LONGITUDE[0] <= lon <= INDONESIA_LONGITUDE[1]
        ):
            message = _(
                "Koordinat ini berada di luar wilayah Indonesia. Periksa apakah lintang dan "
                "bujur tertukar atau tanda minusnya hilang (contoh Baturaja: lintang -4.13, "
                "bujur 104.17)."
            )
            errors["latitude"] = [message]
        return errors

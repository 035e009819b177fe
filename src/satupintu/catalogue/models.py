"""The catalogue: the regency's applications, its public services (standar pelayanan) and the
usage counters (launches through /go/, service-page views). Search over them is core's shared
index (catalogue/search.py writes the documents).

Facts nobody has confirmed are stored as "unknown" (Tidak diketahui), never guessed.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Audited, OrgOwned, Publishable, Timestamped

UNKNOWN = "unknown"


class Answer(models.TextChoices):
    YES = "yes", _("Ya")
    NO = "no", _("Tidak")
    UNKNOWN = UNKNOWN, _("Tidak diketahui")


class LifeEvent(models.TextChoices):
    KELAHIRAN = "kelahiran", _("Kelahiran")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    PEKERJAAN = "pekerjaan", _("Pekerjaan")
    USAHA = "usaha", _("Usaha")
    PERNIKAHAN = "pernikahan", _("Pernikahan")
    PINDAH = "pindah-domisili", _("Pindah domisili")
    KEMATIAN = "kematian", _("Kematian")
    KESEHATAN = "kesehatan", _("Kesehatan")
    BENCANA = "bencana", _("Bencana")


class Application(OrgOwned, Audited, Publishable, Timestamped):
    class Audience(models.TextChoices):
        CITIZENS = "citizens", _("Masyarakat")
        STAFF = "staff", _("Pegawai")
        BOTH = "both", _("Masyarakat dan pegawai")
        UNKNOWN = UNKNOWN, _("Tidak diketahui")

    class Lifecycle(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        PILOT = "pilot", _("Uji coba")
        INACTIVE = "inactive", _("Tidak aktif")
        RETIRED = "retired", _("Dihentikan")

    class Hosting(models.TextChoices):
        DATA_CENTRE = "data_centre", _("Pusat data daerah")
        OPD_SERVER = "opd_server", _("Server OPD")
        CLOUD = "cloud", _("Cloud")
        NATIONAL = "national", _("Platform nasional")
        UNKNOWN = UNKNOWN, _("Tidak diketahui")

    name = models.CharField(_("nama aplikasi"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    url = models.URLField(_("alamat aplikasi"), blank=True)
    audience = models.CharField(
        _("pengguna"), max_length=12, choices=Audience.choices, default=Audience.UNKNOWN
    )
    category = models.CharField(_("kategori"), max_length=80, blank=True)
    lifecycle = models.CharField(
        _("status aplikasi"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.ACTIVE
    )
    hosting = models.CharField(
        _("hosting"), max_length=12, choices=Hosting.choices, default=Hosting.UNKNOWN
    )
    database_engine = models.CharField(_("basis data"), max_length=60, default=UNKNOWN)
    uses_sso = models.CharField(
        _("memakai SSO satupintu"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    has_api = models.CharField(
        _("punya API"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    holds_personal_data = models.CharField(
        _("menyimpan data pribadi"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN
    )
    technical_contact = models.CharField(_("kontak teknis"), max_length=200, blank=True)
    # Re-encoded on upload (core.images) under random names; shown through the app's own
    # views, which apply the catalogue's visibility rules.
    logo = models.ImageField(
        _("logo"),
        upload_to="catalogue/logos/",
        blank=True,
        help_text=_("PNG, JPEG atau WebP, paling besar 1 MB; dikecilkan ke 256 piksel."),
    )
    screenshot = models.ImageField(
        _("tangkapan layar"),
        upload_to="catalogue/screenshots/",
        blank=True,
        help_text=_(
            "Tampilan halaman utama aplikasi, paling besar 3 MB; dikecilkan ke 1280 piksel."
        ),
    )

    class Meta:
        verbose_name = _("aplikasi")
        verbose_name_plural = _("aplikasi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:app_detail", args=[self.slug])

    def launch_url(self) -> str:
        return reverse("catalogue:launch", args=[self.slug])

    def logo_url(self) -> str:
        return reverse("catalogue:app_image", args=[self.slug, "logo"]) if self.logo else ""

    def screenshot_url(self) -> str:
        if not self.screenshot:
            return ""
        return reverse("catalogue:app_image", args=[self.slug, "tangkapan-layar"])

    def can_launch(self) -> bool:
        return bool(self.url) and self.url.lower().startswith(("https://", "http://"))


class PublicService(OrgOwned, Audited, Publishable, Timestamped):
    """A public service as its standar pelayanan describes it (PermenPANRB 15/2014)."""

    name = models.CharField(_("nama layanan"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    requirements = models.TextField(_("persyaratan"), help_text=_("Satu persyaratan per baris."))
    procedure = models.TextField(_("alur layanan"), help_text=_("Satu langkah per baris."))
    completion_time = models.CharField(_("waktu penyelesaian"), max_length=80)
    fee = models.PositiveIntegerField(
        _("biaya (rupiah)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("0 berarti gratis."),
    )
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    application = models.ForeignKey(
        Application,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("aplikasi daring"),
    )
    online_url = models.URLField(_("alamat layanan daring lain"), blank=True)
    counter_address = models.CharField(_("alamat loket"), max_length=250, blank=True)
    counter_hours = models.CharField(_("jam layanan loket"), max_length=120, blank=True)
    complaint_channel = models.CharField(_("saluran pengaduan"), max_length=250, blank=True)
    life_events = models.CharField(
        _("peristiwa hidup"),
        max_length=200,
        blank=True,
        help_text=_("Kode peristiwa hidup dipisah koma."),
    )

    class Meta:
        verbose_name = _("layanan publik")
        verbose_name_plural = _("layanan publik")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:service_detail", args=[self.slug])

    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]

    def procedure_list(self) -> list[str]:
        return [line.strip() for line in self.procedure.splitlines() if line.strip()]

    def life_event_list(self) -> list[str]:
        return [e.strip() for e in self.life_events.split(",") if e.strip()]

    def life_event_labels(self) -> list[str]:
        valid = dict(LifeEvent.choices)
        return [str(valid[e]) for e in self.life_event_list() if e in valid]

    @staticmethod
    def life_event_filter(code: str) -> models.Q:
        return (
            models.Q(life_events=code)
            | models.Q(life_events__startswith=f"{code},")
            | models.Q(life_events__endswith=f",{code}")
            | models.Q(life_events__contains=f",{code},")
        )


def hash_user(user) -> str:
    """A per-installation pseudonym of the user: counts unique users, names nobody."""
    if user is None or not user.is_authenticated:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"launch:{user.pk}".encode(), hashlib.sha256).hexdigest()[:32]


class Launch(models.Model):
    """One opening of an application through /go/<slug>."""

    application = models.ForeignKey(
        Application, models.CASCADE, related_name="launches", verbose_name=_("aplikasi")
    )
    user_hash = models.CharField(_("pengguna (disamarkan)"), max_length=32, blank=True)
    launched_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pembukaan aplikasi")
        verbose_name_plural = _("pembukaan aplikasi")

    def __str__(self) -> str:
        return f"{self.application} {self.launched_at:%Y-%m-%d %H:%M}"


class ServiceView(models.Model):
    """Views of a service page per day (a counter, not a log: no visitor is recorded)."""

    service = models.ForeignKey(PublicService, models.CASCADE, related_name="daily_views")
    day = models.DateField(_("tanggal"))
    views = models.PositiveIntegerField(_("dilihat"), default=0)

    class Meta:
        verbose_name = _("kunjungan halaman layanan")
        verbose_name_plural = _("kunjungan halaman layanan")
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="catalogue_serviceview_day")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.day}: {self.views}"

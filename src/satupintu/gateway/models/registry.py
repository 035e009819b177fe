"""The gateway registry (control plane): members, subsystems, services, client credentials and
access rights, modelled on X-Road's identifiers instance / member class / member code /
subsystem / service code.

Every model is owned by one organisation (the member's) and audited. The data plane never
queries these tables per request: it reads a snapshot (gateway.snapshot) rebuilt when the
registry changes.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import Audited, OrgOwned, OrgOwnedQuerySet, Timestamped

# Identifier parts travel in URL paths and in the X-Road-Client header: keep them to a safe
# alphabet without "/" so a path splits unambiguously.
identifier_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
    _("Gunakan huruf, angka, titik, garis bawah atau tanda hubung (tanpa spasi dan garis miring)."),
)

# Service codes that name X-Road metaservices (served by the gateway itself).
METASERVICES = frozenset({"listMethods", "allowedMethods", "getOpenAPI"})
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def instance_name() -> str:
    return settings.GATEWAY["instance"]


class Member(OrgOwned, Timestamped, Audited):
    """An organisation taking part in data exchange (X-Road member)."""

    class MemberClass(models.TextChoices):
        GOV = "GOV", _("Instansi pemerintah")
        COM = "COM", _("Badan usaha")
        ORG = "ORG", _("Organisasi kemasyarakatan")

    member_class = models.CharField(
        _("kelas anggota"), max_length=8, choices=MemberClass.choices, default=MemberClass.GOV
    )
    member_code = models.CharField(
        _("kode anggota"),
        max_length=64,
        validators=[identifier_validator],
        help_text=_("Contoh: DINKES, DISDUKCAPIL. Dipakai di alamat layanan."),
    )

    class Meta:
        ordering = ["member_class", "member_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_class", "member_code"], name="gateway_member_unique_code"
            ),
            models.UniqueConstraint(fields=["organisation"], name="gateway_member_one_per_org"),
        ]
        verbose_name = _("anggota")
        verbose_name_plural = _("anggota")

    def __str__(self) -> str:
        return self.identifier

    @property
    def identifier(self) -> str:
        return f"{instance_name()}/{self.member_class}/{self.member_code}"


class Subsystem(OrgOwned, Timestamped, Audited):
    """One information system of a member: a provider of services, a client, or both."""

    member = models.ForeignKey(
        Member, models.CASCADE, related_name="subsystems", verbose_name=_("anggota")
    )
    code = models.CharField(
        _("kode subsistem"),
        max_length=64,
        validators=[identifier_validator],
        help_text=_("Contoh: SIMPUS, SIAK. Dipakai di alamat layanan."),
    )
    name = models.CharField(_("nama sistem"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # A client subsystem may prove itself with an OAuth 2 access token (client credentials
    # grant) of this OIDC client instead of an API key; the client must belong to the same OPD.
    oauth_client = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="gateway_subsystems",
        verbose_name=_("klien OAuth 2"),
        help_text=_(
            "Aplikasi OIDC milik OPD ini yang tokennya (grant client credentials) diterima "
            "gerbang sebagai bukti identitas subsistem ini, selain kunci API."
        ),
    )

    class Meta:
        ordering = ["member__member_code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "code"], name="gateway_subsystem_unique_code"
            ),
        ]
        verbose_name = _("subsistem")
        verbose_name_plural = _("subsistem")

    def __str__(self) -> str:
        return self.identifier

    def save(self, *args, **kwargs) -> None:
        self.organisation_id = self.member.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        client = self.oauth_client
        if (
            client is not None
            and self.member_id
            and (client.organisation_id != self.member.organisation_id)
        ):
            raise ValidationError(
                {"oauth_client": _("Klien OAuth 2 harus milik OPD yang sama dengan subsistem.")}
            )

    @property
    def identifier(self) -> str:
        return f"{self.member.identifier}/{self.code}"

    def get_absolute_url(self) -> str:
        return reverse("gateway:subsystem_detail", args=[self.pk])


class Service(OrgOwned, Timestamped, Audited):
    """A REST endpoint a provider subsystem exposes through the gateway."""

    subsystem = models.ForeignKey(
        Subsystem, models.CASCADE, related_name="services", verbose_name=_("subsistem penyedia")
    )
    code = models.CharField(
        _("kode layanan"),
        max_length=64,
        validators=[identifier_validator],
        help_text=_("Contoh: kunjungan-puskesmas. Dipakai di alamat layanan."),
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    base_url = models.URLField(
        _("alamat dasar (base URL)"),
        max_length=500,
        help_text=_(
            "Alamat sistem penyedia, mis. http://10.10.5.21:8080/api. Jalur panggilan "
            "ditambahkan di belakangnya."
        ),
    )
    openapi_document = models.TextField(
        _("dokumen OpenAPI"),
        blank=True,
        help_text=_("Isi dokumen OpenAPI (JSON atau YAML) agar OPD lain tahu cara memanggil."),
    )
    timeout_seconds = models.DecimalField(
        _("batas waktu (detik)"), max_digits=6, decimal_places=2, default=30
    )
    max_body_bytes = models.PositiveIntegerField(
        _("ukuran isi maksimum (bita)"),
        default=10 * 1024 * 1024,
        help_text=_("Berlaku untuk isi permintaan dan isi jawaban."),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("batas panggilan per menit per klien"),
        default=600,
        help_text=_("0 berarti tanpa batas."),
    )
    log_bodies = models.BooleanField(
        _("simpan isi pesan di log"),
        default=False,
        help_text=_(
            "Isi permintaan dan jawaban disimpan terenkripsi. Matikan untuk data pribadi "
            "yang tidak perlu disimpan."
        ),
    )
    health_path = models.CharField(
        _("jalur cek kesehatan"),
        max_length=200,
        blank=True,
        help_text=_(
            "Jalur yang dipanggil berkala untuk memeriksa layanan hidup, mis. /health. "
            "Kosongkan untuk memanggil alamat dasar."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["subsystem__member__member_code", "subsystem__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["subsystem", "code"], name="gateway_service_unique_code"
            ),
        ]
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")

    def __str__(self) -> str:
        return self.identifier

    def save(self, *args, **kwargs) -> None:
        self.organisation_id = self.subsystem.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.code in METASERVICES:
            raise ValidationError({"code": _("Kode ini dipakai gerbang untuk metalayanan.")})
        if self.timeout_seconds is not None and not 0 < self.timeout_seconds <= 600:
            raise ValidationError({"timeout_seconds": _("Isi antara 0,1 dan 600 detik.")})
        if self.base_url and self.base_url.rstrip("/").count("?"):
            raise ValidationError({"base_url": _("Alamat dasar tidak boleh memuat tanda tanya.")})

    @property
    def identifier(self) -> str:
        return f"{self.subsystem.identifier}/{self.code}"

    @property
    def gateway_path(self) -> str:
        return f"/r1/{self.identifier}/"

    def get_absolute_url(self) -> str:
        return reverse("gateway:service_detail", args=[self.pk])


class CredentialQuerySet(OrgOwnedQuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


KEY_PREFIX = "spk_"


def hash_api_key(key: str) -> str:
    """API keys are 256-bit random strings, so a plain SHA-256 is enough to store them safely
    (no dictionary to guess from) and keeps the data plane's lookup a dict access."""
    return hashlib.sha256(key.encode()).hexdigest()


class Credential(OrgOwned, Timestamped, Audited):
    """An API key proving that a call comes from one client subsystem. The key itself is shown
    once, when it is created; only its SHA-256 and a short prefix (to tell keys apart) are kept."""

    subsystem = models.ForeignKey(
        Subsystem, models.CASCADE, related_name="credentials", verbose_name=_("subsistem klien")
    )
    label = models.CharField(
        _("nama kunci"), max_length=120, help_text=_("Contoh: server produksi SIMPUS.")
    )
    key_prefix = models.CharField(_("awalan kunci"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )

    objects = CredentialQuerySet.as_manager()
    audit_masked_fields = ("key_hash",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")

    def __str__(self) -> str:
        return f"{self.label} ({self.key_prefix}…)"

    def save(self, *args, **kwargs) -> None:
        self.organisation_id = self.subsystem.organisation_id
        super().save(*args, **kwargs)

    @classmethod
    def issue(cls, subsystem: Subsystem, label: str, *, user=None, expires_at=None):
        """Create a credential; returns (credential, key). The key is not stored anywhere."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        credential = cls.objects.create(
            subsystem=subsystem,
            label=label,
            key_prefix=key[:12],
            key_hash=hash_api_key(key),
            expires_at=expires_at,
            created_by=user if getattr(user, "pk", None) else None,
        )
        return credential, key

    @property
    def is_usable(self) -> bool:
        if self.revoked_at:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save()


def parse_methods(value: str) -> list[str]:
    methods = sorted(
        {part.strip().upper() for part in value.replace(" ", ",").split(",") if part.strip()}
    )
    unknown = [m for m in methods if m not in HTTP_METHODS]
    if unknown:
        raise ValidationError(_("Metode tidak dikenal: %(m)s.") % {"m": ", ".join(unknown)})
    if not methods:
        raise ValidationError(_("Pilih paling sedikit satu metode."))
    return methods


def parse_path_prefixes(value: str) -> list[str]:
    prefixes = []
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("/"):
            raise ValidationError(_("Awalan jalur harus dimulai dengan '/': %(p)s") % {"p": line})
        if any(segment in {".", ".."} for segment in line.split("/")) or "?" in line:
            raise ValidationError(_("Awalan jalur tidak boleh memuat '.', '..' atau '?'."))
        prefixes.append(line)
    return prefixes or ["/"]


class AccessRightQuerySet(OrgOwnedQuerySet):
    def visible_to(self, user):
        """Rights the user may see: those their organisation granted as provider (through the
        core scoping function) and those granted to their organisation's client subsystems."""
        if not user.is_authenticated:
            return self.none()
        granted = self.for_user(user).values("pk")
        received = self.filter(
            client__organisation_id__in=user.organisation_ids_with_descendants()
        ).values("pk")
        return self.filter(Q(pk__in=granted) | Q(pk__in=received))


class AccessRight(OrgOwned, Timestamped, Audited):
    """Permission for one client subsystem to call one service with some methods under some
    path prefixes. Owned (and granted) by the provider's organisation; the client's
    organisation sees it too."""

    client = models.ForeignKey(
        Subsystem, models.CASCADE, related_name="access_rights", verbose_name=_("subsistem klien")
    )
    service = models.ForeignKey(
        Service, models.CASCADE, related_name="access_rights", verbose_name=_("layanan")
    )
    methods = models.CharField(
        _("metode yang diizinkan"),
        max_length=60,
        default="GET",
        help_text=_("Dipisah koma, mis. GET,POST."),
    )
    path_prefixes = models.TextField(
        _("awalan jalur yang diizinkan"),
        default="/",
        help_text=_("Satu awalan per baris, mis. /kunjungan. '/' berarti semua jalur."),
    )
    valid_until = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    note = models.CharField(
        _("dasar pemberian akses"),
        max_length=255,
        blank=True,
        help_text=_("Mis. nomor perjanjian kerja sama atau nota dinas."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diberikan oleh"),
    )

    objects = AccessRightQuerySet.as_manager()

    class Meta:
        ordering = ["service__code", "client__code"]
        constraints = [
            models.UniqueConstraint(fields=["client", "service"], name="gateway_access_unique"),
        ]
        verbose_name = _("hak akses")
        verbose_name_plural = _("hak akses")

    def __str__(self) -> str:
        return f"{self.client.identifier} → {self.service.identifier}"

    def save(self, *args, **kwargs) -> None:
        self.organisation_id = self.service.organisation_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        try:
            self.methods = ",".join(parse_methods(self.methods or ""))
        except ValidationError as exc:
            errors["methods"] = exc.messages
        try:
            self.path_prefixes = "\n".join(parse_path_prefixes(self.path_prefixes or ""))
        except ValidationError as exc:
            errors["path_prefixes"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def method_list(self) -> list[str]:
        return [m for m in self.methods.split(",") if m]

    @property
    def prefix_list(self) -> list[str]:
        return [p for p in self.path_prefixes.splitlines() if p.strip()] or ["/"]

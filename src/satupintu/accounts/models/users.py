from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core import crypto
from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import Audited, Organisation, Timestamped
from satupintu.core.roles import ORGANISATION_ROLES, STAFF_ROLES, Role
from satupintu.core.validators import NIK, NIP, strip_separators, validate_nik, validate_nip


class AssuranceLevel(models.TextChoices):
    """Identity assurance levels, ordered: a higher level satisfies every lower requirement."""

    P0 = "P0", _("P0 — data diisi sendiri")
    P1 = "P1", _("P1 — kontak terverifikasi")
    P2 = "P2", _("P2 — NIK terverifikasi")


class AccountManager(UserManager):
    """Finds people by NIK or NIP through the keyed-hash columns (the values themselves are
    encrypted with a random IV and cannot be searched)."""

    def find_by_nik(self, nik: str) -> User | None:
        digits = strip_separators(nik)
        return self.filter(nik_hash=crypto.lookup_hash(digits)).first() if digits else None

    def find_by_nip(self, nip: str) -> User | None:
        digits = strip_separators(nip)
        return self.filter(nip_hash=crypto.lookup_hash(digits)).first() if digits else None


class User(Timestamped, Audited, AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a citizen (identified by NIK) or a civil servant (by NIP)."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Warga")
        STAFF = "staff", _("Aparatur (ASN/non-ASN)")

    username = models.CharField(
        _("nama pengguna"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        error_messages={"unique": _("Nama pengguna ini sudah dipakai.")},
    )
    email = models.EmailField(_("email"), blank=True, db_index=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    kind = models.CharField(
        _("jenis akun"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN
    )
    nik = EncryptedTextField(_("NIK"), hash_field="nik_hash")
    nik_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Set when the NIK's region segment is not in the current Kemendagri list (regions split
    # after the NIK was issued): accepted, but flagged for the counter officer to check.
    nik_region_unknown = models.BooleanField(_("kode wilayah NIK tidak dikenal"), default=False)
    nip = EncryptedTextField(_("NIP"), hash_field="nip_hash")
    nip_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = EncryptedTextField(_("nomor HP"))
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(
        _("akses admin Django"),
        default=False,
        help_text=_("Boleh masuk ke halaman admin teknis (/admin/)."),
    )
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)
    # How sure the platform is that the account belongs to the person named (see assurance.py):
    # P0 self-asserted, P1 contact verified, P2 NIK verified. Sent to apps as the `acr` claim.
    assurance_level = models.CharField(
        _("tingkat verifikasi"),
        max_length=2,
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.P0,
    )
    email_verified_at = models.DateTimeField(_("email terverifikasi"), null=True, blank=True)

    objects = AccountManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email", "full_name"]
    audit_exclude_fields = ("updated_at", "last_login", "password", "nik_hash", "nip_hash")
    audit_masked_fields = ("nik", "nip", "phone")

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username

    # --- personal identifiers ------------------------------------------------------------------
    def set_nik(self, value: str) -> NIK | None:
        """Validate and store a NIK (or clear it with ""), keeping the unknown-region flag in
        step. Raises ValidationError for a malformed NIK."""
        if not strip_separators(value):
            self.nik, self.nik_region_unknown = "", False
            return None
        nik = validate_nik(value)
        self.nik, self.nik_region_unknown = str(nik), not nik.region_known
        return nik

    def set_nip(self, value: str) -> NIP | None:
        if not strip_separators(value):
            self.nip = ""
            return None
        nip = validate_nip(value)
        self.nip = str(nip)
        return nip

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name, setter in (("nik", self.set_nik), ("nip", self.set_nip)):
            try:
                setter(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc.error_list
        if errors:
            raise ValidationError(errors)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    # --- roles and permission helpers (used by core.scoping) -----------------------------------
    # `roles` and the organisation scope are computed once per instance (once per request);
    # refresh_from_db() or forget_roles() drops them after memberships change.
    def forget_roles(self) -> None:
        self.__dict__.pop("roles", None)
        self.__dict__.pop("_org_scope_cache", None)

    def refresh_from_db(self, *args, **kwargs) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.forget_roles()

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = {m.role for m in self.memberships.all()}
        if self.kind == self.Kind.CITIZEN:
            roles.add(Role.CITIZEN)
        return frozenset(roles)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & STAFF_ROLES) or self.is_superuser

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or Role.PLATFORM_ADMIN in self.roles

    def organisation_ids(self, roles=ORGANISATION_ROLES) -> set[int]:
        return {m.organisation_id for m in self.memberships.all() if m.role in roles}

    def organisation_ids_with_descendants(self, roles=ORGANISATION_ROLES) -> set[int]:
        """The user's organisations and every organisation below them (a kecamatan's
        operator reaches its kelurahan), computed once per request."""
        cache = self.__dict__.setdefault("_org_scope_cache", {})
        key = frozenset(roles)
        if key not in cache:
            ids = self.organisation_ids(roles)
            frontier = set(ids)
            while frontier:
                frontier = (
                    set(
                        Organisation.objects.filter(parent_id__in=frontier).values_list(
                            "pk", flat=True
                        )
                    )
                    - ids
                )
                ids |= frontier
            cache[key] = ids
        return cache[key]

    def is_member_of(self, organisation, roles=ORGANISATION_ROLES) -> bool:
        return organisation.pk in self.organisation_ids_with_descendants(roles)

    def personal_data_organisation_ids(self) -> set[int]:
        """Organisations answerable for this person's personal data: every one they hold a
        role in (core.masking lets those organisations' admins reveal it)."""
        return {m.organisation_id for m in self.memberships.all()}


class Membership(Timestamped, Audited, models.Model):
    """A user's role in an organisation (a regency-wide role is held through the organisation
    that employs the person, e.g. the walidata through Diskominfo)."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="memberships", verbose_name=_("pengguna")
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name=_("organisasi")
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=[c for c in Role.choices if c[0] != Role.CITIZEN]
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)

    owner_field = "organisation"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            ),
        ]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.organisation.short_name}"


class NikVerification(models.Model):
    """One check of a person's NIK: by an officer at a service counter (who, when, which
    document) or against the population registry (NikVerifier). A successful one raises the
    account to P2."""

    class Method(models.TextChoices):
        COUNTER = "counter", _("Loket layanan (dokumen diperiksa petugas)")
        REGISTRY = "registry", _("Data kependudukan (Dukcapil)")

    class Result(models.TextChoices):
        MATCH = "match", _("Cocok")
        NO_MATCH = "no_match", _("Tidak cocok")
        UNAVAILABLE = "unavailable", _("Layanan tidak tersedia")
        SHAPE_ONLY = "shape_only", _("Hanya format NIK yang diperiksa")

    class Document(models.TextChoices):
        KTP_EL = "ktp_el", _("KTP-el")
        KK = "kk", _("Kartu Keluarga")
        SUKET = "suket", _("Surat keterangan kependudukan")
        KIA = "kia", _("Kartu Identitas Anak")

    user = models.ForeignKey(User, models.CASCADE, related_name="nik_verifications")
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices)
    result = models.CharField(_("hasil"), max_length=12, choices=Result.choices)
    verified_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("petugas")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loket (organisasi)"),
    )
    document = models.CharField(_("dokumen"), max_length=10, choices=Document.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verifikasi NIK")
        verbose_name_plural = _("verifikasi NIK")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_method_display()}: {self.get_result_display()}"

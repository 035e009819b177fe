"""OpenID Connect clients (the OPD apps that sign people in through satupintu), the keys that
sign their ID tokens, and the consent each person gave each app."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from jwcrypto import jwk
from oauth2_provider.models import AbstractApplication, ApplicationManager

from satupintu.core.fields import EncryptedTextField
from satupintu.core.models import Timestamped
from satupintu.core.models.mixins import OrgOwnedQuerySet

from ..hashers import check_client_secret, hash_client_secret

# Scope → what the consent screen tells the person the app will receive.
SCOPES: dict[str, str] = {
    "openid": _("Identitas akun satupintu Anda (kode pengguna)"),
    "profile": _("Nama lengkap dan nama pengguna"),
    "email": _("Alamat email"),
    "phone": _("Nomor HP"),
    "nik": _("NIK (Nomor Induk Kependudukan) lengkap"),
    "nip": _("NIP (untuk aparatur)"),
    "opd": _("OPD/instansi tempat Anda bekerja"),
    "roles": _("Peran Anda di satupintu"),
    # For the servers of OPD apps (client credentials), never shown to people.
    "introspection": _("Memeriksa keabsahan token (untuk server aplikasi)"),
}
# Scopes a client gets unless the owner asks for more; `nik` is never given by default.
DEFAULT_CLIENT_SCOPES = ("openid", "profile", "email")


class ClientManager(ApplicationManager.from_queryset(OrgOwnedQuerySet)):
    pass


class Client(AbstractApplication):
    """An app registered with satupintu (django-oauth-toolkit's Application, swapped in by
    OAUTH2_PROVIDER_APPLICATION_MODEL) with the regency's own fields: which OPD owns it, which
    scopes it may ask for, and its logo on the consent screen."""

    owner_field = "organisation"

    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        related_name="oidc_clients",
        verbose_name=_("OPD pemilik"),
    )
    description = models.CharField(_("keterangan singkat"), max_length=300, blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="client-logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("PNG, JPG, atau WebP, paling besar 200 KB."),
    )
    allowed_scopes = models.CharField(
        _("scope yang diizinkan"),
        max_length=200,
        default=" ".join(DEFAULT_CLIENT_SCOPES),
        help_text=_("Dipisah spasi. Scope nik hanya untuk aplikasi yang berhak atas NIK."),
    )

    can_introspect = models.BooleanField(
        _("boleh memeriksa token aplikasi lain"),
        default=False,
        help_text=_(
            "Untuk gerbang API atau server bersama yang menerima token dari banyak aplikasi. "
            "Tanpa izin ini sebuah aplikasi hanya bisa memeriksa token miliknya sendiri. "
            "Hanya admin platform yang bisa mengaturnya."
        ),
    )
    # The app's entry in the regency's application catalogue (several clients may serve one
    # app, e.g. its web and mobile versions); the entry's "memakai SSO" follows from it.
    catalogue_entry = models.ForeignKey(
        "catalogue.Application",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="oidc_clients",
        verbose_name=_("entri katalog aplikasi"),
        help_text=_("Aplikasi ini di katalog aplikasi daerah (dari OPD pemilik yang sama)."),
    )

    # Secrets are hashed by save() with accounts/hashers.py, not by django-oauth-toolkit's
    # field (which would use the slow password hasher on every token request).
    hash_client_secret = models.BooleanField(default=False, editable=False)

    objects = ClientManager()

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("aplikasi OIDC")
        verbose_name_plural = _("aplikasi OIDC")

    def save(self, *args, **kwargs) -> None:
        self.client_secret = hash_client_secret(self.client_secret)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "catalogue_entry" not in update_fields:
            super().save(*args, **kwargs)
            return
        previous = (
            type(self).objects.filter(pk=self.pk).values_list("catalogue_entry", flat=True).first()
            if self.pk
            else None
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            if previous != self.catalogue_entry_id:
                sync_catalogue_sso(previous, self.catalogue_entry_id)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            entry = self.catalogue_entry_id
            result = super().delete(*args, **kwargs)
            sync_catalogue_sso(entry)
        return result

    def check_secret(self, secret: str) -> bool:
        return check_client_secret(secret, self.client_secret)

    @property
    def allowed_scope_set(self) -> frozenset[str]:
        return frozenset(self.allowed_scopes.split())

    @property
    def jwk_key(self):
        # RS256 ID tokens are signed with the platform's current key (SigningKey), not a key
        # fixed in settings, so keys can be rotated without a restart.
        if self.algorithm == self.RS256_ALGORITHM:
            return SigningKey.current().jwk
        return super().jwk_key

    def clean(self) -> None:
        # The parent's RS256 check looks for a key in settings; ours live in SigningKey.
        algorithm, self.algorithm = self.algorithm, self.NO_ALGORITHM
        try:
            super().clean()
        finally:
            self.algorithm = algorithm


def sync_catalogue_sso(*entry_ids) -> None:
    """Set "memakai SSO satupintu" on these catalogue entries from their links: an entry
    with an OIDC client uses SSO; one whose last client was unlinked or deleted does not."""
    from satupintu.catalogue.models import Answer, Application

    for entry in Application.objects.filter(pk__in=[pk for pk in entry_ids if pk]):
        uses = Answer.YES if entry.oidc_clients.exists() else Answer.NO
        if entry.uses_sso != uses:
            entry.uses_sso = uses
            entry.save()


class SigningKeyQuerySet(models.QuerySet):
    def published(self):
        """Keys a relying party may still need: the active one and retired ones whose ID
        tokens have not expired yet."""
        return self.filter(
            models.Q(retired_at__isnull=True) | models.Q(publish_until__gt=timezone.now())
        )


class SigningKey(Timestamped, models.Model):
    """An RSA key that signs ID tokens. Exactly one is active; `rotate()` creates a new one and
    keeps the old one in the JWKS until every ID token it signed has expired."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    private_pem = EncryptedTextField(_("kunci privat (PEM)"))
    retired_at = models.DateTimeField(_("dipensiunkan"), null=True, blank=True)
    publish_until = models.DateTimeField(_("tampil di JWKS sampai"), null=True, blank=True)

    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kunci penanda tangan")
        verbose_name_plural = _("kunci penanda tangan")

    def __str__(self) -> str:
        return self.kid

    @property
    def jwk(self) -> jwk.JWK:
        # Importing an RSA private key costs tens of milliseconds; keys never change once
        # made, so each process parses each key once.
        key = _JWK_CACHE.get(self.kid)
        if key is None:
            key = _JWK_CACHE[self.kid] = jwk.JWK.from_pem(self.private_pem.encode())
        return key

    @classmethod
    def jwk_for(cls, kid: str) -> jwk.JWK | None:
        """The key with this id (to verify an ID token signed before a rotation)."""
        if kid in _JWK_CACHE:
            return _JWK_CACHE[kid]
        key = cls.objects.filter(kid=kid).first()
        return key.jwk if key else None

    def public_jwk(self) -> dict:
        data = json.loads(self.jwk.export_public())
        return {**data, "alg": "RS256", "use": "sig", "kid": self.kid}

    @classmethod
    def generate(cls) -> SigningKey:
        key = jwk.JWK.generate(kty="RSA", size=2048)
        pem = key.export_to_pem(private_key=True, password=None).decode()
        return cls.objects.create(kid=key.thumbprint(), private_pem=pem)

    @classmethod
    def current(cls) -> SigningKey:
        """The active key, created on first use. Each process remembers it for
        OIDC_SIGNING_KEY_CACHE_SECONDS, so a token grant does not read the key table; rotate()
        keeps the old key published that much longer to cover processes still signing with it.
        """
        now = time.monotonic()
        if _ACTIVE_KEY and now - _ACTIVE_KEY[1] < settings.OIDC_SIGNING_KEY_CACHE_SECONDS:
            return _ACTIVE_KEY[0]
        key = cls.objects.filter(retired_at__isnull=True).order_by("-created_at").first()
        if key is None:
            key = cls.generate()
        _ACTIVE_KEY[:] = [key, now]
        return key

    @classmethod
    def rotate(cls) -> SigningKey:
        """Make a new active key; the previous ones stay published for the lifetime of the
        ID tokens they signed (OAUTH2_PROVIDER['ID_TOKEN_EXPIRE_SECONDS']), plus the time other
        processes may keep signing with the old key before they look again."""
        now = timezone.now()
        lifetime = (
            settings.OAUTH2_PROVIDER["ID_TOKEN_EXPIRE_SECONDS"]
            + settings.OIDC_SIGNING_KEY_CACHE_SECONDS
        )
        cls.objects.filter(retired_at__isnull=True).update(
            retired_at=now, publish_until=now + timedelta(seconds=lifetime)
        )
        _ACTIVE_KEY.clear()
        return cls.generate()


# The active key of this process and when it was read ([key, monotonic time] or empty), and
# every parsed key by kid.
_ACTIVE_KEY: list = []
_JWK_CACHE: dict[str, jwk.JWK] = {}


class Consent(Timestamped, models.Model):
    """The data a person agreed to share with an app; asked again only when the app requests
    more than was agreed. Revoking it (Aplikasi yang terhubung) also revokes the app's tokens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="consents")
    client = models.ForeignKey(Client, models.CASCADE, related_name="consents")
    scopes = models.CharField(_("scope disetujui"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="unique_consent_per_client")
        ]
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")

    def __str__(self) -> str:
        return f"{self.user} → {self.client}: {self.scopes}"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def covers(self, scopes) -> bool:
        return set(scopes) <= self.scope_set

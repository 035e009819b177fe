from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccessQuerySet(models.QuerySet):
    def about(self, obj):
        """Accesses to one record's personal data (e.g. "who saw my NIK" on the profile)."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class PersonalDataAccess(models.Model):
    """One attempt to see a personal-data value unmasked (see core.masking.reveal).

    Written for every granted view, and for every refused one, so the data protection officer
    can answer "who saw this NIK, when and why" (UU 27/2022) and spot probing.
    """

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("yang melihat"),
    )
    # Kept as text too: the log must survive the viewer's account being deleted.
    viewer_name = models.CharField(_("nama yang melihat"), max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    field_name = models.CharField(_("data"), max_length=64)
    reason = models.CharField(_("alasan"), max_length=255)
    granted = models.BooleanField(_("diizinkan"), default=True)
    via = models.CharField(_("melalui"), max_length=60, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("akses data pribadi")
        verbose_name_plural = _("akses data pribadi")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.viewer_name} {self.field_name}"

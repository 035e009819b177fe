from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )

    def for_user(self, user):
        """Entries of records the user's organisations own (all of them for regency-wide
        roles): the change log is as confidential as the records it describes."""
        from ..roles import REGENCY_READER_ROLES

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.roles & REGENCY_READER_ROLES:
            return self
        return self.filter(organisation_id__in=user.organisation_ids_with_descendants())


class ChangeLogEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Dibuat")
        UPDATE = "update", _("Diubah")
        DELETE = "delete", _("Dihapus")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    user_name = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    via = models.CharField(_("melalui"), max_length=60, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    action = models.CharField(_("tindakan"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("objek"), max_length=200)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisasi"),
    )
    # {field: [before, after]}; masked fields carry "***" instead of values.
    changes = models.JSONField(_("perubahan"), default=dict)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("catatan perubahan")
        verbose_name_plural = _("catatan perubahan")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

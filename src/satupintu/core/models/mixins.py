"""Model mixins shared by every app: timestamps, organisation ownership, change logging and
the publication workflow."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..actor import acting_as, current_actor
from ..roles import Role
from ..scoping import can_change, for_user


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True


class OrgOwnedQuerySet(models.QuerySet):
    def for_user(self, user, *, write: bool = False):
        return for_user(self, user, write=write)


class OrgOwned(models.Model):
    """A record owned by one organisation. Read and write access follow core.scoping."""

    owner_field = "organisation"

    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="+", verbose_name=_("organisasi pemilik")
    )

    objects = OrgOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def can_change(self, user) -> bool:
        return can_change(self, user)


class Audited(models.Model):
    """Every create, change and delete of the record is written to the change log
    (core.ChangeLogEntry) with who, when and a before/after diff; see core.signals.

    Fields listed in `audit_masked_fields` are logged as changed without their values
    (personal data never lands in the change log in clear).
    """

    audit_exclude_fields: tuple[str, ...] = ("updated_at",)
    audit_masked_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    # The row and its change-log entry are written in one transaction: a failed log write
    # must not leave a change nobody can account for. Inside a caller's transaction that is
    # the caller's, without a savepoint (two round trips of every audited save, e.g. each new
    # complaint): a failed entry marks it for rollback instead (core.signals), so the caller
    # cannot commit the row alone.
    def save(self, *args, **kwargs) -> None:
        using = kwargs.get("using") or self._state.db or "default"
        if connections[using].in_atomic_block:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        if connections[using].in_atomic_block:
            return super().delete(*args, **kwargs)
        with transaction.atomic(using=using):
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._audit_snapshot = instance.audit_snapshot()
        return instance

    def audit_snapshot(self) -> dict:
        from ..changelog import snapshot

        return snapshot(self)

    def change_log(self):
        from .changelog import ChangeLogEntry

        return ChangeLogEntry.objects.for_object(self)


class Publishable(models.Model):
    """The publication workflow: draft → submitted → published → archived.

    An OPD member submits their organisation's draft (and may withdraw it, or take a published
    row back to draft, with a note); an approver (by default the walidata or a platform admin; a
    model may set `approver_roles`) publishes it or returns it to draft with a note. Published
    rows are public; submitted and archived rows are readable by regency-wide reviewers only
    (see core.scoping). Each move checks the right first, then that the move is allowed from the
    row's current status in the database (not a stale copy), and saves under the mover's name
    in the change log.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        PUBLISHED = "published", _("Terbit")
        ARCHIVED = "archived", _("Diarsipkan")

    PUBLIC_STATUSES = (Status.PUBLISHED,)
    REVIEWABLE_STATUSES = (Status.SUBMITTED, Status.PUBLISHED, Status.ARCHIVED)
    approver_roles = frozenset({Role.WALIDATA, Role.PLATFORM_ADMIN})

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diajukan oleh"),
    )
    published_at = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    review_note = models.TextField(_("catatan pemeriksa"), blank=True)

    class Meta:
        abstract = True

    # Allowed moves: from-status -> to-statuses.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.PUBLISHED, Status.DRAFT},
        Status.PUBLISHED: {Status.ARCHIVED, Status.DRAFT},
        Status.ARCHIVED: {Status.PUBLISHED},
    }

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def can_approve(self, user) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return bool(user.is_superuser or user.roles & self.approver_roles)

    def _move(self, to: str, user, *, allowed: bool, note: str = "") -> None:
        # The right is checked before the status, so someone without it learns nothing about
        # the row's state.
        if not allowed:
            raise PermissionDenied(_("Anda tidak berwenang mengubah status data ini."))
        with transaction.atomic(using=self._state.db):
            if self.pk is not None:
                # Lock the row and use its stored status: two reviewers acting on the same row
                # at once must not both succeed from a stale copy.
                stored = (
                    type(self)
                    ._base_manager.using(self._state.db)
                    .select_for_update()
                    .filter(pk=self.pk)
                    .values_list("status", flat=True)
                    .first()
                )
                if stored is not None:
                    self.status = stored
            if to not in self.TRANSITIONS.get(self.status, set()):
                raise ValidationError(
                    _("Status tidak dapat diubah dari %(from)s ke %(to)s.")
                    % {"from": self.get_status_display(), "to": self.Status(to).label},
                    code="invalid_transition",
                )
            now = timezone.now()
            self.status = to
            if to == self.Status.SUBMITTED:
                self.submitted_at, self.submitted_by = now, user
            elif to == self.Status.PUBLISHED:
                self.published_at, self.approved_by = now, user
            self.review_note = note
            actor = current_actor()
            if actor.user is None and getattr(user, "is_authenticated", False):
                # Called outside a request (a task, a command): the change log still names
                # the person who made the move.
                with acting_as(user, via=actor.via or "workflow", ip=actor.ip):
                    self.save()
            else:
                self.save()

    def submit(self, user) -> None:
        self._move(self.Status.SUBMITTED, user, allowed=self._owned_by(user))

    def approve(self, user, note: str = "") -> None:
        self._move(self.Status.PUBLISHED, user, allowed=self.can_approve(user), note=note)

    def return_to_draft(self, user, note: str) -> None:
        if not note.strip():
            raise ValidationError(
                _("Tuliskan alasan pengembalian agar OPD tahu apa yang diperbaiki.")
            )
        # The owner may withdraw a submission or take a published row back to fix it.
        allowed = self.can_approve(user) or (
            self.status in (self.Status.SUBMITTED, self.Status.PUBLISHED) and self._owned_by(user)
        )
        self._move(self.Status.DRAFT, user, allowed=allowed, note=note)

    def archive(self, user) -> None:
        self._move(
            self.Status.ARCHIVED, user, allowed=self.can_approve(user) or self._owned_by(user)
        )

    def _owned_by(self, user) -> bool:
        checker = getattr(self, "can_change", None)
        return bool(checker and checker(user))

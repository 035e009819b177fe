"""The only way to change a report. Each function is one transaction that writes a
ReportUpdate, publishes events and (for public updates) e-mails the reporter and followers.
Bad input raises django.core.exceptions.ValidationError with per-field messages; a refused
right raises PermissionDenied. Nothing is half-saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.actor import acting_as, current_actor

from . import deadlines, submission_rules
from .duplicates import find_duplicates
from .models import (
    Report,
    ReportFollower,
    ReportPhoto,
    ReportUpdate,
)
from .notifications import notify_public_update
from .photos import validate_photos
from .publicity import mask_personal_data
from .references import next_reference
from .routing import route

__all__ = [
    "TRANSITIONS",
    "add_note",
    "can_handle",
    "change_status",
    "find_duplicates",
    "merge",
    "rate",
    "reassign",
    "reopen",
    "submit_report",
]

S = Report.Status

# Allowed staff moves: from-status -> to-statuses. Reopening is the reporter's (reopen()).
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.REJECTED},
    S.VERIFIED: {S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED},
    S.ASSIGNED: {S.IN_PROGRESS, S.RESOLVED, S.REJECTED},
    S.IN_PROGRESS: {S.ASSIGNED, S.RESOLVED, S.REJECTED},
    S.RESOLVED: {S.CLOSED},
    S.CLOSED: set(),
    S.REJECTED: set(),
    S.REOPENED: {S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED},
}


# --- submission --------------------------------------------------------------------------------


def submit_report(
    *,
    category,
    title,
    description,
    channel,
    reporter=None,
    contact=None,
    latitude=None,
    longitude=None,
    address="",
    region=None,
    is_anonymous=False,
    is_public=True,
    photos: Iterable = (),
    attributes=None,
    api_client=None,
) -> Report:
    """Validate, mask, process photos, route, set deadlines and save a new report."""
    if channel not in Report.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    title, description, lat, lon, address = submission_rules.validate_submission(
        category=category,
        title=title,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        region=region,
    )
    contact = submission_rules.validate_contact(contact)
    attribute_values = submission_rules.validate_attributes(category, attributes)
    # Photos are decoded and re-encoded before any row is written: a bad file saves nothing.
    clean_photos = validate_photos(photos)
    reporter = reporter if getattr(reporter, "is_authenticated", False) else None
    if reporter is None and not any(contact.values()) and not is_anonymous:
        is_anonymous = True
    where = route(category, region=region, latitude=lat, longitude=lon)

    with transaction.atomic(), _acting(reporter, channel):
        now = timezone.now()
        report = Report(
            reference=next_reference(now),
            category=category,
            organisation=where.organisation,
            area_organisation=where.area_organisation,
            title=title,
            description=description,
            public_description=mask_personal_data(description),
            latitude=lat,
            longitude=lon,
            address=address,
            region=where.region,
            reporter=reporter,
            contact_name=contact.get("name", ""),
            contact_email=contact.get("email", ""),
            contact_phone=contact.get("phone", ""),
            is_anonymous=bool(is_anonymous),
            is_public=bool(is_public),
            channel=channel,
            attribute_values=attribute_values,
            api_client=api_client,
        )
        # Titles are public too.
        report.title = mask_personal_data(report.title)
        deadlines.set_initial(report, now)
        report.save()
        for photo in clean_photos:
            ReportPhoto.objects.create(report=report, image=photo, is_public=bool(is_public))
        update = ReportUpdate.objects.create(
            report=report,
            author=reporter,
            kind=ReportUpdate.Kind.STATUS,
            status_to=S.RECEIVED,
            message=_(
                "Laporan diterima dengan nomor %(ref)s dan diteruskan ke %(org)s. "
                "Tanggapan paling lambat %(due)s."
            )
            % {
                "ref": report.reference,
                "org": report.organisation.name,
                "due": timezone.localtime(report.response_due).strftime("%d-%m-%Y"),
            },
            is_public=True,
            created_at=now,
        )
        _publish("complaints.created", report)
        # A new report has no followers yet: without an address there is nobody to tell,
        # and no task to queue.
        if report.contact_email or (reporter is not None and reporter.email):
            notify_public_update(update)
    return report


# --- staff moves -------------------------------------------------------------------------------


def can_handle(report: Report, user) -> bool:
    """Whether `user` may act on the report as staff (its OPD, its area organisation,
    or a platform admin)."""
    return Report.objects.for_user(user, write=True).filter(pk=report.pk).exists()


def _require_staff(report: Report, actor) -> None:
    if not can_handle(report, actor):
        raise PermissionDenied(_("Anda tidak berwenang menangani laporan ini."))


def _locked(report: Report) -> Report:
    """The stored row, locked: decisions are made on the database's state, not a stale copy."""
    fresh = (
        Report.objects.select_for_update()
        .select_related("category", "organisation")
        .get(pk=report.pk)
    )
    return fresh


def _sync(target: Report, source: Report) -> None:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def change_status(
    report: Report, new_status: str, *, actor, message: str = "", is_public: bool = True
) -> Report:
    _require_staff(report, actor)
    message = (message or "").strip()
    with transaction.atomic(), _acting(actor, "web"):
        fresh = _locked(report)
        old = fresh.status
        if new_status not in TRANSITIONS.get(old, set()):
            raise ValidationError(
                {
                    "status": [
                        _("Status tidak dapat diubah dari %(from)s ke %(to)s.")
                        % {
                            "from": S(old).label,
                            "to": S(new_status).label if new_status in S.values else new_status,
                        }
                    ]
                },
                code="invalid_transition",
            )
        if new_status == S.REJECTED and not message:
            raise ValidationError(
                {"message": [_("Tuliskan alasan penolakan; alasan ini dikirim ke pelapor.")]}
            )
        if new_status == S.RESOLVED and not message:
            raise ValidationError(
                {"message": [_("Jelaskan apa yang sudah dikerjakan; pelapor akan membacanya.")]}
            )
        now = timezone.now()
        fresh.status = new_status
        deadlines.mark_responded(fresh, now)
        if new_status == S.RESOLVED:
            fresh.resolved_at = now
        elif new_status in (S.CLOSED, S.REJECTED):
            fresh.closed_at = now
        if new_status == S.ASSIGNED and fresh.assignee_id is None:
            fresh.assignee = actor if getattr(actor, "is_authenticated", False) else None
        fresh.save()
        # A rejection's reason always goes to the reporter.
        public = True if new_status == S.REJECTED else is_public
        update = ReportUpdate.objects.create(
            report=fresh,
            author=actor,
            kind=ReportUpdate.Kind.STATUS,
            status_from=old,
            status_to=new_status,
            message=mask_personal_data(message) if public else message,
            is_public=public,
            created_at=now,
        )
        _publish("complaints.status_changed", fresh, status_from=old)
        notify_public_update(update)
    _sync(report, fresh)
    return report


def assign(report: Report, officer, *, actor, message: str = "") -> Report:
    """Give the report to one officer of the handling organisation (status → assigned)."""
    _require_staff(report, actor)
    if officer is None or not can_handle(report, officer):
        raise ValidationError(
            {"assignee": [_("Petugas harus anggota OPD atau wilayah yang menangani laporan.")]}
        )
    with transaction.atomic():
        fresh = _locked(report)
        fresh.assignee = officer
        fresh.save(update_fields=["assignee", "updated_at"])
        _sync(report, fresh)
        if report.status != S.ASSIGNED and S.ASSIGNED in TRANSITIONS.get(report.status, set()):
            return change_status(
                report,
                S.ASSIGNED,
                actor=actor,
                message=message or _("Laporan didisposisikan ke petugas untuk ditindaklanjuti."),
            )
        ReportUpdate.objects.create(
            report=fresh,
            author=actor,
            kind=ReportUpdate.Kind.INTERNAL_NOTE,
            message=_("Petugas: %(name)s") % {"name": officer.get_full_name()},
            is_public=False,
        )
    return report


def add_note(report: Report, *, actor, message: str, is_public: bool) -> ReportUpdate:
    """An internal note (staff only) or a public update (sent to the reporter)."""
    _require_staff(report, actor)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Tulis isi catatan atau kabar terlebih dahulu.")]})
    limit = submission_rules.DESCRIPTION_MAX
    if len(message) > limit:
        raise ValidationError({"message": [_("Paling panjang %(n)d karakter.") % {"n": limit}]})
    with transaction.atomic(), _acting(actor, "web"):
        fresh = _locked(report)
        if is_public and fresh.responded_at is None:
            deadlines.mark_responded(fresh)
            fresh.save(update_fields=["responded_at", "escalation_level", "updated_at"])
        update = ReportUpdate.objects.create(
            report=fresh,
            author=actor,
            kind=ReportUpdate.Kind.PUBLIC_UPDATE if is_public else ReportUpdate.Kind.INTERNAL_NOTE,
            message=mask_personal_data(message) if is_public else message,
            is_public=bool(is_public),
        )
        notify_public_update(update)
    _sync(report, fresh)
    return update


def reassign(report: Report, organisation, *, actor, reason: str) -> Report:
    """Hand the report to another OPD (wrong category owner, another agency's asset)."""
    _require_staff(report, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan pengalihan ke OPD lain.")]})
    if organisation is None or not organisation.is_active:
        raise ValidationError({"organisation": [_("Pilih OPD tujuan yang aktif.")]})
    with transaction.atomic(), _acting(actor, "web"):
        fresh = _locked(report)
        if not fresh.is_open:
            raise ValidationError(
                {"organisation": [_("Laporan yang sudah selesai tidak dapat dialihkan.")]}
            )
        if organisation.pk == fresh.organisation_id:
            raise ValidationError({"organisation": [_("Laporan sudah ditangani OPD ini.")]})
        previous = fresh.organisation
        fresh.organisation = organisation
        fresh.assignee = None
        if fresh.responded_at is None:
            deadlines.restart_response(fresh)
        fresh.save()
        update = ReportUpdate.objects.create(
            report=fresh,
            author=actor,
            kind=ReportUpdate.Kind.REASSIGNMENT,
            message=_("Dialihkan dari %(from)s ke %(to)s: %(reason)s")
            % {"from": previous.name, "to": organisation.name, "reason": reason},
            is_public=True,
        )
        _publish("complaints.status_changed", fresh, status_from=fresh.status)
        notify_public_update(update)
    _sync(report, fresh)
    return report


def merge(duplicate: Report, original: Report, *, actor) -> Report:
    """Close `duplicate` into `original`: its reporter follows the original from now on."""
    _require_staff(duplicate, actor)
    if duplicate.pk == original.pk:
        raise ValidationError({"original": [_("Laporan tidak dapat digabung ke dirinya sendiri.")]})
    with transaction.atomic(), _acting(actor, "web"):
        dup = _locked(duplicate)
        orig = _locked(original)
        if orig.duplicate_of_id is not None:
            raise ValidationError(
                {"original": [_("Laporan tujuan sendiri sudah digabung ke laporan lain.")]}
            )
        if dup.duplicate_of_id is not None or not dup.is_open:
            raise ValidationError(
                {"duplicate": [_("Laporan ini sudah selesai atau sudah digabung.")]}
            )
        old = dup.status
        now = timezone.now()
        dup.duplicate_of = orig
        dup.status = S.CLOSED
        dup.closed_at = now
        deadlines.mark_responded(dup, now)
        dup.save()
        if dup.reporter_id and dup.reporter_id != orig.reporter_id:
            ReportFollower.objects.get_or_create(report=orig, user_id=dup.reporter_id)
        for follower in dup.followers.all():
            if follower.user_id != orig.reporter_id:
                ReportFollower.objects.get_or_create(report=orig, user_id=follower.user_id)
        update = ReportUpdate.objects.create(
            report=dup,
            author=actor,
            kind=ReportUpdate.Kind.MERGE,
            status_from=old,
            status_to=S.CLOSED,
            message=_(
                "Laporan ini sama dengan %(ref)s dan digabung ke sana; kabar selanjutnya "
                "dikirim dari laporan %(ref)s."
            )
            % {"ref": orig.reference},
            is_public=True,
            created_at=now,
        )
        ReportUpdate.objects.create(
            report=orig,
            author=actor,
            kind=ReportUpdate.Kind.MERGE,
            message=_("Laporan %(ref)s digabung ke laporan ini.") % {"ref": dup.reference},
            is_public=False,
            created_at=now,
        )
        _publish("complaints.status_changed", dup, status_from=old)
        notify_public_update(update)
    _sync(duplicate, dup)
    return duplicate


# --- the reporter's moves ----------------------------------------------------------------------


def _require_reporter(report: Report, user) -> None:
    if not getattr(user, "is_authenticated", False) or report.reporter_id != user.pk:
        raise PermissionDenied(_("Hanya pelapor yang dapat melakukan ini."))


def rate(report: Report, *, user, rating, comment: str = "", signed_link: bool = False) -> Report:
    """The reporter rates the resolution: signed in (`user`), or without an account through
    the signed link of the "resolved" e-mail (`signed_link`: the caller checked it, see
    rating_links.py)."""
    if not signed_link:
        _require_reporter(report, user)
    elif report.reporter_id is not None:
        raise PermissionDenied(_("Pelapor yang punya akun menilai dari halaman laporannya."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Pilih nilai 1 sampai 5 bintang.")]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": [_("Komentar paling panjang 1000 karakter.")]})
    with transaction.atomic(), _acting(user, "web"):
        fresh = _locked(report)
        if fresh.status not in (S.RESOLVED, S.CLOSED) or fresh.duplicate_of_id:
            raise ValidationError(
                {"rating": [_("Penilaian dapat diberikan setelah laporan selesai ditangani.")]}
            )
        if fresh.rating is not None:
            raise ValidationError({"rating": [_("Anda sudah menilai penanganan laporan ini.")]})
        fresh.rating = rating
        fresh.rating_comment = mask_personal_data(comment)
        fresh.save(update_fields=["rating", "rating_comment", "updated_at"])
        ReportUpdate.objects.create(
            report=fresh,
            author=user,
            kind=ReportUpdate.Kind.RATING,
            message=_("Pelapor memberi nilai %(n)d dari 5.") % {"n": rating}
            + (f" {fresh.rating_comment}" if comment else ""),
            is_public=True,
        )
    _sync(report, fresh)
    return report


def reopen(report: Report, *, user, reason: str) -> Report:
    """The reporter reopens a resolved report within COMPLAINTS["reopen_days"] days."""
    _require_reporter(report, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan mengapa masalahnya belum selesai.")]})
    days = settings.COMPLAINTS["reopen_days"]
    with transaction.atomic(), _acting(user, "web"):
        fresh = _locked(report)
        if fresh.status != S.RESOLVED:
            raise ValidationError(
                {"status": [_("Hanya laporan yang selesai ditangani yang dapat dibuka kembali.")]}
            )
        if fresh.resolved_at and timezone.now() - fresh.resolved_at > dt.timedelta(days=days):
            raise ValidationError(
                {
                    "status": [
                        _(
                            "Laporan hanya dapat dibuka kembali dalam %(n)d hari setelah "
                            "selesai. Kirim laporan baru."
                        )
                        % {"n": days}
                    ]
                }
            )
        old = fresh.status
        fresh.status = S.REOPENED
        fresh.resolved_at = None
        fresh.closed_at = None
        deadlines.restart_completion(fresh)
        fresh.save()
        update = ReportUpdate.objects.create(
            report=fresh,
            author=user,
            kind=ReportUpdate.Kind.STATUS,
            status_from=old,
            status_to=S.REOPENED,
            message=mask_personal_data(reason),
            is_public=True,
        )
        _publish("complaints.status_changed", fresh, status_from=old)
        notify_public_update(update)
    _sync(report, fresh)
    return report


def close_stale_resolved(now=None) -> int:
    """Close resolved reports whose reopening window has passed (periodic task)."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.COMPLAINTS["reopen_days"])
    count = 0
    for pk in Report.objects.filter(status=S.RESOLVED, resolved_at__lt=limit).values_list(
        "pk", flat=True
    ):
        with transaction.atomic(), acting_as(None, via="task:close_stale_resolved"):
            fresh = Report.objects.select_for_update().filter(pk=pk, status=S.RESOLVED).first()
            if fresh is None:
                continue
            fresh.status = S.CLOSED
            fresh.closed_at = now
            fresh.save(update_fields=["status", "closed_at", "updated_at"])
            ReportUpdate.objects.create(
                report=fresh,
                kind=ReportUpdate.Kind.STATUS,
                status_from=S.RESOLVED,
                status_to=S.CLOSED,
                message=_("Ditutup otomatis: tidak dibuka kembali dalam %(n)d hari.")
                % {"n": settings.COMPLAINTS["reopen_days"]},
                is_public=True,
                created_at=now,
            )
            _publish("complaints.status_changed", fresh, status_from=S.RESOLVED)
            count += 1
    return count


# --- helpers -----------------------------------------------------------------------------------


def _publish(event_type: str, report: Report, **extra) -> None:
    from satupintu.events.publishing import publish

    payload = {
        "reference": report.reference,
        "token": str(report.token),
        "category": report.category.code,
        "status": report.status,
        "organisation": report.organisation.code,
        "channel": report.channel,
        "is_public": report.is_public,
        **extra,
    }
    publish(event_type, payload, organisation=report.organisation)


class _acting:
    """Name the acting person in the change log when called outside a request."""

    def __init__(self, user, via: str):
        self.user, self.via, self._cm = user, via, None

    def __enter__(self):
        actor = current_actor()
        if actor.user is None and getattr(self.user, "is_authenticated", False):
            self._cm = acting_as(self.user, via=actor.via or self.via, ip=actor.ip)
            self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        if self._cm is not None:
            return self._cm.__exit__(*exc)
        return False

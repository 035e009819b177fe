"""E-mail to the people of a report: the reporter (and followers) on every public update,
the OPD head and Diskominfo on escalation. Sent after the transaction commits, through the
task queue, so a rolled-back change sends nothing and a slow mail server slows nobody."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from satupintu.core.roles import Role

from .rating_links import RATING_LINK_DAYS, rating_url, wants_link

# Set while the demo loader writes its history: nobody should get e-mail about made-up reports.
_muted: ContextVar[bool] = ContextVar("complaints_mail_muted", default=False)


@contextlib.contextmanager
def muted():
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def public_url(report) -> str:
    return f"{settings.SITE_URL}/pengaduan/{report.reference}/"


def staff_url(report) -> str:
    return f"{settings.SITE_URL}{report.get_absolute_url()}"


def reporter_addresses(report) -> list[str]:
    addresses = []
    if report.reporter_id and report.reporter.email:
        addresses.append(report.reporter.email)
    elif report.contact_email:
        addresses.append(report.contact_email)
    addresses += [f.user.email for f in report.followers.select_related("user") if f.user.email]
    return list(dict.fromkeys(addresses))


def organisation_addresses(organisation, roles=frozenset({Role.OPD_ADMIN})) -> list[str]:
    """The organisation's official address and its admins' addresses."""
    from satupintu.accounts.models import Membership

    addresses = [organisation.email] if organisation.email else []
    addresses += (
        Membership.objects.filter(organisation=organisation, role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(addresses))


def notify_public_update(update) -> None:
    """Queue the e-mail about one public ReportUpdate to the reporter and followers."""
    if not update.is_public or is_muted():
        return
    from .tasks import send_update_email

    transaction.on_commit(lambda: send_update_email.enqueue(update.pk))


def update_email(update, rating_url: str | None = None) -> tuple[str, str, list[str]]:
    report = update.report
    subject = _("[%(ref)s] %(status)s: %(title)s") % {
        "ref": report.reference,
        "status": report.get_status_display(),
        "title": report.title,
    }
    lines = [
        _("Laporan Anda %(ref)s di OKU Menyapa mendapat kabar baru.") % {"ref": report.reference},
        "",
        _("Status: %(status)s") % {"status": report.get_status_display()},
    ]
    if update.message:
        lines += ["", update.message]
    if rating_url:
        lines += [
            "",
            _(
                "Bagaimana penanganannya? Beri penilaian (1–5 bintang) lewat tautan ini, berlaku "
                "%(days)d hari dan hanya untuk Anda:"
            )
            % {"days": RATING_LINK_DAYS},
            rating_url,
        ]
    lines += [
        "",
        _("Lihat riwayat lengkapnya: %(url)s") % {"url": public_url(report)},
        "",
        _("Email ini dikirim otomatis; jangan dibalas."),
    ]
    return subject, "\n".join(lines), reporter_addresses(report)


def update_emails(update) -> list[tuple[str, str, list[str]]]:
    """The messages about one public update. Everyone (reporter and followers) gets the same
    one, except that a reporter without an account gets, with the "resolved" update, their
    own copy carrying the signed rating link (rating_links.py); followers never see it."""
    report = update.report
    if update.status_to != report.Status.RESOLVED or not wants_link(report):
        subject, body, recipients = update_email(update)
        return [(subject, body, recipients)] if recipients else []
    subject, body, recipients = update_email(update, rating_url(report))
    messages = [(subject, body, [report.contact_email])]
    others = [address for address in recipients if address != report.contact_email]
    if others:
        messages.append((subject, update_email(update)[1], others))
    return messages


def escalation_email(report, level: int) -> tuple[str, str, list[str]]:
    from satupintu.core.models import Organisation

    if level == 1:
        recipients = organisation_addresses(report.organisation)
        who = _("Kepala %(org)s") % {"org": report.organisation.name}
    else:
        code = settings.COMPLAINTS["escalation_organisation"]
        top = Organisation.objects.filter(code=code).first()
        recipients = (
            organisation_addresses(top, frozenset({Role.OPD_ADMIN, Role.PLATFORM_ADMIN}))
            if top
            else []
        )
        who = top.name if top else code
    subject = _("[%(ref)s] Batas waktu terlampaui: %(title)s") % {
        "ref": report.reference,
        "title": report.title,
    }
    body = "\n".join(
        [
            _("Yth. %(who)s,") % {"who": who},
            "",
            _(
                "Laporan %(ref)s (%(category)s) yang ditangani %(org)s melewati batas waktu "
                "%(due)s dan belum ditindaklanjuti."
            )
            % {
                "ref": report.reference,
                "category": report.category.name,
                "org": report.organisation.name,
                "due": _local(report.current_due()),
            },
            "",
            _("Buka laporan: %(url)s") % {"url": staff_url(report)},
        ]
    )
    return subject, body, recipients


def _local(value) -> str:
    from django.utils import timezone

    if value is None:
        return "-"
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")

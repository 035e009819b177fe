"""Deadlines of a report, in working days (workdays.py), and escalation when they pass.

- On submission: respond within the category's `response_days`, complete within
  `completion_days`.
- The first response (any staff move out of "received", or a public update) stops the response
  clock and resets the escalation level: escalation then watches the completion deadline.
- Reassignment to another OPD before the first response restarts the response clock; reopening
  restarts the completion clock.
- A passed deadline escalates to the OPD head (level 1) at once and to Diskominfo (level 2)
  `COMPLAINTS["escalation_grace_days"]` working days later (`escalate_overdue`, run every 15
  minutes by tasks.escalate_overdue_reports).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Report, ReportUpdate
from .workdays import add_working_days, add_working_days_each


def set_initial(report: Report, start=None) -> None:
    report.response_due, report.completion_due = add_working_days_each(
        start or timezone.now(), report.category.response_days, report.category.completion_days
    )


def restart_response(report: Report, start=None) -> None:
    report.response_due = add_working_days(start or timezone.now(), report.category.response_days)
    report.escalation_level = Report.Escalation.NONE


def restart_completion(report: Report, start=None) -> None:
    start = start or timezone.now()
    report.completion_due = add_working_days(start, report.category.completion_days)
    report.escalation_level = Report.Escalation.NONE


def mark_responded(report: Report, now=None) -> None:
    if report.responded_at is None:
        report.responded_at = now or timezone.now()
        report.escalation_level = Report.Escalation.NONE


def target_level(report: Report, now) -> int:
    due = report.current_due()
    if due is None or now <= due:
        return Report.Escalation.NONE
    grace = settings.COMPLAINTS["escalation_grace_days"]
    if now > add_working_days(due, grace):
        return Report.Escalation.DISKOMINFO
    return Report.Escalation.OPD_HEAD


def escalate_overdue(now=None) -> int:
    """Escalate every open report whose current deadline has passed; returns how many moved
    up a level. Idempotent: a report is escalated once per level."""
    now = now or timezone.now()
    candidates = (
        Report.objects.open()
        .filter(duplicate_of__isnull=True, escalation_level__lt=Report.Escalation.DISKOMINFO)
        # Only rows with some deadline already behind us; target_level decides which.
        .filter(Q(response_due__lt=now) | Q(completion_due__lt=now))
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in list(candidates):
        moved += _escalate_one(pk, now)
    return moved


def _escalate_one(pk: int, now) -> int:
    from satupintu.events.publishing import publish

    from .notifications import escalation_email, is_muted

    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("category", "organisation")
            .filter(pk=pk)
            .first()
        )
        if report is None or not report.is_open:
            return 0
        level = target_level(report, now)
        if level <= report.escalation_level:
            return 0
        due = report.current_due()
        mails = []
        for step in range(report.escalation_level + 1, level + 1):
            label = Report.Escalation(step).label
            ReportUpdate.objects.create(
                report=report,
                kind=ReportUpdate.Kind.ESCALATION,
                message=_("Batas waktu %(due)s terlampaui; dieskalasi ke %(to)s.")
                % {"due": timezone.localtime(due).strftime("%d-%m-%Y %H:%M"), "to": label},
                is_public=False,
                created_at=now,
            )
            publish(
                "complaints.deadline_breached",
                {
                    "reference": report.reference,
                    "category": report.category.code,
                    "status": report.status,
                    "organisation": report.organisation.code,
                    "deadline": "response" if report.responded_at is None else "completion",
                    "due": due.isoformat(),
                    "escalation_level": step,
                },
                organisation=report.organisation,
            )
            mails.append(escalation_email(report, step))
        report.escalation_level = level
        report.save(update_fields=["escalation_level", "updated_at"])
        if not is_muted():
            transaction.on_commit(lambda: _send_all(mails))
    return 1


def _send_all(mails) -> None:
    for subject, body, recipients in mails:
        if recipients:
            send_mail(subject, body, None, recipients, fail_silently=True)

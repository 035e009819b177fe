"""Background work of complaints: e-mail about public updates, escalation of passed deadlines
every 15 minutes, and closing resolved reports nobody reopened."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task

from satupintu.core.taskqueue import crontab, periodic, retry


@task
@retry(retries=3, delay=60)
def send_update_email(update_id: int) -> int:
    from .models import ReportUpdate
    from .notifications import update_emails

    update = (
        ReportUpdate.objects.select_related("report", "report__reporter")
        .filter(pk=update_id, is_public=True)
        .first()
    )
    if update is None:
        return 0
    return sum(
        send_mail(subject, body, None, recipients)
        for subject, body, recipients in update_emails(update)
    )


@periodic(crontab(minute="*/15"))
@task
def escalate_overdue_reports() -> int:
    from .deadlines import escalate_overdue

    return escalate_overdue()


@periodic(crontab(minute="30", hour="1"))
@task
def close_stale_resolved_reports() -> int:
    from .services import close_stale_resolved

    return close_stale_resolved()


@periodic(crontab(minute="10", hour="*"))
@task
def sync_lapor_statuses() -> dict:
    """Fetch the SP4N-LAPOR! status of forwarded reports (lapor.py); hourly."""
    from .lapor import sync_all

    return sync_all()

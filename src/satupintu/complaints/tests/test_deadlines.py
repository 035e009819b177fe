"""Working days, deadlines and escalation, with a frozen clock (time-machine)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from satupintu.complaints import services
from satupintu.complaints.deadlines import escalate_overdue
from satupintu.complaints.models import Report
from satupintu.complaints.services import close_stale_resolved
from satupintu.complaints.workdays import add_working_days, working_days_between
from satupintu.events.models import Event

WIB = ZoneInfo("Asia/Jakarta")
S = Report.Status


def wib(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


@pytest.mark.django_db
def test_working_days_skip_weekends_and_holidays(holidays_2026):
    friday = wib(2026, 12, 18, 10, 0)
    assert add_working_days(friday, 3) == wib(2026, 12, 23, 23, 59, 59)
    # 24 Dec (cuti bersama) and 25 Dec (Natal) are skipped like the weekend.
    assert add_working_days(friday, 5) == wib(2026, 12, 29, 23, 59, 59)
    saturday = wib(2026, 12, 19, 21, 0)
    assert add_working_days(saturday, 1) == wib(2026, 12, 21, 23, 59, 59)
    assert add_working_days(friday, 0) == wib(2026, 12, 18, 23, 59, 59)
    assert working_days_between(friday, wib(2026, 12, 29, 8, 0)) == 5


@pytest.mark.django_db
def test_deadlines_follow_the_category_in_working_days(submit, holidays_2026):
    with time_machine.travel(wib(2026, 12, 18, 10, 0), tick=False):
        report = submit()
    assert report.response_due == wib(2026, 12, 23, 23, 59, 59)
    # 10 working days from Friday 18 Dec skip three weekends, 24 and 25 Dec (1 Jan 2027 is
    # not in this calendar): Tuesday 5 Jan.
    assert report.completion_due == wib(2027, 1, 5, 23, 59, 59)


@pytest.mark.django_db
def test_escalation_to_opd_head_then_diskominfo(
    submit, pupr_operator, pupr_head, platform_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with time_machine.travel(wib(2026, 11, 30, 9, 0), tick=False):
        report = submit()
    assert report.response_due == wib(2026, 12, 3, 23, 59, 59)

    with time_machine.travel(wib(2026, 12, 3, 20, 0), tick=False):
        assert escalate_overdue() == 0

    with (
        time_machine.travel(wib(2026, 12, 4, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalate_overdue() == 1
        assert escalate_overdue() == 0  # once per level
    report.refresh_from_db()
    assert report.escalation_level == Report.Escalation.OPD_HEAD
    breach = Event.objects.get(event_type="complaints.deadline_breached")
    assert breach.payload["escalation_level"] == 1 and breach.payload["deadline"] == "response"
    assert "siti" not in str(breach.payload).lower()
    head_mail = mailoutbox[-1]
    assert pupr_head.email in head_mail.to and "pupr@okukab.go.id" in " ".join(head_mail.to)
    assert report.reference in head_mail.subject
    escalation_note = report.updates.get(kind="escalation")
    assert escalation_note.is_public is False

    # Two working days of grace after Thursday's deadline: Monday 7 Dec is still the head's.
    with time_machine.travel(wib(2026, 12, 7, 22, 0), tick=False):
        assert escalate_overdue() == 0
    with (
        time_machine.travel(wib(2026, 12, 8, 9, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalate_overdue() == 1
    report.refresh_from_db()
    assert report.escalation_level == Report.Escalation.DISKOMINFO
    assert platform_admin.email in mailoutbox[-1].to

    # The first response resets the escalation; then the completion deadline is watched.
    with time_machine.travel(wib(2026, 12, 8, 10, 0), tick=False):
        services.change_status(report, S.VERIFIED, actor=pupr_operator)
    report.refresh_from_db()
    assert report.escalation_level == 0
    assert report.current_due() == report.completion_due == wib(2026, 12, 14, 23, 59, 59)
    with time_machine.travel(wib(2026, 12, 15, 8, 0), tick=False):
        assert escalate_overdue() == 1
    assert Event.objects.filter(event_type="complaints.deadline_breached").count() == 3
    assert Event.objects.filter(payload__deadline="completion").count() == 1


@pytest.mark.django_db
def test_closed_reports_and_merged_duplicates_are_never_escalated(submit, pupr_operator):
    with time_machine.travel(wib(2026, 11, 30, 9, 0), tick=False):
        report = submit()
        services.change_status(report, S.REJECTED, actor=pupr_operator, message="Jalan nasional.")
    with time_machine.travel(wib(2027, 2, 1, 9, 0), tick=False):
        assert escalate_overdue() == 0


@pytest.mark.django_db
def test_reassignment_restarts_the_response_clock(submit, pupr_operator, organisations):
    with time_machine.travel(wib(2026, 11, 30, 9, 0), tick=False):
        report = submit()
    with time_machine.travel(wib(2026, 12, 2, 9, 0), tick=False):
        services.reassign(
            report, organisations["dishub"], actor=pupr_operator, reason="Rambu lalu lintas."
        )
    assert report.response_due == wib(2026, 12, 7, 23, 59, 59)
    assert report.organisation.code == "dishub"


@pytest.mark.django_db
def test_reopen_window_and_automatic_closing(submit, pupr_operator, citizen, dinkes_operator):
    with time_machine.travel(wib(2026, 11, 30, 9, 0), tick=False):
        report = submit()
        services.change_status(report, S.VERIFIED, actor=pupr_operator)
        services.change_status(report, S.RESOLVED, actor=pupr_operator, message="Ditambal.")
    with time_machine.travel(wib(2026, 12, 3, 9, 0), tick=False):
        with pytest.raises(services.PermissionDenied):
            services.reopen(report, user=dinkes_operator, reason="Belum")
        services.reopen(report, user=citizen, reason="Tambalan sudah terkelupas lagi.")
    assert report.status == S.REOPENED and report.resolved_at is None
    assert report.completion_due == wib(2026, 12, 17, 23, 59, 59)
    with time_machine.travel(wib(2026, 12, 4, 9, 0), tick=False):
        services.change_status(report, S.RESOLVED, actor=pupr_operator, message="Dicor beton.")
    with time_machine.travel(wib(2026, 12, 19, 9, 0), tick=False):
        with pytest.raises(services.ValidationError):
            services.reopen(report, user=citizen, reason="Retak lagi.")
        assert close_stale_resolved() == 1
        assert close_stale_resolved() == 0
    report.refresh_from_db()
    assert report.status == S.CLOSED

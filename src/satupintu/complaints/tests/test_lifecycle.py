import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from satupintu.complaints import services
from satupintu.complaints.models import Report, ReportUpdate
from satupintu.events.models import Event

S = Report.Status


@pytest.mark.django_db
def test_submit_routes_sets_deadlines_and_publishes(submit, organisations):
    report = submit()
    assert report.reference.startswith("ADU-") and len(report.reference) == 14
    assert report.status == S.RECEIVED
    assert report.organisation == organisations["dinas-pupr"]
    assert report.area_organisation == organisations["desa-segara-kembang"]
    assert report.region_id == "16.01.28.2009"
    assert report.response_due < report.completion_due
    assert report.updates.get().status_to == S.RECEIVED
    assert Event.objects.filter(event_type="complaints.created").count() == 1


@pytest.mark.django_db
def test_references_are_sequential(submit):
    first, second = submit(), submit(latitude="-4.0417", longitude="103.9894")
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


@pytest.mark.django_db
def test_full_lifecycle_and_rating(submit, pupr_operator, citizen):
    report = submit()
    services.change_status(report, S.VERIFIED, actor=pupr_operator, message="Sudah dicek.")
    assert report.responded_at is not None
    services.change_status(report, S.ASSIGNED, actor=pupr_operator)
    assert report.assignee == pupr_operator
    services.change_status(report, S.IN_PROGRESS, actor=pupr_operator)
    services.change_status(report, S.RESOLVED, actor=pupr_operator, message="Lubang ditambal.")
    assert report.resolved_at is not None
    services.rate(report, user=citizen, rating=5, comment="Cepat, terima kasih")
    report.refresh_from_db()
    assert report.rating == 5
    with pytest.raises(ValidationError):
        services.rate(report, user=citizen, rating=4)
    services.change_status(report, S.CLOSED, actor=pupr_operator)
    assert report.closed_at is not None
    kinds = list(report.updates.values_list("kind", flat=True))
    assert kinds.count(ReportUpdate.Kind.STATUS) == 6
    assert Event.objects.filter(event_type="complaints.status_changed").count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ((), S.RESOLVED),
        ((), S.CLOSED),
        ((), S.REOPENED),
        ((S.REJECTED,), S.VERIFIED),
        ((S.VERIFIED, S.ASSIGNED, S.RESOLVED, S.CLOSED), S.IN_PROGRESS),
    ],
)
def test_invalid_transitions_are_refused(submit, pupr_operator, path, target):
    report = submit()
    for step in path:
        services.change_status(report, step, actor=pupr_operator, message="langkah")
    before = report.updates.count()
    with pytest.raises(ValidationError) as error:
        services.change_status(report, target, actor=pupr_operator, message="x")
    assert "status" in error.value.message_dict
    assert report.updates.count() == before


@pytest.mark.django_db
def test_reject_needs_a_reason_and_tells_the_reporter(submit, pupr_operator):
    report = submit()
    with pytest.raises(ValidationError):
        services.change_status(report, S.REJECTED, actor=pupr_operator)
    services.change_status(
        report, S.REJECTED, actor=pupr_operator, message="Jalan nasional.", is_public=False
    )
    assert report.updates.last().is_public is True


@pytest.mark.django_db
def test_other_opd_cannot_change_status(submit, dinkes_operator, citizen):
    report = submit()
    with pytest.raises(PermissionDenied):
        services.change_status(report, S.VERIFIED, actor=dinkes_operator)
    with pytest.raises(PermissionDenied):
        services.change_status(report, S.VERIFIED, actor=citizen)
    report.refresh_from_db()
    assert report.status == S.RECEIVED


@pytest.mark.django_db
def test_area_organisation_may_handle(submit, desa_operator):
    report = submit()
    services.change_status(report, S.VERIFIED, actor=desa_operator)
    assert report.status == S.VERIFIED

"""The publication workflow (draft → submitted → published → archived) with its permission
errors, and the change log of Audited records: who, when, what changed, deletes included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from satupintu.accounts.tests.factories import Regency
from satupintu.core.actor import acting_as
from satupintu.core.models import ChangeLogEntry
from satupintu.core.tests.testapp.models import Announcement

pytestmark = pytest.mark.django_db

Status = Announcement.Status


@pytest.fixture
def regency() -> Regency:
    return Regency()


@pytest.fixture
def draft(regency) -> Announcement:
    return Announcement.objects.create(
        organisation=regency.pupr,
        title="Perbaikan Jalan Baturaja–Lengkiti Km 12",
        body="Pekerjaan tambal sulam dimulai Senin, 30 November 2026.",
    )


def stored(row: Announcement) -> Announcement:
    return Announcement.objects.get(pk=row.pk)


# --- workflow --------------------------------------------------------------------------------


def test_full_cycle_records_who_and_when(regency, draft):
    draft.submit(regency.budi)
    row = stored(draft)
    assert row.status == Status.SUBMITTED
    assert row.submitted_by == regency.budi and row.submitted_at is not None

    draft.approve(regency.rina, note="Sudah sesuai.")
    row = stored(draft)
    assert row.status == Status.PUBLISHED and row.is_public
    assert row.approved_by == regency.rina and row.published_at is not None
    assert row.review_note == "Sudah sesuai."

    draft.archive(regency.budi)
    assert stored(draft).status == Status.ARCHIVED
    draft.approve(regency.admin)  # republish from the archive
    assert stored(draft).status == Status.PUBLISHED


def test_walidata_returns_a_submission_with_a_note(regency, draft):
    draft.submit(regency.budi)
    with pytest.raises(ValidationError):
        draft.return_to_draft(regency.rina, note="  ")
    assert stored(draft).status == Status.SUBMITTED
    draft.return_to_draft(regency.rina, note="Lampirkan foto lokasi.")
    row = stored(draft)
    assert row.status == Status.DRAFT and row.review_note == "Lampirkan foto lokasi."


def test_owner_may_withdraw_a_submission_and_unpublish(regency, draft):
    draft.submit(regency.budi)
    draft.return_to_draft(regency.budi, note="Salah tanggal, diperbaiki dulu.")
    assert stored(draft).status == Status.DRAFT
    draft.submit(regency.budi)
    draft.approve(regency.rina)
    draft.return_to_draft(regency.pupr_admin, note="Jadwal berubah.")
    assert stored(draft).status == Status.DRAFT


def test_operator_cannot_approve_their_own_submission(regency, draft):
    draft.submit(regency.budi)
    with pytest.raises(PermissionDenied):
        draft.approve(regency.budi)
    assert stored(draft).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["dina", "dinkes_admin", "siti", "rina", "bupati", "desa_operator"])
def test_only_the_owner_submits(regency, draft, who):
    with pytest.raises(PermissionDenied):
        draft.submit(getattr(regency, who))
    assert stored(draft).status == Status.DRAFT


def test_anonymous_can_do_nothing(regency, draft):
    for move in (draft.submit, draft.approve, draft.archive):
        with pytest.raises(PermissionDenied):
            move(AnonymousUser())
    with pytest.raises(PermissionDenied):
        draft.return_to_draft(AnonymousUser(), note="x")
    assert stored(draft).status == Status.DRAFT


def test_other_opd_cannot_withdraw_or_archive(regency, draft):
    draft.submit(regency.budi)
    with pytest.raises(PermissionDenied):
        draft.return_to_draft(regency.dina, note="Bukan urusan saya")
    draft.approve(regency.rina)
    with pytest.raises(PermissionDenied):
        draft.archive(regency.dina)
    assert stored(draft).status == Status.PUBLISHED


def test_walidata_cannot_publish_a_draft_that_was_never_submitted(regency, draft):
    with pytest.raises(ValidationError) as caught:
        draft.approve(regency.rina)
    assert caught.value.code == "invalid_transition"
    assert "Draf" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        draft.archive(regency.budi)  # only published rows are archived
    assert stored(draft).status == Status.DRAFT


def test_a_stale_copy_cannot_repeat_a_move(regency, draft):
    draft.submit(regency.budi)
    first, second = stored(draft), stored(draft)
    first.approve(regency.rina)
    # The second reviewer's page still shows "submitted"; the row is already published.
    with pytest.raises(ValidationError):
        second.approve(regency.admin)
    assert stored(draft).approved_by == regency.rina


# --- change log ----------------------------------------------------------------------------------


def test_update_under_acting_as_records_who_when_and_the_diff(regency, draft):
    with acting_as(regency.budi, via="web", ip="10.16.2.7"):
        draft.title = "Perbaikan Jalan Baturaja–Lengkiti Km 12–14"
        draft.save()
    entry = ChangeLogEntry.objects.for_object(draft).first()
    assert entry.action == ChangeLogEntry.Action.UPDATE
    assert entry.user == regency.budi and entry.user_name == "budi"
    assert (entry.via, entry.ip) == ("web", "10.16.2.7")
    assert entry.organisation == regency.pupr
    assert entry.at is not None
    assert entry.changes == {
        "title": [
            "Perbaikan Jalan Baturaja–Lengkiti Km 12",
            "Perbaikan Jalan Baturaja–Lengkiti Km 12–14",
        ]
    }


def test_saving_without_changes_writes_no_entry(regency, draft):
    before = ChangeLogEntry.objects.count()
    stored(draft).save()
    assert ChangeLogEntry.objects.count() == before


def test_workflow_moves_name_the_mover_even_outside_a_request(regency, draft):
    draft.submit(regency.budi)
    draft.approve(regency.rina)
    submitted, approved = ChangeLogEntry.objects.for_object(draft).order_by("id")[1:]
    assert submitted.user == regency.budi
    assert submitted.changes["status"] == ["draft", "submitted"]
    assert approved.user == regency.rina
    assert approved.changes["status"] == ["submitted", "published"]


def test_delete_is_logged_with_the_values_it_had(regency, draft):
    pk = draft.pk
    with acting_as(regency.pupr_admin, via="web"):
        draft.delete()
    entry = ChangeLogEntry.objects.filter(object_id=str(pk)).first()
    assert entry.action == ChangeLogEntry.Action.DELETE
    assert entry.user == regency.pupr_admin
    assert entry.changes["title"] == ["Perbaikan Jalan Baturaja–Lengkiti Km 12", None]
    assert entry.object_repr == "Perbaikan Jalan Baturaja–Lengkiti Km 12"


def test_personal_data_is_masked_in_the_change_log(regency):
    with acting_as(regency.admin, via="web"):
        regency.siti.phone = "081299990000"
        regency.siti.save()
    entry = ChangeLogEntry.objects.for_object(regency.siti).first()
    assert entry.changes == {"phone": ["***", "***"]}


def test_deferred_fields_are_not_loaded_for_the_snapshot_nor_logged_as_changed(regency, draft):
    Announcement.objects.create(organisation=regency.pupr, title="Pengumuman kedua")
    with CaptureQueriesContext(connection) as queries:
        rows = list(Announcement.objects.only("title", "organisation"))
    assert len(queries) == 1 and len(rows) == 2
    row = next(row for row in rows if row.pk == draft.pk)
    row.title = "Judul baru"
    with acting_as(regency.budi, via="web"):
        row.save()
    entry = ChangeLogEntry.objects.for_object(row).first()
    assert entry.changes == {"title": ["Perbaikan Jalan Baturaja–Lengkiti Km 12", "Judul baru"]}
    assert stored(draft).body.startswith("Pekerjaan tambal sulam")  # untouched


def test_change_log_is_scoped_like_the_records(regency, draft):
    dinkes_row = Announcement.objects.create(organisation=regency.dinkes, title="Jadwal posyandu")

    def announcement_ids(user) -> set[str]:
        entries = ChangeLogEntry.objects.for_user(user).filter(
            content_type__app_label="core_testapp"
        )
        return set(entries.values_list("object_id", flat=True))

    assert announcement_ids(regency.budi) == {str(draft.pk)}
    assert announcement_ids(regency.dina) == {str(dinkes_row.pk)}
    assert announcement_ids(regency.rina) == {str(draft.pk), str(dinkes_row.pk)}
    assert announcement_ids(AnonymousUser()) == set()


def _log_unavailable(*args, **kwargs):
    raise RuntimeError("change log unavailable")


# Committed for real (no test transaction around it): the save opens its own transaction.
@pytest.mark.django_db(transaction=True)
def test_a_failed_change_log_write_leaves_no_unlogged_change(regency, draft, monkeypatch):
    monkeypatch.setattr("satupintu.core.signals._record", _log_unavailable)
    before = Announcement.objects.count()
    with pytest.raises(RuntimeError):
        Announcement.objects.create(organisation=regency.pupr, title="Tanpa jejak")
    assert Announcement.objects.count() == before

    draft.title = "Judul yang tidak tercatat"
    with pytest.raises(RuntimeError):
        draft.save()
    assert stored(draft).title == "Perbaikan Jalan Baturaja–Lengkiti Km 12"

    with pytest.raises(RuntimeError):
        stored(draft).delete()
    assert Announcement.objects.filter(pk=draft.pk).exists()


def test_inside_a_transaction_an_audited_save_takes_no_savepoint(regency, draft):
    pk, draft.title = draft.pk, "Judul baru"
    with CaptureQueriesContext(connection) as queries:  # the test's transaction is open
        draft.save()
        draft.delete()
    statements = [query["sql"].upper() for query in queries.captured_queries]
    assert not [sql for sql in statements if "SAVEPOINT" in sql]
    assert (
        ChangeLogEntry.objects.filter(object_id=str(pk), action__in=["update", "delete"]).count()
        == 2
    )


@pytest.mark.django_db(transaction=True)
def test_a_failed_change_log_write_fails_the_callers_whole_transaction(regency, draft, monkeypatch):
    with pytest.raises(TransactionManagementError), transaction.atomic():
        Announcement.objects.create(organisation=regency.pupr, title="Dibatalkan bersama")
        monkeypatch.setattr("satupintu.core.signals._record", _log_unavailable)
        draft.title = "Judul yang tidak tercatat"
        with pytest.raises(RuntimeError):
            draft.save()
        # No savepoint to fall back to: the caller cannot carry on and commit a part of it.
        Announcement.objects.count()
    assert not Announcement.objects.filter(title="Dibatalkan bersama").exists()
    assert stored(draft).title == "Perbaikan Jalan Baturaja–Lengkiti Km 12"

"""OPD isolation through the one scoping function `for_user`: who reads and who writes which
organisation-owned rows, by role, status and organisation tree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from satupintu.accounts.models import Membership, User
from satupintu.accounts.tests.factories import Regency
from satupintu.core.scoping import can_change, for_user
from satupintu.core.tests.testapp.models import Announcement

pytestmark = pytest.mark.django_db

Status = Announcement.Status


class World(Regency):
    """The regency plus one announcement per (organisation, status) that matters."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Announcement] = {}
        for organisation, prefix in (
            (self.pupr, "pupr"),
            (self.dinkes, "dinkes"),
            (self.lengkiti, "kecamatan"),
            (self.segara_kembang, "desa"),
        ):
            for status in Status:
                key = f"{prefix}-{status}"
                self.rows[key] = Announcement.objects.create(
                    organisation=organisation,
                    title=f"Pengumuman {organisation.short_name} ({status.label})",
                    status=status,
                )

    def keys(self, queryset) -> set[str]:
        by_pk = {row.pk: key for key, row in self.rows.items()}
        return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}

    def visible(self, user, *, write: bool = False) -> set[str]:
        return self.keys(Announcement.objects.for_user(user, write=write))


ALL_ORGS = ("pupr", "dinkes", "kecamatan", "desa")


def every(*statuses: str, orgs=ALL_ORGS) -> set[str]:
    return {f"{org}-{status}" for org in orgs for status in statuses}


@pytest.fixture
def world() -> World:
    return World()


def test_opd_operator_reads_own_rows_and_everyone_elses_published_only(world):
    assert world.visible(world.budi) == every(
        "draft", "submitted", "published", "archived", orgs=["pupr"]
    ) | every("published")
    # Explicitly: the other OPD's unpublished work stays invisible.
    assert not world.visible(world.budi) & {"dinkes-draft", "dinkes-submitted", "dinkes-archived"}
    assert world.visible(world.dina) == every(
        "draft", "submitted", "published", "archived", orgs=["dinkes"]
    ) | every("published")


def test_opd_operator_writes_own_rows_only(world):
    assert world.visible(world.budi, write=True) == every(
        "draft", "submitted", "published", "archived", orgs=["pupr"]
    )
    assert world.visible(world.dinkes_admin, write=True) == every(
        "draft", "submitted", "published", "archived", orgs=["dinkes"]
    )


def test_other_opd_cannot_update_or_delete_through_the_scoped_queryset(world):
    target = world.rows["pupr-draft"]
    updated = (
        Announcement.objects.for_user(world.dina, write=True)
        .filter(pk=target.pk)
        .update(title="Diubah oleh OPD lain")
    )
    deleted, _ = Announcement.objects.for_user(world.dina, write=True).filter(pk=target.pk).delete()
    assert (updated, deleted) == (0, 0)
    target.refresh_from_db()
    assert target.title.startswith("Pengumuman DINAS-PUPR")


def test_walidata_reads_submitted_but_not_drafts_and_writes_nothing(world):
    assert world.visible(world.rina) == every("submitted", "published", "archived")
    assert world.visible(world.rina, write=True) == set()


def test_leader_reads_like_the_walidata(world):
    assert world.visible(world.bupati) == every("submitted", "published", "archived")
    assert world.visible(world.bupati, write=True) == set()


@pytest.mark.parametrize("anonymous", [None, AnonymousUser()])
def test_anonymous_sees_published_only_and_writes_nothing(world, anonymous):
    assert world.visible(anonymous) == every("published")
    assert world.visible(anonymous, write=True) == set()


def test_citizen_sees_published_only(world):
    assert world.visible(world.siti) == every("published")
    assert world.visible(world.siti, write=True) == set()


def test_platform_admin_and_superuser_see_and_write_everything(world):
    everything = set(world.rows)
    assert world.visible(world.admin) == everything
    assert world.visible(world.admin, write=True) == everything
    root = User.objects.create_superuser("root", "root@okukab.go.id", "x", full_name="Root")
    assert world.visible(root, write=True) == everything


def test_kecamatan_operator_reaches_its_desa_but_the_desa_not_the_kecamatan(world):
    drafts = {"kecamatan-draft", "desa-draft"}
    assert drafts <= world.visible(world.camat_operator)
    assert drafts <= world.visible(world.camat_operator, write=True)
    assert "kecamatan-draft" not in world.visible(world.desa_operator)
    assert world.visible(world.desa_operator, write=True) == every(
        "draft", "submitted", "published", "archived", orgs=["desa"]
    )


def test_inactive_operator_is_treated_as_anonymous(world):
    world.budi.is_active = False
    assert world.visible(world.budi) == every("published")
    assert world.visible(world.budi, write=True) == set()


def test_new_membership_widens_the_scope_after_refresh(world):
    Membership.objects.create(user=world.budi, organisation=world.dinkes, role="operator")
    world.budi.refresh_from_db()
    assert "dinkes-draft" in world.visible(world.budi, write=True)


def test_can_change_checks_the_stored_owner_not_the_edited_copy(world):
    assert can_change(world.rows["pupr-draft"], world.budi)
    assert not can_change(world.rows["dinkes-draft"], world.budi)
    # Moving another OPD's row to PUPR in memory does not give Budi the right to save it.
    hijacked = Announcement.objects.get(pk=world.rows["dinkes-draft"].pk)
    hijacked.organisation = world.pupr
    assert not hijacked.can_change(world.budi)


def test_can_change_a_new_row_by_its_intended_owner(world):
    new = Announcement(organisation=world.pupr, title="Jadwal perbaikan jalan Baturaja–Lengkiti")
    assert can_change(new, world.budi)
    assert can_change(new, world.admin)
    assert not can_change(new, world.dina)
    assert not can_change(new, world.rina)
    assert not can_change(new, AnonymousUser())
    assert can_change(Announcement(organisation=world.segara_kembang), world.camat_operator)


def test_models_that_are_never_public_are_hidden_from_outsiders(world):
    # Membership is organisation-owned but has no publication workflow.
    memberships = Membership.objects.all()
    pupr = set(memberships.filter(organisation=world.pupr))
    assert set(for_user(memberships, world.budi)) == pupr
    assert set(for_user(memberships, world.budi, write=True)) == pupr
    assert for_user(memberships, world.rina).count() == memberships.count()
    assert not for_user(memberships, world.rina, write=True).exists()
    assert not for_user(memberships, AnonymousUser()).exists()
    assert not for_user(memberships, world.siti).exists()

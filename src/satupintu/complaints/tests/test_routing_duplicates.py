import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from satupintu.complaints import services
from satupintu.complaints.models import Report
from satupintu.complaints.routing import route
from satupintu.core.roles import Role

from .conftest import BATURAJA, LENGKITI, make_user

S = Report.Status


@pytest.mark.django_db
def test_area_based_routes_to_the_village_of_the_region(categories, organisations, regions):
    road = categories["jalan-rusak"]
    assert (
        route(road, region=regions["16.01.28.2009"]).area_organisation
        == organisations["desa-segara-kembang"]
    )
    # A village without its own organisation in the platform goes to its kecamatan.
    assert (
        route(road, region=regions["16.01.28.2017"]).area_organisation
        == organisations["kecamatan-lengkiti"]
    )
    assert (
        route(road, region=regions["16.01.28"]).area_organisation
        == organisations["kecamatan-lengkiti"]
    )


@pytest.mark.django_db
def test_area_based_with_only_a_pin_takes_the_nearest_office(categories, organisations):
    road = categories["jalan-rusak"]
    near_village = route(road, latitude=LENGKITI[0] + Decimal("0.002"), longitude=LENGKITI[1])
    assert near_village.area_organisation == organisations["desa-segara-kembang"]
    assert near_village.region.code == "16.01.28.2009"
    # In Baturaja no village office is near: the kecamatan office is.
    town = route(road, latitude=BATURAJA[0], longitude=BATURAJA[1])
    assert town.area_organisation == organisations["kecamatan-baturaja-timur"]
    assert town.organisation == organisations["dinas-pupr"]


@pytest.mark.django_db
def test_not_area_based_goes_to_the_opd_only(categories, organisations):
    result = route(categories["sampah"], latitude=LENGKITI[0], longitude=LENGKITI[1])
    assert result.organisation == organisations["dlh"] and result.area_organisation is None


@pytest.mark.django_db
def test_kecamatan_operator_sees_reports_of_its_villages(submit, organisations, dinkes_operator):
    camat_staff = make_user("yusuf", organisations["kecamatan-lengkiti"], Role.OPERATOR)
    report = submit()
    assert Report.objects.for_user(camat_staff).filter(pk=report.pk).exists()
    assert not Report.objects.for_user(dinkes_operator).filter(pk=report.pk).exists()
    assert not Report.objects.for_user(None).exists()


@pytest.mark.django_db
def test_duplicates_by_distance_category_and_age(submit, categories, settings):
    first = submit()
    # ~55 m north: proposed.
    near = services.find_duplicates(
        categories["jalan-rusak"], LENGKITI[0] + Decimal("0.0005"), LENGKITI[1]
    )
    assert near == [first]
    # ~330 m away: not.
    assert (
        services.find_duplicates(
            categories["jalan-rusak"], LENGKITI[0] + Decimal("0.003"), LENGKITI[1]
        )
        == []
    )
    assert services.find_duplicates(categories["sampah"], *LENGKITI) == []
    assert services.find_duplicates(categories["jalan-rusak"], *LENGKITI, exclude=first) == []
    settings.COMPLAINTS = {**settings.COMPLAINTS, "duplicate_distance_m": 500}
    assert services.find_duplicates(
        categories["jalan-rusak"], LENGKITI[0] + Decimal("0.003"), LENGKITI[1]
    ) == [first]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        assert services.find_duplicates(categories["jalan-rusak"], *LENGKITI) == []


@pytest.mark.django_db
def test_merge_makes_the_reporter_a_follower_who_gets_updates(
    submit, pupr_operator, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    neighbour = make_user("rudi", None, Role.CITIZEN)
    original = submit()
    duplicate = submit(reporter=neighbour)
    services.merge(duplicate, original, actor=pupr_operator)
    assert duplicate.status == S.CLOSED and duplicate.duplicate_of == original
    assert list(original.followers.values_list("user__username", flat=True)) == ["rudi"]
    assert duplicate.updates.filter(kind="merge", is_public=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(original, S.VERIFIED, actor=pupr_operator, message="Dicek besok.")
    assert sorted(mailoutbox[-1].to) == ["rudi@example.com", "siti@example.com"]
    # Public lists skip merged duplicates.
    assert list(Report.objects.public()) == [original]


@pytest.mark.django_db
def test_merge_refuses_itself_chains_and_other_opds(submit, pupr_operator, dinkes_operator):
    first, second, third = submit(), submit(), submit()
    with pytest.raises(services.ValidationError):
        services.merge(first, first, actor=pupr_operator)
    services.merge(second, first, actor=pupr_operator)
    with pytest.raises(services.ValidationError):
        services.merge(third, second, actor=pupr_operator)
    with pytest.raises(services.PermissionDenied):
        services.merge(third, first, actor=dinkes_operator)
    third.refresh_from_db()
    assert third.duplicate_of is None and third.status == S.RECEIVED

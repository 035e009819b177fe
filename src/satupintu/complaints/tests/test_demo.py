import gzip
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from satupintu.complaints.demo import DEMO_OPEN311_KEY, holiday_dates
from satupintu.complaints.geo import inside_regency
from satupintu.complaints.models import ApiKey, Category, Holiday, Report, ReportUpdate
from satupintu.complaints.open311.keys import verify_key
from satupintu.core.regions import DEFAULT_REGION_FILE, import_regions
from satupintu.events.models import Event


@pytest.fixture
def oku_regions(tmp_path, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    path = tmp_path / "oku.csv"
    with gzip.open(DEFAULT_REGION_FILE, "rt", encoding="utf-8") as source:
        lines = [line for n, line in enumerate(source) if n == 0 or line.startswith("16")]
    path.write_text("".join(lines), encoding="utf-8")
    import_regions(path, scope="all")


def counts():
    return (
        Category.objects.count(),
        Holiday.objects.count(),
        Report.objects.count(),
        ReportUpdate.objects.count(),
        Event.objects.count(),
    )


@pytest.mark.django_db
def test_demo_is_realistic_and_a_second_run_changes_nothing(oku_regions, mailoutbox):
    output = StringIO()
    call_command("load_demo", stdout=output)
    assert DEMO_OPEN311_KEY in output.getvalue()
    first = counts()
    assert first[0] == 13 and first[1] >= 20 and first[2] >= 28

    road = Category.objects.get(code="jalan-rusak")
    assert road.organisation.code == "dinas-pupr" and road.area_based
    assert Category.objects.get(code="banjir").organisation.code == "bpbd"
    for report in Report.objects.all():
        assert inside_regency(report.latitude, report.longitude), report.title
    lengkiti = Report.objects.get(title="Jalan poros Segara Kembang berlubang dalam")
    assert lengkiti.area_organisation.code == "desa-segara-kembang"
    assert lengkiti.status == Report.Status.RESOLVED and lengkiti.rating == 5
    assert lengkiti.reporter.username == "siti"
    assert lengkiti.resolved_at > lengkiti.created_at
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {"received", "verified", "in_progress", "resolved", "rejected", "closed"} <= statuses
    assert Report.objects.exclude(rating=None).count() >= 8
    assert Report.objects.exclude(duplicate_of=None).count() == 1
    assert Report.objects.filter(escalation_level__gt=0).exists()
    assert mailoutbox == []  # nobody is e-mailed about made-up reports

    call_command("load_demo", stdout=StringIO())
    assert counts() == first

    # The documented demo key works as docs/open311.md's curl example uses it.
    assert verify_key(DEMO_OPEN311_KEY).organisation.code == "diskominfo"
    created = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": DEMO_OPEN311_KEY,
            "service_code": "jalan-rusak",
            "lat": "-4.1378",
            "long": "104.1833",
            "attribute[tingkat]": "berat",
            "description": "Jalan berlubang sedalam 30 cm di depan SD Negeri 3 Lengkiti.",
        },
    )
    assert created.status_code == 200, created.content
    assert created.json()[0]["service_request_id"].startswith("ADU-")
    assert ApiKey.objects.count() == 1


def test_the_2026_calendar_is_the_decree_s_17_holidays_and_8_days_of_collective_leave():
    days = holiday_dates()
    assert len({date for date, _, _ in days}) == len(days) == 25
    kinds = [kind for _, _, kind in days]
    assert kinds.count(Holiday.Kind.NATIONAL) == 17
    assert kinds.count(Holiday.Kind.COLLECTIVE_LEAVE) == 8
    by_date = {date.isoformat(): kind for date, _, kind in days}
    assert by_date["2026-03-21"] == by_date["2026-03-22"] == Holiday.Kind.NATIONAL  # Idulfitri
    assert {by_date[f"2026-03-{d}"] for d in ("20", "23", "24")} == {Holiday.Kind.COLLECTIVE_LEAVE}

import gzip
from io import StringIO

import pytest
from django.core.management import call_command

from satupintu.complaints.geo import inside_regency
from satupintu.complaints.models import Category, Holiday, Report, ReportUpdate
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
    call_command("load_demo", stdout=StringIO())
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

"""The change log pages: /perubahan/ (global, staff only, scoped by ChangeLogEntry.for_user) and
/perubahan/<app_label>.<model>/<pk>/ (one record's history, only for who may see the record)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from satupintu.accounts.tests.factories import Regency
from satupintu.core.actor import acting_as
from satupintu.core.models import ChangeLogEntry
from satupintu.core.tests.testapp.models import Announcement


@pytest.fixture
def regency(db):
    regency = Regency()
    with acting_as(regency.budi, via="web"):
        regency.road = Announcement.objects.create(
            organisation=regency.pupr, title="Perbaikan jalan Desa Segara Kembang"
        )
        regency.road.title = "Perbaikan jalan Segara Kembang–Bunga Tanjung"
        regency.road.save()
    with acting_as(regency.dina, via="web"):
        regency.vaccine = Announcement.objects.create(
            organisation=regency.dinkes, title="Jadwal imunisasi Puskesmas Lengkiti"
        )
    return regency


def history_url(obj) -> str:
    return f"/perubahan/{obj._meta.app_label}.{obj._meta.model_name}/{obj.pk}/"


def titles(response) -> list[str]:
    return [entry.object_repr for entry in response.context["object_list"]]


def test_anonymous_is_sent_to_login(client, regency):
    for url in ("/perubahan/", history_url(regency.road)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/?next=")


def test_citizen_is_refused(client, regency):
    client.force_login(regency.siti)
    assert client.get("/perubahan/").status_code == 403
    assert client.get(history_url(regency.road)).status_code == 403


def test_operator_sees_only_their_organisation_entries(client, regency):
    client.force_login(regency.budi)
    response = client.get("/perubahan/")
    assert response.status_code == 200
    seen = titles(response)
    assert "Perbaikan jalan Segara Kembang–Bunga Tanjung" in seen
    assert not any("imunisasi" in title for title in seen)
    html = response.content.decode()
    assert "Jadwal imunisasi" not in html


def test_walidata_sees_every_organisation(client, regency):
    client.force_login(regency.rina)
    seen = titles(client.get("/perubahan/"))
    assert "Jadwal imunisasi Puskesmas Lengkiti" in seen
    assert "Perbaikan jalan Segara Kembang–Bunga Tanjung" in seen


def test_filters_by_action_user_model_and_date(client, regency):
    client.force_login(regency.admin)
    response = client.get("/perubahan/", {"action": "update", "model": "core_testapp.announcement"})
    assert titles(response) == ["Perbaikan jalan Segara Kembang–Bunga Tanjung"]
    response = client.get("/perubahan/", {"user": "dina"})
    assert titles(response) == ["Jadwal imunisasi Puskesmas Lengkiti"]
    response = client.get("/perubahan/", {"organisation": regency.dinkes.pk})
    assert "Jadwal imunisasi Puskesmas Lengkiti" in titles(response)
    assert not any("jalan" in title for title in titles(response))
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert client.get("/perubahan/", {"date_from": tomorrow}).context["paginator"].count == 0
    response = client.get(
        "/perubahan/", {"date_from": today, "date_to": today, "model": "core_testapp.announcement"}
    )
    assert response.context["paginator"].count == 3


def test_bad_filters_give_a_form_error_not_a_500(client, regency):
    client.force_login(regency.admin)
    response = client.get("/perubahan/", {"date_from": "2026-12-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "Tanggal akhir harus sama atau setelah tanggal awal." in response.content.decode()
    response = client.get("/perubahan/", {"date_from": "kemarin", "organisation": "abc"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert response.context["paginator"].count == 0


def test_operator_cannot_filter_on_another_organisation(client, regency):
    client.force_login(regency.budi)
    response = client.get("/perubahan/", {"organisation": regency.dinkes.pk})
    # Dinas Kesehatan is not a choice for him: the filter is rejected, nothing leaks.
    assert response.context["paginator"].count == 0
    assert "Jadwal imunisasi" not in response.content.decode()


def test_export_is_scoped_too(client, regency):
    client.force_login(regency.budi)
    response = client.get("/perubahan/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all("imunisasi" not in row["Data"] for row in rows)
    assert any("title" in row["Perubahan"] for row in rows)


def test_object_history_for_the_owning_operator(client, regency):
    client.force_login(regency.budi)
    response = client.get(history_url(regency.road))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Perbaikan jalan Desa Segara Kembang" in html  # the old title, in the diff
    assert "Perbaikan jalan Segara Kembang–Bunga Tanjung" in html
    assert [e.action for e in response.context["entries"]] == ["update", "create"]


def test_object_history_refused_to_another_opd_operator(client, regency):
    client.force_login(regency.dina)
    assert client.get(history_url(regency.road)).status_code == 404
    # Even once published (the record becomes public) its change log stays with its owner.
    regency.road.status = Announcement.Status.PUBLISHED
    regency.road.save()
    assert client.get(history_url(regency.road)).status_code == 404


def test_object_history_of_a_deleted_record_stays_readable_for_its_owner(client, regency):
    url = history_url(regency.road)
    with acting_as(regency.budi, via="web"):
        regency.road.delete()
    client.force_login(regency.budi)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["entries"][0].action == ChangeLogEntry.Action.DELETE
    client.force_login(regency.dina)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/perubahan/tidakada.model/1/",
        "/perubahan/core_testapp.announcement/bukan-angka/",
        "/perubahan/core_testapp.announcement/999999/",
        "/perubahan/announcement/1/",
    ],
)
def test_unknown_model_or_record_is_404(client, regency, path):
    client.force_login(regency.admin)
    assert client.get(path).status_code == 404

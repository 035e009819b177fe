"""The public side of complaints: the list with its filters, export and map JSON, a report's
page with its public timeline, tracking by number, the reporter's rating and reopening, and
following. No page or JSON carries personal data; a private report is its reporter's only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from satupintu.core.models import Region

from ... import services
from ...models import Report, ReportFollower
from .helpers import (
    EMAIL,
    NIK,
    PHONE,
    jpeg,
    resolve,
    send,
)

PERSONAL = (PHONE, "081277889900", EMAIL, NIK, "Siti Aminah", "Aminah")


def assert_no_personal_data(body: str) -> None:
    for secret in PERSONAL:
        assert secret not in body, f"{secret!r} leaked"


@pytest.fixture
def reports(regency, road, clinic) -> dict[str, Report]:
    public = send(road, photos=[jpeg()], region=Region.objects.get(code="16.01.28.2009"))
    services.add_note(
        public, actor=regency.budi, message="Catatan internal: cek anggaran 2027.", is_public=False
    )
    services.change_status(
        public, Report.Status.VERIFIED, actor=regency.budi, message="Lokasi sudah kami cek."
    )
    private = send(
        clinic,
        is_public=False,
        title="Antrean puskesmas terlalu lama",
        latitude=None,
        longitude=None,
        region=None,
        address="Puskesmas Lengkiti",
    )
    mine = send(
        road,
        reporter=regency.siti,
        title="Drainase tersumbat di Bunga Tanjung",
        latitude="-4.060000",
        longitude="104.040000",
    )
    return {"public": public, "private": private, "mine": mine}


def test_the_list_shows_public_reports_only_and_no_personal_data(client, reports):
    page = client.get("/pengaduan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert reports["public"].reference in html
    assert reports["mine"].reference in html
    assert reports["private"].reference not in html
    assert_no_personal_data(html)
    assert 'id="complaints-map"' in html and "complaints/public-map.js" in html


def test_the_list_filters_by_category_status_district_and_date(client, reports):
    public, mine = reports["public"], reports["mine"]
    verified = client.get("/pengaduan/", {"status": "verified"}).content.decode()
    assert public.reference in verified and mine.reference not in verified
    clinic_list = client.get("/pengaduan/", {"kategori": "layanan-puskesmas"}).content.decode()
    assert public.reference not in clinic_list
    district = client.get("/pengaduan/", {"kecamatan": "16.01.28"}).content.decode()
    assert public.reference in district
    elsewhere = client.get("/pengaduan/", {"kecamatan": "16.01.01"}).content.decode()
    assert public.reference not in elsewhere
    today = timezone.localdate().isoformat()
    assert public.reference in client.get("/pengaduan/", {"dari": today}).content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert public.reference not in client.get("/pengaduan/", {"dari": tomorrow}).content.decode()


def test_bad_filters_are_form_errors_not_500(client, reports):
    page = client.get("/pengaduan/", {"dari": "2026-13-45", "status": "hilang"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Filter belum benar" in html
    swapped = client.get("/pengaduan/", {"dari": "2026-11-20", "sampai": "2026-11-01"})
    assert "sesudah tanggal awal" in swapped.content.decode()
    assert client.get("/pengaduan/peta.json", {"dari": "kemarin"}).status_code == 400


def test_the_filters_fold_on_a_phone_and_open_when_a_filter_is_set(client, reports):
    plain = client.get("/pengaduan/").content.decode()
    assert '<details class="filters-fold">' in plain and "saringan aktif" not in plain
    # Page and empty fields are not filters; two set filters open the panel and are counted.
    paged = client.get("/pengaduan/", {"page": "1", "q": " ", "status": ""}).content.decode()
    assert '<details class="filters-fold">' in paged
    filtered = client.get("/pengaduan/", {"status": "verified", "kecamatan": "16.01.28"})
    html = filtered.content.decode()
    assert '<details class="filters-fold" open>' in html and "(2 saringan aktif)" in html
    # A wrong filter opens the panel so its error is seen.
    wrong = client.get("/pengaduan/", {"dari": "kemarin"}).content.decode()
    assert '<details class="filters-fold" open>' in wrong and "Filter belum benar" in wrong


def test_the_csv_export_holds_public_reports_without_personal_data(client, reports):
    export = client.get("/pengaduan/", {"export": "csv"})
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert reports["public"].reference in body
    assert reports["private"].reference not in body
    assert_no_personal_data(body)


def test_the_map_json_has_points_of_public_reports_only(client, reports):
    data = client.get("/pengaduan/peta.json").json()
    references = {row["reference"] for row in data["results"]}
    assert references == {reports["public"].reference, reports["mine"].reference}
    row = next(r for r in data["results"] if r["reference"] == reports["public"].reference)
    assert set(row) == {
        "reference",
        "title",
        "category",
        "status",
        "status_label",
        "state",
        "latitude",
        "longitude",
        "url",
    }
    assert row["state"] == "open" and row["url"] == f"/pengaduan/{row['reference']}/"
    assert_no_personal_data(str(data))
    only_clinic = client.get("/pengaduan/peta.json", {"kategori": "layanan-puskesmas"}).json()
    assert only_clinic["results"] == []


def test_the_report_page_shows_the_public_timeline_and_photos_only(client, reports):
    report = reports["public"]
    page = client.get(f"/pengaduan/{report.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lokasi sudah kami cek." in html
    assert "Catatan internal" not in html
    assert "Diverifikasi" in html
    photo = report.photos.get()
    photo_url = f"/pengaduan/{report.reference}/foto/{photo.pk}.jpg"
    assert photo_url in html and photo.image.url not in html
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:2] == b"\xff\xd8"
    assert "Segara Kembang" in html
    assert_no_personal_data(html)


def test_an_anonymous_reporter_is_anonim_in_public(client, regency, road):
    report = send(road, reporter=regency.siti, is_anonymous=True)
    html = client.get(f"/pengaduan/{report.reference}/").content.decode()
    assert "Anonim" in html and "Siti" not in html


def test_a_private_report_is_refused_to_anyone_but_its_reporter(client, regency, clinic):
    report = send(clinic, reporter=regency.siti, is_public=False)
    url = f"/pengaduan/{report.reference}/"
    assert client.get(url).status_code == 404  # anonymous
    for someone in (regency.dina, regency.budi, regency.rina):  # other OPDs, walidata
        client.force_login(someone)
        assert client.get(url).status_code == 404
    client.force_login(regency.siti)
    assert client.get(url).status_code == 200


def test_tracking_by_number(client, reports):
    public, private = reports["public"], reports["private"]
    found = client.get("/pengaduan/lacak/", {"reference": public.reference.lower()})
    assert found.status_code == 302 and found["Location"] == f"/pengaduan/{public.reference}/"
    missing = client.get("/pengaduan/lacak/", {"reference": "ADU-2601-99999"})
    assert missing.status_code == 404
    assert "tidak ditemukan" in missing.content.decode()
    hidden = client.get("/pengaduan/lacak/", {"reference": private.reference})
    assert hidden.status_code == 200
    html = hidden.content.decode()
    assert "Diterima" in html and "tidak terbuka untuk publik" in html
    assert "Antrean puskesmas" not in html
    assert_no_personal_data(html)
    assert client.get("/pengaduan/lacak/", {"reference": ""}).status_code == 400


def test_the_reporter_rates_a_resolved_report(client, regency, reports):
    report = resolve(reports["mine"], regency.budi)
    url = f"/pengaduan/{report.reference}/"
    client.force_login(regency.siti)
    page = client.get(url).content.decode()
    assert "Beri penilaian" in page and "Masalahnya belum selesai?" in page
    response = client.post(url + "nilai/", {"rating": "4", "comment": "Cepat, terima kasih."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.rating == 4
    again = client.post(url + "nilai/", {"rating": "5"})
    assert again.status_code == 400
    assert "sudah menilai" in again.content.decode()


def test_a_bad_rating_is_a_form_error(client, regency, reports):
    report = resolve(reports["mine"], regency.budi)
    client.force_login(regency.siti)
    response = client.post(f"/pengaduan/{report.reference}/nilai/", {"rating": "9"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.rating is None


def test_rating_before_resolution_is_refused(client, regency, reports):
    report = reports["mine"]
    client.force_login(regency.siti)
    response = client.post(f"/pengaduan/{report.reference}/nilai/", {"rating": "5"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.rating is None


def test_only_the_reporter_may_rate_or_reopen(client, regency, reports):
    report = resolve(reports["mine"], regency.budi)
    base = f"/pengaduan/{report.reference}/"
    anonymous = client.post(base + "nilai/", {"rating": "1"})
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    for someone in (regency.dina, regency.budi):  # another OPD's operator, and the handler
        client.force_login(someone)
        assert client.post(base + "nilai/", {"rating": "1"}).status_code == 403
        assert (
            client.post(base + "buka-kembali/", {"reason": "Belum beres sama sekali."}).status_code
            == 403
        )
    report.refresh_from_db()
    assert report.rating is None and report.status == Report.Status.RESOLVED


def test_the_reporter_reopens_within_the_window(client, regency, reports):
    report = resolve(reports["mine"], regency.budi)
    client.force_login(regency.siti)
    url = f"/pengaduan/{report.reference}/buka-kembali/"
    short = client.post(url, {"reason": "belum"})
    assert short.status_code == 400
    response = client.post(url, {"reason": "Lubang hanya ditimbun tanah, berlubang lagi."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.REOPENED


def test_reopening_after_the_window_is_not_offered(client, regency, reports, settings):
    report = resolve(reports["mine"], regency.budi)
    Report.objects.filter(pk=report.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=settings.COMPLAINTS["reopen_days"] + 1)
    )
    client.force_login(regency.siti)
    page = client.get(f"/pengaduan/{report.reference}/").content.decode()
    assert "Masalahnya belum selesai?" not in page
    response = client.post(
        f"/pengaduan/{report.reference}/buka-kembali/",
        {"reason": "Lubang hanya ditimbun tanah, berlubang lagi."},
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_a_citizen_follows_a_public_report(client, regency, reports):
    report = reports["public"]
    url = f"/pengaduan/{report.reference}/ikuti/"
    assert client.post(url).status_code == 302  # to the login page
    assert not ReportFollower.objects.exists()
    client.force_login(regency.siti)
    assert client.post(url).status_code == 302
    assert ReportFollower.objects.filter(report=report, user=regency.siti).exists()
    assert (
        "Anda mengikuti laporan ini."
        in client.get(f"/pengaduan/{report.reference}/").content.decode()
    )
    client.post(url, {"berhenti": "1"})
    assert not ReportFollower.objects.exists()
    private = reports["private"]
    assert client.post(f"/pengaduan/{private.reference}/ikuti/").status_code == 404


def test_a_merged_duplicate_leads_to_the_original(client, regency, road):
    original = send(road)
    duplicate = send(road, title="Jalan rusak dekat SD 12")
    services.merge(duplicate, original, actor=regency.budi)
    response = client.get(f"/pengaduan/{duplicate.reference}/")
    assert response.status_code == 302
    assert response["Location"] == f"/pengaduan/{original.reference}/"
    listing = Client().get("/pengaduan/").content.decode()
    assert duplicate.reference not in listing
    assert original.reference in listing


def test_unknown_reports_are_404(client, regency):
    assert client.get("/pengaduan/ADU-2601-00001/").status_code == 404
    assert client.get("/pengaduan/terkirim/ADU-2601-00001/").status_code == 404


def test_pages_refuse_other_methods(client, reports):
    assert client.post("/pengaduan/").status_code == 405
    assert client.get(f"/pengaduan/{reports['public'].reference}/nilai/").status_code in (302, 405)
    client.force_login(reports["mine"].reporter)
    assert client.get(f"/pengaduan/{reports['public'].reference}/nilai/").status_code == 405


def test_photos_follow_the_visibility_of_their_report(client, regency, road):
    private = send(road, reporter=regency.siti, is_public=False, photos=[jpeg()])
    photo = private.photos.get()
    url = f"/pengaduan/{private.reference}/foto/{photo.pk}.jpg"
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(regency.dina)  # another OPD's operator
    assert client.get(url).status_code == 404
    client.force_login(regency.siti)
    assert client.get(url).status_code == 200
    public = send(road, photos=[jpeg()])
    hidden = public.photos.get()
    type(hidden).objects.filter(pk=hidden.pk).update(is_public=False)
    client.logout()
    assert client.get(f"/pengaduan/{public.reference}/foto/{hidden.pk}.jpg").status_code == 404
    # A photo of another report under this report's address is not found either.
    assert client.get(f"/pengaduan/{public.reference}/foto/{photo.pk}.jpg").status_code == 404

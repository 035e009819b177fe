"""The citizen's report form /pengaduan/baru/: a good report is saved and confirmed with its
tracking number; every kind of bad input is a form error a person can act on, and nothing is
half-saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from ...models import Report, ReportPhoto, ReportUpdate
from .helpers import (
    EMAIL,
    JAKARTA,
    NIK,
    PHONE,
    form_data,
    jpeg,
)

URL = "/pengaduan/baru/"


def nothing_saved() -> None:
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert ReportUpdate.objects.count() == 0


def test_the_form_asks_a_visitor_for_optional_contact_and_hides_the_honeypot(client, road):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="contact_phone"' in html
    assert 'name="situs_web"' in html and 'tabindex="-1"' in html
    assert 'class="visually-hidden" aria-hidden="true"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Jalan rusak" in html and "Segara Kembang" in html
    # The map and its script are there, tiles come from the configured URL (no inline script).
    assert 'id="report-map"' in html and "complaints/report-form.js" in html
    # The regency's box reaches the map scripts with a decimal point in any language.
    assert 'data-south="-4.62"' in html and 'data-east="104.6"' in html
    assert "<script>" not in html


def test_a_signed_in_citizen_is_not_asked_for_contact_data(client, regency, road):
    client.force_login(regency.siti)
    html = client.get(URL).content.decode()
    assert 'name="contact_phone"' not in html
    assert 'name="title"' in html


def test_a_visitor_sends_a_report_with_a_photo_and_gets_the_tracking_number(client, road):
    response = client.post(URL, {**form_data(road), "photos": [jpeg()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    assert response["Location"] == f"/pengaduan/terkirim/{report.reference}/"
    assert report.reference.startswith("ADU-")
    assert report.channel == Report.Channel.WEB
    assert report.organisation.code == "dinas-pupr"
    assert report.region_id == "16.01.28.2009"
    assert report.contact_phone == PHONE and report.contact_email == EMAIL
    # Personal data typed into the text is masked in the public copy.
    assert PHONE not in report.public_description and NIK not in report.public_description
    assert EMAIL not in report.public_description
    photo = ReportPhoto.objects.get(report=report)
    assert max(photo.width, photo.height) <= 1600
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif(), "EXIF (with the GPS position) must be gone"

    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert report.reference in html
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html


def test_the_confirmation_page_belongs_to_the_browser_that_sent_the_report(client, road):
    client.post(URL, {**form_data(road), "is_public": ""})
    report = Report.objects.get()
    assert not report.is_public
    from django.test import Client

    stranger = Client()
    assert stranger.get(f"/pengaduan/terkirim/{report.reference}/").status_code == 404
    assert stranger.get(f"/pengaduan/{report.reference}/").status_code == 404
    # The sender still sees the private report it just sent.
    assert client.get(f"/pengaduan/{report.reference}/").status_code == 200


def test_a_signed_in_citizen_becomes_the_reporter(client, regency, road):
    client.force_login(regency.siti)
    data = form_data(road, contact_name=None, contact_phone=None, contact_email=None)
    response = client.post(URL, {**data, "is_anonymous": "on"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reporter == regency.siti
    assert report.is_anonymous
    assert report.contact_phone == ""


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("", "Ceritakan masalahnya: apa yang terjadi"),
        ("rusak", "paling sedikit 10 huruf"),
        ("Jalan rusak parah. " * 1100, "5000"),
    ],
    ids=["empty", "too-short", "20000-chars"],
)
def test_a_description_empty_or_too_long_is_refused(client, road, description, message):
    response = client.post(URL, form_data(road, description=description))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ada yang perlu diperbaiki" in html
    assert message in html
    nothing_saved()


def test_a_text_file_named_jpg_is_refused_and_nothing_is_saved(client, road):
    fake = SimpleUploadedFile("jalan.jpg", b"bukan foto, hanya teks " * 50, "image/jpeg")
    response = client.post(URL, {**form_data(road), "photos": [jpeg("baik.jpg"), fake]})
    assert response.status_code == 400
    assert "bukan gambar" in response.content.decode()
    nothing_saved()


def test_a_30_mb_photo_is_refused_with_the_limit_named(client, road):
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8\xff" + b"0" * (30 * 1024 * 1024), "image/jpeg")
    response = client.post(URL, {**form_data(road), "photos": [big]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "terlalu besar" in html and "10,0" in html.replace("10.0", "10,0")
    nothing_saved()


def test_more_photos_than_allowed_are_refused(client, road):
    photos = [jpeg(f"f{i}.jpg", size=(40, 30)) for i in range(6)]
    response = client.post(URL, {**form_data(road), "photos": photos})
    assert response.status_code == 400
    assert "Paling banyak 5 foto" in response.content.decode()
    nothing_saved()


def test_coordinates_outside_the_regency_are_refused(client, road):
    data = form_data(road, latitude=JAKARTA[0], longitude=JAKARTA[1])
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "di luar Kabupaten Ogan Komering Ulu" in response.content.decode()
    nothing_saved()


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [("abc", "104.03", "sebagai angka"), ("-4.05", "", "bersama-sama"), ("NaN", "1", "angka")],
)
def test_bad_coordinates_are_refused(client, road, latitude, longitude, message):
    data = form_data(road, latitude=latitude, longitude=longitude)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    nothing_saved()


def test_a_report_without_any_location_is_refused(client, road):
    data = form_data(road, latitude="", longitude="", district="", village="", address="")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Tandai lokasi di peta" in response.content.decode()
    nothing_saved()


def test_a_village_outside_the_chosen_district_is_refused(client, road):
    response = client.post(URL, form_data(road, district="16.01.01"))
    assert response.status_code == 400
    assert "tidak berada di Kecamatan Baturaja Timur" in response.content.decode()
    nothing_saved()


def test_an_unknown_category_is_refused(client, road):
    response = client.post(URL, form_data(road, category="tidak-ada"))
    assert response.status_code == 400
    nothing_saved()


def test_a_filled_honeypot_is_refused(client, road):
    response = client.post(URL, form_data(road, situs_web="http://promo.example"))
    assert response.status_code == 400
    assert "tidak dapat diterima" in response.content.decode()
    nothing_saved()


def test_a_bad_contact_email_is_refused(client, road):
    response = client.post(URL, form_data(road, contact_email="siti@"))
    assert response.status_code == 400
    nothing_saved()


# The counters live in the cache; the test suite's file cache is shared with every test process
# on the machine (another run's cache.clear() would reset them), so this test has its own.
@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                        "LOCATION": "complaints-rate-limit-test"}}
)  # fmt: skip
def test_too_many_reports_from_one_address_are_refused_for_an_hour(client, road, settings):
    settings.COMPLAINTS = {**settings.COMPLAINTS, "rate_per_hour": 2}
    for _ in range(2):
        assert client.post(URL, form_data(road)).status_code == 302
    response = client.post(URL, form_data(road))
    assert response.status_code == 429
    assert "coba lagi dalam" in response.content.decode()
    assert Report.objects.count() == 2


def test_the_form_preselects_a_category_from_the_link(client, road):
    html = client.get(URL + "?kategori=jalan-rusak").content.decode()
    assert '<option value="jalan-rusak" selected>' in html


def test_similar_reports_near_the_pin_are_suggested(client, road, clinic):
    client.post(URL, form_data(road))
    first = Report.objects.get()
    url = reverse("complaints:public:similar_reports")
    found = client.get(url, {"kategori": "jalan-rusak", "lat": "-4.05235", "lon": "104.0312"})
    assert found.status_code == 200
    results = found.json()["results"]
    assert [r["reference"] for r in results] == [first.reference]
    assert results[0]["distance_m"] < 10
    body = found.content.decode()
    assert PHONE not in body and "Siti" not in body and NIK not in body
    other = client.get(url, {"kategori": "layanan-puskesmas", "lat": "-4.05235", "lon": "104.0312"})
    assert other.json()["results"] == []
    assert client.get(url, {"kategori": "jalan-rusak", "lat": "x", "lon": "1"}).status_code == 400
    assert client.get(url, {"kategori": "nope", "lat": "-4", "lon": "104"}).status_code == 400


def test_a_private_report_is_not_suggested_as_similar(client, road):
    client.post(URL, form_data(road, is_public=""))
    url = reverse("complaints:public:similar_reports")
    found = client.get(url, {"kategori": "jalan-rusak", "lat": "-4.05235", "lon": "104.0312"})
    assert found.json()["results"] == []


def test_the_photo_field_tells_the_size_limit_before_upload(client, road):
    html = client.get(URL).content.decode()
    assert 'data-max-bytes="10485760"' in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html


@pytest.fixture
def documents(regency):
    from ...models import Category

    return Category.objects.create(
        code="administrasi-kependudukan",
        name="KTP-el, KK dan akta",
        group="Administrasi",
        organisation=regency.dinkes,
        attributes=[
            {
                "code": "dokumen",
                "datatype": "singlevaluelist",
                "required": True,
                "description": "Dokumen yang diurus",
                "order": 1,
                "values": [{"key": "ktp-el", "name": "KTP-el"}, {"key": "kk", "name": "KK"}],
            }
        ],
    )


def test_a_categorys_required_attribute_is_asked_and_stored(client, road, documents):
    html = client.get(URL).content.decode()
    assert 'data-category="administrasi-kependudukan"' in html
    assert "Dokumen yang diurus" in html
    field = "attribute__administrasi-kependudukan__dokumen"
    missing = client.post(URL, form_data(documents))
    assert missing.status_code == 400
    assert "Dokumen yang diurus wajib diisi" in missing.content.decode()
    nothing_saved()
    unknown = client.post(URL, {**form_data(documents), field: "paspor"})
    assert unknown.status_code == 400
    nothing_saved()
    # Another category's attribute is not required (nor stored) for a broken road.
    assert client.post(URL, form_data(road)).status_code == 302
    sent = client.post(URL, {**form_data(documents), field: "kk"})
    assert sent.status_code == 302
    report = Report.objects.get(category=documents)
    assert report.attribute_values == {"dokumen": "kk"}
    assert Report.objects.get(category=road).attribute_values == {}

"""What submit_report refuses or cleans before anything is saved: bad input, personal data in
public text, photos that are not images or too big, EXIF location; and the rate limit."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from satupintu.complaints import photos
from satupintu.complaints.models import Report, ReportPhoto
from satupintu.complaints.photos import process_photo
from satupintu.complaints.publicity import mask_personal_data
from satupintu.complaints.ratelimit import SubmissionRateExceeded, check_submission_rate
from satupintu.core.roles import Role

from .conftest import make_user


def test_mask_personal_data_in_free_text():
    text = (
        "Saya Siti, NIK 1601285203850003, HP 0812-7345-6621 atau +62 812 7345 6621, email "
        "siti.aminah@gmail.com. Jalan rusak sejak 2025 di RT 04, kerugian Rp 50.000."
    )
    masked = mask_personal_data(text)
    assert "1601285203850003" not in masked and "1601**********03" in masked
    assert "7345" not in masked.replace("0812****6621", "")
    assert "0812****6621" in masked
    assert "siti.aminah" not in masked and "s***@gmail.com" in masked
    assert "sejak 2025" in masked and "RT 04" in masked and "Rp 50.000" in masked


@pytest.mark.django_db
def test_public_copy_is_masked_and_the_original_kept(submit):
    report = submit(description="Hubungi saya di 081273456621 untuk lokasi persisnya, dekat SD.")
    assert "081273456621" in report.description
    assert "081273456621" not in report.public_description
    assert "0812****6621" in report.public_description


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "rusak"}, "description"),
        ({"description": "x" * 20_000}, "description"),
        ({"latitude": "-6.2", "longitude": "106.8"}, "latitude"),  # Jakarta
        ({"latitude": "abc", "longitude": "104.1"}, "latitude"),
        ({"latitude": "NaN", "longitude": "104.1"}, "latitude"),
        ({"latitude": "-4.1", "longitude": None}, "latitude"),
        ({"latitude": None, "longitude": None, "address": ""}, "address"),
        ({"contact": {"email": "bukan-email"}, "reporter": None}, "contact_email"),
        ({"contact": {"phone": "12"}, "reporter": None}, "contact_phone"),
        ({"attributes": {"tingkat": "parah sekali"}}, "attribute[tingkat]"),
    ],
)
def test_bad_input_is_refused_with_a_field_message(submit, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(**overrides)
    assert field in error.value.message_dict
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_region_outside_the_regency_is_refused(submit, regions):
    from satupintu.core.models import Region

    palembang = Region.objects.create(code="16.71", name="KOTA PALEMBANG", level=2, parent_id="16")
    with pytest.raises(ValidationError) as error:
        submit(region=palembang, latitude=None, longitude=None)
    assert "region" in error.value.message_dict
    assert submit(region=regions["16.01.28.2009"], latitude=None, longitude=None).region_id


@pytest.mark.django_db
def test_inactive_category_is_refused(submit, categories):
    categories["sampah"].is_active = False
    categories["sampah"].save()
    with pytest.raises(ValidationError) as error:
        submit(category=categories["sampah"])
    assert "category" in error.value.message_dict


@pytest.mark.django_db
def test_anonymous_without_contact_is_anonymous_publicly(submit):
    report = submit(reporter=None)
    assert report.is_anonymous and report.public_reporter_name() == "Anonim"
    named = submit(reporter=None, contact={"name": "Rahmat Hidayat", "phone": "0812 3456 7890"})
    assert named.public_reporter_name() == "Rahmat"
    assert named.contact_phone == "0812 3456 7890"
    stored = Report.objects.filter(pk=named.pk).values_list("contact_phone", flat=True).get()
    assert isinstance(stored, str)


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "Kamera Warga"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (4.0, 3.0, 8.0)
    gps[3] = "E"
    gps[4] = (103.0, 57.0, 29.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_photo_is_resized_and_stripped_of_exif_and_gps(submit, media):
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry a location
    report = submit(photos=[SimpleUploadedFile("IMG_2031.jpg", raw, "image/jpeg")])
    photo = report.photos.get()
    assert (photo.width, photo.height) == (1600, 1067)
    assert "IMG_2031" not in photo.image.name
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == 1600
        assert len(stored.getexif()) == 0
        assert "exif" not in stored.info


def test_a_sideways_phone_photo_is_stored_upright_without_exif():
    # Phones store portrait shots as landscape pixels plus "rotate 90°" (orientation 6).
    image = Image.new("RGB", (400, 300), (120, 90, 60))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    clean = process_photo(SimpleUploadedFile("potret.jpg", out.getvalue(), "image/jpeg"))
    with Image.open(io.BytesIO(clean.read())) as stored:
        assert stored.size == (300, 400)
        assert len(stored.getexif()) == 0


def test_a_photo_claiming_too_many_pixels_is_refused_with_the_complaints_wording(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as error:
        process_photo(SimpleUploadedFile("raksasa.jpg", jpeg_with_gps((40, 30)), "image/jpeg"))
    assert error.value.code == "photo_invalid"
    assert "Unggah foto JPEG" in error.value.messages[0]


@pytest.mark.django_db
def test_a_jpg_that_is_not_an_image_saves_nothing(submit, media):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.7 bukan gambar" * 50, "image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(photos=[fake])
    assert error.value.code == "photo_invalid"
    assert "foto.jpg" in error.value.messages[0]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


@pytest.mark.django_db
def test_a_30_mb_photo_is_refused(submit, media):
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024), "image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(photos=[SimpleUploadedFile("ok.jpg", jpeg_with_gps((40, 30))), big])
    assert error.value.code == "photo_too_large"
    assert "10 MB" in error.value.messages[0]
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
    assert not any(media.rglob("*.jpg"))


@pytest.mark.django_db
def test_rate_limit_per_account_and_per_ip(organisations, settings):
    settings.COMPLAINTS = {**settings.COMPLAINTS, "rate_per_hour": 3}
    siti = make_user("siti", None, Role.CITIZEN)
    rudi = make_user("rudi", None, Role.CITIZEN)
    start = dt.datetime(2026, 12, 1, 3, 5, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            check_submission_rate(siti, "10.0.0.1")
        with pytest.raises(SubmissionRateExceeded) as error:
            check_submission_rate(siti, "10.0.0.2")  # another address, same account
        assert "55 menit" in error.value.messages[0]
        with pytest.raises(SubmissionRateExceeded):
            check_submission_rate(rudi, "10.0.0.1")  # another account, same address
        check_submission_rate(rudi, "10.0.0.3")
        check_submission_rate(None, "10.0.0.4")
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        check_submission_rate(siti, "10.0.0.1")

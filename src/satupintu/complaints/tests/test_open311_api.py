"""Open311 details through Django's test client: keys, rate limit, attributes, filters,
pagination, visibility of non-public reports, formats and methods."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from .. import services
from ..models import ApiKey, Report
from ..open311.keys import hash_key, issue_key, verify_key
from .machine_support import (
    locmem_cache,
    make_categories,
    make_organisations,
    make_user,
    submit,
)
from .machine_support import post_request as post

URL = "/open311/v2"


@pytest.fixture
def world(db, settings):
    locmem_cache(settings, "open311-api")
    organisations = make_organisations()
    categories = make_categories(organisations)
    return {"organisations": organisations, "categories": categories}


@pytest.fixture
def key(world) -> str:
    return issue_key("Aplikasi Lapor OKU").key


def test_keys_are_stored_hashed_shown_once_and_revocable(world):
    issued = issue_key("Aplikasi Desa Digital", organisation=world["organisations"]["dpmd"])
    stored = ApiKey.objects.get(pk=issued.api_key.pk)
    assert issued.key.startswith(f"o311_{stored.prefix}.")
    assert issued.key not in stored.key_hash and stored.key_hash == hash_key(issued.key)
    assert verify_key(issued.key) == stored
    assert ApiKey.objects.get(pk=stored.pk).last_used_at is not None
    assert verify_key(issued.key + "x") is None
    assert verify_key(f"o311_{stored.prefix}.tebakan") is None
    assert verify_key("") is None and verify_key(None) is None
    stored.is_active = False
    stored.save()
    assert verify_key(issued.key) is None


def test_create_open311_key_command_prints_the_key_once(world):
    out = StringIO()
    call_command(
        "create_open311_key", "Aplikasi OKU Menyapa", organisation="diskominfo", stdout=out
    )
    key = out.getvalue().splitlines()[1]
    api_key = verify_key(key)
    assert api_key.name == "Aplikasi OKU Menyapa"
    assert api_key.organisation.code == "diskominfo"
    with pytest.raises(CommandError):
        call_command("create_open311_key", "X", organisation="tidak-ada", stdout=StringIO())


def test_revoked_key_is_refused(world, key, client):
    ApiKey.objects.update(is_active=False)
    response = post(client, key)
    assert response.status_code == 403
    assert Report.objects.count() == 0


def test_rate_limit_per_key_answers_429_with_retry_after(world, key, settings):
    settings.OPEN311_RATE_LIMIT = 2
    settings.COMPLAINTS = {**settings.COMPLAINTS, "duplicate_distance_m": 0}
    client = Client()
    assert post(client, key).status_code == 200
    assert post(client, key, lat="-4.1400").status_code == 200
    response = post(client, key, lat="-4.1500")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert json.loads(response.content)[0]["code"] == 429
    # Another client's key has its own budget.
    other = issue_key("Aplikasi lain").key
    assert post(client, other, lat="-4.1600").status_code == 200
    assert Report.objects.count() == 3


def test_post_needs_no_csrf_token(world, key):
    client = Client(enforce_csrf_checks=True)
    response = post(client, key, fmt="xml")
    assert response.status_code == 200
    assert b"<service_request_id>ADU-" in response.content


def test_attributes_required_and_multi_values(world, key, client):
    missing = post(client, key, service_code="jalan-rusak")
    assert missing.status_code == 400
    assert "attribute[tingkat]" in missing.content.decode()
    ok = post(
        client,
        key,
        service_code="jalan-rusak",
        description="Aspal jalan desa amblas sepanjang lima meter setelah hujan deras.",
        **{"attribute[tingkat]": "ringan", "attribute[lebar]": "1.5"},
    )
    assert ok.status_code == 200, ok.content
    report = Report.objects.get(reference=json.loads(ok.content)[0]["service_request_id"])
    assert report.attribute_values == {"tingkat": "ringan", "lebar": "1.5"}


def test_address_string_alone_is_a_location(world, key, client):
    response = post(
        client, key, lat=None, long=None, address_string="Pasar Baru Baturaja, Kec. Baturaja Timur"
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.latitude is None and report.address.startswith("Pasar Baru")


def test_lists_only_public_reports_and_hides_merged_duplicates(world, client):
    lamp = world["categories"]["lampu-jalan"]
    public = submit(lamp, "Lampu jalan depan Masjid Agung padam dua malam.")
    private = submit(
        lamp, "Lampu jalan di gang rumah saya padam, mohon diperbaiki.", is_public=False
    )
    response = client.get(f"{URL}/requests.json")
    ids = [r["service_request_id"] for r in json.loads(response.content)]
    assert ids == [public.reference]
    assert client.get(f"{URL}/requests/{private.reference}.json").status_code == 404
    listed = client.get(f"{URL}/requests.json?service_request_id={private.reference}")
    assert json.loads(listed.content) == []


def test_pagination_and_page_size_cap(world, client):
    lamp = world["categories"]["lampu-jalan"]
    made = [
        submit(lamp, f"Lampu jalan nomor {n} di Jalan Ahmad Yani padam.", address=f"Tiang {n}")
        for n in range(3)
    ]
    first = client.get(f"{URL}/requests.json?page_size=2")
    assert [r["service_request_id"] for r in json.loads(first.content)] == [
        made[2].reference,
        made[1].reference,
    ]
    assert 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    second = client.get(f"{URL}/requests.json?page_size=2&page=2")
    assert [r["service_request_id"] for r in json.loads(second.content)] == [made[0].reference]
    assert "Link" not in second
    too_big = client.get(f"{URL}/requests.json?page_size=1000")
    assert too_big.status_code == 400 and "page_size" in too_big.content.decode()


def test_date_filters(world, client):
    lamp = world["categories"]["lampu-jalan"]
    report = submit(lamp, "Lampu penerangan jalan umum di Jembatan Ogan padam.")
    day = timezone.localdate(report.created_at).isoformat()
    hit = client.get(f"{URL}/requests.json?start_date={day}&end_date={day}")
    assert len(json.loads(hit.content)) == 1
    miss = client.get(f"{URL}/requests.json?end_date=2020-01-31")
    assert json.loads(miss.content) == []
    backwards = client.get(f"{URL}/requests.json?start_date=2026-11-20&end_date=2026-11-01")
    assert backwards.status_code == 400
    too_long = client.get(f"{URL}/requests.xml?start_date=2026-01-01&end_date=2026-11-01")
    assert too_long.status_code == 400 and b"<errors>" in too_long.content


def test_status_notes_are_the_latest_public_update(world, client):
    lamp = world["categories"]["lampu-jalan"]
    report = submit(lamp, "Lampu jalan di depan kantor camat padam total.")
    operator = make_user("dedi", world["organisations"]["dishub"], "operator")
    services.add_note(
        report, actor=operator, message="Catatan dalam: cek stok lampu", is_public=False
    )
    services.add_note(
        report, actor=operator, message="Petugas dijadwalkan besok pagi.", is_public=True
    )
    record = json.loads(client.get(f"{URL}/requests/{report.reference}.json").content)[0]
    assert record["status_notes"] == "Petugas dijadwalkan besok pagi."


def test_format_query_parameter_method_and_unknown_format(world, client):
    xml = client.get(f"{URL}/services?format=xml")
    assert xml["Content-Type"].startswith("text/xml") and xml.content.startswith(b"<?xml")
    assert client.get(f"{URL}/services?format=csv").status_code == 400
    put = client.put(f"{URL}/services.json")
    assert put.status_code == 405 and json.loads(put.content)[0]["code"] == 405


def test_oversized_post_gets_an_open311_413(world, key, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, key, fmt="xml", description="jalan rusak " * 2000)
    assert response.status_code == 413
    assert b"<errors><error><code>413</code>" in response.content
    assert Report.objects.count() == 0


def test_photo_that_is_not_an_image_is_refused_with_nothing_saved(world, key, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("jalan.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")
    response = post(client, key, media=fake)
    assert response.status_code == 400
    assert "bukan gambar" in json.loads(response.content)[0]["description"]
    assert Report.objects.count() == 0


def test_photo_sent_as_media_is_published_through_the_public_photo_view(world, key, client):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (640, 480), (120, 110, 90)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("jalan.jpg", buffer.getvalue(), content_type="image/jpeg")
    created = post(client, key, media=photo)
    assert created.status_code == 200, created.content
    reference = json.loads(created.content)[0]["service_request_id"]
    record = json.loads(client.get(f"{URL}/requests/{reference}.json").content)[0]
    assert record["media_url"].endswith(
        f"/pengaduan/{reference}/foto/{Report.objects.get().photos.get().pk}.jpg"
    )
    path = record["media_url"].split("://", 1)[1].split("/", 1)[1]
    image = Client().get(f"/{path}")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"

"""The inbound WhatsApp/SMS gateway webhook: signed JSON in, a report and a reply out; bad
signatures, replays, stale timestamps and malformed JSON refused with nothing saved."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from ..channels.generic import sign
from ..channels.inbound import choose_category
from ..models import Category, Report
from .machine_support import LENGKITI, locmem_cache, make_categories, make_organisations

SECRET = "rahasia-gateway-wa-oku"
URL = "/pengaduan/kanal/wa-oku/"
PHONE = "+6281377665544"


@pytest.fixture
def world(db, settings):
    locmem_cache(settings, "complaints-channels")
    settings.COMPLAINTS_CHANNEL_SECRETS = {"wa-oku": SECRET}
    organisations = make_organisations()
    categories = make_categories(organisations)
    # As in the demo: the road category's question is optional, so a chat can reach it.
    road = categories["jalan-rusak"]
    road.attributes = [{**a, "required": False} for a in road.attributes]
    road.save()
    Category.objects.create(
        code="administrasi-kependudukan",
        name="KTP-el, KK dan akta",
        group="Administrasi",
        keywords="KTP, KK, akta, Dukcapil",
        organisation=organisations["disdukcapil"],
        attributes=[
            {
                "code": "dokumen",
                "datatype": "singlevaluelist",
                "required": True,
                "description": "Dokumen yang diurus",
                "values": [{"key": "ktp-el", "name": "KTP-el"}],
            }
        ],
    )
    return {"categories": categories}


def message(**changes) -> dict:
    body = {
        "message_id": "wamid.HBgNNjI4MTM3NzY2NTU0NBUCABIYFDNBMEE",
        "channel": "whatsapp",
        "from": PHONE,
        "name": "Rudi Hartono",
        "text": "Jalan berlubang besar di Desa Lengkiti dekat jembatan, bahaya untuk motor. "
        "Nomor saya 0813-7766-5544.",
        "location": {"latitude": float(LENGKITI[0]), "longitude": float(LENGKITI[1])},
    }
    body.update(changes)
    return body


def send(body, *, secret: str = SECRET, timestamp: int | None = None, url: str = URL, raw=None):
    raw = raw if raw is not None else json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    return Client(enforce_csrf_checks=True).post(
        url,
        raw,
        content_type="application/json",
        headers={
            "X-Satupintu-Timestamp": str(timestamp),
            "X-Satupintu-Signature": sign(secret, timestamp, raw),
        },
    )


def test_signed_message_creates_a_report_and_replies_with_its_number(world):
    response = send(message())
    assert response.status_code == 201, response.content
    answer = response.json()
    report = Report.objects.get()
    assert answer["ok"] is True and answer["reference"] == report.reference
    assert report.reference in answer["reply"] and "Terima kasih" in answer["reply"]
    assert f"/pengaduan/{report.reference}/" in answer["reply"]
    assert report.category.code == "jalan-rusak"  # "jalan", "berlubang" are its keywords
    assert report.channel == Report.Channel.WHATSAPP
    assert report.contact_phone == PHONE and report.contact_name == "Rudi Hartono"
    assert report.is_anonymous
    assert "0813-7766-5544" not in report.public_description
    assert "0813-7766-5544" not in report.title
    assert str(report.latitude) == LENGKITI[0]


def test_sms_without_keywords_goes_to_lainnya_and_needs_a_place(world):
    sms = message(
        channel="sms",
        text="Mohon informasi jadwal pelayanan KTP keliling di kecamatan kami.",
        location=None,
    )
    nowhere = send(sms)
    assert nowhere.status_code == 422
    assert "lokasi" in nowhere.json()["reply"].lower()
    placed = send({**sms, "address": "Kantor Camat Lengkiti, Desa Lengkiti"})
    assert placed.status_code == 201, placed.content
    report = Report.objects.get()
    assert report.category.code == "lainnya" and report.channel == Report.Channel.SMS
    assert report.organisation.code == "diskominfo"
    assert choose_category("Lampu PJU mati di simpang").code == "lampu-jalan"
    # A category with a required question a chat cannot answer is left to "lainnya".
    assert choose_category("Blangko KTP habis, akta belum jadi").code == "lainnya"


def test_bad_signature_is_refused(world):
    response = send(message(), secret="rahasia-lain")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    raw = json.dumps(message()).encode()
    timestamp = int(time.time())
    tampered = Client().post(
        URL,
        raw.replace(b"Lengkiti", b"Baturaja"),
        content_type="application/json",
        headers={
            "X-Satupintu-Timestamp": str(timestamp),
            "X-Satupintu-Signature": sign(SECRET, timestamp, raw),
        },
    )
    assert tampered.status_code == 401
    missing = Client().post(URL, raw, content_type="application/json")
    assert missing.status_code == 401
    assert Report.objects.count() == 0


def test_replayed_and_stale_messages_are_refused(world):
    first = send(message())
    assert first.status_code == 201
    replay = send(message())
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "duplicate_message"
    assert first.json()["reference"] in replay.json()["reply"]
    stale = send(message(message_id="wamid.lama"), timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "stale_timestamp"
    future = send(message(message_id="wamid.masa-depan"), timestamp=int(time.time()) + 3600)
    assert future.status_code == 401
    assert Report.objects.count() == 1


def test_a_refused_report_can_be_sent_again_after_a_fix(world):
    short = send(message(text="Rusak"))
    assert short.status_code == 422
    assert send(message()).status_code == 201  # same message_id, now valid


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"{bukan json", "bad_json"),
        (b"[1, 2, 3]", "bad_json"),
        (json.dumps(message(channel="telegram")).encode(), "invalid_field"),
        (json.dumps(message(message_id="")).encode(), "missing_field"),
        (json.dumps(message(text=["bukan", "teks"])).encode(), "invalid_field"),
        (json.dumps(message(location={"latitude": "utara"})).encode(), "invalid_field"),
    ],
)
def test_malformed_messages_get_400(world, raw, code):
    response = send(None, raw=raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert Report.objects.count() == 0


def test_location_outside_the_regency_is_refused_with_a_reply(world):
    response = send(message(location={"latitude": -6.2, "longitude": 106.8}))
    assert response.status_code == 422
    assert "luar wilayah" in response.json()["reply"]
    assert Report.objects.count() == 0


def test_unknown_provider_and_get_are_refused(world):
    assert send(message(), url="/pengaduan/kanal/telegram/").status_code == 404
    assert Client().get(URL).status_code == 405


def test_sender_rate_limit(world, settings):
    settings.COMPLAINTS = {**settings.COMPLAINTS, "rate_per_hour": 1}
    assert send(message()).status_code == 201
    second = send(
        message(message_id="wamid.kedua", location={"latitude": -4.2, "longitude": 104.1})
    )
    assert second.status_code == 429
    assert Report.objects.count() == 1

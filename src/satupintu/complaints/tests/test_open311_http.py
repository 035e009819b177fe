"""Open311 GeoReport v2 as a third-party client uses it: plain HTTP against a running server
(urllib, form-encoded POST, JSON and XML), including every kind of bad input."""

from __future__ import annotations

import json
from types import SimpleNamespace
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from xml.etree import ElementTree

import pytest

from ..models import Report, ReportUpdate
from ..open311.keys import issue_key
from .machine_support import LENGKITI, locmem_cache, make_categories, make_organisations

NIK = "1601285203850003"


@pytest.fixture
def world(transactional_db, settings, live_server):
    locmem_cache(settings, "open311-http")
    organisations = make_organisations()
    categories = make_categories(organisations)
    issued = issue_key("Aplikasi Lapor OKU", organisation=organisations["diskominfo"])
    return SimpleNamespace(
        url=f"{live_server.url}/open311/v2",
        categories=categories,
        key=issued.key,
    )


def call(url: str, data: dict | None = None, method: str | None = None):
    body = urlencode(data, doseq=True).encode() if data is not None else None
    request = Request(url, data=body, method=method)  # noqa: S310 (the test server's URL)
    try:
        with urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def xml(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)  # noqa: S314 (our own server's answer)


def road_report(key: str, **changes) -> dict:
    data = {
        "api_key": key,
        "service_code": "jalan-rusak",
        "lat": LENGKITI[0],
        "long": LENGKITI[1],
        "address_string": "Jl. Lintas Baturaja–Lengkiti km 12, Desa Segara Kembang",
        "description": (
            "Jalan berlubang sedalam 30 cm di depan SD Negeri 3, sudah dua motor jatuh. "
            f"Hubungi saya di 0812-7788-9900, NIK saya {NIK}."
        ),
        "attribute[tingkat]": "berat",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "siti.aminah@example.id",
        "phone": "081277889900",
        "device_id": "perangkat-uji-1",  # an optional field satupintu does not use
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


PERSONAL = ("Aminah", "siti.aminah", "081277889900", "0812-7788-9900", NIK)


def assert_no_personal_data(body: bytes) -> None:
    text = body.decode()
    for value in PERSONAL:
        assert value not in text


def test_third_party_client_reports_and_tracks_a_broken_road(world):
    status, headers, body = call(f"{world.url}/discovery.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    endpoint = json.loads(body)["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "text/xml" in endpoint["formats"]
    status, headers, body = call(f"{world.url}/discovery.xml")
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert xml(body).find("endpoints/endpoint/formats/format") is not None

    status, _, body = call(f"{world.url}/services.json")
    services = {s["service_code"]: s for s in json.loads(body)}
    assert services["jalan-rusak"]["metadata"] is True
    assert services["jalan-rusak"]["group"] == "Infrastruktur"
    assert services["lainnya"]["metadata"] is False
    status, _, body = call(f"{world.url}/services.xml")
    codes = [e.text for e in xml(body).findall("service/service_code")]
    assert status == 200 and "lampu-jalan" in codes

    status, _, body = call(f"{world.url}/services/jalan-rusak.json")
    definition = json.loads(body)
    tingkat = definition["attributes"][0]
    assert tingkat["code"] == "tingkat" and tingkat["required"] is True
    assert {"key": "berat", "name": "Berat"} in tingkat["values"]
    status, _, body = call(f"{world.url}/services/jalan-rusak.xml")
    root = xml(body)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "ringan"

    status, headers, body = call(f"{world.url}/requests.json", road_report(world.key))
    assert status == 200, body
    created = json.loads(body)[0]
    reference, token = created["service_request_id"], created["token"]
    assert reference.startswith("ADU-") and "Dinas Pekerjaan Umum" in created["service_notice"]
    assert_no_personal_data(body)

    report = Report.objects.get(reference=reference)
    assert report.channel == Report.Channel.OPEN311
    assert report.contact_email == "siti.aminah@example.id"
    assert report.attribute_values == {"tingkat": "berat"}
    assert report.api_client.name == "Aplikasi Lapor OKU"

    status, _, body = call(f"{world.url}/requests/{reference}.json")
    record = json.loads(body)[0]
    assert status == 200
    assert record["status"] == "open" and record["service_code"] == "jalan-rusak"
    assert record["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert record["lat"] == pytest.approx(-4.1378) and record["long"] == pytest.approx(104.1833)
    assert record["requested_datetime"].endswith("+07:00")
    assert "Jalan berlubang" in record["description"]
    assert_no_personal_data(body)

    status, _, body = call(f"{world.url}/tokens/{token}.xml")
    request_element = xml(body).find("request")
    assert status == 200
    assert request_element.find("service_request_id").text == reference
    assert request_element.find("token").text == token

    status, _, body = call(f"{world.url}/requests.xml?service_code=jalan-rusak&status=open")
    ids = [e.text for e in xml(body).findall("request/service_request_id")]
    assert status == 200 and ids == [reference]
    assert_no_personal_data(body)
    status, _, body = call(f"{world.url}/requests.json?service_request_id={reference},ADU-0000-1")
    assert [r["service_request_id"] for r in json.loads(body)] == [reference]
    status, _, body = call(f"{world.url}/requests.json?status=closed")
    assert json.loads(body) == []

    # A staff note that is internal never reaches the API; a public update becomes status_notes.
    ReportUpdate.objects.create(
        report=report, kind="internal_note", message="Rahasia: kontraktor lama", is_public=False
    )
    status, _, body = call(f"{world.url}/requests/{reference}.json")
    assert "Rahasia" not in body.decode()


BAD_INPUTS = [
    # (what, path, form data or None for GET, expected status, words in the description)
    ("no service_code", "requests", {"service_code": ""}, 400, "service_code"),
    ("unknown service_code", "requests", {"service_code": "jalan-tol"}, 400, "jalan-tol"),
    ("lat outside OKU", "requests", {"lat": "-6.2000", "long": "106.8166"}, 400, "lat"),
    ("lat not a number", "requests", {"lat": "selatan", "long": "104.18"}, 400, "lat"),
    ("no location", "requests", {"lat": None, "long": None, "address_string": None}, 400, "lat"),
    ("empty description", "requests", {"description": ""}, 400, "description"),
    ("20,000 characters", "requests", {"description": "jalan rusak " * 1700}, 400, "5000"),
    ("bad attribute", "requests", {"attribute[tingkat]": "parah"}, 400, "attribute[tingkat]"),
    ("invalid api_key", "requests", {"api_key": "o311_0000000000.salah"}, 403, "api_key"),
    ("no api_key", "requests", {"api_key": None}, 403, "api_key"),
    ("unknown token", "tokens/0b6f1c1e-5a7e-4a53-9d8e-2f0f8e6f3c21", None, 404, "token"),
    ("malformed token", "tokens/bukan-token", None, 404, "token"),
    ("unknown request", "requests/ADU-2611-99999", None, 404, "ADU-2611-99999"),
    ("unknown service", "services/jalan-tol", None, 404, "jalan-tol"),
    ("bad status filter", "requests?status=pending", None, 400, "status"),
    ("bad start_date", "requests?start_date=kemarin", None, 400, "start_date"),
]


def test_bad_input_gets_an_open311_error_list_and_saves_nothing(world):
    for fmt in ("json", "xml"):
        for what, path, changes, expected, words in BAD_INPUTS:
            resource, _, query = path.partition("?")
            url = f"{world.url}/{resource}.{fmt}" + (f"?{query}" if query else "")
            data = road_report(world.key, **changes) if changes is not None else None
            status, headers, body = call(url, data)
            assert status == expected, (what, fmt, body)
            if fmt == "json":
                assert headers["Content-Type"].startswith("application/json"), what
                errors = json.loads(body)
                codes = [e["code"] for e in errors]
                descriptions = " ".join(e["description"] for e in errors)
            else:
                root = xml(body)
                assert root.tag == "errors", what
                codes = [int(e.text) for e in root.findall("error/code")]
                descriptions = " ".join(e.text for e in root.findall("error/description"))
            assert codes and set(codes) == {expected}, what
            assert words in descriptions, (what, descriptions)
    assert Report.objects.count() == 0
    assert ReportUpdate.objects.count() == 0

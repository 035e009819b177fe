"""The GeoReport v2 renderers: element names, nested lists, escaping, and text XML 1.0 cannot
carry."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from ..open311.formats import error, to_xml


def parse(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)  # noqa: S314 (our own output)


def test_lists_nest_with_the_spec_element_names():
    body = to_xml(
        "service_definition",
        {
            "service_code": "jalan-rusak",
            "attributes": [{"code": "tingkat", "values": [{"key": "berat", "name": "Berat"}]}],
        },
    )
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = parse(body)
    assert root.find("attributes/attribute/values/value/name").text == "Berat"


def test_text_is_escaped_and_control_characters_are_left_out():
    body = to_xml(
        "service_requests",
        [{"description": "Jalan <rusak> & berlubang\x0b\x00 di km 12", "lat": None, "ok": True}],
    )
    request = parse(body).find("request")
    assert request.find("description").text == "Jalan <rusak> & berlubang di km 12"
    assert request.find("lat").text is None and request.find("ok").text == "true"


def test_errors_in_both_formats():
    as_json = error("json", 404, "token tidak ditemukan.")
    assert as_json.status_code == 404
    assert json.loads(as_json.content) == [{"code": 404, "description": "token tidak ditemukan."}]
    as_xml = error("xml", 400, "satu", "dua")
    root = parse(as_xml.content)
    assert [e.text for e in root.findall("error/description")] == ["satu", "dua"]
    assert {e.text for e in root.findall("error/code")} == {"400"}
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"

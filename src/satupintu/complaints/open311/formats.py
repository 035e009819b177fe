"""The two wire formats of GeoReport v2: JSON and XML, and its error list.

Every response body is built as plain Python data first (lists of dicts whose values are
strings, numbers, booleans, None, nested lists or dicts) and rendered here, so the views never
think about the format. XML follows the spec's element names: a root element holding one element
per item (`<services><service>…`), nested lists as a wrapper holding singular elements
(`<attributes><attribute>…`, `<values><value>…`, `<formats><format>…`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# The singular element of a nested list in XML, by the name of the list.
SINGULAR = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "services": "service",
    "service_requests": "request",
    "errors": "error",
}


# Characters XML 1.0 cannot carry at all (a pasted text may hold them): left out of XML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ElementTree.Element, name: str, value: Any) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        singular = SINGULAR.get(name, "item")
        for item in value:
            _append(element, singular, item)
    else:
        element.text = _text(value)


def to_xml(root: str, items: Iterable[dict] | dict) -> bytes:
    """`root` holds one element per item (a list) or the dict's fields directly (discovery)."""
    element = ElementTree.Element(root)
    if isinstance(items, dict):
        for key, value in items.items():
            _append(element, key, value)
    else:
        singular = SINGULAR[root]
        for item in items:
            _append(element, singular, item)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(items: Any) -> bytes:
    return json.dumps(items, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def render(fmt: str, root: str, items: Any, *, status: int = 200) -> HttpResponse:
    body = to_xml(root, items) if fmt == XML else to_json(items)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    # Open311 clients are often browser apps on other origins: reading public data is allowed.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error list: one `{code, description}` per problem, `code` = the HTTP status."""
    items = [{"code": status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", items, status=status)

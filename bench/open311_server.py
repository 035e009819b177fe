"""The WSGI app bench_open311.py serves with granian: satupintu itself (`satupintu.wsgi`), plus
two baseline routes answered in the same worker processes, on the same database connection
settings, without Django's request stack:

- `POST /__bench__/insert`: the bare ORM insert of one report (what a create costs at least);
- `GET /__bench__/read?q=N[&ids=...]`: the bare `values()` page query of the N-th GET requests
  query of the benchmark (what a list costs at least).

So the ratio of a route to its baseline is satupintu's cost over the database work, measured
through the same server, workers and connections.
"""

from __future__ import annotations

import itertools
import os
from urllib.parse import parse_qs

from django.db import close_old_connections
from open311_baseline import bare_read, bare_report

from satupintu.wsgi import application as django_application

_numbers = itertools.count(1)
_world: dict = {}


def _ok(start_response, body: bytes) -> list[bytes]:
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _bare_insert() -> bytes:
    from satupintu.complaints.models import Category

    if not _world:
        category = Category.objects.select_related("organisation").get(code="jalan-rusak")
        _world.update(category=category, organisation=category.organisation)
    # Unique per process and request: "B" + process id + sequence (20 characters at most).
    reference = f"B{os.getpid() % 100000:05d}-{next(_numbers):09d}"
    bare_report(reference, _world["category"], _world["organisation"]).save(force_insert=True)
    return f'[{{"service_request_id": "{reference}"}}]'.encode()


def _bare_read(number: int, references: list[str]) -> bytes:
    import json

    return json.dumps(bare_read(number, references), default=str).encode()


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith("/__bench__/"):
        return django_application(environ, start_response)
    # What Django's request_started/finished signals do for its own views.
    close_old_connections()
    try:
        if path == "/__bench__/insert":
            return _ok(start_response, _bare_insert())
        query = parse_qs(environ.get("QUERY_STRING", ""))
        references = query.get("ids", [""])[0].split(",")
        return _ok(start_response, _bare_read(int(query.get("q", ["0"])[0]), references))
    finally:
        close_old_connections()

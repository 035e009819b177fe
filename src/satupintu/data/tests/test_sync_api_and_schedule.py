"""HTTP JSON API sources (records path, page/offset/next-link pagination, errors) and the
scheduler that queues due syncs."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from satupintu.core.models import Run
from satupintu.data import datastore, datastore_read
from satupintu.data.models import Resource, Source
from satupintu.data.sync import run_sync
from satupintu.data.tasks import due_resources, queue_due_syncs

from .helpers import data_db

pytestmark = data_db()

POSYANDU = [
    {
        "id": i,
        "nama": f"Posyandu {name}",
        "desa": {"kode": code, "nama": village},
        "balita": 20 + i,
        "aktif": i % 2 == 0,
    }
    for i, (name, code, village) in enumerate(
        [
            ("Mawar", "16.01.28.2009", "Segara Kembang"),
            ("Melati", "16.01.28.2017", "Bunga Tanjung"),
            ("Anggrek", "16.01.28.2009", "Segara Kembang"),
            ("Kenanga", "16.01.28.2017", "Bunga Tanjung"),
            ("Dahlia", "16.01.28.2009", "Segara Kembang"),
        ],
        start=1,
    )
]


class Api(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/rusak":
            self.send_response(500)
            self.end_headers()
            return
        if url.path == "/bukan-json":
            body = b"<html>maaf</html>"
        elif url.path == "/halaman":
            page, size = int(query.get("page", 1)), int(query.get("per_page", 2))
            items = POSYANDU[(page - 1) * size : page * size]
            body = json.dumps({"data": {"items": items}}).encode()
        elif url.path == "/berikut":
            start = int(query.get("mulai", 0))
            items = POSYANDU[start : start + 2]
            following = f"/berikut?mulai={start + 2}" if start + 2 < len(POSYANDU) else None
            body = json.dumps({"hasil": items, "links": {"next": following}}).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def api(settings):
    settings.DATA_BLOCKED_NETWORKS = []  # the test API runs on this machine
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def api_resource(dataset, url, options) -> Resource:
    source = Source.objects.create(
        organisation=dataset.organisation,
        name="API Posyandu",
        kind=Source.Kind.JSON_API,
        url=url,
        options=options,
    )
    return Resource.objects.create(
        dataset=dataset, name="Posyandu", source=source, key_columns=["id"]
    )


def published_rows(resource):
    columns = [datastore.Column(v.name, v.type) for v in resource.variables.all()]
    return datastore_read.search(resource.pk, columns, sort=[("id", False)]).records


@pytest.mark.parametrize(
    ("path", "options"),
    [
        (
            "/halaman",
            {
                "records_path": "data.items",
                "pagination": {
                    "type": "page",
                    "param": "page",
                    "size_param": "per_page",
                    "size": 2,
                },
            },
        ),
        (
            "/berikut",
            {"records_path": "hasil", "pagination": {"type": "next", "path": "links.next"}},
        ),
    ],
)
def test_json_api_pagination_and_nested_records(api, dataset, path, options):
    resource = api_resource(dataset, api + path, options)
    run = run_sync(resource)
    assert run.status == Run.Status.SUCCEEDED, run.error
    rows = published_rows(resource)
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["desa_kode"] == "16.01.28.2009"
    assert rows[1]["balita"] == 22
    assert dict(resource.variables.values_list("name", "type"))["aktif"] == "boolean"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/rusak", "HTTP 500"),
        ("/bukan-json", "bukan JSON"),
        ("/halaman", "tidak ada daftar rekaman"),
    ],
)
def test_json_api_errors_are_clear(api, dataset, path, message):
    resource = api_resource(dataset, api + path, {"records_path": "salah.jalur"})
    run = run_sync(resource)
    assert run.status == Run.Status.FAILED
    assert message in run.error


def test_scheduler_queues_due_syncs_once(api, dataset):
    options = {"records_path": "hasil", "pagination": {"type": "next", "path": "links.next"}}
    hourly = api_resource(dataset, api + "/berikut", options)
    hourly.schedule = Resource.Schedule.HOURLY
    hourly.save()
    manual = api_resource(dataset, api + "/berikut", options)
    assert due_resources() == [hourly]
    assert queue_due_syncs.call() == 1  # tasks run immediately under tests
    hourly.refresh_from_db()
    assert hourly.last_run.status == Run.Status.SUCCEEDED
    assert due_resources() == []
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert due_resources(later) == [hourly]
    assert manual.last_run is None


def test_source_urls_on_this_machine_are_refused(api, dataset, settings):
    settings.DATA_BLOCKED_NETWORKS = ["127.0.0.0/8", "169.254.0.0/16"]
    for url in (api + "/halaman", "http://169.254.169.254/latest/meta-data/"):
        resource = api_resource(dataset, url, {})
        run = run_sync(resource)
        assert run.status == Run.Status.FAILED
        assert "tidak boleh dipakai sebagai sumber data" in run.error


def test_scheduler_recovers_from_a_run_whose_worker_died(api, dataset):
    options = {"records_path": "hasil", "pagination": {"type": "next", "path": "links.next"}}
    resource = api_resource(dataset, api + "/berikut", options)
    resource.schedule = Resource.Schedule.DAILY
    resource.save()
    stuck = Run.objects.create(kind="data.sync", title="x", organisation=dataset.organisation)
    stuck.start()
    Resource.objects.filter(pk=resource.pk).update(last_run=stuck)
    assert due_resources() == []  # a live run is left alone
    Run.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - timedelta(hours=7))
    assert due_resources() == [Resource.objects.get(pk=resource.pk)]
    stuck.refresh_from_db()
    assert stuck.status == Run.Status.FAILED and "worker mati" in stuck.error

"""The issue's "done when": the two demo OPD systems (examples/opd_systems) exchange data through
the gateway; the allowed call succeeds, the call without an access right is refused, both are in
the message log, and verify_messagelog catches a tampered row."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from django.core.management import call_command
from django.core.management.base import CommandError

from satupintu.core.models import Organisation
from satupintu.gateway.demo import key_file, load_demo
from satupintu.gateway.models import MessageRecord, Service
from satupintu.gateway.tests.harness import make_app, run_with

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[4] / "examples" / "opd_systems"


def load_example(name: str):
    spec = importlib.util.spec_from_file_location(f"opd_example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Served:
    """An aiohttp application on a random loopback port in its own thread."""

    def __init__(self, app: web.Application) -> None:
        self.app, self.port = app, 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        runner = web.AppRunner(self.app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def __enter__(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def demo_organisations():
    return {
        code: Organisation.objects.create(
            code=code, name=name, short_name=short, kind=Organisation.Kind.DINAS
        )
        for code, name, short in [
            ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
            ("dinkes", "Dinas Kesehatan", "Dinkes"),
        ]
    }


def test_demo_systems_exchange_data_through_the_gateway(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    context = {"organisations": demo_organisations()}
    load_demo(context)
    load_demo(context)  # idempotent: nothing new, the key file is still valid
    key = key_file().read_text().strip()
    siak, simpus = load_example("siak_wilayah"), load_example("simpus")
    with Served(siak.make_app()) as provider:
        Service.objects.filter(code="penduduk-wilayah").update(
            base_url=f"http://127.0.0.1:{provider.port}"
        )
        gateway, sink = make_app()

        async def scenario():
            # SIMPUS calls the gateway app in-process through an aiohttp test server.
            server = TestServer(_asgi_bridge(gateway), host="127.0.0.1")
            await server.start_server()
            try:
                async with aiohttp.ClientSession() as session:
                    return await simpus.coverage(
                        str(server.make_url("")).rstrip("/"), key, "16.01.28.2009", session=session
                    )
            finally:
                await server.close()

        result = run_with(gateway, scenario)
    assert result["status"] == 200
    assert result["data"]["nama"] == "Segara Kembang"
    assert result["data"]["diminta_oleh"] == "OKU/GOV/DINKES/SIMPUS"
    assert result["cakupan"] == round(171 * 100 / 187, 1)
    assert result["refused_status"] == 403
    assert result["refused"]["type"] == "Server.ServerProxy.AccessDenied"
    sink.flush()
    records = list(MessageRecord.objects.order_by("seq"))
    assert [(r.path, r.status) for r in records] == [
        ("/desa/16.01.28.2009", 200),
        ("/nik/1601284509850003", 403),
    ]
    call_command("verify_messagelog")
    MessageRecord.objects.filter(seq=2).update(status=200)  # hide the refusal
    with pytest.raises(CommandError):
        call_command("verify_messagelog")


def _asgi_bridge(asgi_app) -> web.Application:
    """Serve an ASGI app from aiohttp's test server (real HTTP on loopback for the client)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        scope = {
            "type": "http",
            "method": request.method,
            "path": request.path,
            "raw_path": request.raw_path.split("?")[0].encode(),
            "query_string": request.query_string.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in request.headers.items()],
            "client": ("127.0.0.1", 0),
        }
        sent = {"done": False}
        response = web.StreamResponse()

        async def receive():
            if sent["done"]:
                await asyncio.Event().wait()
            sent["done"] = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                response.set_status(message["status"])
                for name, value in message["headers"]:
                    if name.lower() not in (b"content-length", b"transfer-encoding"):
                        response.headers.add(name.decode(), value.decode())
                await response.prepare(request)
            else:
                await response.write(message.get("body", b""))

        await asgi_app(scope, receive, send)
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app

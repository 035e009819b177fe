"""Test harness for the data plane: a real provider over HTTP (aiohttp on a random loopback port,
in its own thread and event loop) and an ASGI driver that plays the part of the HTTP server,
including a caller that disconnects mid-response."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from dataclasses import dataclass, field

from aiohttp import web

from satupintu.gateway.dataplane.app import GatewayApp
from satupintu.gateway.dataplane.logsink import LogSink
from satupintu.gateway.dataplane.registrystore import RegistryStore
from satupintu.gateway.snapshot import build_snapshot


class Upstream:
    """A small population-data system (SIAK) answering like a real provider would."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.started = threading.Event()
        self.requests: list[dict] = []
        self.stream_closed = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Upstream:
        self._thread.start()
        self.started.wait(10)
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/penduduk/{nik}", self.penduduk)
        app.router.add_post("/api/wilayah/echo", self.echo)
        app.router.add_get("/api/wilayah/slow", self.slow)
        app.router.add_get("/api/wilayah/huge", self.huge)
        app.router.add_get("/api/wilayah/huge-stream", self.huge_stream)
        app.router.add_get("/api/wilayah/drip", self.drip)
        app.router.add_get("/api/wilayah/trickle", self.trickle)
        app.router.add_get("/api/wilayah/stall", self.stall)
        app.router.add_get("/api/wilayah/stall-stream", self.stall_stream)
        app.router.add_get("/api/health", self.health)
        runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self.started.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())

    def _seen(self, request: web.Request) -> None:
        self.requests.append(
            {"method": request.method, "path": request.path_qs, "headers": dict(request.headers)}
        )

    async def penduduk(self, request: web.Request) -> web.Response:
        self._seen(request)
        return web.json_response(
            {
                "nik": request.match_info["nik"],
                "nama": "Siti Aminah",
                "desa": "Segara Kembang",
                "kecamatan": "Lengkiti",
                "x_road_client": request.headers.get("X-Road-Client"),
                "x_road_id": request.headers.get("X-Road-Id"),
            }
        )

    async def echo(self, request: web.Request) -> web.Response:
        self._seen(request)
        body = await request.read()
        return web.Response(body=body, content_type="application/octet-stream")

    async def slow(self, request: web.Request) -> web.Response:
        self._seen(request)
        await asyncio.sleep(1.5)
        return web.json_response({"late": True})

    async def huge(self, request: web.Request) -> web.Response:
        self._seen(request)
        return web.Response(body=b"x" * 200_000, content_type="text/plain")

    async def _chunked(self, request: web.Request) -> web.StreamResponse:
        """A streamed answer with its headers sent (chunked transfer encoding)."""
        self._seen(request)
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        return response

    async def huge_stream(self, request: web.Request) -> web.StreamResponse:
        response = await self._chunked(request)
        for _ in range(40):
            await response.write(b"y" * 32 * 1024)
        await response.write_eof()
        return response

    async def drip(self, request: web.Request) -> web.StreamResponse:
        response = await self._chunked(request)
        try:
            for index in range(200):
                await response.write(json.dumps({"baris": index}).encode() + b"\n")
                await asyncio.sleep(0.02)
        except (ConnectionResetError, asyncio.CancelledError):
            self.stream_closed.set()
            raise
        await response.write_eof()
        return response

    async def trickle(self, request: web.Request) -> web.StreamResponse:
        """A slow but steady answer: 12 lines, 0.1 s apart."""
        response = await self._chunked(request)
        for index in range(12):
            await response.write(json.dumps({"baris": index}).encode() + b"\n")
            await asyncio.sleep(0.1)
        await response.write_eof()
        return response

    async def stall(self, request: web.Request) -> web.StreamResponse:
        """Headers promising 64 bytes, then 16 of them, then nothing for 1.5 s."""
        self._seen(request)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = 64
        await response.prepare(request)
        await response.write(b'{"desa": "Segar')
        await asyncio.sleep(1.5)
        return response

    async def stall_stream(self, request: web.Request) -> web.StreamResponse:
        """A streamed answer that stops after its first chunk for 1.5 s."""
        response = await self._chunked(request)
        await response.write(b"z" * 1024)
        await asyncio.sleep(1.5)
        await response.write_eof()
        return response

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})


def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    complete: bool  # the final body message was sent
    messages: list = field(default_factory=list)

    def json(self):
        return json.loads(self.body)


def scope_for(method: str, path: str, headers: dict[str, str], query: str = "") -> dict:
    raw = path.encode()
    from urllib.parse import unquote

    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": raw,
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8081),
    }


async def call(
    app: GatewayApp,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body_chunks: list[bytes] | None = None,
    query: str = "",
    disconnect_after_chunks: int | None = None,
) -> Reply:
    headers = dict(headers or {})
    chunks = list(body_chunks or [])
    messages: list[dict] = []
    gone = asyncio.Event()
    pending = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ] or [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if pending:
            return pending.pop(0)
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)
        body_messages = [m for m in messages if m["type"] == "http.response.body"]
        if disconnect_after_chunks is not None and len(body_messages) >= disconnect_after_chunks:
            gone.set()

    await app(scope_for(method, path, headers, query), receive, send)
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    complete = any(m["type"] == "http.response.body" and not m.get("more_body") for m in messages)
    return Reply(
        status=start["status"] if start else 0,
        headers={k.decode().lower(): v.decode() for k, v in (start or {}).get("headers", [])},
        body=body,
        complete=complete,
        messages=messages,
    )


def make_app(**kwargs) -> tuple[GatewayApp, LogSink]:
    store = RegistryStore()
    store.snapshot = build_snapshot("test")
    sink = LogSink()
    return GatewayApp(store, sink, **kwargs), sink


def run_with(app: GatewayApp, scenario) -> object:
    """Run `scenario()` (a coroutine function) with the app started, on a fresh event loop."""

    async def main():
        await app.startup(poll=False)
        try:
            return await scenario()
        finally:
            await app.shutdown()

    return asyncio.run(main())

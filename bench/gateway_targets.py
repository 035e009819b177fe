"""ASGI apps the gateway benchmark serves with granian (same server and worker count for all):

- `upstream`: the provider, a fixed small JSON answer (what a population-aggregate API returns);
- `bare_proxy`: a pass-through proxy written with the gateway's own libraries (raw ASGI +
  pooled aiohttp client, streaming), with no auth, no registry, no log: the Python ceiling.
"""

from __future__ import annotations

import os

import aiohttp
from yarl import URL

BODY = (
    b'{"kode": "16.01.28.2009", "nama": "Segara Kembang", "kecamatan": "Lengkiti", '
    b'"penduduk": 2314, "kepala_keluarga": 641, "balita": 187}'
)
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def upstream(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


UPSTREAM = os.environ.get("BENCH_UPSTREAM", "http://127.0.0.1:18090")
SKIP = {b"host", b"connection", b"content-length", b"transfer-encoding"}
_session: aiohttp.ClientSession | None = None


async def bare_proxy(scope, receive, send):
    global _session
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=200),
                    auto_decompress=False,
                    skip_auto_headers=("User-Agent", "Accept-Encoding"),
                )
                await send({"type": "lifespan.startup.complete"})
            else:
                await _session.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = [
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"] if k not in SKIP
    ]
    url = URL(UPSTREAM + scope["raw_path"].decode("latin-1"), encoded=True)
    async with _session.request(scope["method"], url, headers=headers) as response:
        out = [
            (k, v)
            for k, v in response.raw_headers
            if k.lower() not in (b"connection", b"transfer-encoding")
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": out})
        async for chunk in response.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

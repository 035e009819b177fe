"""Demo client: Dinas Kesehatan's SIMPUS asking SIAK for village population through the gateway
(aiohttp). Configure with SIMPUS_GATEWAY_URL and SIMPUS_GATEWAY_KEY (or the key file written by
`manage.py load_demo`)."""

from __future__ import annotations

import argparse
import html
import os
from pathlib import Path

import aiohttp
from aiohttp import web

CLIENT_ID = "OKU/GOV/DINKES/SIMPUS"
SERVICE = "OKU/GOV/DISDUKCAPIL/SIAK/penduduk-wilayah"
KEY_FILE = Path(__file__).resolve().parents[2] / "var" / "demo" / "simpus-gateway.key"
# SIMPUS' own records: children under five vaccinated against measles (campak) this year.
IMMUNISED = {"16.01.28.2009": 171, "16.01.28.2017": 104}


def gateway_key() -> str:
    key = os.environ.get("SIMPUS_GATEWAY_KEY")
    if key:
        return key
    return KEY_FILE.read_text().strip() if KEY_FILE.exists() else ""


async def ask(session: aiohttp.ClientSession, gateway: str, key: str, path: str):
    headers = {"X-Road-Client": CLIENT_ID, "Authorization": f"Bearer {key}"}
    async with session.get(f"{gateway}/r1/{SERVICE}{path}", headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def coverage(gateway: str, key: str, village: str, session=None) -> dict:
    """The allowed call (village aggregate) and a refused one (an individual by NIK)."""
    own = session is None
    session = session or aiohttp.ClientSession()
    try:
        status, data = await ask(session, gateway, key, f"/desa/{village}")
        refused_status, refused = await ask(session, gateway, key, "/nik/1601284509850003")
    finally:
        if own:
            await session.close()
    result = {"status": status, "data": data, "refused_status": refused_status, "refused": refused}
    if status == 200 and data.get("balita"):
        result["cakupan"] = round(IMMUNISED.get(village, 0) * 100 / data["balita"], 1)
    return result


async def page(request: web.Request) -> web.Response:
    village = request.query.get("desa", "16.01.28.2009")
    result = await coverage(request.app["gateway"], gateway_key(), village)
    data = result["data"]
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in data.items()
    )
    body = f"""<!doctype html><html lang="id"><meta charset="utf-8">
<title>SIMPUS — cakupan imunisasi campak</title>
<h1>SIMPUS Dinas Kesehatan OKU</h1>
<p>Data penduduk dari SIAK Disdukcapil lewat gerbang Satu Pintu (HTTP {result["status"]}):</p>
<table>{rows}</table>
<p><strong>Cakupan imunisasi campak balita: {result.get("cakupan", "—")}%</strong></p>
<h2>Panggilan tanpa hak akses</h2>
<p>Meminta data perorangan (NIK) ditolak gerbang: HTTP {result["refused_status"]}
<code>{html.escape(result["refused"].get("type", ""))}</code> —
{html.escape(result["refused"].get("message", ""))}</p></html>"""
    return web.Response(text=body, content_type="text/html")


def make_app(gateway: str) -> web.Application:
    app = web.Application()
    app["gateway"] = gateway.rstrip("/")
    app.router.add_get("/", page)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument(
        "--gateway", default=os.environ.get("SIMPUS_GATEWAY_URL", "http://127.0.0.1:8081")
    )
    args = parser.parse_args()
    web.run_app(make_app(args.gateway), host="127.0.0.1", port=args.port, access_log=None)

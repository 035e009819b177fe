"""Demo provider: Disdukcapil's SIAK exposing population aggregates per village (aiohttp)."""

from __future__ import annotations

import argparse

from aiohttp import web

# Aggregates of the demo regency (fictitious numbers, real Kemendagri codes).
VILLAGES = {
    "16.01.28.2009": {
        "nama": "Segara Kembang",
        "kecamatan": "Lengkiti",
        "penduduk": 2314,
        "kepala_keluarga": 641,
        "balita": 187,
        "laki_laki": 1176,
        "perempuan": 1138,
    },
    "16.01.28.2017": {
        "nama": "Bunga Tanjung",
        "kecamatan": "Lengkiti",
        "penduduk": 1487,
        "kepala_keluarga": 402,
        "balita": 121,
        "laki_laki": 751,
        "perempuan": 736,
    },
}


async def village(request: web.Request) -> web.Response:
    code = request.match_info["kode"]
    data = VILLAGES.get(code)
    if data is None:
        return web.json_response({"detail": f"Desa {code} tidak ditemukan."}, status=404)
    return web.json_response(
        {
            "kode": code,
            **data,
            "sumber": "SIAK Disdukcapil OKU",
            "diminta_oleh": request.headers.get("X-Road-Client", ""),
        }
    )


async def district(request: web.Request) -> web.Response:
    code = request.match_info["kode"]
    rows = [{"kode": k, **v} for k, v in VILLAGES.items() if k.startswith(code + ".")]
    return web.json_response(
        {"kode": code, "desa": rows, "penduduk": sum(r["penduduk"] for r in rows)}
    )


async def resident(request: web.Request) -> web.Response:
    # Individual data: only reachable for clients whose access right covers /nik.
    return web.json_response(
        {"nik": request.match_info["nik"], "nama": "Siti Aminah", "desa": "Segara Kembang"}
    )


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/desa/{kode}", village)
    app.router.add_get("/kecamatan/{kode}", district)
    app.router.add_get("/nik/{nik}", resident)
    app.router.add_get("/health", health)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8091)
    args = parser.parse_args()
    web.run_app(make_app(), host="127.0.0.1", port=args.port, access_log=None)

"""The portal home page (/) as a first-time visitor gets it, with the demo installation loaded
(regions, OPDs, the catalogue, and every app's widgets):

- bytes on first load: the HTML plus every same-origin stylesheet, script, image and icon it
  links, uncompressed and gzip-compressed (what WhiteNoise serves), against the 150 KB budget of
  DESIGN.md; the HTML alone against the 30 KB repeat-view budget (static files cached);
- server time p50/p95 of an anonymous GET / (N requests through the Django test client, no
  network), against the same page with no registered widgets (the core page alone): the ratio
  is what the widgets other apps plug into the home page cost.
"""

from __future__ import annotations

import gzip
import re
import statistics
import time
from urllib.parse import urlsplit

from harness import Row

N = 30
FIRST_LOAD_BUDGET_KB = 150
REPEAT_BUDGET_KB = 30
ASSET = re.compile(r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", re.IGNORECASE)


def load_demo() -> None:
    """The whole demo (its first step imports the regency's regions): every app's widget on the
    home page has its demo content, as a visitor of a demo installation sees it."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


def asset_bodies(client, html: str) -> list[bytes]:
    from django.contrib.staticfiles import finders

    bodies = []
    for url in sorted(set(ASSET.findall(html))):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue  # another origin: the CSP allows none on public pages
        if parts.path.startswith("/static/"):
            found = finders.find(parts.path.removeprefix("/static/"))
            with open(found, "rb") as handle:
                bodies.append(handle.read())
        else:
            response = client.get(url)
            body = response.content if hasattr(response, "content") else b""
            if not body and getattr(response, "streaming", False):
                body = b"".join(response.streaming_content)
            bodies.append(body)
    return bodies


def server_times(client, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get("/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def run() -> list[Row]:
    from django.test import Client

    from satupintu.core.registry import registry

    load_demo()
    client = Client()
    html = client.get("/").content
    bodies = [html, *asset_bodies(client, html.decode())]
    raw = sum(len(body) for body in bodies) / 1024
    compressed = sum(len(gzip.compress(body, 6)) for body in bodies) / 1024
    server_times(client, 5)  # warm the template and query caches
    with_widgets = server_times(client, N)
    widgets = registry.portal_widgets
    registry.portal_widgets = {}
    try:
        server_times(client, 5)
        bare = server_times(client, N)
    finally:
        registry.portal_widgets = widgets
    ms = 1000
    return [
        Row(
            "home first load, uncompressed",
            raw,
            FIRST_LOAD_BUDGET_KB,
            "KB",
            f"HTML + {len(bodies) - 1} linked files; baseline = budget",
        ),
        Row("home first load, gzip", compressed, FIRST_LOAD_BUDGET_KB, "KB", "baseline = budget"),
        Row("home repeat view (HTML only)", len(html) / 1024, REPEAT_BUDGET_KB, "KB", "budget"),
        Row(
            "home server time p50",
            statistics.median(with_widgets) * ms,
            statistics.median(bare) * ms,
            "ms",
            f"N={N}; baseline = no widgets",
        ),
        Row(
            "home server time p95",
            p95(with_widgets) * ms,
            p95(bare) * ms,
            "ms",
            f"N={N}; baseline = no widgets",
        ),
    ]

"""Browser journeys: a real server (tests/e2e/liveserver.py) and headless Debian Chromium driven
by Playwright, in the two shapes the personas use: a 360 px phone and a 1280 px office PC.

The server and the browser live for the e2e package only: Playwright's event loop would make
Django refuse database access in the tests that run after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .liveserver import LiveServer, ServerError, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package")
def browser(require):
    if not CHROMIUM.exists():
        require(f"{CHROMIUM} tidak ada: tes e2e butuh Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def e2e_server(browser, tmp_path_factory) -> Iterator[LiveServer]:
    """One server for the whole e2e package (migrating and loading the demo takes a while).
    Started after the browser fixture, so a machine without Chromium skips at once. (Not named
    `live_server`: that is pytest-django's fixture, which would set up the test database.)"""
    try:
        with running_server(tmp_path_factory.mktemp("e2e-var")) as server:
            yield server
    except ServerError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="package")
def live_server_url(e2e_server: LiveServer) -> str:
    return e2e_server.url


def open_page(browser, base_url: str, shape: dict):
    context = browser.new_context(
        base_url=base_url, locale="id-ID", timezone_id="Asia/Jakarta", **shape
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Script errors and CSP violations end up here; a journey asserts there are none.
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and page.problems.append(f"console: {message.text}")
        ),
    )
    return context, page


@pytest.fixture
def phone(browser, live_server_url):
    """A page in a 360 px wide phone (Ibu Siti's Android)."""
    context, page = open_page(browser, live_server_url, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server_url):
    """A page in a 1280 px wide office browser (Pak Budi at Dinas PUPR)."""
    context, page = open_page(browser, live_server_url, DESKTOP)
    yield page
    context.close()

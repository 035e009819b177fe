"""Screenshots of the public pages at phone and desktop widths, to look at with your own eyes.

    .venv/bin/python tests/e2e/screenshots.py [--out screenshots] [PATH ...]

Starts the development server on a free port with a temporary var dir (migrate, the region
import and `load_demo` when those commands exist), opens each page in headless Chromium at
360 px and 1280 px wide, saves full-page PNGs into `screenshots/` (gitignored) and stops the
server. Not a test: it asserts nothing, it shows. Pages taken by default: /, /design/, /opd/,
/cari/?q=kesehatan, and the staff change log (/perubahan/) signed in as the demo platform admin.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PUBLIC_PAGES = ["/", "/design/", "/opd/", "/cari/?q=kesehatan"]
STAFF_PAGES = ["/perubahan/"]
WIDTHS = [360, 1280]
# Long pages are also saved in screen-sized parts, to read them at full resolution.
PART_HEIGHT = 900
DEMO_ADMIN = ("admin", "Demo-OKU-2026!")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def available_commands(env: dict) -> set[str]:
    listing = manage(env, "help", "--commands").stdout
    return {line.strip() for line in listing.splitlines() if line.strip()}


def prepare(env: dict) -> None:
    commands = available_commands(env)
    manage(env, "migrate", "--noinput")
    if "import_regions" in commands:
        manage(env, "import_regions")
    if "load_demo" in commands:
        manage(env, "load_demo")


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url}")


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def save(page, out: Path, name: str, width: int) -> list[Path]:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        print(f"WARNING: {name} at {width} px scrolls sideways by {overflow} px", file=sys.stderr)
    target = out / f"{name}-{width}.png"
    page.screenshot(path=str(target), full_page=True)
    saved = [target]
    height = page.evaluate("document.documentElement.scrollHeight")
    for number, top in enumerate(range(0, height, PART_HEIGHT), start=1):
        part = out / f"{name}-{width}-part{number}.png"
        clip = {"x": 0, "y": top, "width": width, "height": min(PART_HEIGHT, height - top)}
        page.screenshot(path=str(part), full_page=True, clip=clip)
        saved.append(part)
    return saved


def shoot(base: str, out: Path, public: list[str], staff: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for path in public:
                page.goto(base + path, wait_until="networkidle")
                saved += save(page, out, slug(path), width)
            if staff:
                page.goto(base + "/akun/masuk/")
                page.fill("input[name=username]", DEMO_ADMIN[0])
                page.fill("input[name=password]", DEMO_ADMIN[1])
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_load_state("networkidle")
                for path in staff:
                    page.goto(base + path, wait_until="networkidle")
                    saved += save(page, out, f"staff-{slug(path)}", width)
            context.close()
        browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--no-staff", action="store_true", help="skip the signed-in pages")
    parser.add_argument("paths", nargs="*", help="public paths instead of the default ones")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)

    var_dir = Path(tempfile.mkdtemp(prefix="satupintu-screenshots-"))
    # DEBUG off, so error pages look as visitors see them; --insecure still serves static files.
    env = {
        **os.environ,
        "SATUPINTU_VAR_DIR": str(var_dir),
        "SATUPINTU_TASKS_IMMEDIATE": "1",
        "SATUPINTU_DEBUG": "0",
    }
    env.pop("PYTEST_VERSION", None)
    server = None
    try:
        prepare(env)
        port = free_port()
        server = subprocess.Popen(
            [
                str(PYTHON),
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
                "--insecure",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz")
        staff = [] if options.no_staff else STAFF_PAGES
        for target in shoot(base, out, options.paths or PUBLIC_PAGES, staff):
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

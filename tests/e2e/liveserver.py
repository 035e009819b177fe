"""A real satupintu server for browser journeys and screenshots.

It runs the way a server does, not the way Django's test client does: gunicorn in its own process,
DEBUG off, static files collected and served by WhiteNoise, a fresh var dir (SQLite databases
migrated, the demo regency loaded when `load_demo` exists). Nothing of the developer's var/ or of
the test run's own settings leaks in.

    with running_server(Path("/tmp/e2e-var")) as server:
        ...  # server.url == "http://127.0.0.1:<free port>", server.var_dir
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
MANAGE = PROJECT_DIR / "manage.py"
START_TIMEOUT_SECONDS = 60


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(var_dir: Path, url: str | None = None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # A clean installation: not the caller's SATUPINTU_* settings, not pytest's marker (it
        # would switch the server into test mode).
        if not key.startswith("SATUPINTU_")
        and key not in {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "SATUPINTU_VAR_DIR": str(var_dir),
            "SATUPINTU_DEBUG": "0",
            "SATUPINTU_LOG_FORMAT": "plain",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if url:
        # The public address: the OIDC issuer, links in e-mails and feeds.
        env["SATUPINTU_SITE_URL"] = url
    return env


def manage(var_dir: Path, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        capture_output=True,
        text=True,
        env=server_environment(var_dir),
        cwd=PROJECT_DIR,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(var_dir: Path, *, demo: bool = True) -> None:
    """Migrate both databases, collect static files, load the demo regency."""
    var_dir.mkdir(parents=True, exist_ok=True)
    manage(var_dir, "migrate", "--noinput")
    manage(var_dir, "collectstatic", "--noinput", "--verbosity", "0")
    if demo and "load_demo" in manage(var_dir, "help", "--commands").split():
        manage(var_dir, "load_demo")


def wait_until_ready(url: str, process: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"the server exited ({process.returncode}):\n{log_file.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServerError(
        f"no answer from {url}/healthz in {START_TIMEOUT_SECONDS} s:\n{log_file.read_text()}"
    )


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>, also the server's SATUPINTU_SITE_URL
    var_dir: Path  # its databases and media; `manage(var_dir, ...)` runs commands against it


@contextmanager
def running_server(var_dir: Path, *, demo: bool = True) -> Iterator[LiveServer]:
    """Prepare `var_dir`, start gunicorn on a free port, yield the server, stop it."""
    prepare(var_dir, demo=demo)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = var_dir / "server.log"
    with log_file.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "satupintu.wsgi:application",
                "--pythonpath", str(PROJECT_DIR / "src"),
                "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--threads", "4",
                "--access-logfile", "-", "--error-logfile", "-",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=server_environment(var_dir, url),
            cwd=PROJECT_DIR,
        )  # fmt: skip
        try:
            wait_until_ready(url, process, log_file)
            yield LiveServer(url, var_dir)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

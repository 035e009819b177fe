"""The gateway's data plane as `make run` serves it: `manage.py run_gateway` (granian, uvloop)
in its own process, in front of a real provider (examples/opd_systems/siak_wilayah.py). One call
the access right allows, one it does not; both are answered as documented and both reach the
hash-chained message log, which `verify_messagelog` then proves.

The processes use their own SQLite database in a temporary var dir (migrated here): the test
database of the pytest run lives in a transaction no other process can see, and the service
tier's database URLs name databases that only exist as test_<name> during the run.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SETUP = """
from django.core.management import call_command
call_command("migrate", "--noinput", verbosity=0)
from satupintu.core.models import Organisation
from satupintu.gateway.demo import load_demo
from satupintu.gateway.models import Service
orgs = {
    "disdukcapil": Organisation.objects.create(
        code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil", kind=Organisation.Kind.DINAS),
    "dinkes": Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=Organisation.Kind.DINAS),
}
load_demo({"organisations": orgs})
Service.objects.update(base_url="http://127.0.0.1:%(upstream)d")
"""
# Read straight from the SQLite file while polling: a manage.py process per poll would take
# longer than the log's flush interval.
RECORDS = (
    "SELECT client, service, method, path, status, error_type, message_id "
    "FROM gateway_messagerecord ORDER BY seq"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    # Generous: starting Django takes tens of seconds on a loaded two-core machine.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url}: the process ended with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def get(url: str, headers: dict[str, str]) -> tuple[int, Message, dict]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own local server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.fixture
def project_env(tmp_path) -> dict[str, str]:
    env = {
        **os.environ,
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "SATUPINTU_DATABASE_URL": "",
        "SATUPINTU_DATASTORE_URL": "",
        "SATUPINTU_REDIS_URL": "",
        "SATUPINTU_DEBUG": "0",
        "SATUPINTU_TASKS_IMMEDIATE": "1",
        "SATUPINTU_GATEWAY_LOG_FLUSH_SECONDS": "0.2",
    }
    env.pop("PYTEST_VERSION", None)  # the processes are not tests: no test settings
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"manage.py {args[0]}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


# Runs its own processes on a SQLite installation of its own, whatever server this pytest run
# targets: `make test` runs it once; the PostgreSQL and MariaDB runs deselect it.
@pytest.mark.embedded
def test_granian_data_plane_forwards_the_allowed_call_refuses_the_other_and_logs_both(
    project_env, tmp_path
):
    upstream_port, gateway_port = free_port(), free_port()
    manage(project_env, "shell", "-c", SETUP % {"upstream": upstream_port})
    key = (tmp_path / "demo" / "simpus-gateway.key").read_text().strip()

    processes = []
    try:
        processes.append(
            subprocess.Popen(
                [PYTHON, "examples/opd_systems/siak_wilayah.py", "--port", str(upstream_port)],
                cwd=ROOT,
                env=project_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        processes.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "run_gateway", "--port", str(gateway_port), "--workers", "1"],
                cwd=ROOT,
                env=project_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_until_up(f"http://127.0.0.1:{upstream_port}/health", processes[0])
        gateway = f"http://127.0.0.1:{gateway_port}"
        wait_until_up(f"{gateway}/healthz", processes[1])

        headers = {"X-Road-Client": "OKU/GOV/DINKES/SIMPUS", "Authorization": f"Bearer {key}"}
        service = f"{gateway}/r1/OKU/GOV/DISDUKCAPIL/SIAK/penduduk-wilayah"
        status, reply_headers, body = get(f"{service}/desa/16.01.28.2009", headers)
        assert status == 200, body
        assert body["kode"] == "16.01.28.2009" and body["penduduk"] > 0
        assert body["diminta_oleh"] == "OKU/GOV/DINKES/SIMPUS"  # the verified client
        allowed_id = reply_headers["X-Road-Id"]
        # Individual residents by NIK: the access right covers /desa and /kecamatan only.
        status, reply_headers, body = get(f"{service}/nik/1601234567890001", headers)
        assert status == 403
        assert body["type"] == "Server.ServerProxy.AccessDenied"
        assert body["detail"] == reply_headers["X-Road-Id"]
        refused_id = body["detail"]

        deadline = time.monotonic() + 15
        records = []
        while time.monotonic() < deadline and len(records) < 2:
            time.sleep(0.3)
            with closing(sqlite3.connect(tmp_path / "satupintu.sqlite3")) as database:
                records = database.execute(RECORDS).fetchall()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    assert [(r[2], r[3], r[4], r[5], r[6]) for r in records] == [
        ("GET", "/desa/16.01.28.2009", 200, "", allowed_id),
        ("GET", "/nik/1601234567890001", 403, "Server.ServerProxy.AccessDenied", refused_id),
    ]
    assert {(r[0], r[1]) for r in records} == {
        ("OKU/GOV/DINKES/SIMPUS", "OKU/GOV/DISDUKCAPIL/SIAK/penduduk-wilayah")
    }
    assert "Log pesan utuh." in manage(project_env, "verify_messagelog")

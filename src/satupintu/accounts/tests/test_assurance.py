"""Assurance levels: counter verification (who/when/document), the NikVerifier interface with
its HTTP implementation (against a local server speaking the contract) and the offline one,
and the `acr_values` minimum (see also test_oidc)."""

from __future__ import annotations

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from satupintu.accounts.assurance import meets_minimum, minimum_requested
from satupintu.accounts.models import NikVerification
from satupintu.accounts.nik_verifier import (
    HttpNikVerifier,
    OfflineNikVerifier,
    get_verifier,
)
from satupintu.accounts.tests.factories import SITI_NIK, Regency

pytestmark = pytest.mark.django_db

COUNTER = "/akun/verifikasi-nik/loket/"
SITI_BIRTH = datetime.date(1987, 9, 5)
TOKEN = "token-adaptor-dukcapil-oku"


class Registry(BaseHTTPRequestHandler):
    """A stand-in for the regency's Dukcapil adapter, speaking the documented contract."""

    people = {SITI_NIK: ("SITI AMINAH", "1987-09-05")}
    mode = "normal"

    def do_POST(self):
        if self.mode == "slow":
            time.sleep(2)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._answer(401, {"error": "unauthorized"})
        if self.mode == "broken":
            return self._answer(500, {"error": "internal"})
        if self.mode == "garbage":
            return self._answer(200, {"hasil": "ya"})
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        known = self.people.get(data.get("nik"))
        match = bool(known) and known == (
            data.get("nama_lengkap", "").upper(),
            data.get("tanggal_lahir"),
        )
        return self._answer(200, {"match": match})

    def _answer(self, status: int, body: dict):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def registry_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Registry.mode = "normal"
    yield f"http://127.0.0.1:{server.server_port}/v1/verifikasi-nik"
    server.shutdown()
    server.server_close()


@pytest.fixture
def regency() -> Regency:
    return Regency()


def test_levels_are_ordered_and_acr_values_give_the_minimum():
    assert meets_minimum("P2", "P1") and meets_minimum("P1", "P1")
    assert not meets_minimum("P0", "P1")
    assert minimum_requested("P2 P1") == "P1"
    assert minimum_requested("urn:lain P2") == "P2"
    assert minimum_requested("") is None and minimum_requested("loa-3") is None


def test_http_verifier_speaks_the_contract(registry_url):
    verifier = HttpNikVerifier(registry_url, TOKEN, timeout=1)
    assert verifier.verify(SITI_NIK, "Siti Aminah", SITI_BIRTH) == "match"
    assert verifier.verify(SITI_NIK, "Siti Aminah", datetime.date(1987, 9, 6)) == "no_match"
    assert verifier.verify("1601281708900002", "Rudi", datetime.date(1990, 8, 17)) == "no_match"


@pytest.mark.parametrize("mode", ["broken", "garbage", "slow"])
def test_http_verifier_failures_are_unavailable(registry_url, mode):
    Registry.mode = mode
    verifier = HttpNikVerifier(registry_url, TOKEN, timeout=0.5)
    assert verifier.verify(SITI_NIK, "Siti Aminah", SITI_BIRTH) == "unavailable"


def test_http_verifier_wrong_token_or_no_server_is_unavailable(registry_url):
    assert HttpNikVerifier(registry_url, "salah").verify(SITI_NIK, "Siti", SITI_BIRTH) == (
        "unavailable"
    )
    assert (
        HttpNikVerifier("http://127.0.0.1:9/", TOKEN, timeout=0.5).verify(
            SITI_NIK, "Siti", SITI_BIRTH
        )
        == "unavailable"
    )


def test_offline_verifier_checks_only_the_shape(settings):
    settings.NIK_VERIFIER = {"url": "", "token": "", "timeout": 1}
    verifier = get_verifier()
    assert isinstance(verifier, OfflineNikVerifier)
    assert verifier.verify(SITI_NIK, "Siapa Saja", SITI_BIRTH) == "shape_only"
    assert verifier.verify(SITI_NIK, "Siapa Saja", datetime.date(1990, 1, 1)) == "no_match"
    assert verifier.verify("123", "Siapa Saja", SITI_BIRTH) == "no_match"


def test_citizen_reaches_p2_through_the_registry(client, regency, registry_url, settings):
    settings.NIK_VERIFIER = {"url": registry_url, "token": TOKEN, "timeout": 2}
    client.force_login(regency.siti)
    response = client.post("/akun/verifikasi-nik/", follow=True)
    assert "cocok dengan data kependudukan (P2)" in response.content.decode()
    regency.siti.refresh_from_db()
    assert regency.siti.assurance_level == "P2"
    check = NikVerification.objects.get(user=regency.siti)
    assert check.method == "registry" and check.result == "match" and check.verified_by is None


def test_registry_no_match_and_daily_limit(client, regency, registry_url, settings):
    settings.NIK_VERIFIER = {"url": registry_url, "token": TOKEN, "timeout": 2}
    regency.siti.full_name = "Siti Aminah Binti Salah"
    regency.siti.save()
    client.force_login(regency.siti)
    for _ in range(3):
        page = client.post("/akun/verifikasi-nik/", follow=True).content.decode()
        assert "tidak cocok" in page
    limited = client.post("/akun/verifikasi-nik/", follow=True).content.decode()
    assert "Sudah 3 kali dicoba hari ini" in limited
    assert NikVerification.objects.filter(user=regency.siti).count() == 3
    regency.siti.refresh_from_db()
    assert regency.siti.assurance_level == "P0"


def test_offline_installation_sends_people_to_the_counter(client, regency, settings):
    settings.NIK_VERIFIER = {"url": "", "token": "", "timeout": 1}
    client.force_login(regency.siti)
    page = client.post("/akun/verifikasi-nik/", follow=True).content.decode()
    assert "datang ke loket layanan" in page
    regency.siti.refresh_from_db()
    assert regency.siti.assurance_level == "P0"


def test_counter_officer_verifies_a_citizen(client, regency):
    client.force_login(regency.camat_operator)
    found = client.get(COUNTER, {"nik": SITI_NIK})
    assert found.status_code == 200 and "Siti Aminah" in found.content.decode()
    assert "5 September 1987" in found.content.decode()
    unconfirmed = client.post(COUNTER, {"nik": SITI_NIK, "document": "ktp_el"})
    assert unconfirmed.status_code == 400
    done = client.post(
        COUNTER, {"nik": SITI_NIK, "document": "ktp_el", "note": "Antrean A-17", "confirm": "on"}
    )
    assert done.status_code == 302
    regency.siti.refresh_from_db()
    assert regency.siti.assurance_level == "P2"
    check = NikVerification.objects.get(user=regency.siti)
    assert check.method == "counter" and check.verified_by == regency.camat_operator
    assert check.organisation == regency.lengkiti and check.document == "ktp_el"
    assert check.note == "Antrean A-17" and check.created_at is not None


def test_counter_unknown_or_bad_nik_is_a_form_error(client, regency):
    client.force_login(regency.camat_operator)
    unknown = client.get(COUNTER, {"nik": "1601281708900002"})
    assert (
        unknown.status_code == 400 and "Belum ada akun dengan NIK ini" in unknown.content.decode()
    )
    assert client.get(COUNTER, {"nik": "12345"}).status_code == 400
    forged = client.post(COUNTER, {"nik": "12345", "document": "ktp_el", "confirm": "on"})
    assert forged.status_code == 400
    assert not NikVerification.objects.exists()


def test_counter_refuses_citizens_and_anonymous(client, regency):
    assert client.get(COUNTER)["Location"].startswith("/akun/masuk/")
    client.force_login(regency.siti)
    assert client.get(COUNTER).status_code == 403
    assert (
        client.post(COUNTER, {"nik": SITI_NIK, "document": "ktp_el", "confirm": "on"}).status_code
        == 403
    )
    regency.siti.refresh_from_db()
    assert regency.siti.assurance_level == "P0"

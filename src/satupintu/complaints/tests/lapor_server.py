"""A local HTTP server that speaks the SP4N-LAPOR! contract of docs/lapor.md, for the tests.

It runs in a thread on 127.0.0.1 (a real socket, so the adapter's HTTP code is exercised), keeps
what it received, and can be told to misbehave: answer with an error status, answer slowly
(timeouts), or answer nonsense.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLapor:
    TOKEN = "token-uji-lapor"

    def __init__(self) -> None:
        self.received: list[dict] = []  # bodies of accepted forwards
        self.by_idempotency: dict[str, str] = {}
        self.statuses: dict[str, dict] = {}
        self.fail_status: int | None = None  # answer every request with this HTTP status
        self.delay = 0.0  # seconds to wait before answering
        self.garbage = False  # answer 200 with a body that is not JSON
        self._next = 1
        self.stopped = False
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"lapor": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/v1"

    def start(self) -> FakeLapor:
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()

    def set_status(self, lapor_id: str, status: str, note: str = "") -> None:
        self.statuses[lapor_id] = {"id": lapor_id, "status": status, "note": note}

    def create(self, body: dict, idempotency_key: str) -> tuple[int, str]:
        with self._lock:
            if idempotency_key in self.by_idempotency:
                return 200, self.by_idempotency[idempotency_key]
            lapor_id = f"LPR-2026-{self._next:06d}"
            self._next += 1
            self.by_idempotency[idempotency_key] = lapor_id
            self.received.append(body)
            self.set_status(lapor_id, "diterima")
            return 201, lapor_id


class _Handler(BaseHTTPRequestHandler):
    lapor: FakeLapor

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def _send(self, status: int, body: dict | bytes) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        if self.lapor.delay:  # after the work is done: a client that gives up misses the answer
            time.sleep(self.lapor.delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _preamble(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {FakeLapor.TOKEN}":
            self._send(401, {"error": "token tidak sah"})
            return False
        if self.lapor.fail_status:
            self._send(self.lapor.fail_status, {"error": "gangguan layanan"})
            return False
        if self.lapor.garbage:
            self._send(200, b"<html>maintenance</html>")
            return False
        return True

    def do_POST(self) -> None:
        if not self._preamble():
            return
        if self.path != "/api/v1/laporan":
            self._send(404, {"error": "tidak ditemukan"})
            return
        key = self.headers.get("Idempotency-Key", "")
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        except ValueError:
            self._send(400, {"error": "bukan JSON"})
            return
        missing = [
            k for k in ("external_id", "title", "description", "category") if not body.get(k)
        ]
        if missing or not key:
            self._send(422, {"error": f"kolom wajib: {', '.join(missing) or 'Idempotency-Key'}"})
            return
        status, lapor_id = self.lapor.create(body, key)
        self._send(status, {"id": lapor_id, "status": "diterima"})

    def do_GET(self) -> None:
        if not self._preamble():
            return
        prefix = "/api/v1/laporan/"
        lapor_id = self.path[len(prefix) :] if self.path.startswith(prefix) else ""
        record = self.lapor.statuses.get(lapor_id)
        if record is None:
            self._send(404, {"error": "laporan tidak ditemukan"})
            return
        self._send(200, {**record, "updated_at": "2026-11-30T10:00:00+07:00"})

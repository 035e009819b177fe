"""The message-log writer process (dataplane/logwriter.py): batches cross the pipe whole and in
order, a failed or dead writer keeps the batch in the sink, SIGTERM does not end the writer before
the gateway's last flush. The real writer (write_batch into the database) runs behind it in
tests/service/test_gateway_granian.py; here the child runs `record_batch` below, which needs no
database (the child cannot see the test run's transaction)."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from satupintu.gateway.dataplane.app import Call
from satupintu.gateway.dataplane.logsink import LogSink
from satupintu.gateway.dataplane.logwriter import WriterFailed, WriterProcess
from satupintu.gateway.messagelog import LogEntry

TARGET = "satupintu.gateway.tests.test_logwriter:record_batch"
OUTPUT = "SATUPINTU_TEST_LOGWRITER_OUTPUT"


def record_batch(rows: list[tuple], keep_records: bool = True) -> int:
    """Runs in the child: appends the entries as JSON lines; a client named "fail" raises,
    "die" ends the process without answering."""
    batch = [LogEntry(*row) for row in rows]
    if any(entry.client == "die" for entry in batch):
        os._exit(3)
    if any(entry.client == "fail" for entry in batch):
        raise RuntimeError("database is locked")
    with Path(os.environ[OUTPUT]).open("a") as handle:
        for entry in batch:
            row = {name: getattr(entry, name) for name in ("message_id", "client", "status", "at")}
            row["request_body"] = entry.request_body.hex() if entry.request_body else None
            handle.write(json.dumps({**row, "keep": keep_records}) + "\n")
    return len(batch)


def call(n: int, client: str = "ID/GOV/1601/SIMPUS") -> Call:
    return Call(
        message_id=f"m{n}",
        at=1_764_400_000.0 + n,
        client=client,
        service="ID/GOV/1601/DUKCAPIL/penduduk",
        client_org=None,
        provider_org=None,
        method="GET",
        path="/penduduk/1",
        status=200,
        request_body=b"\x00\xff" if n == 1 else None,
        started=0.0,
    )


@pytest.fixture
def output(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "written.jsonl"
    monkeypatch.setenv(OUTPUT, str(path))
    return path


def written(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_batches_reach_the_writer_process_whole_and_in_order(output):
    writer = WriterProcess(TARGET)
    try:
        assert writer([call(1), call(2)], keep_records=True) == 2
        assert writer([call(3)], keep_records=False) == 1
    finally:
        writer.close()
    rows = written(output)
    assert [row["message_id"] for row in rows] == ["m1", "m2", "m3"]
    assert rows[0] == {
        "message_id": "m1",
        "client": "ID/GOV/1601/SIMPUS",
        "status": 200,
        "at": 1_764_400_001.0,
        "request_body": "00ff",
        "keep": True,
    }
    assert rows[2]["keep"] is False


def test_a_failed_write_keeps_the_batch_in_the_sink(output):
    sink = LogSink(writer=WriterProcess(TARGET))
    sink.add(call(1, client="fail"))
    sink.add(call(2))
    try:
        assert sink.flush() == 0 and sink.pending == 2 and sink.failures == 1
        with pytest.raises(WriterFailed, match="RuntimeError: database is locked"):
            sink.writer([call(1, client="fail")])
        assert sink.writer([call(3)]) == 1  # the same child goes on after a failed batch
    finally:
        sink.writer.close()
    assert [row["message_id"] for row in written(output)] == ["m3"]


def test_a_dead_writer_is_replaced_and_the_batch_written_again(output):
    writer = WriterProcess(TARGET)
    try:
        writer.open()
        first = writer.pid
        with pytest.raises(WriterFailed, match="ended"):
            writer([call(1, client="die")])
        assert writer([call(2)]) == 1
        assert writer.pid != first
    finally:
        writer.close()
    assert [row["message_id"] for row in written(output)] == ["m2"]


def test_sigterm_does_not_end_the_writer_before_the_last_flush(output):
    sink = LogSink(writer=WriterProcess(TARGET), flush_seconds=60)
    sink.start()
    assert sink.writer([call(0)]) == 1  # the child is up (and has set its signal handlers)
    child = sink.writer._process
    os.kill(child.pid, signal.SIGTERM)
    for n in range(1, 4):
        sink.add(call(n))
    sink.stop()  # the final flush goes through the same child, which then exits on its own
    assert child.returncode == 0
    assert [row["message_id"] for row in written(output)] == ["m0", "m1", "m2", "m3"]

"""The sync's reader process (data/reader_process.py): items and errors cross the pipe as they
were, the child never runs far ahead of the consumer, and it does not outlive the sync (closed
early, killed, or its parent killed)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from satupintu.data import reader_process
from satupintu.data.connectors import ConnectorError
from satupintu.data.sync import PreparedBatch
from satupintu.data.validation import RowProblem

SRC = Path(__file__).resolve().parents[3]


def gone(pid: int) -> bool:
    """The process has ended (an orphan may stay a zombie when nothing reaps it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_used_only_with_a_second_core_that_is_free(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not reader_process.available()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert reader_process.available()

    idle = {"cores": 0.1}
    monkeypatch.setattr(reader_process, "idle_cores_since", lambda mark: idle["cores"])
    assert not reader_process.available(reader_process.idle_mark())  # every core busy
    idle["cores"] = 0.9
    assert reader_process.available(reader_process.idle_mark())


def test_idle_cores_are_measured_over_a_window(monkeypatch):
    mark = reader_process.idle_mark()
    assert mark is not None and mark[0] > 0
    assert reader_process.idle_cores_since(mark) is None  # too short a window to tell
    time.sleep(reader_process.MIN_WINDOW * 2)
    assert 0 <= reader_process.idle_cores_since(mark) <= os.cpu_count() + 0.5
    assert reader_process.idle_cores_since(None) is None


def test_items_arrive_in_order_and_as_they_were(tmp_path):
    def produce():
        (tmp_path / "pid").write_text(str(os.getpid()))
        yield PreparedBatch(2, 0, [], None, 1, [("1", 1, "a", None), ("2", 2, "b", 2.5)])
        # A PostgreSQL datastore takes dates and decimals as objects: pickled, not marshalled.
        typed = [("3", dt.date(2025, 1, 31), Decimal("1.50"), True)]
        problem = RowProblem("jumlah", "x", "bukan angka")
        yield PreparedBatch(2, 1, [(1, [problem])], dt.datetime(2025, 1, 1, 7), 0, typed)

    received = list(reader_process.in_child(produce))
    assert [batch.rows for batch in received] == [
        [("1", 1, "a", None), ("2", 2, "b", 2.5)],
        [("3", dt.date(2025, 1, 31), Decimal("1.50"), True)],
    ]
    assert type(received[0].rows[1][3]) is float and received[1].rows[0][3] is True
    assert received[1].problems == [(1, [RowProblem("jumlah", "x", "bukan angka")])]
    assert received[1].cursor_top == dt.datetime(2025, 1, 1, 7)
    assert (received[0].size, received[0].empty, received[1].rejected) == (2, 1, 1)
    child = int((tmp_path / "pid").read_text())
    assert child != os.getpid() and gone(child)


def test_an_error_of_the_producer_is_raised_here_as_it_was():
    def produce():
        yield 1
        raise ConnectorError("Tabel 'kunjungan' tidak ada lagi di basis data sumber.")

    items = reader_process.in_child(produce)
    assert next(items) == 1
    with pytest.raises(ConnectorError) as raised:
        next(items)
    assert str(raised.value) == "Tabel 'kunjungan' tidak ada lagi di basis data sumber."
    assert any("Raised in the reader process" in note for note in raised.value.__notes__)


class Unpicklable(Exception):
    def __init__(self, code, detail):
        super().__init__(f"{code}: {detail}")


def test_an_exception_that_cannot_travel_keeps_its_name_and_message():
    def produce():
        raise Unpicklable(7, "rusak")
        yield

    with pytest.raises(RuntimeError) as raised:
        list(reader_process.in_child(produce))
    assert str(raised.value) == "Unpicklable: 7: rusak"


def test_closing_early_ends_the_child(tmp_path):
    def produce():
        (tmp_path / "pid").write_text(str(os.getpid()))
        while True:
            yield b"x" * 1000

    items = reader_process.in_child(produce)
    next(items)
    child = int((tmp_path / "pid").read_text())
    assert not gone(child)
    items.close()  # e.g. the datastore failed while writing
    assert gone(child)


def test_the_workers_signal_handlers_are_not_the_childs(tmp_path):
    def produce():
        (tmp_path / "pid").write_text(str(os.getpid()))
        while True:
            yield 1

    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)
    try:
        items = reader_process.in_child(produce)
        next(items)
        os.kill(int((tmp_path / "pid").read_text()), signal.SIGTERM)  # a stopping service
        with pytest.raises(reader_process.ReaderDied):
            for count, _ in enumerate(items):
                # A child that kept the no-op handler would go on producing.
                assert count < 200_000, "the child ignored SIGTERM"
                time.sleep(0.0001 if count < 1000 else 0)
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_child_that_dies_is_an_error_not_an_end():
    def produce():
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    items = reader_process.in_child(produce)
    assert next(items) == 1
    with pytest.raises(reader_process.ReaderDied):
        next(items)


def test_the_child_stays_about_one_pipe_ahead(tmp_path):
    counter = tmp_path / "count"

    def produce():
        for n in range(1, 201):
            counter.write_text(str(n))
            yield b"x" * 500_000

    items = reader_process.in_child(produce)
    next(items)
    time.sleep(1.0)
    ahead = int(counter.read_text())
    # The pipe holds about one 1 MiB batch; without that bound it would have produced all 200.
    assert ahead <= 6, ahead
    assert sum(1 for _ in items) == 199


def test_the_child_ends_when_its_parent_is_killed(tmp_path):
    script = (
        "import os, sys, time\n"
        "from satupintu.data import reader_process\n"
        "def produce():\n"
        f"    open({str(tmp_path / 'pid')!r}, 'w').write(str(os.getpid()))\n"
        "    while True:\n"
        "        time.sleep(0.05)\n"
        "        yield b'x' * 100_000\n"
        "items = reader_process.in_child(produce)\n"
        "next(items)\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout.readline().strip() == "ready"
        child = int((tmp_path / "pid").read_text())
        assert not gone(child)
        parent.send_signal(signal.SIGKILL)  # the worker killed mid-sync
        parent.wait(timeout=10)
        assert wait_until(lambda: gone(child)), "the reader outlived its sync"
    finally:
        parent.kill()
        parent.wait()

"""The message-log writer in a process of its own.

The log sink's thread hands each batch to `WriterProcess`, which sends it as plain tuples down
a pipe to a child process (`python -m satupintu.gateway.dataplane.logwriter_child`) and waits
for the answer. The batch crosses as one `marshal` blob: the tuples hold only str, int, float,
bytes and None, and marshal writes them for ~0.4 µs a record in the gateway's process against
~2.8 µs for pickle, which memoizes every string. The child does what costs CPU: the canonical
JSON and SHA-256 chain, the encryption of logged bodies, the database insert and the counters
(`messagelog.write_rows`, on the tuples as they arrive). In the gateway's process that work took
~20-40 µs of every call and held the GIL the request path needs; what is left there is one
tuple and its share of one marshalled batch per entry.

The sink's guarantees do not change: the entries stay in the sink's queue until the child has
answered that their transaction committed; if the child fails or dies the batch is kept, in
order, and the next flush starts a new child. The child stays in the gateway's process group (a
process manager, `ps` and the bench's CPU accounting see it as part of the gateway) but ignores
SIGINT and SIGTERM, which a Ctrl-C or a service manager sends to the whole group; it leaves only
when the gateway closes the pipe, after its last flush, so nothing queued is lost on an orderly
shutdown.
"""

from __future__ import annotations

import importlib
import logging
import marshal
import os
import subprocess
import sys
from multiprocessing.connection import Connection

from ..messagelog import LogEntry, entry_row

logger = logging.getLogger("satupintu.gateway.messagelog")

DEFAULT_TARGET = "satupintu.gateway.messagelog:write_rows"


class WriterFailed(RuntimeError):
    """The writer process could not write a batch (its error, as text)."""


class WriterProcess:
    """A callable with `write_batch`'s signature that sends the entries, as entry_row() tuples,
    to `target` ("module:function", with `write_rows`' signature) in a child process. Not
    thread-safe: the log sink calls it from its one writer thread."""

    def __init__(self, target: str = DEFAULT_TARGET) -> None:
        self.target = target
        self._process: subprocess.Popen | None = None
        self._inbox: Connection | None = None  # answers from the child
        self._outbox: Connection | None = None  # batches to the child

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def open(self) -> None:
        """Start the child now (Django's start-up takes a while), not at the first flush."""
        if self._process is not None and self._process.poll() is None:
            return
        self.close()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self._process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [
                    sys.executable,
                    "-m",
                    "satupintu.gateway.dataplane.logwriter_child",
                    str(to_child_r),
                    str(from_child_w),
                    self.target,
                ],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
            )
        finally:
            # The child's ends belong to the child; keeping them open here would hide its
            # death (no EOF on the answer pipe).
            os.close(to_child_r)
            os.close(from_child_w)
        self._outbox = Connection(to_child_w, readable=False)
        self._inbox = Connection(from_child_r, writable=False)

    def __call__(self, batch: list[LogEntry], keep_records: bool = True) -> int:
        self.open()
        assert self._outbox is not None and self._inbox is not None
        try:
            rows = list(map(entry_row, batch))
            self._outbox.send_bytes(marshal.dumps((rows, keep_records)))
            ok, result = self._inbox.recv()
        except (EOFError, OSError) as exc:
            # The child died (before or after committing: the batch is kept and written again
            # by the next child; the chain stays whole either way).
            self.close()
            raise WriterFailed(f"message-log writer process ended ({exc!r})") from exc
        if not ok:
            raise WriterFailed(result)
        return result

    def close(self) -> None:
        """Close the pipe (the child writes nothing more and exits) and wait for the child."""
        for conn in (self._outbox, self._inbox):
            if conn is not None:
                conn.close()
        self._outbox = self._inbox = None
        if self._process is not None:
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                logger.error("message-log writer %d did not exit; killing it", self._process.pid)
                self._process.kill()
                self._process.wait()
            self._process = None


def serve(inbox: Connection, outbox: Connection, target: str) -> None:
    """The child's loop: one answer per batch, until the gateway closes the pipe."""
    from django.db import connections

    module, name = target.split(":")
    write = getattr(importlib.import_module(module), name)
    try:
        while True:
            try:
                # From the parent that started this process, over a pipe nobody else holds.
                rows, keep_records = marshal.loads(inbox.recv_bytes())  # noqa: S302
            except EOFError:
                return
            try:
                last = write(rows, keep_records=keep_records)
            except Exception as exc:
                logger.exception("message log write failed (%d entries)", len(rows))
                connections.close_all()  # the next batch reconnects
                outbox.send((False, f"{type(exc).__name__}: {exc}"))
            else:
                outbox.send((True, last))
    finally:
        connections.close_all()

"""A generator run in a forked child process, its items handed to this process through a pipe.

Why: a large database sync has two halves of similar cost, reading (the driver's fetch, the
column checks and conversions of data/sync.py) and writing (sqlite3's executemany into the
staging table). Both hold the GIL nearly all the time, so a reader *thread* gains nothing: the
writer releases the GIL around every row's sqlite3_step, the reader keeps it for a whole switch
interval, and the load runs slower than alone (measured, docs/data.md). A child process reads and
converts while this process writes; a bounded pipe between them keeps at most about one batch in
flight, so memory stays bounded as before.

The child only runs the producer (network reads and pure Python on its own objects): it never
touches Django's database connections (inherited, shared with this process) and leaves through
os._exit(), so nothing inherited is closed or flushed by it. Its exceptions come back pickled and
are raised here, so a run fails with the same message as when reading in-process. When this
process stops early (an error while writing, a generator closed) the child is killed; when this
process is killed (kill -9), the child's next write fails on the closed pipe and it exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import struct
import time
import traceback
import warnings
from collections.abc import Callable, Iterator

_HEADER = struct.Struct("<BQ")
_ITEM, _END, _ERROR = 1, 2, 3
# A second core counts as free when at least half of one was idle while the sync set up, and
# is measured over at least MIN_WINDOW seconds (shorter runs are small: either way is fine).
FREE_CORE = 0.5
MIN_WINDOW = 0.05
# The pipe's capacity (Linux allows up to 1 MiB to an unprivileged process): about one batch, so
# the child converts the next batch while this process writes the current one.
PIPE_BYTES = 1 << 20


class ReaderDied(Exception):
    """The child ended without finishing its stream (killed, out of memory)."""


def idle_mark() -> tuple[float, float] | None:
    """The machine's idle CPU time so far (seconds, summed over its cores) and when it was read;
    None where /proc/stat is not there."""
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()
        idle = (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")  # idle + iowait
    except (OSError, ValueError, IndexError):
        return None
    return idle, time.monotonic()


def idle_cores_since(mark: tuple[float, float] | None) -> float | None:
    """How many cores were idle on average since `mark`; None when unknown or when too little
    time passed to tell (the kernel counts in ticks of 10 ms)."""
    now = idle_mark()
    if mark is None or now is None or now[1] - mark[1] < MIN_WINDOW:
        return None
    return (now[0] - mark[0]) / (now[1] - mark[1])


def available(since: tuple[float, float] | None = None) -> bool:
    """fork() exists, this process may run on more than one core, and (measured from `since`,
    the sync's start) a second core has been mostly idle. The reader process costs about a
    fifth more CPU time in all (the pipe, two processes' caches) for a load phase about a
    third shorter: worth it only with a free core. With every core busy (other work, a benchmark
    next to it) the two processes share the CPU time the sync alone would get and the load
    got slower, not faster (docs/data.md)."""
    if not (hasattr(os, "fork") and hasattr(fcntl, "F_SETPIPE_SZ")):
        return False
    if len(os.sched_getaffinity(0)) < 2:
        return False
    idle = idle_cores_since(since)
    return idle is None or idle >= FREE_CORE


def in_child(produce: Callable[[], Iterator]) -> Iterator:
    """Yield the items of `produce()`, which runs in a forked child process. Items and the
    child's exceptions travel pickled (give a large item a compact __reduce__)."""
    read_fd, write_fd = os.pipe()
    with contextlib.suppress(OSError):
        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    with warnings.catch_warnings():
        # Python warns about fork() in a multi-threaded process (a task worker's threads): the
        # child takes no lock another thread might hold (no logging, no database, no imports
        # besides what the producer already imported) and ends with os._exit().
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover -- the child; its effects are what the tests check
        os.close(read_fd)
        _serve(produce, write_fd)
    os.close(write_fd)
    finished = False
    try:
        with open(read_fd, "rb", buffering=PIPE_BYTES) as stream:
            while True:
                header = stream.read(_HEADER.size)
                if len(header) < _HEADER.size:
                    raise ReaderDied("Proses pembaca sumber berhenti sebelum selesai.")
                kind, size = _HEADER.unpack(header)
                payload = stream.read(size)
                if len(payload) < size:
                    raise ReaderDied("Proses pembaca sumber berhenti sebelum selesai.")
                if kind == _END:
                    finished = True
                    return
                if kind == _ERROR:
                    finished = True
                    raise _exception(payload)
                yield pickle.loads(payload)  # noqa: S301 -- our own child's data
    finally:
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _serve(produce: Callable[[], Iterator], fd: int) -> None:  # pragma: no cover -- child
    status = 0
    try:
        # The worker's own handlers (Huey stops gracefully on SIGTERM) are not the reader's: a
        # stopping service ends it at once, and its parent's run fails with ReaderDied.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        with open(fd, "wb", buffering=0) as out:
            try:
                for item in produce():
                    _send(out, _ITEM, pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
                _send(out, _END, b"")
            except BrokenPipeError:
                status = 1
            except BaseException as exc:  # every failure goes back to the parent
                _send(out, _ERROR, _pickled_exception(exc))
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _send(out, kind: int, payload: bytes) -> None:  # pragma: no cover -- child
    out.write(_HEADER.pack(kind, len(payload)))
    out.write(payload)


def _pickled_exception(exc: BaseException) -> bytes:
    details = "".join(traceback.format_exception(exc))
    try:
        body = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
        pickle.loads(body)  # noqa: S301 -- checked here, so the parent can rely on it
    except Exception:
        body = b""
    return pickle.dumps((body, type(exc).__name__, str(exc), details))


def _exception(payload: bytes) -> BaseException:
    body, name, message, details = pickle.loads(payload)  # noqa: S301 -- our own child's data
    exc = pickle.loads(body) if body else RuntimeError(f"{name}: {message}")  # noqa: S301
    exc.add_note(f"Raised in the reader process:\n{details}")
    return exc

"""Process helpers the HTTP benchmarks share: a free port, the CPU time of server processes read
from /proc (it does not depend on what else the machine runs, unlike req/s), and stopping a
server started in a session of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat_fields(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat after the command name (which may hold spaces), or None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def group_pids(pgid: int) -> set[int]:
    """The live processes of process group `pgid` (a server started with start_new_session:
    its workers and helper processes)."""
    pids = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat_fields(name)
            if fields is not None and int(fields[2]) == pgid:
                pids.add(int(name))
    return pids


def cpu_seconds(pids: set[int]) -> float:
    """utime + stime of the given processes (those still alive)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen | None, timeout: float = 10) -> None:
    """SIGTERM the process's whole group (it was started with start_new_session), SIGKILL after
    `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)

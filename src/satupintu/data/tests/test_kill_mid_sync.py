"""Crash safety for real: a sync process killed with SIGKILL at any point leaves the published
table exactly as before; the rerun publishes the new rows once, nothing duplicated or lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

CHILD = Path(__file__).with_name("sync_child.py")
SRC = Path(__file__).resolve().parents[3]


def write_csv(path: Path, version: int, rows: int) -> dict[str, int]:
    data = {f"16.01.{n // 100:02d}.{2000 + n % 100}": n * version for n in range(rows)}
    lines = ["Kode Desa,Jumlah Penduduk"] + [f"{k},{v}" for k, v in data.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def child(var_dir: Path, *args: str, wait: float | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        {
            "SATUPINTU_VAR_DIR": str(var_dir),
            "SATUPINTU_MEDIA_ROOT": str(var_dir / "media"),
            "PYTHONPATH": str(SRC),
            "SATUPINTU_TESTING": "",
        }
    )
    env.pop("SATUPINTU_DATABASE_URL", None)
    env.pop("SATUPINTU_DATASTORE_URL", None)
    return subprocess.Popen(  # noqa: S603 -- our own script with our own arguments
        [sys.executable, str(CHILD), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def published(var_dir: Path) -> dict[str, int]:
    with sqlite3.connect(var_dir / "datastore.sqlite3") as db:
        rows = db.execute("SELECT kode_desa, jumlah_penduduk FROM res_1").fetchall()
    assert len(rows) == len({k for k, _ in rows}), "duplicate keys in the published table"
    return dict(rows)


# Each child process starts Django (the setup one also migrates a fresh database): on a shared,
# loaded machine that alone has taken over two minutes.
CHILD_TIMEOUT = 600


def test_sync_killed_at_any_point_leaves_published_table_intact(tmp_path):
    old_csv, new_csv = tmp_path / "old.csv", tmp_path / "new.csv"
    old = write_csv(old_csv, 1, 3000)
    new = write_csv(new_csv, 2, 3200)
    process = child(tmp_path, "setup", str(old_csv))
    out, err = process.communicate(timeout=CHILD_TIMEOUT)
    assert process.returncode == 0, err
    assert published(tmp_path) == old

    for point in ("during_load", "before_commit"):
        process = child(tmp_path, "sync", str(new_csv), point)
        process.communicate(timeout=CHILD_TIMEOUT)
        assert process.returncode == -signal.SIGKILL
        assert published(tmp_path) == old, point

    # Kills at arbitrary moments of a whole run (start-up, reading, loading, swapping).
    for delay in (1.0, 1.6):
        process = child(tmp_path, "sync", str(new_csv))
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=CHILD_TIMEOUT)
        assert published(tmp_path) in (old, new), f"partial table after kill at {delay}s"
        if published(tmp_path) == new:
            break

    process = child(tmp_path, "sync", str(new_csv))
    out, err = process.communicate(timeout=CHILD_TIMEOUT)
    assert process.returncode == 0, err
    assert out.startswith("succeeded"), out
    assert published(tmp_path) == new
    with sqlite3.connect(tmp_path / "datastore.sqlite3") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert not [t for t in tables if "__stage_" in t]

"""manage.py backup / restore: a round trip brings data, datastore tables and media back; a
damaged or foreign archive is refused with a clear message and nothing changes."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings

from satupintu.core.backup import MANIFEST, sha256_of
from satupintu.core.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "datastore"])

# Tests that also run when the service tier points `default` at PostgreSQL or MariaDB.
ANY_ENGINE = {
    "test_postgresql_installations_are_sent_to_pg_dump",
    "test_round_trip_with_database_files_in_wal_mode",
}
SK_BUPATI = b"%PDF-1.4 Surat Keputusan Bupati OKU Nomor 100/2026 tentang Tim Satu Data\n"


@pytest.fixture(autouse=True)
def installation(request, tmp_path):
    """MEDIA_ROOT and VAR_DIR in tmp_path, some media, and a published datastore table."""
    if connections["default"].vendor != "sqlite" and request.node.originalname not in ANY_ENGINE:
        pytest.skip("backup/restore is for SQLite; PostgreSQL uses pg_dump (tested below)")
    media = tmp_path / "var" / "media"
    (media / "dokumen").mkdir(parents=True)
    (media / "dokumen" / "sk-bupati.pdf").write_bytes(SK_BUPATI)
    Organisation.objects.create(
        code="dinas-kesehatan", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas"
    )
    with connections["datastore"].cursor() as cursor:
        cursor.execute("CREATE TABLE ds_penduduk_desa (desa TEXT, jumlah INTEGER)")
        cursor.execute("INSERT INTO ds_penduduk_desa VALUES ('Segara Kembang', 1873)")
    with override_settings(MEDIA_ROOT=media, VAR_DIR=tmp_path / "var"):
        yield media
    with connections["datastore"].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS ds_penduduk_desa")


def datastore_rows() -> list[tuple]:
    with connections["datastore"].cursor() as cursor:
        cursor.execute("SELECT desa, jumlah FROM ds_penduduk_desa ORDER BY desa")
        return list(cursor.fetchall())


def state(media: Path) -> dict:
    return {
        "organisations": sorted(Organisation.objects.values_list("code", "name")),
        "datastore": datastore_rows(),
        "media": sorted(
            (p.relative_to(media).as_posix(), p.read_bytes())
            for p in media.rglob("*")
            if p.is_file()
        ),
    }


def backup(tmp_path: Path) -> Path:
    path = tmp_path / "cadangan.tar.gz"
    call_command("backup", output=path, verbosity=0)
    return path


def change_everything(media: Path) -> None:
    Organisation.objects.filter(code="dinas-kesehatan").update(name="Dinas Kesehatan (diubah)")
    Organisation.objects.create(code="bpbd", name="BPBD", short_name="BPBD", kind="badan")
    (media / "dokumen" / "sk-bupati.pdf").write_bytes(b"ditimpa")
    (media / "foto-banjir.jpg").write_bytes(b"\xff\xd8 foto")
    with connections["datastore"].cursor() as cursor:
        cursor.execute("UPDATE ds_penduduk_desa SET jumlah = 0")


# --- round trip ----------------------------------------------------------------------------------
def test_backup_then_restore_brings_everything_back(tmp_path, installation):
    before = state(installation)
    path = backup(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data

    change_everything(installation)
    assert state(installation) != before

    call_command("restore", str(path), force=True, verbosity=0)
    assert state(installation) == before
    leftovers = [p.name for p in installation.parent.iterdir() if p.name != "media"]
    assert leftovers == [], "no .bak or work directory may remain after success"


def test_the_manifest_describes_the_archive(tmp_path):
    path = backup(tmp_path)
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile(MANIFEST))
    assert set(names) == {
        MANIFEST,
        "databases/default.sqlite3",
        "databases/datastore.sqlite3",
        "media/dokumen/sk-bupati.pdf",
    }
    assert manifest["format"] == "satupintu-backup"
    assert manifest["regency_code"] == settings.INSTALLATION["regency_code"]
    assert manifest["versions"]["django"].startswith("6.1")
    assert "core.0001_initial" in manifest["databases"]["default"]["migrations"]
    for entry in manifest["databases"].values():
        assert len(entry["sha256"]) == 64 and entry["bytes"] > 0
    assert manifest["media"] == {"files": 1, "bytes": len(SK_BUPATI)}


def test_default_output_goes_to_var_backups(tmp_path):
    call_command("backup", verbosity=0)
    (archive,) = (tmp_path / "var" / "backups").glob("satupintu-*.tar.gz")
    assert archive.stat().st_size > 0


# --- refusals that change nothing ----------------------------------------------------------------
def assert_refused(path: Path, media: Path, message: str) -> None:
    before = state(media)
    with pytest.raises(CommandError, match=message) as caught:
        call_command("restore", str(path), force=True, verbosity=0)
    assert "Tidak ada yang diubah" in str(caught.value)
    assert state(media) == before


def repack(source: Path, target: Path, edit) -> Path:
    """Extract `source`, let `edit(directory)` change it, and pack it again as `target`."""
    work = target.parent / "repack"
    with tarfile.open(source) as archive:
        archive.extractall(work, filter="data")
    edit(work)
    with tarfile.open(target, "w:gz") as archive:
        for item in sorted(work.rglob("*")):
            if item.is_file():
                archive.add(item, arcname=item.relative_to(work).as_posix())
    shutil.rmtree(work)
    return target


def test_random_bytes_are_not_an_archive(tmp_path, installation):
    path = tmp_path / "bukan-cadangan.tar.gz"
    path.write_bytes(os.urandom(4096))
    assert_refused(path, installation, "bukan arsip cadangan .tar.gz yang utuh")


def test_a_truncated_archive_is_refused(tmp_path, installation):
    whole = backup(tmp_path).read_bytes()
    path = tmp_path / "terpotong.tar.gz"
    path.write_bytes(whole[: len(whole) // 2])
    change_everything(installation)
    assert_refused(path, installation, "bukan arsip cadangan .tar.gz yang utuh")


def test_a_missing_archive_is_refused(tmp_path, installation):
    assert_refused(tmp_path / "tidak-ada.tar.gz", installation, "tidak ada")


def test_a_tampered_database_fails_its_checksum(tmp_path, installation):
    def tamper(work: Path) -> None:
        with (work / "databases" / "default.sqlite3").open("r+b") as handle:
            handle.seek(100)  # the header area SQLite keeps as written
            original = handle.read(16)
            handle.seek(100)
            handle.write(bytes(b ^ 0xFF for b in original))

    path = repack(backup(tmp_path), tmp_path / "diubah.tar.gz", tamper)
    change_everything(installation)
    assert_refused(path, installation, "checksum tidak cocok")


def test_a_corrupt_database_fails_the_integrity_check(tmp_path, installation):
    def corrupt(work: Path) -> None:
        database = work / "databases" / "default.sqlite3"
        with database.open("r+b") as handle:
            handle.seek(4096)  # page 2 onwards: table b-trees
            handle.write(os.urandom(8192))
        manifest = json.loads((work / MANIFEST).read_text())
        manifest["databases"]["default"]["sha256"] = sha256_of(database)
        (work / MANIFEST).write_text(json.dumps(manifest))

    path = repack(backup(tmp_path), tmp_path / "rusak.tar.gz", corrupt)
    change_everything(installation)
    assert_refused(path, installation, "tidak utuh|malformed|not a database")


def test_an_archive_without_manifest_is_refused(tmp_path, installation):
    path = repack(
        backup(tmp_path), tmp_path / "tanpa-manifest.tar.gz", lambda w: (w / MANIFEST).unlink()
    )
    assert_refused(path, installation, "manifest.json")


def test_an_archive_from_a_newer_version_is_refused(tmp_path, installation):
    def newer(work: Path) -> None:
        manifest = json.loads((work / MANIFEST).read_text())
        manifest["databases"]["default"]["migrations"].append("core.9999_masa_depan")
        (work / MANIFEST).write_text(json.dumps(manifest))

    path = repack(backup(tmp_path), tmp_path / "baru.tar.gz", newer)
    assert_refused(path, installation, "versi satupintu yang lebih baru.*core.9999_masa_depan")


@pytest.mark.parametrize("name", ["../../etc/cron.d/jahat", "media/../../jahat", "/tmp/jahat"])
def test_entries_escaping_the_archive_are_refused(tmp_path, installation, name):
    path = tmp_path / "jahat.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        data = b"* * * * * root rm -rf /"
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    assert_refused(path, installation, "tidak dikenal|bukan arsip")
    assert not (tmp_path.parent / "jahat").exists()


def test_restore_asks_before_replacing_data(tmp_path, installation, monkeypatch):
    path = backup(tmp_path)
    change_everything(installation)
    before = state(installation)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path), verbosity=0)
    assert state(installation) == before


def test_postgresql_installations_are_sent_to_pg_dump(tmp_path):
    """Constructing a PostgreSQL connection object opens no connection; only its vendor counts."""
    original = connections["datastore"]
    postgres = load_backend("django.db.backends.postgresql").DatabaseWrapper(
        {**original.settings_dict, "ENGINE": "django.db.backends.postgresql", "NAME": "satupintu"},
        "datastore",
    )
    connections["datastore"] = postgres
    try:
        with pytest.raises(CommandError, match="pg_dump") as caught:
            call_command("backup", output=tmp_path / "x.tar.gz", verbosity=0)
        assert "datastore (postgresql)" in str(caught.value)
        with pytest.raises(CommandError, match="pg_restore"):
            call_command("restore", str(tmp_path / "x.tar.gz"), force=True, verbosity=0)
    finally:
        connections["datastore"] = original
    assert not (tmp_path / "x.tar.gz").exists()


# --- the real thing: database files on disk, in WAL mode, in separate processes ------------------
def manage(var_dir: Path, *args: str) -> str:
    env = {
        **os.environ,
        "SATUPINTU_VAR_DIR": str(var_dir),
        "SATUPINTU_DATABASE_URL": "",
        "SATUPINTU_DATASTORE_URL": "",
    }
    done = subprocess.run(  # noqa: S603  (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# Runs its own processes on a SQLite installation of its own, whatever server this pytest run
# targets: `make test` runs it once; the PostgreSQL and MariaDB runs deselect it.
@pytest.mark.embedded
def test_round_trip_with_database_files_in_wal_mode(tmp_path):
    """Files on disk in WAL mode; the restore runs in a process whose connection is open and
    has just written, as a running server's would be."""
    var = tmp_path / "instalasi"
    archive = tmp_path / "malam.tar.gz"
    setup = (
        "from django.core.management import call_command as cmd; "
        "from satupintu.core.models import Organisation as O; "
    )
    manage(var, "migrate", "--no-input", "-v", "0")
    manage(
        var,
        "shell",
        "--no-imports",
        "-c",
        setup + "O.objects.create(code='bpbd', name='BPBD OKU', short_name='BPBD', kind='badan'); "
        f"cmd('backup', output='{archive}', verbosity=0)",
    )
    out = manage(
        var,
        "shell",
        "--no-imports",
        "-c",
        setup + "O.objects.filter(code='bpbd').update(name='diubah'); "
        "print(O.objects.get(code='bpbd').name); "
        f"cmd('restore', '{archive}', force=True, verbosity=0); "
        "print(O.objects.get(code='bpbd').name)",
    )
    assert out.split() == ["diubah", "BPBD", "OKU"]
    assert not list(var.glob("*.bak")), "the safety copies are removed after success"
    with closing(sqlite3.connect(var / "satupintu.sqlite3")) as database:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

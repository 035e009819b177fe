"""Backup and restore of the embedded installation (both SQLite databases and the media files).

A backup is one `.tar.gz`:

    manifest.json              format, time, versions, migration state, checksums
    databases/<alias>.sqlite3  a consistent copy of each database (SQLite online backup API)
    media/...                  the uploaded files (MEDIA_ROOT)

The copies are taken with SQLite's online backup API through the running connection, so a
backup is consistent even while the web server and the worker write. A restore first checks
the whole archive (manifest, checksums, `PRAGMA integrity_check`, migrations this code knows)
and changes nothing if any check fails; it then keeps a copy of the current databases and media
(`*.bak`), copies the archive's databases into the live ones (again with the backup API, one
transaction per database) and swaps the media directory. If anything fails the `.bak` copies
are put back; after success they are removed.

PostgreSQL installations use pg_dump / pg_restore instead (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "satupintu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "databases"
MEDIA_DIR = "media"

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedArchive:
    manifest: dict
    root: Path  # the extracted archive (a temporary directory the caller removes)
    missing_migrations: list[str]  # migrations the code has that the backup lacks


def _noop(message: str) -> None:
    pass


# --- shared helpers ------------------------------------------------------------------------------
def require_sqlite() -> list[str]:
    """The database aliases, if they are all SQLite; otherwise explain pg_dump/pg_restore."""
    others = {
        alias: connections[alias].vendor
        for alias in settings.DATABASES
        if connections[alias].vendor != "sqlite"
    }
    if others:
        names = ", ".join(f"{alias} ({vendor})" for alias, vendor in sorted(others.items()))
        raise BackupError(
            _(
                "Perintah ini hanya untuk instalasi bawaan dengan SQLite; basis data %(names)s "
                "bukan SQLite. Cadangkan PostgreSQL dengan pg_dump, misalnya "
                "`pg_dump --format=custom --file=satupintu.dump satupintu`, dan pulihkan dengan "
                "`pg_restore --clean --if-exists --dbname=satupintu satupintu.dump` "
                "(lihat docs/operations.md)."
            )
            % {"names": names}
        )
    return list(settings.DATABASES)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def integrity_problem(path: Path) -> str:
    """'' if SQLite's integrity_check passes on the file, else what it reported."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "" if rows == ["ok"] else "; ".join(rows[:5])


def applied_migrations(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='django_migrations'"
        ).fetchone()
        if not has_table:
            return []
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in rows]


def copy_live_database(alias: str, target: Path) -> None:
    """A consistent copy of the live database, taken with SQLite's online backup API."""
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # A self-contained file: no -wal/-shm companions to forget.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def copy_into_live_database(alias: str, source: Path) -> None:
    """Replace the live database's content with `source` (one transaction on the target)."""
    connection = connections[alias]
    connection.ensure_connection()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()


def _versions() -> dict:
    try:
        satupintu = metadata.version("satupintu")
    except metadata.PackageNotFoundError:
        satupintu = "unknown"
    return {
        "satupintu": satupintu,
        "django": django.get_version(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"satupintu-{stamp}.tar.gz"


# --- backup --------------------------------------------------------------------------------------
def create_backup(output: Path | None = None, progress: Progress = _noop) -> Path:
    """Write the backup archive; returns its path. Only the finished archive appears at
    `output` (it is written under a temporary name first) and only its owner may read it:
    it holds personal data, encrypted or not."""
    aliases = require_sqlite()
    output = Path(output) if output else default_backup_path()
    if output.exists() and output.is_dir():
        raise BackupError(_("%(path)s adalah direktori; sebutkan nama berkas.") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="satupintu-backup-") as tmp:
        work = Path(tmp)
        (work / DATABASE_DIR).mkdir()
        databases: dict[str, dict] = {}
        for alias in aliases:
            progress(_("Menyalin basis data %(alias)s …") % {"alias": alias})
            copy = work / DATABASE_DIR / f"{alias}.sqlite3"
            copy_live_database(alias, copy)
            problem = integrity_problem(copy)
            if problem:
                raise BackupError(
                    _("Salinan basis data %(alias)s tidak utuh: %(problem)s")
                    % {"alias": alias, "problem": problem}
                )
            databases[alias] = {
                "file": f"{DATABASE_DIR}/{alias}.sqlite3",
                "bytes": copy.stat().st_size,
                "sha256": sha256_of(copy),
                "migrations": applied_migrations(copy),
            }
        media_files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.localtime().isoformat(),
            "regency_code": settings.INSTALLATION.get("regency_code", ""),
            "versions": _versions(),
            "databases": databases,
            "media": {
                "files": len(media_files),
                "bytes": sum(path.stat().st_size for path in media_files),
            },
        }
        progress(_("Menulis arsip %(path)s …") % {"path": output})
        partial = output.with_name(output.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
                for alias, entry in databases.items():
                    archive.add(work / DATABASE_DIR / f"{alias}.sqlite3", arcname=entry["file"])
                for path in media_files:
                    relative = path.relative_to(media_root).as_posix()
                    archive.add(path, arcname=f"{MEDIA_DIR}/{relative}", recursive=False)
            os.chmod(partial, 0o600)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    progress(
        _("Cadangan selesai: %(n)d basis data, %(files)d berkas media.")
        % {"n": len(databases), "files": len(media_files)}
    )
    return output


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    # Regular files only: a symlink could point anywhere on the server.
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


# --- restore -------------------------------------------------------------------------------------
def check_archive(path: Path, work: Path) -> CheckedArchive:
    """Extract `path` into `work` and check everything; raises BackupError, changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Berkas cadangan %(path)s tidak ada.") % {"path": path})
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                name = member.name
                allowed = name == MANIFEST or name.startswith((f"{DATABASE_DIR}/", f"{MEDIA_DIR}/"))
                if not allowed or not (member.isfile() or member.isdir()):
                    raise BackupError(
                        _("Arsip berisi entri yang tidak dikenal: %(name)s") % {"name": name[:200]}
                    )
            # The "data" filter refuses absolute paths, "..", links and device files.
            archive.extractall(work, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            _("%(path)s bukan arsip cadangan .tar.gz yang utuh (%(error)s).")
            % {"path": path, "error": type(exc).__name__}
        ) from exc

    manifest = _read_manifest(work)
    for alias in settings.DATABASES:
        entry = manifest["databases"].get(alias)
        if entry is None:
            raise BackupError(_("Arsip tidak memuat basis data %(alias)s.") % {"alias": alias})
        copy = work / entry["file"]
        if not copy.is_file() or sha256_of(copy) != entry["sha256"]:
            raise BackupError(
                _("Basis data %(alias)s di arsip rusak (checksum tidak cocok).") % {"alias": alias}
            )
        problem = integrity_problem(copy)
        if problem:
            raise BackupError(
                _("Basis data %(alias)s di arsip tidak utuh: %(problem)s")
                % {"alias": alias, "problem": problem}
            )

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    in_backup = set(manifest["databases"]["default"].get("migrations", []))
    unknown = sorted(in_backup - known)
    if unknown:
        raise BackupError(
            _(
                "Cadangan dibuat oleh versi satupintu yang lebih baru (migrasi tidak dikenal: "
                "%(names)s). Pasang versi itu dulu, lalu pulihkan."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    return CheckedArchive(manifest, work, sorted(known - in_backup))


def _read_manifest(work: Path) -> dict:
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("Arsip tidak memuat manifest.json yang terbaca.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Berkas ini bukan cadangan satupintu."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("Format cadangan versi %(version)s tidak didukung versi ini.")
            % {"version": manifest.get("format_version")}
        )
    if not isinstance(manifest.get("databases"), dict) or "default" not in manifest["databases"]:
        raise BackupError(_("Manifest cadangan tidak lengkap (daftar basis data)."))
    return manifest


def restore_backup(path: Path, progress: Progress = _noop) -> CheckedArchive:
    """Check the archive, then replace the databases and media with its content."""
    require_sqlite()
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Work next to MEDIA_ROOT so the media directories can be swapped with a rename. If the
    # machine dies mid-restore, the previous media wait in var/.restore-*/current/media.bak.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media_root.parent) as tmp:
        work = Path(tmp)
        progress(_("Memeriksa arsip %(path)s …") % {"path": path})
        checked = check_archive(path, work / "archive")
        progress(_("Menyimpan salinan data saat ini (.bak) …"))
        saved = _save_current(work / "current", media_root)
        try:
            for alias in settings.DATABASES:
                progress(_("Memulihkan basis data %(alias)s …") % {"alias": alias})
                entry = checked.manifest["databases"][alias]
                copy_into_live_database(alias, checked.root / entry["file"])
            progress(_("Memulihkan berkas media …"))
            if media_root.exists():
                media_root.rename(saved.media)
            extracted_media = checked.root / MEDIA_DIR
            if extracted_media.is_dir():
                extracted_media.rename(media_root)
            else:
                media_root.mkdir()
        except BaseException:
            _put_back(saved, media_root)  # if this fails too, the .bak copies stay
            progress(_("Pemulihan gagal; data sebelumnya sudah dikembalikan."))
            saved.discard()
            raise
        saved.discard()
    progress(_("Pemulihan selesai."))
    return checked


@dataclass(frozen=True)
class SavedState:
    databases: dict[str, Path]  # alias -> copy of the database before the restore
    media: Path  # where the current media directory moves during the restore

    def discard(self) -> None:
        for copy in self.databases.values():
            copy.unlink(missing_ok=True)


def _save_current(safety: Path, media_root: Path) -> SavedState:
    """Copies of the current databases: `<name>.sqlite3.bak` next to each database file (or
    in the work directory for an in-memory database)."""
    safety.mkdir()
    databases: dict[str, Path] = {}
    for alias in settings.DATABASES:
        live = Path(str(connections[alias].settings_dict["NAME"]))
        bak = (
            live.with_name(live.name + ".bak")
            if live.is_file()
            else safety / f"{alias}.sqlite3.bak"
        )
        copy_live_database(alias, bak)
        os.chmod(bak, 0o600)
        databases[alias] = bak
    return SavedState(databases, safety / "media.bak")


def _put_back(saved: SavedState, media_root: Path) -> None:
    for alias, copy in saved.databases.items():
        copy_into_live_database(alias, copy)
    if saved.media.exists():
        if media_root.exists():
            shutil.rmtree(media_root)
        saved.media.rename(media_root)

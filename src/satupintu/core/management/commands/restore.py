"""`manage.py restore PATH [--force]`: put a backup made by `manage.py backup` back."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.core.backup import BackupError, restore_backup

CONFIRMATION = "pulihkan"


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`. The archive is checked completely "
        "(manifest, checksums, SQLite integrity, migrations) before anything is replaced; the "
        "current data is kept as .bak until the restore succeeds. Stop the web server and the "
        "worker first. Asks for confirmation unless --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the current data without asking (for scripts).",
        )

    def handle(self, *args, path: Path, force: bool, **options) -> None:
        if not force:
            if not sys.stdin.isatty():
                raise CommandError(
                    _(
                        "Pemulihan mengganti SEMUA data saat ini. Jalankan di terminal untuk "
                        "konfirmasi, atau tambahkan --force."
                    )
                )
            answer = input(
                _(
                    "Pemulihan mengganti SEMUA data saat ini dengan isi %(path)s.\n"
                    "Ketik '%(word)s' untuk melanjutkan: "
                )
                % {"path": path, "word": CONFIRMATION}
            )
            if answer.strip().lower() != CONFIRMATION:
                raise CommandError(_("Dibatalkan; tidak ada yang diubah."))
        verbose = options["verbosity"] >= 1
        try:
            checked = restore_backup(path, progress=self.stdout.write if verbose else _quiet)
        except BackupError as exc:
            raise CommandError(_("Tidak ada yang diubah. %(error)s") % {"error": exc}) from exc
        manifest = checked.manifest
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Dipulihkan dari cadangan %(when)s (satupintu %(version)s).")
                    % {"when": manifest["created_at"], "version": manifest["versions"]["satupintu"]}
                )
            )
        if checked.missing_migrations:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "Cadangan ini lebih lama dari kode (%(n)d migrasi belum diterapkan). "
                        "Jalankan `manage.py migrate` sebelum menyalakan layanan."
                    )
                    % {"n": len(checked.missing_migrations)}
                )
            )


def _quiet(message: str) -> None:
    pass

"""`manage.py backup [--output PATH]`: one .tar.gz with both SQLite databases and the media."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the embedded installation: consistent copies of both SQLite databases (safe "
        "while the server runs) and MEDIA_ROOT, with a manifest, in one .tar.gz. "
        "PostgreSQL installations use pg_dump (docs/operations.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            help="Archive to write (default: var/backups/satupintu-YYYYmmdd-HHMMSS.tar.gz).",
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        verbose = options["verbosity"] >= 1
        try:
            path = create_backup(output, progress=self.stdout.write if verbose else _quiet)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(_("Cadangan ditulis ke %(path)s") % {"path": path})
            )


def _quiet(message: str) -> None:
    pass

"""Prove the message-log chain: every record links to the one before, no record was changed,
removed or moved, and every checkpoint signature holds."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from satupintu.gateway.messagelog import verify


class Command(BaseCommand):
    help = "Memeriksa keutuhan log pesan gerbang (rantai hash dan titik periksa bertanda tangan)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--archives", action="store_true", help="Periksa juga isi berkas arsip (lebih lama)."
        )

    def handle(self, *args, archives: bool = False, **options) -> None:
        report = verify(archives=archives)
        self.stdout.write(
            f"{report.records} catatan di basis data, {report.archived_records} di arsip, "
            f"{report.checkpoints} titik periksa; catatan terakhir #{report.last_seq}."
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"Log pesan TIDAK UTUH: {len(report.problems)} masalah ditemukan.")
        self.stdout.write(self.style.SUCCESS("Log pesan utuh."))

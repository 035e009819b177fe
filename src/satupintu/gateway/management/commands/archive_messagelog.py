"""Move message-log records past the retention period into compressed archive files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from satupintu.gateway.messagelog import archive, archive_dir


class Command(BaseCommand):
    help = "Mengarsipkan catatan log pesan yang melewati masa simpan ke berkas .jsonl.gz."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=settings.GATEWAY["retention_days"],
            help="Arsipkan catatan yang lebih tua dari sekian hari.",
        )

    def handle(self, *args, older_than_days: int, **options) -> None:
        segment = archive(timezone.now() - dt.timedelta(days=older_than_days))
        if segment is None:
            self.stdout.write("Tidak ada catatan yang perlu diarsipkan.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{segment.record_count} catatan (#{segment.first_seq}–#{segment.last_seq}) "
                f"diarsipkan ke {archive_dir() / segment.file_name}."
            )
        )

"""Run the gateway data plane (X-Road style /r1/ calls) under granian."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Menjalankan data plane gerbang integrasi (granian, ASGI)."

    def add_arguments(self, parser) -> None:
        default = urlsplit(settings.GATEWAY["public_url"])
        parser.add_argument(
            "--host", default="127.0.0.1", help="Alamat yang didengarkan (bawaan 127.0.0.1)."
        )
        parser.add_argument("--port", type=int, default=default.port or 8081)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.GATEWAY["workers"],
            help="Jumlah proses pekerja (bawaan SATUPINTU_GATEWAY_WORKERS).",
        )
        parser.add_argument(
            "--access-log",
            action="store_true",
            help="Tulis satu baris log per panggilan (di samping log pesan).",
        )

    def handle(
        self, *args, host: str, port: int, workers: int, access_log: bool, **options
    ) -> None:
        from granian import Granian
        from granian.constants import Interfaces, Loops

        self.stdout.write(
            f"Gerbang integrasi mendengarkan di http://{host}:{port}/r1/ ({workers} pekerja)"
        )
        Granian(
            "satupintu.gateway.dataplane.asgi:application",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers,
            loop=Loops.uvloop,
            backlog=2048,
            log_access=access_log,
        ).serve()

"""Make a new Ed25519 key for signing message-log checkpoints."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.management.base import BaseCommand

from satupintu.gateway.messagelog import public_key_b64, signing_key


class Command(BaseCommand):
    help = "Membuat kunci penandatangan titik periksa log pesan (Ed25519)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--show-current",
            action="store_true",
            help="Tampilkan kunci publik yang sedang dipakai.",
        )

    def handle(self, *args, show_current: bool = False, **options) -> None:
        if show_current:
            self.stdout.write(public_key_b64(signing_key().public_key()))
            return
        key = Ed25519PrivateKey.generate()
        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        self.stdout.write(f"SATUPINTU_GATEWAY_LOG_SIGNING_KEY={base64.b64encode(seed).decode()}")
        self.stdout.write(
            f"# kunci publik (untuk SATUPINTU_GATEWAY_LOG_VERIFY_KEYS setelah "
            f"rotasi): {public_key_b64(key.public_key())}"
        )

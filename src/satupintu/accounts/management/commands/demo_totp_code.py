from base64 import b32decode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from satupintu.accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Print the current six-digit code of the demo staff accounts' authenticator (the "
        "documented demo TOTP secret loaded by load_demo). Not available in production."
    )

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("Kode demo tidak tersedia di instalasi produksi.")
        self.stdout.write(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")

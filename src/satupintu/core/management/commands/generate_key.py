from django.core.management.base import BaseCommand

from satupintu.core import crypto


class Command(BaseCommand):
    help = (
        "Print a new Fernet key for SATUPINTU_PERSONAL_DATA_KEYS (put it first in the list, "
        "then run rotate_personal_data_keys)."
    )

    def handle(self, *args, **options) -> None:
        # Only the key on stdout, so `KEY=$(manage.py generate_key)` works in scripts.
        self.stdout.write(crypto.generate_key())

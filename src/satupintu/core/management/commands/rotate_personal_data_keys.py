from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError
from django.db import router, transaction

from satupintu.core import crypto
from satupintu.core.actor import acting_as


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted personal-data column under the first key of "
        "SATUPINTU_PERSONAL_DATA_KEYS and recompute the lookup hashes under "
        "SATUPINTU_LOOKUP_HASH_KEY. Afterwards older keys can be removed from the list."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows read per query (default 500)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change, write nothing."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        # All or nothing: one transaction per database holding encrypted columns, around the
        # per-model ones, so a row no key decrypts leaves every table as it was.
        databases = {router.db_for_write(model) for model, _fields in crypto.encrypted_columns()}
        try:
            with ExitStack() as stack:
                for database in sorted(databases):
                    stack.enter_context(transaction.atomic(using=database))
                with acting_as(None, via="command:rotate_personal_data_keys"):
                    counts = crypto.rotate_personal_data(batch_size=batch_size, dry_run=dry_run)
        except crypto.DecryptionError as exc:
            raise CommandError(f"Nothing was changed. {exc}") from exc

        width = max([len(f"{c.model}.{c.field}") for c in counts] + [12])
        self.stdout.write(f"{'column':<{width}}  {'rows':>8}  {'re-encrypted':>12}  {'hashes':>8}")
        for c in counts:
            name = f"{c.model}.{c.field}"
            self.stdout.write(
                f"{name:<{width}}  {c.rows:>8}  {c.reencrypted:>12}  {c.hashes_updated:>8}"
            )
        reencrypted = sum(c.reencrypted for c in counts)
        hashes = sum(c.hashes_updated for c in counts)
        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {reencrypted} value(s) and "
                f"{'would update' if dry_run else 'updated'} {hashes} lookup hash(es) "
                f"in {len(counts)} column(s)."
            )
        )

from django.conf import settings
from django.core.management.base import BaseCommand

from satupintu.accounts.models import SigningKey


class Command(BaseCommand):
    help = (
        "Create a new RSA key for signing ID tokens. The previous key stays in the JWKS until "
        "the ID tokens it signed have expired, so relying parties keep verifying them."
    )

    def handle(self, *args, **options) -> None:
        key = SigningKey.rotate()
        lifetime = settings.OAUTH2_PROVIDER["ID_TOKEN_EXPIRE_SECONDS"]
        self.stdout.write(
            f"New signing key {key.kid} is active; earlier keys stay published for {lifetime} s."
        )
        for old in SigningKey.objects.published().exclude(pk=key.pk):
            self.stdout.write(
                f"  still published: {old.kid} until {old.publish_until:%Y-%m-%d %H:%M %Z}"
            )

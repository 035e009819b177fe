"""manage.py create_open311_key "Aplikasi OKU Menyapa" [--organisation diskominfo]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from satupintu.complaints.open311.keys import issue_key
from satupintu.core.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an Open311 API key for a client (a mobile app, a third party). The key is "
        "printed once; only its hash is stored. Revoke it in the admin (Kunci API Open311)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the client's name, e.g. 'Aplikasi OKU Menyapa'")
        parser.add_argument(
            "--organisation", help="code of the organisation responsible for the client"
        )

    def handle(self, *args, name: str, organisation: str | None = None, **options) -> None:
        owner = None
        if organisation:
            owner = Organisation.objects.filter(code=organisation).first()
            if owner is None:
                raise CommandError(f"No organisation with the code {organisation!r}.")
        if not name.strip():
            raise CommandError("Give the client a name.")
        issued = issue_key(name, organisation=owner)
        self.stdout.write(
            f"Open311 API key for {issued.api_key.name} (prefix {issued.api_key.prefix}):\n"
            f"{issued.key}\n"
            "Store it now: it is not shown again."
        )

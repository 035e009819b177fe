from django.core.management.base import BaseCommand

from satupintu.core import search_index
from satupintu.core.registry import registry


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every registered source (after a restore, a bulk load "
        "that skipped save(), or an engine change). Searches keep working meanwhile: the "
        "rebuild is one transaction."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "kinds", nargs="*", help="Only these kinds, e.g. 'layanan' (default: all)."
        )

    def handle(self, *args, **options) -> None:
        known = set(registry.search_index_sources)
        unknown = [kind for kind in options["kinds"] if kind not in known]
        if unknown:
            self.stderr.write(
                f"Jenis tidak dikenal: {', '.join(unknown)}. Yang ada: {', '.join(sorted(known))}"
            )
            raise SystemExit(2)
        counts = search_index.rebuild(options["kinds"] or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} dokumen")

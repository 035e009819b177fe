"""What every benchmark module shares: the Row it reports and a Django set up on a
throw-away SQLite installation (a temporary var dir, migrated), so a benchmark never touches the
developer's demo data and always starts from the same empty schema."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table: `measured` against `baseline`, ratio = measured /
    baseline (lower is better when both are times)."""

    name: str
    measured: float
    baseline: float
    unit: str
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline if self.baseline else float("inf")


def setup_django() -> Path:
    """Configure Django against a fresh temporary var dir and migrate it; returns the dir."""
    var_dir = Path(tempfile.mkdtemp(prefix="satupintu-bench-"))
    # Never the configured servers: a benchmark writes thousands of rows. A throw-away server
    # database may be named explicitly (SATUPINTU_BENCH_DATABASE_URL, e.g. PostgreSQL).
    bench_database = os.environ.get("SATUPINTU_BENCH_DATABASE_URL", "")
    for name in ("SATUPINTU_DATABASE_URL", "SATUPINTU_DATASTORE_URL", "SATUPINTU_REDIS_URL"):
        os.environ.pop(name, None)
    if bench_database:
        os.environ["SATUPINTU_DATABASE_URL"] = bench_database
    os.environ["SATUPINTU_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    # Benchmarks measure the code as production runs it: no DEBUG query logging.
    os.environ.setdefault("SATUPINTU_DEBUG", "0")
    sys.path.insert(0, str(PROJECT_DIR / "src"))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return var_dir

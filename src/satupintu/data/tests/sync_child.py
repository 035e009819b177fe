"""Run in a subprocess by test_kill_mid_sync.py: a real sync against SQLite files, killed with
SIGKILL at a chosen point. Not collected by pytest (no test_ prefix)."""

from __future__ import annotations

import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from satupintu.core.models import Organisation  # noqa: E402
from satupintu.data import datastore  # noqa: E402
from satupintu.data.models import Dataset, Resource, Source  # noqa: E402
from satupintu.data.sync import run_sync  # noqa: E402


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(command: str, csv_path: str, kill_point: str = "") -> None:
    with open(csv_path, "rb") as handle:
        content = handle.read()
    if command == "setup":
        call_command("migrate", verbosity=0)
        org = Organisation.objects.create(
            code="disdukcapil", name="Dinas Kependudukan", short_name="Disdukcapil", kind="dinas"
        )
        dataset = Dataset.objects.create(
            organisation=org,
            slug="penduduk",
            title="Penduduk",
            description="Jumlah penduduk per desa.",
        )
        source = Source(organisation=org, name="CSV", kind=Source.Kind.CSV)
        source.file.save("penduduk.csv", ContentFile(content), save=False)
        source.save()
        resource = Resource.objects.create(
            dataset=dataset, name="Penduduk", source=source, key_columns=["kode_desa"]
        )
    else:
        resource = Resource.objects.get()
        with open(resource.source.file.path, "wb") as handle:
            handle.write(content)
    if kill_point == "during_load":
        original_add = datastore.StagingLoad.add
        calls = []

        def add_then_die(self, rows):
            original_add(self, rows)
            calls.append(1)
            if len(calls) == 3:
                die()

        datastore.StagingLoad.add = add_then_die
    elif kill_point == "before_commit":
        original_write = datastore._write_state

        def write_then_die(*args, **kwargs):
            original_write(*args, **kwargs)
            die()  # inside the swap transaction, before COMMIT

        datastore._write_state = write_then_die
    run = run_sync(resource, batch_size=500)
    print(run.status, run.counts, run.error, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])

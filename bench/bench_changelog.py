"""The cost of the change log: saving an `Audited` model (Organisation) with the change log on,
against the very same model with the change-log machinery switched off (no snapshot on load, no
post_save/post_delete receivers), which is what the model would be without the mixin.

Each save runs in its own transaction, as a form view does; N = 2,000 per run, best of 3.
"""

from __future__ import annotations

import itertools
import time
from contextlib import contextmanager

from harness import Row

N = 2000
REPEATS = 3
_batch = itertools.count()


@contextmanager
def change_log_disabled():
    from django.db import models
    from django.db.models.signals import post_delete, post_save

    from satupintu.core import signals
    from satupintu.core.models import Organisation

    post_save.disconnect(signals.log_save)
    post_delete.disconnect(signals.log_delete)
    # Audited.from_db takes the "before" snapshot of every loaded row; the plain model does not.
    Organisation.from_db = classmethod(models.Model.from_db.__func__)
    try:
        yield
    finally:
        del Organisation.from_db
        post_save.connect(signals.log_save)
        post_delete.connect(signals.log_delete)


def create_organisations() -> list[int]:
    from django.db import transaction

    from satupintu.core.models import Organisation

    batch = next(_batch)
    ids = []
    for number in range(N):
        with transaction.atomic():
            organisation = Organisation.objects.create(
                code=f"bench-{batch}-{number}",
                name=f"UPTD Puskesmas Pembantu {number} Kecamatan Lengkiti",
                short_name=f"Pustu {number}",
                kind="kantor",
                phone="(0735) 320 001",
                address="Jl. Dr. Moh. Hatta, Baturaja",
            )
        ids.append(organisation.pk)
    return ids


def update_organisations(ids: list[int]) -> None:
    from django.db import transaction

    from satupintu.core.models import Organisation

    for pk in ids:
        with transaction.atomic():
            organisation = Organisation.objects.get(pk=pk)
            organisation.phone = f"(0735) 32{pk % 10000:04d}"
            organisation.save()


def measure(batches: list[list[int]]) -> tuple[float, float]:
    """Seconds to create N organisations, then to load and update each of them once."""
    start = time.perf_counter()
    batches.append(create_organisations())
    created = time.perf_counter()
    update_organisations(batches[-1])
    return created - start, time.perf_counter() - created


def run() -> list[Row]:
    from satupintu.core.models import ChangeLogEntry

    created_with, updated_with, created_without, updated_without = [], [], [], []
    entries_before = ChangeLogEntry.objects.count()
    batches: list[list[int]] = []
    # Interleaved, so a slow moment of the machine hits both sides alike; the fastest run of
    # each side is the one least disturbed by the rest of the machine (CI shares two cores).
    for _ in range(REPEATS):
        create_time, update_time = measure(batches)
        created_with.append(create_time)
        updated_with.append(update_time)
        with change_log_disabled():
            create_time, update_time = measure(batches)
        created_without.append(create_time)
        updated_without.append(update_time)
    # The switch really switched: 2 entries per organisation with the log on, none with it off.
    logged = ChangeLogEntry.objects.count() - entries_before
    assert logged == 2 * N * REPEATS, logged

    per_save = 1_000_000 / N  # seconds for N → microseconds per save
    note = f"N={N}, best of {REPEATS}, SQLite"
    return [
        Row(
            "change log: create Organisation",
            min(created_with) * per_save,
            min(created_without) * per_save,
            "µs/save",
            note,
        ),
        Row(
            "change log: load + update Organisation",
            min(updated_with) * per_save,
            min(updated_without) * per_save,
            "µs/save",
            note,
        ),
    ]

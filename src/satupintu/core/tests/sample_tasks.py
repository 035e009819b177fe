"""Module-level tasks for the task-queue tests. They live in an importable module because the
worker (a separate process in the end-to-end test) imports tasks by their path."""

from __future__ import annotations

from pathlib import Path

from django.tasks import task

from satupintu.core.taskqueue import retry


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def explode(message: str) -> None:
    raise ValueError(message)


@task
@retry(retries=2, delay=0.2, backoff=1.0)
def flaky(counter_file: str, failures: int) -> int:
    """Fails the first `failures` attempts (counted in a file, so the count survives across
    attempts and processes), then returns the number of attempts made."""
    counter = Path(counter_file)
    attempts = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(attempts))
    if attempts <= failures:
        raise ConnectionError(f"Server OPD belum menjawab (percobaan {attempts})")
    return attempts


@task(takes_context=True)
def which_attempt(context) -> int:
    return context.attempt


@task
async def double_async(value: int) -> int:
    return value * 2


@task
def tally_complaints() -> str:
    """A periodic job without arguments."""
    return "rekap pengaduan harian selesai"


@task
def needs_an_argument(region_code: str) -> str:
    return region_code


def _plain_function(value: int) -> int:
    return value


# A Task bound to a name that is not the function's own: the worker could not import it.
renamed = task(_plain_function)

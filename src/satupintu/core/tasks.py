"""Core's background tasks: personal-data key rotation with a progress bar, and the queue's
own housekeeping. Every task here is idempotent: running it twice leaves the same state."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils.translation import gettext as _

from . import crypto
from .models import Run
from .taskqueue import crontab, get_huey, huey_config, periodic, purge_results

ROTATION_KIND = "core.rotate_personal_data_keys"


def start_key_rotation(user=None, *, batch_size: int = 500) -> Run:
    """Create the Run and queue the rotation; the caller shows `run.get_absolute_url()`.

    The run belongs to no organisation (it touches every OPD's personal data), so only
    platform admins see it."""
    run = Run.objects.create(
        kind=ROTATION_KIND,
        title=_("Rotasi kunci enkripsi data pribadi"),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    result = rotate_personal_data_keys.enqueue(run.pk, batch_size=batch_size)
    Run.objects.filter(pk=run.pk).update(task_id=result.id)
    run.refresh_from_db()
    return run


@task
def rotate_personal_data_keys(run_id: int, batch_size: int = 500) -> dict:
    """Re-encrypt every personal-data column under the first key and recompute the lookup
    hashes (core.crypto.rotate_personal_data), reporting progress on the Run.

    Each model is rotated in its own transaction, so the bar moves when a model is done; a
    value no key decrypts stops the run with that model unchanged. Running it again is safe:
    values already under the first key are left alone."""
    run = Run.objects.get(pk=run_id)
    if run.is_finished:
        return dict(run.counts)
    columns = list(crypto.encrypted_columns())
    total = sum(model._base_manager.count() for model, _fields in columns)
    progress: dict[str, int] = {}

    def on_batch(label: str, rows_done: int) -> None:
        if label not in progress:
            run.log(_("Memproses %(model)s …") % {"model": label})
        run.advance(rows_done - progress.get(label, 0))
        progress[label] = rows_done

    with run.tracking(total=total):
        run.log(_("%(n)d tabel dengan data pribadi terenkripsi.") % {"n": len(columns)})
        try:
            counts = crypto.rotate_personal_data(batch_size=batch_size, on_batch=on_batch)
        except crypto.DecryptionError as exc:
            run.log(str(exc))
            raise
        summary = {
            "nilai": sum(c.rows for c in counts),
            "dienkripsi_ulang": sum(c.reencrypted for c in counts),
            "hash_diperbarui": sum(c.hashes_updated for c in counts),
        }
        run.count(**summary)
        run.log(
            _("Selesai: %(reenc)d nilai dienkripsi ulang, %(hashes)d hash diperbarui.")
            % {"reenc": summary["dienkripsi_ulang"], "hashes": summary["hash_diperbarui"]}
        )
    return summary


@periodic(crontab(minute="15", hour="3"))
@task
def purge_task_results() -> int:
    """Remove finished task results older than HUEY["result_ttl_days"] (daily, 03:15).
    Redis expires them by itself; the SQLite queue needs this."""
    days = huey_config()["result_ttl_days"]
    return purge_results(get_huey(), timedelta(days=days))


@periodic(crontab(minute="40", hour="2"))
@task
def refresh_search_popularity() -> int:
    """Copy each search index source's recent use (views, launches) onto its documents, so
    ranking follows what people use (daily, 02:40); returns the documents changed."""
    from . import search_index

    return search_index.refresh_popularity()

"""Saving or deleting a synonym group changes how every row is normalised: re-index them."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Application, PublicService, SearchSynonym


def reindex() -> None:
    groups = SearchSynonym.groups()
    for model in (Application, PublicService):
        changed = []
        for row in model.objects.all():
            before = row.search_text
            row.refresh_search_text(groups)
            if row.search_text != before:
                changed.append(row)
        # bulk_update skips save(): the change log is for people's edits, not for an index.
        model.objects.bulk_update(changed, ["search_text"], batch_size=500)


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def synonyms_changed(sender, **kwargs) -> None:
    reindex()

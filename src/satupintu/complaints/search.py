"""Public reports in the shared search index (core.search_index), kind "pengaduan".

Only what the public report page shows goes in: the title and description as masked for
publication (`public_description`; titles are masked when the report is saved), the tracking
number, the status, the category, the handling OPD and the village or district. Never the
original text, the typed address, the reporter or their contact. A private report, or one merged
into another (its page redirects to the original), has no document: saving it removes any it
had.

The document follows the report through `post_save`, after the transaction commits: a failing index
write never costs a citizen their report, and on SQLite and MariaDB the month's tracking-number row
is locked until the commit (references.py), so indexing inside the transaction would hold every
other submission back. Saves that only touch fields the document does not carry (assignee,
deadlines, escalation, rating) skip the index. A new report that arrives with its category, OPD and
region loaded (submit_report builds it so) is indexed from the saved instance itself: the re-read
would fetch back what was just written and cost a third of an Open311 create. A later save in the
same transaction queues its own refresh, which re-reads, so the last state wins."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.translation import gettext_lazy

from satupintu.core import search_index
from satupintu.core.registry import SearchIndexSource, registry

from .models import Report

KIND = "pengaduan"
# A save that changes one of these may change the document or whether there is one.
INDEXED_FIELDS = frozenset(
    {
        "title",
        "public_description",
        "status",
        "is_public",
        "duplicate_of",
        "category",
        "organisation",
        "region",
    }
)


def is_searchable(report: Report) -> bool:
    return report.is_public and report.duplicate_of_id is None


def report_document(report: Report) -> search_index.Document:
    from .public_lists import public_place, public_url

    # In the site's language, whatever language the request that changed the report used.
    with translation.override(settings.LANGUAGE_CODE):
        status_label = str(report.get_status_display())
    body = " ".join(
        part
        # The text first: snippets are taken from the body and read best from it.
        for part in (
            report.public_description,
            report.reference,
            status_label,
            report.category.name,
            report.organisation.name,
            public_place(report),
        )
        if part
    )
    return search_index.Document(
        kind=KIND,
        key=str(report.pk),
        title=report.title,
        url=public_url(report),
        body=body,
        organisation_id=report.organisation_id,
    )


def report_documents():
    rows = Report.objects.public().select_related("category", "organisation", "region")
    for report in rows.iterator(chunk_size=1000):
        yield report_document(report)


def refresh(report_id: int) -> None:
    """Write or remove the document of this report as it is in the database now."""
    report = (
        Report.objects.select_related("category", "organisation", "region")
        .filter(pk=report_id)
        .first()
    )
    searchable = report is not None and is_searchable(report)
    write(report_document(report) if searchable else None, report_id)


# The relations a document reads, by their model field names.
DOCUMENT_RELATIONS = ("category", "organisation", "region")


def _relations_loaded(report: Report) -> bool:
    """Whether the document can be built from `report` without a query: every relation it
    names is cached on the instance, is the row its id points at, and has its name loaded."""
    for name in DOCUMENT_RELATIONS:
        field = Report._meta.get_field(name)
        related_id = getattr(report, field.attname)
        if related_id is None:
            continue
        if not field.is_cached(report):
            return False
        related = field.get_cached_value(report)
        if related is None or related.pk != related_id or "name" in related.get_deferred_fields():
            return False
    return True


def write(document: search_index.Document | None, report_id: int) -> None:
    if document is None:
        search_index.remove(KIND, [report_id])
    else:
        search_index.index([document])


def _saved(
    sender, instance: Report, created=False, raw=False, update_fields=None, **kwargs
) -> None:
    if raw:  # loaddata: rebuild_search_index indexes fixtures
        return
    if update_fields is not None and not INDEXED_FIELDS & set(update_fields):
        return
    report_id = instance.pk
    if created and _relations_loaded(instance):
        # Built now, from the values just inserted (the instance may change before the commit).
        document = report_document(instance) if is_searchable(instance) else None
        transaction.on_commit(lambda: write(document, report_id))
    else:
        transaction.on_commit(lambda: refresh(report_id))


def _deleted(sender, instance: Report, **kwargs) -> None:
    search_index.remove(KIND, [instance.pk])


def register() -> None:
    registry.add_search_index_source(
        SearchIndexSource(KIND, gettext_lazy("Pengaduan"), report_documents, order=20)
    )
    post_save.connect(_saved, sender=Report, dispatch_uid="search-index-save-Report")
    post_delete.connect(_deleted, sender=Report, dispatch_uid="search-index-delete-Report")

"""The catalogue in the shared search index (core.search_index): one document per public
service ("layanan") and per application ("aplikasi"), written when a row is saved and removed
when it is deleted, plus the catalogue's own list pages' `find()` over the same index.

Visibility follows the row's publication status (core.scoping's rules are applied by the
index for the portal's /cari/, and by the caller's queryset for `find()`). Popularity is the
last 30 days' service-page views or launches, refreshed daily and on every save.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy

from satupintu.core import search_index
from satupintu.core.registry import SearchIndexSource, registry

from .models import Application, LifeEvent, PublicService

POPULAR_DAYS = 30
SERVICE_KIND = "layanan"
APP_KIND = "aplikasi"


def _since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=POPULAR_DAYS)


def service_popularity(ids: list[int] | None = None) -> dict[str, float]:
    rows = PublicService.objects.filter(daily_views__day__gte=timezone.localdate(_since()))
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return {
        str(pk): float(n)
        for pk, n in rows.annotate(n=Sum("daily_views__views")).values_list("pk", "n")
    }


def app_popularity(ids: list[int] | None = None) -> dict[str, float]:
    rows = Application.objects.filter(launches__launched_at__gte=_since())
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    counts = rows.annotate(n=Count("launches")).values_list("pk", "n")
    return {str(pk): float(n) for pk, n in counts}


def _visibility(row) -> str:
    return search_index.visibility_for_status(
        row.status, type(row).PUBLIC_STATUSES, type(row).REVIEWABLE_STATUSES
    )


def _sentences(*parts: str) -> str:
    return ". ".join(part.strip().rstrip(".") for part in parts if part and part.strip())


def service_document(service: PublicService, popularity: float = 0.0) -> search_index.Document:
    organisation = service.organisation
    # Separators keep a snippet readable: the requirements are lines, and the ranking ignores
    # punctuation.
    body = _sentences(
        service.description,
        "; ".join(service.requirement_list()),
        ", ".join(service.life_event_labels()),
        organisation.name,
        organisation.short_name,
    )
    return search_index.Document(
        kind=SERVICE_KIND,
        key=str(service.pk),
        title=service.name,
        url=service.get_absolute_url(),
        body=body,
        organisation_id=service.organisation_id,
        life_events=tuple(service.life_event_list()),
        popularity=popularity,
        visibility=_visibility(service),
    )


def app_document(app: Application, popularity: float = 0.0) -> search_index.Document:
    organisation = app.organisation
    body = _sentences(app.description, app.category, organisation.name, organisation.short_name)
    return search_index.Document(
        kind=APP_KIND,
        key=str(app.pk),
        title=app.name,
        url=app.get_absolute_url(),
        body=body,
        organisation_id=app.organisation_id,
        popularity=popularity,
        visibility=_visibility(app),
    )


def service_documents():
    popularity = service_popularity()
    for service in PublicService.objects.select_related("organisation").iterator(chunk_size=1000):
        yield service_document(service, popularity.get(str(service.pk), 0.0))


def app_documents():
    popularity = app_popularity()
    for app in Application.objects.select_related("organisation").iterator(chunk_size=1000):
        yield app_document(app, popularity.get(str(app.pk), 0.0))


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's rows are indexed by rebuild_search_index
        return
    if sender is PublicService:
        number = service_popularity([instance.pk]).get(str(instance.pk), 0.0)
        search_index.index([service_document(instance, number)])
    else:
        number = app_popularity([instance.pk]).get(str(instance.pk), 0.0)
        search_index.index([app_document(instance, number)])


def _deleted(sender, instance, **kwargs) -> None:
    search_index.remove(SERVICE_KIND if sender is PublicService else APP_KIND, [instance.pk])


def find(queryset: QuerySet, query: str, limit: int | None = None) -> list:
    """Rows of `queryset` (already scoped to the user and filtered) matching `query`, best
    first, through the search index."""
    kind = SERVICE_KIND if queryset.model is PublicService else APP_KIND
    keys = search_index.Search(query, all_visible=True).keys(kind)
    ids = [int(key) for key in keys]
    if not ids:
        return []
    loaded = queryset.in_bulk(ids)
    rows = [loaded[pk] for pk in ids if pk in loaded]
    return rows if limit is None else rows[:limit]


def popular_services(user, limit: int) -> list[PublicService]:
    """The most viewed services of the last 30 days (ties and unseen ones by name), with only
    what the home page's list shows: name, slug (the link) and the OPD's short name. Every
    visitor's home page asks for it, and a full row also carries its audit snapshot."""
    since = timezone.localdate(_since())
    return list(
        PublicService.objects.for_user(user)
        .annotate(recent=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
        .order_by(F("recent").desc(nulls_last=True), "name")
        .select_related("organisation")
        .only("name", "slug", "organisation__short_name")[:limit]
    )


def register() -> None:
    registry.add_search_index_source(
        SearchIndexSource(
            SERVICE_KIND,
            gettext_lazy("Layanan"),
            service_documents,
            popularity=service_popularity,
            order=5,
            life_events=LifeEvent.choices,
        )
    )
    registry.add_search_index_source(
        SearchIndexSource(
            APP_KIND, gettext_lazy("Aplikasi"), app_documents, popularity=app_popularity, order=6
        )
    )
    for model in (PublicService, Application):
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-save-{model.__name__}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"search-index-delete-{model.__name__}"
        )

"""Satu Data's JSON API under /api/v1/data/ (conventions: docs/api.md).

What a caller may read is exactly what the web pages show them, through
`Dataset.objects.visible_to()`: anonymous callers get published public datasets; staff also
see their own OPD's drafts, the walidata the datasets submitted for verification. Rows come
from the datastore table with only the columns the reader may see (personal-data columns stay
hidden unless declassified). A bad filter or sort column is a 400, never an empty page.
The CKAN Action API (`/api/3/action/…`) stays beside it for CKAN clients.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from satupintu.core.api import MAX_PAGE_SIZE, ApiError, OAuthBearer, paginate
from satupintu.core.models import Organisation

from . import datastore, datastore_read
from .models import Dataset, Resource, Variable

router = Router(tags=["satu data"])

MAX_QUERY_CHARS = 200
ERRORS = {400: ApiError, 401: ApiError, 404: ApiError}


class OptionalCaller:
    """Anonymous callers pass; a bearer token that is sent must be valid (401 otherwise)."""

    def __init__(self):
        self.bearer = OAuthBearer()

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return self.bearer(request)
        return request.user if request.user.is_authenticated else True


READ = {"auth": OptionalCaller()}


class OrganisationRef(Schema):
    code: str
    name: str


class TopicRef(Schema):
    slug: str
    name: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    organisation: OrganisationRef
    topic: TopicRef | None
    tags: list[str]
    licence: str
    licence_url: str
    frequency: str
    classification: str
    status: str
    version: int
    temporal_start: datetime.date | None
    temporal_end: datetime.date | None
    data_updated_at: datetime.datetime | None
    published_at: datetime.datetime | None
    quality_score: int | None
    url: str


class VariableOut(Schema):
    name: str
    label: str
    definition: str
    type: str
    unit: str
    required: bool
    min_value: Decimal | None
    max_value: Decimal | None
    allowed_values: list
    reference: str
    is_filter: bool


class ResourceOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    format: str
    row_count: int
    last_synced_at: datetime.datetime | None
    url: str
    rows_url: str | None
    downloads: dict[str, str]
    variables: list[VariableOut]


class DatasetDetailOut(DatasetOut):
    contact_name: str
    regions: list[str]
    resources: list[ResourceOut]


class DatasetPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DatasetOut]


class RowPage(Schema):
    count: int
    page: int
    page_size: int
    fields: list[dict]
    results: list[dict]


class DatasetFilters(Schema):
    opd: str = ""
    topic: str = ""
    tag: str = ""
    year: int | None = Query(None, ge=1900, le=2100)
    q: str = Query("", max_length=MAX_QUERY_CHARS)
    page: int = 1
    page_size: int = 20


class RowFilters(Schema):
    q: str = Query("", max_length=MAX_QUERY_CHARS)
    # column:value, repeatable (several values of one column mean "any of").
    filter: list[str] = Query([])
    # a column name, "-" in front for descending
    sort: str = ""
    page: int = 1
    page_size: int = 20


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message}])


def _visible(request) -> QuerySet:
    return (
        Dataset.objects.visible_to(request.user)
        .select_related("organisation", "topic")
        .prefetch_related("tags")
    )


def _dataset_dict(dataset: Dataset) -> dict:
    return {
        "slug": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "organisation": {"code": dataset.organisation.code, "name": dataset.organisation.name},
        "topic": (
            {"slug": dataset.topic.slug, "name": dataset.topic.name} if dataset.topic else None
        ),
        "tags": sorted(t.name for t in dataset.tags.all()),
        "licence": dataset.licence,
        "licence_url": dataset.licence_url,
        "frequency": dataset.frequency,
        "classification": dataset.classification,
        "status": dataset.status,
        "version": dataset.version,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "data_updated_at": dataset.data_updated_at,
        "published_at": dataset.published_at,
        "quality_score": dataset.quality_score,
        "url": dataset.get_absolute_url(),
    }


def _resource_dict(resource: Resource) -> dict:
    has_rows = resource.kind == Resource.Kind.DATASTORE and resource.has_table
    published = resource.dataset.status == Dataset.Status.PUBLISHED
    return {
        "id": resource.pk,
        "name": resource.name,
        "description": resource.description,
        "kind": resource.kind,
        "format": resource.format,
        "row_count": resource.row_count,
        "last_synced_at": resource.last_synced_at,
        "url": resource.get_absolute_url(),
        "rows_url": f"/api/v1/data/resources/{resource.pk}/rows" if has_rows else None,
        # Table downloads are listed for published open data only; an uploaded file is listed
        # under its format, and its view checks the caller like the dataset page does.
        "downloads": (
            {fmt: f"/data/unduh/{resource.pk}.{fmt}" for fmt in ("csv", "json", "xlsx")}
            if has_rows and published
            else {(resource.format or "berkas").lower(): resource.file_url()}
            if resource.file
            else {}
        ),
        "variables": [
            {
                "name": v.name,
                "label": v.label,
                "definition": v.definition,
                "type": v.type,
                "unit": v.unit,
                "required": v.required,
                "min_value": v.min_value,
                "max_value": v.max_value,
                "allowed_values": v.allowed_values or [],
                "reference": v.reference,
                "is_filter": v.is_filter,
            }
            for v in resource.public_variables()
        ],
    }


@router.get("/datasets", response={200: DatasetPage, **ERRORS}, **READ)
def list_datasets(request, filters: Query[DatasetFilters]):
    """Datasets the caller may see, newest publication first."""
    qs = _visible(request)
    if filters.opd:
        if not Organisation.objects.filter(code=filters.opd).exists():
            raise _bad("opd", "Kode perangkat daerah tidak dikenal.")
        qs = qs.filter(organisation__code=filters.opd)
    if filters.topic:
        qs = qs.filter(topic__slug=filters.topic)
    if filters.tag:
        qs = qs.filter(tags__name__iexact=filters.tag)
    if filters.year is not None:
        year = filters.year
        qs = qs.filter(
            Q(temporal_start__year__lte=year, temporal_end__year__gte=year)
            | Q(temporal_start__year=year)
            | Q(temporal_end__year=year)
        )
    query = " ".join(filters.q.split())
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(tags__name__iexact=query)
        )
    qs = qs.distinct().order_by("-published_at", "title")
    page = paginate(qs, filters.page, filters.page_size)
    page["results"] = [_dataset_dict(d) for d in page["results"]]
    return page


@router.get("/datasets/{slug}", response={200: DatasetDetailOut, **ERRORS}, **READ)
def dataset_detail(request, slug: str):
    """One dataset with its resources and their data dictionaries."""
    dataset = _visible(request).filter(slug=slug).prefetch_related("regions").first()
    if dataset is None:
        raise Http404("Dataset tidak ditemukan.")
    resources = dataset.resources.order_by("position", "pk").prefetch_related("variables")
    return {
        **_dataset_dict(dataset),
        "contact_name": dataset.contact_name,
        "regions": sorted(r.code for r in dataset.regions.all()),
        "resources": [_resource_dict(r) for r in resources],
    }


def _rows_resource(request, pk: int) -> Resource:
    resource = (
        Resource.objects.filter(pk=pk, dataset__in=_visible(request))
        .select_related("dataset")
        .first()
    )
    if resource is None or resource.kind != Resource.Kind.DATASTORE or not resource.has_table:
        raise Http404("Tabel sumber daya tidak ditemukan.")
    return resource


def _filters(raw: list[str], columns: dict[str, datastore.Column]) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name:
            raise _bad("filter", "Tulis penyaring sebagai kolom:nilai.")
        if name not in columns:
            raise _bad("filter", f"Kolom tidak dikenal: {name}")
        chosen.setdefault(name, []).append(value)
    return chosen


def _record(names: list[str], record: dict) -> dict:
    out = {}
    for name in names:
        value = record[name]
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        out[name] = value
    return out


@router.get("/resources/{pk}/rows", response={200: RowPage, **ERRORS}, **READ)
def resource_rows(request, pk: int, params: Query[RowFilters]):
    """Rows of a resource's datastore table: `filter=kolom:nilai` (repeatable), `q` (text
    columns), `sort=kolom` or `sort=-kolom`, paginated like every list."""
    resource = _rows_resource(request, pk)
    variables: list[Variable] = resource.public_variables()
    columns = {v.name: datastore.Column(v.name, v.type, v.is_filter) for v in variables}
    filters = _filters(params.filter, columns)
    sort = []
    if params.sort:
        name = params.sort.removeprefix("-")
        if name not in columns and name != "_id":
            raise _bad("sort", f"Kolom urutan tidak dikenal: {name}")
        sort.append((name, params.sort.startswith("-")))
    page = max(params.page, 1)
    page_size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    try:
        result = datastore_read.search(
            resource.pk,
            list(columns.values()),
            filters=filters,
            q=" ".join(params.q.split()),
            sort=sort,
            limit=page_size,
            offset=(page - 1) * page_size,
        )
    except datastore.DatastoreError as exc:
        raise _bad("filter", str(exc)) from exc
    if page > 1 and not result.records:
        raise Http404("Halaman di luar jangkauan.")
    names = ["_id", *columns]
    return {
        "count": result.total,
        "page": page,
        "page_size": page_size,
        "fields": [{"name": "_id", "type": "integer", "label": ""}]
        + [{"name": v.name, "type": v.type, "label": v.label} for v in variables],
        "results": [_record(names, r) for r in result.records],
    }

"""CKAN Action API v3 (`/api/3/action/<name>`), read-only, so that CKAN clients (ckanapi,
harvesters, the national Satu Data portal) work unchanged. GET query string or POST JSON;
CKAN's envelopes: {"help", "success": true, "result"} and on errors
{"success": false, "error": {"__type", "message"}} with CKAN's status codes."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from satupintu.core.models import Organisation

from . import datastore, datastore_read
from .ckan_dicts import group_dict, organization_dict, package_dict, resource_dict, site_url
from .models import Dataset, Resource, Tag, Topic

MAX_ROWS = 1000
MAX_DATASTORE_LIMIT = 32000
SORTS = {
    "metadata_modified": "updated_at",
    "metadata_created": "created_at",
    "title_string": "title",
    "title": "title",
    "name": "slug",
    "score": "-updated_at",
}


class ActionError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message, *, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ActionError):
    status, type = 404, "Not Found Error"


class Invalid(ActionError):
    status, type = 409, "Validation Error"


class Forbidden(ActionError):
    status, type = 403, "Authorization Error"


def _help(request, name: str) -> str:
    return f"{site_url(request)}/api/3/action/help_show?name={name}"


def _params(request) -> dict:
    if request.method == "POST":
        if not request.body:
            return {}
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ActionError("Bad request - JSON Error: badan permintaan bukan JSON") from exc
        if not isinstance(data, dict):
            raise ActionError("Bad request - JSON Error: harus berupa objek JSON")
        return data
    params = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    return params


def _int(params: dict, name: str, default: int, maximum: int | None = None) -> int:
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(
            f"{name}: Nilai harus bilangan bulat", fields={name: ["Invalid integer"]}
        ) from exc
    if number < 0:
        raise Invalid(f"{name}: Nilai tidak boleh negatif", fields={name: ["Must be >= 0"]})
    return min(number, maximum) if maximum is not None else number


def _json_param(params: dict, name: str, default):
    value = params.get(name, default)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise Invalid(f"{name}: bukan JSON yang sah", fields={name: ["Invalid JSON"]}) from exc
    return value


def _required(params: dict, name: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise Invalid(f"Missing value: {name}", fields={name: ["Missing value"]})
    return str(value)


# --- actions -------------------------------------------------------------------------------


def _datasets(request):
    return (
        Dataset.objects.visible_to(request.user)
        .filter(status=Dataset.Status.PUBLISHED)
        .select_related("organisation", "topic")
        .prefetch_related("tags", "resources", "regions")
    )


def _get_dataset(request, id_or_name: str) -> Dataset:
    lookup = Q(slug=id_or_name) | (Q(pk=int(id_or_name)) if id_or_name.isdigit() else Q())
    dataset = _datasets(request).filter(lookup).first()
    if dataset is None:
        raise NotFound("Not found")
    return dataset


def status_show(request, params):
    return {
        "site_title": settings.INSTALLATION["name"],
        "site_description": f"Portal Satu Data {settings.INSTALLATION['regency_name']}",
        "site_url": site_url(request),
        "ckan_version": "2.10.0",
        "api_version": 3,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
    }


def package_list(request, params):
    limit = _int(params, "limit", MAX_ROWS, MAX_ROWS)
    offset = _int(params, "offset", 0)
    names = _datasets(request).order_by("slug").values_list("slug", flat=True)
    return list(names[offset : offset + limit])


def package_show(request, params):
    return package_dict(_get_dataset(request, _required(params, "id")), request)


FQ_FIELDS = {
    "organization": "organisation__code",
    "groups": "topic__slug",
    "name": "slug",
    "license_id": "licence",
}


def _with_tag(name: str) -> Q:
    """Datasets tagged `name` (case-insensitive), as a subquery: a join on the tags would repeat
    a dataset per tag and force DISTINCT on every count, facet and page."""
    through = Dataset.tags.through.objects.filter(tag__name__iexact=name)
    return Q(pk__in=through.values("dataset_id"))


def _with_format(name: str) -> Q:
    """Datasets with a resource in format `name`, as a subquery (see _with_tag)."""
    return Q(pk__in=Resource.objects.filter(format__iexact=name).values("dataset_id"))


def _apply_fq(qs, fq: str):
    for negate, field, value in re.findall(r'([+-]?)(\w+):("[^"]*"|\S+)', fq or ""):
        value = value.strip('"')
        if field == "year":
            lookup = (
                Q(temporal_start__year__lte=value, temporal_end__year__gte=value)
                | Q(temporal_end__year=value)
                | Q(temporal_start__year=value)
            )
        elif field == "tags":
            lookup = _with_tag(value)
        elif field == "res_format":
            lookup = _with_format(value)
        elif field in FQ_FIELDS:
            lookup = Q(**{FQ_FIELDS[field]: value})
        else:
            raise Invalid(f"fq: bidang tidak dikenal {field!r}", fields={"fq": ["Unknown field"]})
        qs = qs.exclude(lookup) if negate == "-" else qs.filter(lookup)
    return qs


def _sort(value: str) -> list[str]:
    order = []
    for part in (value or "score desc, metadata_modified desc").split(","):
        bits = part.split()
        if not bits:
            continue
        if bits[0] not in SORTS:
            raise Invalid(
                f"sort: tidak dapat mengurutkan menurut {bits[0]!r}",
                fields={"sort": ["Invalid sort"]},
            )
        field = SORTS[bits[0]]
        descending = len(bits) > 1 and bits[1].lower() == "desc"
        if field.startswith("-"):
            order.append(field)
        else:
            order.append(f"-{field}" if descending else field)
    return [*order, "pk"]


FACETS = {
    "organization": ("organisation__code", "organisation__name"),
    "groups": ("topic__slug", "topic__name"),
    "tags": ("tags__name", "tags__name"),
    "res_format": ("resources__format", "resources__format"),
    "license_id": ("licence", "licence"),
}
# Facets on the dataset's own row (a foreign key or a column): one value per dataset, so they
# are all counted by one grouped query that also gives the total.
ROW_FACETS = ("organization", "groups", "license_id")


def _facet_counts(qs, names: list[str], limit: int) -> tuple[dict[str, list[tuple]], int | None]:
    """{facet: [(value, label, count)] by count desc, value} and the total number of matching
    datasets when a row facet was asked (else None). The row facets share one GROUP BY over the
    matching datasets, summed per facet here; tags and formats (many per dataset) get one query
    each."""
    counted: dict[str, list[tuple]] = {}
    total = None
    row_names = [n for n in names if n in ROW_FACETS]
    if row_names:
        keys = list(dict.fromkeys(k for n in row_names for k in FACETS[n]))
        sums: dict[str, Counter] = {n: Counter() for n in row_names}
        total = 0
        for group in qs.order_by().values(*keys).annotate(n=Count("pk")):
            total += group["n"]
            for name in row_names:
                key, label = FACETS[name]
                if group[key] is not None:
                    sums[name][(group[key], group[label])] += group["n"]
        for name in row_names:
            ordered = sorted(sums[name].items(), key=lambda item: (-item[1], item[0][0]))
            counted[name] = [(value, label, n) for (value, label), n in ordered[:limit]]
    for name in names:
        if name in ROW_FACETS:
            continue
        key, label = FACETS[name]
        rows = (
            qs.exclude(**{f"{key}__isnull": True})
            .order_by()
            .values(key, label)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", key)[:limit]
        )
        counted[name] = [(row[key], row[label], row["n"]) for row in rows]
    return counted, total


def package_search(request, params):
    qs = _datasets(request)
    q = str(params.get("q", "") or "").strip()
    if q and q != "*:*":
        for word in q.split():
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | _with_tag(word)
                | Q(organisation__name__icontains=word)
            )
    qs = _apply_fq(qs, str(params.get("fq", "") or ""))
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0)
    facet_fields = _json_param(params, "facet.field", [])
    if not isinstance(facet_fields, list):
        raise Invalid("facet.field harus berupa daftar JSON", fields={"facet.field": ["list"]})
    limit = _int(params, "facet.limit", 50)
    for name in facet_fields:
        if name not in FACETS:
            raise Invalid(
                f"facet.field: bidang tidak dikenal {name!r}",
                fields={"facet.field": ["Unknown field"]},
            )
    counted, total = _facet_counts(qs, list(dict.fromkeys(facet_fields)), limit)
    facets = {name: {value: n for value, _label, n in items} for name, items in counted.items()}
    search_facets = {
        name: {
            "title": name,
            "items": [
                {"name": value, "display_name": label, "count": n} for value, label, n in items
            ],
        }
        for name, items in counted.items()
    }
    if total is None:
        total = qs.count()
    page = qs.order_by(*_sort(str(params.get("sort", "") or "")))[start : start + rows]
    return {
        "count": total,
        "results": [package_dict(d, request) for d in page],
        "facets": facets,
        "search_facets": search_facets,
        "sort": params.get("sort", ""),
    }


def organization_list(request, params):
    counts = Counter(_datasets(request).values_list("organisation_id", flat=True))
    orgs = Organisation.objects.filter(pk__in=counts).order_by("code")
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [organization_dict(o, counts[o.pk]) for o in orgs]
    return [o.code for o in orgs]


def organization_show(request, params):
    key = _required(params, "id")
    org = Organisation.objects.filter(Q(code=key) | (Q(pk=int(key)) if key.isdigit() else Q()))
    org = org.first()
    if org is None:
        raise NotFound("Not found")
    datasets = _datasets(request).filter(organisation=org)
    data = organization_dict(org, datasets.count())
    if str(params.get("include_datasets", "")).lower() in ("true", "1"):
        data["packages"] = [package_dict(d, request) for d in datasets[:MAX_ROWS]]
    return data


def group_list(request, params):
    counts = Counter(_datasets(request).values_list("topic_id", flat=True))
    topics = Topic.objects.order_by("slug")
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [group_dict(t, counts.get(t.pk, 0)) for t in topics]
    return [t.slug for t in topics]


def tag_list(request, params):
    qs = Tag.objects.filter(datasets__in=_datasets(request)).distinct().order_by("name")
    query = str(params.get("query", "") or "")
    if query:
        qs = qs.filter(name__icontains=query)
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [{"id": str(t.pk), "name": t.name, "display_name": t.name} for t in qs]
    return list(qs.values_list("name", flat=True))


def _get_resource(request, resource_id: str) -> Resource:
    if not resource_id.isdigit():
        raise NotFound("Resource was not found.")
    resource = (
        Resource.objects.filter(pk=int(resource_id), dataset__in=_datasets(request))
        .select_related("dataset")
        .first()
    )
    if resource is None:
        raise NotFound("Resource was not found.")
    return resource


def resource_show(request, params):
    return resource_dict(_get_resource(request, _required(params, "id")), request)


def _fields_of(resource: Resource) -> list[datastore.Column]:
    return [datastore.Column(v.name, v.type, v.is_filter) for v in resource.public_variables()]


def datastore_search(request, params):
    resource = _get_resource(request, _required(params, "resource_id"))
    if resource.kind != Resource.Kind.DATASTORE or not resource.has_table:
        raise NotFound(f'Resource "{resource.pk}" was not found.')
    visible_columns = _fields_of(resource)
    columns = visible_columns
    wanted = _json_param(params, "fields", None)
    if isinstance(wanted, str):
        wanted = [f.strip() for f in wanted.split(",") if f.strip()]
    if wanted:
        by_name = {c.name: c for c in columns}
        unknown = [f for f in wanted if f not in by_name and f != "_id"]
        if unknown:
            raise Invalid(
                f"fields: kolom tidak dikenal {', '.join(unknown)}",
                fields={"fields": [f'field "{unknown[0]}" not in resource']},
            )
        columns = [by_name[f] for f in wanted if f in by_name]
    filters = _json_param(params, "filters", {}) or {}
    if not isinstance(filters, dict):
        raise Invalid("filters harus objek JSON", fields={"filters": ["Not a JSON object"]})
    sort = []
    for part in str(params.get("sort", "") or "").split(","):
        bits = part.strip().split()
        if bits:
            sort.append((bits[0].strip('"'), len(bits) > 1 and bits[1].lower() == "desc"))
    limit = _int(params, "limit", 100, MAX_DATASTORE_LIMIT)
    offset = _int(params, "offset", 0)
    visible = {c.name for c in visible_columns}
    hidden = [f for f in list(filters) + [s for s, _d in sort] if f not in visible | {"_id"}]
    if hidden:
        raise Invalid(
            f"Kolom tidak dikenal: {', '.join(hidden)}",
            fields={"filters": [f'field "{hidden[0]}" not in resource']},
        )
    try:
        result = datastore_read.search(
            resource.pk,
            visible_columns,
            filters=filters,
            q=str(params.get("q", "") or ""),
            sort=sort,
            limit=limit,
            offset=offset,
        )
    except datastore.DatastoreError as exc:
        raise Invalid(str(exc)) from exc
    base = reverse("data:ckan_action", args=["datastore_search"])
    return {
        "resource_id": str(resource.pk),
        "include_total": True,
        "total": result.total,
        "limit": limit,
        "offset": offset,
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": c.name, "type": CKAN_TYPES[c.type]} for c in columns],
        "records": [
            _jsonable({k: r[k] for k in ["_id", *(c.name for c in columns)]})
            for r in result.records
        ],
        "_links": {
            "start": f"{base}?resource_id={resource.pk}",
            "next": f"{base}?resource_id={resource.pk}&offset={offset + limit}",
        },
    }


CKAN_TYPES = {
    "text": "text",
    "integer": "int8",
    "decimal": "numeric",
    "date": "date",
    "datetime": "timestamp",
    "boolean": "bool",
}


def _jsonable(record: dict) -> dict:
    from decimal import Decimal

    out = {}
    for key, value in record.items():
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


ACTIONS: dict[str, Callable] = {
    fn.__name__: fn
    for fn in (
        status_show,
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        group_list,
        tag_list,
        resource_show,
        datastore_search,
    )
}


# CKAN's write actions: known to clients, refused here because data enters through the OPD
# workspace and the walidata's verification, never straight through the API.
WRITE_ACTIONS = frozenset(
    {
        "package_create",
        "package_update",
        "package_patch",
        "package_delete",
        "resource_create",
        "resource_update",
        "resource_patch",
        "resource_delete",
        "datastore_create",
        "datastore_upsert",
        "datastore_delete",
        "organization_create",
        "organization_update",
        "organization_delete",
        "group_create",
        "group_update",
        "group_delete",
    }
)


@csrf_exempt
def action(request, name: str) -> JsonResponse:
    """One CKAN action. Writes are not offered: changes go through the walidata workflow."""
    help_url = _help(request, name)
    try:
        if request.method not in ("GET", "POST"):
            raise ActionError("Bad request - hanya GET dan POST")
        if name in WRITE_ACTIONS:
            raise Forbidden(
                f"Access denied: {name} tidak tersedia. Data diterbitkan lewat ruang kerja OPD "
                "dan verifikasi walidata."
            )
        if name not in ACTIONS:
            raise ActionError(f"Bad request - Action name not known: {name}")
        result = ACTIONS[name](request, _params(request))
    except ActionError as exc:
        error = {"__type": exc.type, "message": exc.message, **exc.fields}
        return JsonResponse({"help": help_url, "success": False, "error": error}, status=exc.status)
    return JsonResponse(
        {"help": help_url, "success": True, "result": result},
        json_dumps_params={"ensure_ascii": False},
    )

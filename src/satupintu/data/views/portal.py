"""The open-data portal: dataset list with facets, dataset page (metadata, preview, chart,
map, downloads, API snippets), downloads, Data Package and DCAT. Everything reads through
Dataset.objects.visible_to() and Resource.public_variables()."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satupintu.core import export

from .. import datastore, datastore_read, dcat, geo
from ..datapackage import datapackage
from ..models import Dataset, Resource
from ..tables import OpenDatasetTable

PREVIEW_ROWS = 10
PAGE_ROWS = 50
LATITUDE_NAMES = {"lat", "latitude", "lintang"}
LONGITUDE_NAMES = {"lon", "lng", "long", "longitude", "bujur"}


def visible_datasets(user):
    return Dataset.objects.visible_to(user).select_related("organisation", "topic")


def _facet(qs, key: str, label: str) -> list[dict]:
    rows = (
        qs.exclude(**{f"{key}__isnull": True})
        .exclude(**{key: ""})
        .order_by()
        .values(key, label)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", label)
    )
    return [{"value": r[key], "label": r[label], "count": r["n"]} for r in rows[:30]]


def dataset_list(request):
    qs = visible_datasets(request.user).filter(status=Dataset.Status.PUBLISHED)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(tags__name__iexact=word)
            )
    chosen = {
        name: request.GET.get(name, "") for name in ("opd", "topik", "tag", "format", "tahun")
    }
    filters = {
        "opd": "organisation__code",
        "topik": "topic__slug",
        "tag": "tags__name",
        "format": "resources__format__iexact",
    }
    for name, lookup in filters.items():
        if chosen[name]:
            qs = qs.filter(**{lookup: chosen[name]})
    if chosen["tahun"]:
        if not chosen["tahun"].isdigit():
            return HttpResponseBadRequest(_("Tahun harus berupa angka, misalnya 2025."))
        year = int(chosen["tahun"])
        qs = qs.filter(
            Q(temporal_start__year__lte=year, temporal_end__year__gte=year)
            | Q(temporal_start__year=year)
            | Q(temporal_end__year=year)
        )
    qs = qs.distinct()
    fmt = request.GET.get("export")
    if fmt is not None:
        if fmt not in export.FORMATS:
            return HttpResponseBadRequest(_("Format unduhan tidak dikenal; pilih csv atau xlsx."))
        table = OpenDatasetTable([])
        rows = table.export_rows(qs.order_by("title").iterator(chunk_size=2000))
        return export.export_response(
            fmt, table.export_headers(), rows, basename="katalog-satu-data"
        )
    facets = [
        ("opd", _("Perangkat daerah"), _facet(qs, "organisation__code", "organisation__name")),
        ("topik", _("Topik"), _facet(qs, "topic__slug", "topic__name")),
        ("tag", _("Kata kunci"), _facet(qs, "tags__name", "tags__name")),
        ("format", _("Format"), _facet(qs, "resources__format", "resources__format")),
        (
            "tahun",
            _("Tahun"),
            [
                {"value": y, "label": y, "count": n}
                for y, n in sorted(_years(qs).items(), reverse=True)
            ],
        ),
    ]
    for key, _label, items in facets:
        for item in items:
            params = request.GET.copy()
            params.pop("page", None)
            params[key] = item["value"]
            item["url"] = f"?{params.urlencode()}"
            item["selected"] = str(item["value"]) == chosen[key]
    paginator = Paginator(qs.order_by("-published_at", "title").prefetch_related("tags"), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "data/dataset_list.html",
        {
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "facets": facets,
            "has_facets": any(items for _key, _label, items in facets),
            "chosen": chosen,
            "filtered": sum(1 for value in chosen.values() if value),
            "q": q,
            "total": paginator.count,
        },
    )


def _years(qs) -> dict[int, int]:
    counts: dict[int, int] = {}
    for start, end in qs.values_list("temporal_start", "temporal_end"):
        years = set()
        if start and end:
            years = set(range(start.year, min(end.year, start.year + 30) + 1))
        elif start or end:
            years = {(start or end).year}
        for year in years:
            counts[year] = counts.get(year, 0) + 1
    return counts


def _columns(resource: Resource) -> list[datastore.Column]:
    return [datastore.Column(v.name, v.type, v.is_filter) for v in resource.public_variables()]


def _map_points(resource: Resource, columns) -> dict | None:
    """What the dataset map draws: the rows' own coordinates when the table has latitude and
    longitude columns, else the rows summed per region code at the region's point (sized by the
    first numeric column, or the row count). Regions without a point are listed beside it."""
    names = {c.name for c in columns}
    lat = next((n for n in names if n in LATITUDE_NAMES), None)
    lon = next((n for n in names if n in LONGITUDE_NAMES), None)
    region = next((v for v in resource.public_variables() if v.reference == "region"), None)
    if not (lat and lon) and not region:
        return None
    label = next((c.name for c in columns if c.type == "text"), None)
    if lat and lon:
        wanted = [c for c in columns if c.name in {lat, lon, label}]
        rows = datastore_read.search(resource.pk, wanted, limit=2000).records
        points = [
            {"lat": float(r[lat]), "lon": float(r[lon]), "label": str(r.get(label, ""))}
            for r in rows
            if r.get(lat) is not None and r.get(lon) is not None
        ]
        return {"kind": "points", "points": points}
    from satupintu.core.models import Region

    region_column = datastore.Column(region.name, region.type)
    numeric = next(
        (c for c in columns if c.type in ("integer", "decimal") and c.name != region.name), None
    )
    totals = datastore_read.region_totals(resource.pk, region_column, numeric)
    names_by_code = dict(
        Region.objects.filter(code__in=[t[0] for t in totals]).values_list("code", "name")
    )
    located = geo.region_points()
    placed, unplaced = [], []
    for code, rows, amount in totals:
        entry = {
            "code": code,
            "name": names_by_code.get(code, code),
            "rows": rows,
            "value": float(amount or 0) if numeric else rows,
        }
        if code in located:
            entry["lat"], entry["lon"] = located[code]
            placed.append(entry)
        else:
            unplaced.append(entry)
    labels = {v.name: v.label or v.name for v in resource.public_variables()}
    return {
        "kind": "regions",
        "measure": labels.get(numeric.name, numeric.name) if numeric else _("Jumlah baris"),
        "regions": placed,
        "unplaced": unplaced,
    }


def _chart(request, resource: Resource | None, columns) -> dict | None:
    if resource is None:
        return None
    # Coordinates are numbers but summing them means nothing: they belong to the map.
    coordinates = LATITUDE_NAMES | LONGITUDE_NAMES
    numeric = [c for c in columns if c.type in ("integer", "decimal") and c.name not in coordinates]
    category = [c for c in columns if c.type in ("text", "date", "integer")]
    if not numeric or not category:
        return None
    by_name = {c.name: c for c in columns}
    # By default the bars are named by the first text column that is not a region code
    # (the kecamatan's name reads better than 16.01.28).
    codes = {v.name for v in resource.public_variables() if v.reference == "region"}
    default_x = next((c for c in category if c.type == "text" and c.name not in codes), None)
    x = by_name.get(request.GET.get("x", "")) or default_x or category[0]
    values = {c.name: c for c in numeric}
    ys = [values[n] for n in request.GET.getlist("y") if n in values] or numeric[:1]
    kind = request.GET.get("jenis", "bar")
    kind = kind if kind in ("bar", "line") else "bar"
    series = datastore_read.chart_series(resource.pk, x, ys) if resource.has_table else []
    data = {
        "type": kind,
        "labels": [str(row[0]) for row in series],
        "datasets": [
            {"label": y.name, "data": [float(row[i + 1] or 0) for row in series]}
            for i, y in enumerate(ys)
        ],
    }
    return {
        "x": x,
        "ys": ys,
        "kind": kind,
        "numeric": numeric,
        "category": category,
        "rows": series,
        "data": data,
    }


def dataset_detail(request, slug: str):
    dataset = get_object_or_404(visible_datasets(request.user), slug=slug)
    resources = list(dataset.resources.prefetch_related("variables"))
    table = next((r for r in resources if r.kind == Resource.Kind.DATASTORE and r.has_table), None)
    preview = columns = None
    if table:
        columns = _columns(table)
        preview = datastore_read.search(table.pk, columns, limit=PREVIEW_ROWS)
    base = request.build_absolute_uri("/").rstrip("/")
    context = {
        "dataset": dataset,
        "resources": resources,
        "table": table,
        "columns": columns,
        "preview": preview,
        "preview_rows": [[r[c.name] for c in columns] for r in preview.records] if preview else [],
        "chart": _chart(request, table, columns or []),
        "map": _map_points(table, columns) if table else None,
        "versions": dataset.versions.all()[:10],
        "activity": getattr(dataset, "activity", None),
        "indicators": dataset.indicators.prefetch_related("variables"),
        "api_base": base,
        "can_edit": dataset.can_change(request.user),
        "tile_url": settings.DATA_MAP_TILE_URL,
    }
    return render(request, "data/dataset_detail.html", context)


def resource_detail(request, slug: str, pk: int):
    dataset = get_object_or_404(visible_datasets(request.user), slug=slug)
    resource = get_object_or_404(dataset.resources, pk=pk)
    columns = _columns(resource)
    filters = {}
    for column in columns:
        value = request.GET.get(column.name, "").strip()
        if value:
            filters[column.name] = value
    paginator_total = 0
    page_number = max(1, int(request.GET["page"])) if request.GET.get("page", "").isdigit() else 1
    result = None
    if resource.kind == Resource.Kind.DATASTORE and resource.has_table:
        try:
            result = datastore_read.search(
                resource.pk,
                columns,
                filters=filters,
                q=request.GET.get("q", "")[:200],
                limit=PAGE_ROWS,
                offset=(page_number - 1) * PAGE_ROWS,
            )
        except datastore.DatastoreError as exc:
            return HttpResponseBadRequest(str(exc))
        paginator_total = result.total
    pages = max(1, -(-paginator_total // PAGE_ROWS))
    return render(
        request,
        "data/resource_detail.html",
        {
            "dataset": dataset,
            "resource": resource,
            "columns": columns,
            "result": result,
            "rows": [[r[c.name] for c in columns] for r in result.records] if result else [],
            "filters": filters,
            "page": page_number,
            "pages": pages,
            "previous": page_number - 1 if page_number > 1 else None,
            "next": page_number + 1 if page_number < pages else None,
        },
    )


def _downloadable(request, pk: int) -> Resource:
    resource = (
        Resource.objects.filter(pk=pk, dataset__in=Dataset.objects.visible_to(request.user))
        .select_related("dataset")
        .first()
    )
    if resource is None or resource.kind != Resource.Kind.DATASTORE or not resource.has_table:
        raise Http404(_("Data tidak ditemukan."))
    return resource


def resource_file(request, pk: int):
    """An uploaded file resource, to those who may see its dataset (404 for everyone else:
    a draft or restricted dataset's file is as private as its table)."""
    resource = (
        Resource.objects.filter(pk=pk, dataset__in=Dataset.objects.visible_to(request.user))
        .exclude(file="")
        .first()
    )
    if resource is None or not resource.file.storage.exists(resource.file.name):
        raise Http404(_("Berkas tidak ditemukan."))
    name = resource.file.name.rsplit("/", 1)[-1]
    return FileResponse(resource.file.open("rb"), as_attachment=True, filename=name)


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def resource_download(request, pk: int, fmt: str):
    resource = _downloadable(request, pk)
    columns = _columns(resource)
    names = [c.name for c in columns]
    filename = slugify(f"{resource.dataset.slug}-{resource.name}")[:80] or "data"
    rows = datastore_read.iter_rows(resource.pk, columns)
    if fmt == "csv":

        def lines():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(names)
            for row in rows:
                writer.writerow(row)
                if buffer.tell() > 64 * 1024:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    elif fmt == "json":

        def chunks():
            yield "["
            for index, row in enumerate(rows):
                record = {n: _cell(v) for n, v in zip(names, row, strict=True)}
                yield ("," if index else "") + json.dumps(record, ensure_ascii=False, default=str)
            yield "]"

        response = StreamingHttpResponse(chunks(), content_type="application/json")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(resource.name[:31] or "data")
        sheet.append(names)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
        workbook.save(handle)
        handle.seek(0)
        response = FileResponse(
            handle,
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    else:
        return HttpResponseBadRequest(
            _("Format unduhan tidak dikenal; pilih csv, json, atau xlsx.")
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def dataset_datapackage(request, slug: str):
    dataset = get_object_or_404(visible_datasets(request.user), slug=slug)
    base = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        datapackage(dataset, base), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


def dataset_dcat(request, slug: str, fmt: str):
    dataset = get_object_or_404(Dataset.objects.open_data(), slug=slug)
    body, content_type = dcat.serialise(dcat.dataset_graph(dataset, request), fmt)
    return HttpResponse(body, content_type=content_type)


def catalogue(request, fmt: str):
    body, content_type = dcat.serialise(dcat.catalogue_graph(request), fmt)
    return HttpResponse(body, content_type=content_type)

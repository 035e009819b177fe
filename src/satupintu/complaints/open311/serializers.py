"""Categories and reports as GeoReport v2 records (plain dicts; formats.py renders them).

Only public facts leave here: the masked public text, the category, the responsible OPD, the
place and the status. Never the reporter, the contact fields, the text as written, internal
notes or non-public photos.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Category, Report, ReportPhoto, ReportUpdate

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def w3c(value) -> str | None:
    """ISO 8601 with the installation's offset (2026-11-24T09:30:00+07:00), as the spec asks."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ", ".join(category.keyword_list()),
        "group": category.group,
    }


def attribute(definition: dict, position: int) -> dict:
    datatype = definition.get("datatype") or "string"
    if datatype not in DATATYPES:
        datatype = "string"
    record = {
        "variable": True,
        "code": str(definition.get("code", "")),
        "datatype": datatype,
        "required": bool(definition.get("required", False)),
        "datatype_description": str(definition.get("datatype_description", "")),
        "order": int(definition.get("order") or position),
        "description": str(definition.get("description", "")),
    }
    if datatype in ("singlevaluelist", "multivaluelist"):
        record["values"] = [
            {"key": str(value.get("key", "")), "name": str(value.get("name", ""))}
            for value in definition.get("values") or []
        ]
    return record


def service_definition(category: Category) -> dict:
    definitions = [d for d in category.attributes or [] if isinstance(d, dict) and d.get("code")]
    attributes = [attribute(d, i) for i, d in enumerate(definitions, start=1)]
    attributes.sort(key=lambda a: a["order"])
    return {"service_code": category.code, "attributes": attributes}


PUBLIC_FIELDS = (
    "reference",
    "status",
    "public_description",
    "title",
    "address",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
    "completion_due",
    "category__code",
    "category__name",
    "organisation__name",
)


def public_rows(ids: list[int]) -> list[dict]:
    """The public fields of these reports as dicts in the order of `ids`, with the latest public
    note and the first public photo of each.

    Three plain queries keyed by report id rather than correlated subqueries: a "latest note"
    subquery with ORDER BY … LIMIT 1 tempts PostgreSQL into walking the whole timeline's date
    index for every report (seconds at 100k reports). Dicts rather than model instances: a read
    API has no use for the change-log snapshot every Audited instance takes when loaded."""
    if not ids:
        return []
    rows = {
        row["pk"]: {**row, "open311_notes": "", "open311_photo": None}
        for row in Report.objects.filter(pk__in=ids).values("pk", *PUBLIC_FIELDS)
    }
    notes = (
        ReportUpdate.objects.filter(report_id__in=ids, is_public=True)
        .exclude(message="")
        .order_by("report_id", "created_at", "pk")
        .values_list("report_id", "message")
    )
    for report_id, message in notes:
        rows[report_id]["open311_notes"] = message  # the last one wins: the latest
    photos = (
        ReportPhoto.objects.filter(report_id__in=ids, is_public=True)
        .order_by("report_id", "-created_at", "-pk")
        .values_list("report_id", "pk")
    )
    for report_id, photo_id in photos:
        rows[report_id]["open311_photo"] = photo_id  # the last one wins: the first uploaded
    return [rows[pk] for pk in ids if pk in rows]


def media_url(reference: str, photo_id: int | None) -> str | None:
    """The photo's public address (the public page's photo view checks visibility again)."""
    if photo_id is None:
        return None
    return settings.SITE_URL + reverse("complaints:public:report_photo", args=[reference, photo_id])


def service_request(row: dict) -> dict:
    """One row of `public_rows` as the spec's request record."""
    is_open = row["status"] not in Report.CLOSED_STATUSES
    latitude, longitude = row["latitude"], row["longitude"]
    return {
        "service_request_id": row["reference"],
        "status": "open" if is_open else "closed",
        "status_notes": row["open311_notes"] or "",
        "service_name": row["category__name"],
        "service_code": row["category__code"],
        "description": row["public_description"] or row["title"],
        "agency_responsible": row["organisation__name"],
        "service_notice": "",
        "requested_datetime": w3c(row["created_at"]),
        "updated_datetime": w3c(row["updated_at"]),
        "expected_datetime": w3c(row["completion_due"]) if is_open else None,
        "address": row["address"],
        "address_id": None,
        "zipcode": None,
        "lat": float(latitude) if latitude is not None else None,
        "long": float(longitude) if longitude is not None else None,
        "media_url": media_url(row["reference"], row["open311_photo"]),
    }


def created(report: Report) -> dict:
    return {
        "service_request_id": report.reference,
        "token": str(report.token),
        "service_notice": service_notice(report),
        "account_id": None,
    }


def service_notice(report: Report) -> str:
    due = timezone.localtime(report.response_due) if report.response_due else None
    text = _("Diteruskan ke %(opd)s.") % {"opd": report.organisation.name}
    if due is not None:
        text += " " + _("Tanggapan paling lambat %(date)s.") % {"date": f"{due:%d-%m-%Y}"}
    return text


def public_requests() -> QuerySet:
    """Reports anyone may read through Open311, newest first; merged duplicates excluded."""
    return Report.objects.public().order_by(F("created_at").desc(), F("pk").desc())

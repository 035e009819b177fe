"""Open311 GeoReport v2 under /open311/v2/ (docs/open311.md).

Reading is public and needs no key; creating a request needs an `api_key` (keys.py) and goes
through services.submit_report like every other channel. Every answer, errors included, is in
the format the client asked for: the `.json`/`.xml` suffix, else `?format=`, else JSON.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import configured, services
from ..models import Category, Report
from . import keys, serializers
from .formats import FORMATS, JSON, error, render

logger = logging.getLogger("satupintu.complaints.open311")

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 200
MAX_IDS = 100
MAX_SPAN = dt.timedelta(days=90)
# Open311 parameter names for the fields submit_report reports errors on.
FIELD_NAMES = {
    "category": "service_code",
    "title": "description",
    "description": "description",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "region": "address_string",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name",
    "photos": "media",
}


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str, headers: dict | None = None) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = descriptions
        self.headers = headers or {}


def open311_view(methods: tuple[str, ...] = ("GET",)):
    """Resolve the format, refuse other methods, and turn Open311Error into the error list."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, fmt: str | None = None, **kwargs):
            fmt = fmt or request.GET.get("format") or JSON
            if fmt not in FORMATS:
                return error(JSON, 400, _("Format harus json atau xml."))
            if request.method not in methods:
                response = error(
                    fmt, 405, _("Metode %(m)s tidak didukung di sini.") % {"m": request.method}
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, *args, **kwargs)
            except (RequestDataTooBig, TooManyFieldsSent):
                return error(fmt, 413, _("Permintaan terlalu besar."))
            except Open311Error as exc:
                response = error(fmt, exc.status, *exc.descriptions)
                for name, value in exc.headers.items():
                    response[name] = value
                return response

        return wrapper

    return decorate


# --- discovery and services --------------------------------------------------------------------


@open311_view()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    latest = Category.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    changeset = serializers.w3c(latest) if latest else None
    contact = settings.INSTALLATION
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": _("%(name)s, %(email)s, %(phone)s")
            % {"name": contact["name"], "email": contact["email"], "phone": contact["phone"]},
            "key_service": _(
                "Kunci API (api_key) untuk mengirim laporan diberikan oleh admin platform; "
                "ajukan ke %(email)s."
            )
            % {"email": contact["email"]},
            "endpoints": [
                {
                    "specification": serializers.SPECIFICATION,
                    "url": f"{settings.SITE_URL}/open311/v2",
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
    )


def active_categories():
    return Category.objects.filter(is_active=True).order_by("group", "name")


@open311_view()
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    items = [serializers.service(c) for c in active_categories()]
    return render(fmt, "services", items)


@open311_view()
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code '%(code)s' tidak dikenal.") % {"code": code})
    return render(fmt, "service_definition", serializers.service_definition(category))


# --- requests ----------------------------------------------------------------------------------


@csrf_exempt  # a machine API: the api_key is the credential, there is no session to protect
@open311_view(methods=("GET", "POST"))
def requests_collection(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt)


def _single(request: HttpRequest, name: str) -> str:
    return (request.POST.get(name) or "").strip()


def _attributes(request: HttpRequest) -> dict:
    """`attribute[code]=v` (the spec), also `attributes[code]`; `attribute[code][]` is a list."""
    values: dict = {}
    for key in request.POST:
        for prefix in ("attribute[", "attributes["):
            if key.startswith(prefix) and key.endswith("]"):
                code = key[len(prefix) : -1]
                if code.endswith("]["):
                    values[code[:-2]] = request.POST.getlist(key)
                else:
                    values[code] = request.POST.get(key, "")
    return values


def _validation_descriptions(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "message_dict"):
        return [str(m) for m in exc.messages]
    descriptions = []
    for field, messages in exc.message_dict.items():
        name = FIELD_NAMES.get(field, field)
        descriptions.extend(f"{name}: {message}" for message in messages)
    return descriptions


def create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = keys.verify_key(_single(request, "api_key") or request.headers.get("X-Api-Key"))
    if api_key is None:
        raise Open311Error(403, _("api_key tidak sah atau sudah dicabut."))
    allowed, wait = keys.allow(api_key)
    if not allowed:
        raise Open311Error(
            429,
            _("Terlalu banyak permintaan untuk api_key ini; coba lagi dalam %(s)d detik.")
            % {"s": wait},
            headers={"Retry-After": str(wait)},
        )
    code = _single(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code wajib diisi."))
    # Cached per process with its organisation (configured.py): every create reads it.
    category = configured.active_category(code)
    if category is None:
        raise Open311Error(400, _("service_code '%(code)s' tidak dikenal.") % {"code": code})
    latitude, longitude = _single(request, "lat"), _single(request, "long")
    address = _single(request, "address_string")
    if not (latitude or longitude) and not address:
        raise Open311Error(400, _("Lokasi wajib: isi lat dan long, atau address_string."))
    name = " ".join(filter(None, (_single(request, "first_name"), _single(request, "last_name"))))
    description = request.POST.get("description", "")
    try:
        report = services.submit_report(
            category=category,
            title="",
            description=description,
            channel=Report.Channel.OPEN311,
            contact={
                "name": name,
                "email": _single(request, "email"),
                "phone": _single(request, "phone"),
            },
            latitude=latitude or None,
            longitude=longitude or None,
            address=address,
            # The person behind a third-party app never chose to be named on our pages.
            is_anonymous=True,
            is_public=True,
            photos=request.FILES.getlist("media"),
            attributes=_attributes(request),
            api_client=api_key,
        )
    except ValidationError as exc:
        raise Open311Error(400, *_validation_descriptions(exc)) from exc
    logger.info("open311: %s created by key %s", report.reference, api_key.prefix)
    return render(fmt, "service_requests", [serializers.created(report)])


def _parse_moment(value: str, name: str, *, end: bool = False) -> dt.datetime:
    error = Open311Error(
        400,
        _("%(name)s harus tanggal ISO 8601, mis. 2026-11-24T09:30:00+07:00.") % {"name": name},
    )
    try:
        # A date alone covers the whole day (parse_datetime would read it as midnight).
        day = parse_date(value)
        moment = (
            dt.datetime.combine(day, dt.time.max if end else dt.time.min)
            if day is not None
            else parse_datetime(value)
        )
    except ValueError as exc:  # well-formed but impossible, e.g. 2026-02-30
        raise error from exc
    if moment is None:
        raise error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive_int(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise Open311Error(
            400, _("%(name)s harus bilangan 1 sampai %(max)d.") % {"name": name, "max": maximum}
        )
    return int(raw)


def list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    queryset = serializers.public_requests()
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: with service_request_id the other filters are ignored.
        if len(ids) > MAX_IDS:
            raise Open311Error(
                400, _("Paling banyak %(n)d service_request_id sekaligus.") % {"n": MAX_IDS}
            )
        queryset = queryset.filter(reference__in=ids)
    else:
        queryset = _filtered(request, queryset)
    page = _positive_int(request, "page", 1, 10_000)
    page_size = _positive_int(request, "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX)
    start = (page - 1) * page_size
    # The page's ids first (an index scan), then their records: the subqueries of the records
    # run for one page, not for every matching row before the database sorts them.
    ids = list(queryset.values_list("pk", flat=True)[start : start + page_size + 1])
    has_next = len(ids) > page_size
    rows = serializers.public_rows(ids[:page_size])
    response = render(fmt, "service_requests", [serializers.service_request(r) for r in rows])
    if has_next:
        query = request.GET.copy()
        query["page"] = str(page + 1)
        response["Link"] = (
            f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        )
    return response


def _filtered(request: HttpRequest, queryset):
    codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if codes:
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise Open311Error(
                400, _("service_code tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        queryset = queryset.filter(category__code__in=codes)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status harus open atau closed."))
    if statuses == {"open"}:
        queryset = queryset.exclude(status__in=Report.CLOSED_STATUSES)
    elif statuses == {"closed"}:
        queryset = queryset.filter(status__in=Report.CLOSED_STATUSES)
    raw_start, raw_end = request.GET.get("start_date", ""), request.GET.get("end_date", "")
    end = _parse_moment(raw_end, "end_date", end=True) if raw_end else None
    start = _parse_moment(raw_start, "start_date") if raw_start else None
    if start is None and end is None:
        # The spec's default: the last 90 days.
        return queryset.filter(created_at__gte=timezone.now() - MAX_SPAN)
    if start is None:
        start = end - MAX_SPAN
    if end is not None:
        if end < start:
            raise Open311Error(400, _("end_date harus sesudah start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("Rentang start_date sampai end_date paling lama 90 hari."))
        queryset = queryset.filter(created_at__lte=end)
    return queryset.filter(created_at__gte=start)


@open311_view()
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    ids = Report.objects.filter(is_public=True, reference=request_id).values_list("pk", flat=True)
    records = serializers.public_rows(list(ids[:1]))
    if not records:
        raise Open311Error(
            404, _("service_request_id '%(id)s' tidak ditemukan.") % {"id": request_id}
        )
    return render(fmt, "service_requests", [serializers.service_request(records[0])])


@open311_view()
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    reference = (
        Report.objects.filter(token=value).values_list("reference", flat=True).first()
        if value
        else None
    )
    if reference is None:
        raise Open311Error(404, _("token '%(t)s' tidak ditemukan.") % {"t": token})
    return render(fmt, "service_requests", [{"service_request_id": reference, "token": token}])

"""The catalogue's JSON API under /api/v1/catalogue/ (conventions: docs/api.md).

Anyone may read what the public pages show: published services and applications and the OPDs
that own them. A caller is recognised by the browser session or an OAuth bearer token; staff
see the same rows their web pages show them (their own OPD's drafts included), and only staff
of the owning OPD or a platform admin get the `staff` block (publication status and usage).
A bad filter is a 400 in the API's error format, never an empty list that looks like an answer.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from satupintu.core.api import ApiError, OAuthBearer, paginate
from satupintu.core.models import Organisation

from .models import Application, LifeEvent, PublicService
from .search import find

router = Router(tags=["katalog"])

MAX_QUERY_CHARS = 200
USAGE_DAYS = 30

LifeEventCode = Literal[tuple(LifeEvent.values)]  # type: ignore[valid-type]
AudienceCode = Literal[tuple(Application.Audience.values)]  # type: ignore[valid-type]
LifecycleCode = Literal[tuple(Application.Lifecycle.values)]  # type: ignore[valid-type]


class OptionalCaller:
    """Lets anonymous callers through, but a bearer token that is sent must be valid (401
    otherwise: a client with an expired token must learn it, not silently get less)."""

    def __init__(self):
        self.bearer = OAuthBearer()

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            return self.bearer(request)
        return request.user if request.user.is_authenticated else True


optional_caller = OptionalCaller()
READ = {"auth": optional_caller}
ERRORS = {400: ApiError, 401: ApiError, 404: ApiError}


class OrganisationRef(Schema):
    code: str
    name: str
    short_name: str
    url: str


class StaffInfo(Schema):
    """Seen only by staff of the owning OPD and platform admins."""

    status: str
    status_label: str
    updated_at: datetime.datetime
    published_at: datetime.datetime | None
    usage_days: int
    usage: int  # page views (services) or launches (applications) in the last `usage_days`


class ServiceOut(Schema):
    slug: str
    name: str
    organisation: OrganisationRef
    description: str
    requirements: list[str]
    procedure: list[str]
    completion_time: str
    fee: int
    free: bool
    legal_basis: str
    online_application: str | None
    online_url: str
    counter_address: str
    counter_hours: str
    complaint_channel: str
    life_events: list[str]
    url: str
    staff: StaffInfo | None = None


class AppOut(Schema):
    slug: str
    name: str
    organisation: OrganisationRef
    description: str
    category: str
    audience: str
    lifecycle: str
    hosting: str
    database_engine: str
    uses_sso: str
    has_api: str
    holds_personal_data: str
    technical_contact: str
    url: str
    launch_url: str | None
    logo_url: str | None
    screenshot_url: str | None
    staff: StaffInfo | None = None


class OrganisationOut(OrganisationRef):
    kind: str
    services: int
    applications: int


class ServicePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ServiceOut]


class AppPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AppOut]


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganisationOut]


class ServiceFilters(Schema):
    opd: str = ""
    life_event: LifeEventCode | None = None
    q: str = Query("", max_length=MAX_QUERY_CHARS)
    page: int = 1
    page_size: int = 20


class AppFilters(Schema):
    opd: str = ""
    category: str = ""
    audience: AudienceCode | None = None
    status: LifecycleCode | None = None
    q: str = Query("", max_length=MAX_QUERY_CHARS)
    page: int = 1
    page_size: int = 20


def _bad_filter(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message}])


def _organisation_ref(organisation: Organisation) -> dict:
    return {
        "code": organisation.code,
        "name": organisation.name,
        "short_name": organisation.short_name or organisation.name,
        "url": organisation.get_absolute_url(),
    }


def _by_opd(queryset: QuerySet, code: str) -> QuerySet:
    if not code:
        return queryset
    if not Organisation.objects.filter(code=code, is_active=True).exists():
        raise _bad_filter("opd", "Kode perangkat daerah tidak dikenal.")
    return queryset.filter(organisation__code=code)


def _searched(queryset: QuerySet, query: str):
    query = " ".join(query.split())
    return find(queryset, query) if query else queryset.order_by("name")


def _staff_info(row, usage: int) -> dict:
    return {
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "updated_at": row.updated_at,
        "published_at": row.published_at,
        "usage_days": USAGE_DAYS,
        "usage": usage,
    }


def _changeable_ids(model, user, rows) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        model.objects.for_user(user, write=True)
        .filter(pk__in=[row.pk for row in rows])
        .values_list("pk", flat=True)
    )


def _service_usage(ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    since = timezone.localdate() - datetime.timedelta(days=USAGE_DAYS)
    rows = (
        PublicService.objects.filter(pk__in=ids)
        .annotate(n=Sum("daily_views__views", filter=Q(daily_views__day__gte=since)))
        .values_list("pk", "n")
    )
    return {pk: n or 0 for pk, n in rows}


def _app_usage(ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    since = timezone.now() - datetime.timedelta(days=USAGE_DAYS)
    rows = (
        Application.objects.filter(pk__in=ids)
        .annotate(n=Count("launches", filter=Q(launches__launched_at__gte=since)))
        .values_list("pk", "n")
    )
    return dict(rows)


def _service_out(service: PublicService, usage: dict[int, int]) -> dict:
    return {
        "slug": service.slug,
        "name": service.name,
        "organisation": _organisation_ref(service.organisation),
        "description": service.description,
        "requirements": service.requirement_list(),
        "procedure": service.procedure_list(),
        "completion_time": service.completion_time,
        "fee": service.fee,
        "free": service.fee == 0,
        "legal_basis": service.legal_basis,
        # Only an application the caller may see is named (a draft app stays hidden).
        "online_application": getattr(service, "visible_application_slug", None),
        "online_url": service.online_url,
        "counter_address": service.counter_address,
        "counter_hours": service.counter_hours,
        "complaint_channel": service.complaint_channel,
        "life_events": service.life_event_list(),
        "url": service.get_absolute_url(),
        "staff": _staff_info(service, usage[service.pk]) if service.pk in usage else None,
    }


def _services_out(rows: list[PublicService], user) -> list[dict]:
    app_ids = {row.application_id for row in rows if row.application_id}
    visible_apps = dict(
        Application.objects.for_user(user).filter(pk__in=app_ids).values_list("pk", "slug")
    )
    for row in rows:
        row.visible_application_slug = visible_apps.get(row.application_id)
    usage = _service_usage(_changeable_ids(PublicService, user, rows))
    return [_service_out(row, usage) for row in rows]


def _app_out(app: Application, usage: dict[int, int]) -> dict:
    launchable = app.can_launch() and app.lifecycle != Application.Lifecycle.RETIRED
    return {
        "slug": app.slug,
        "name": app.name,
        "organisation": _organisation_ref(app.organisation),
        "description": app.description,
        "category": app.category,
        "audience": app.audience,
        "lifecycle": app.lifecycle,
        "hosting": app.hosting,
        "database_engine": app.database_engine,
        "uses_sso": app.uses_sso,
        "has_api": app.has_api,
        "holds_personal_data": app.holds_personal_data,
        "technical_contact": app.technical_contact,
        "url": app.get_absolute_url(),
        "launch_url": app.launch_url() if launchable else None,
        "logo_url": app.logo_url() or None,
        "screenshot_url": app.screenshot_url() or None,
        "staff": _staff_info(app, usage[app.pk]) if app.pk in usage else None,
    }


def _apps_out(rows: list[Application], user) -> list[dict]:
    usage = _app_usage(_changeable_ids(Application, user, rows))
    return [_app_out(row, usage) for row in rows]


@router.get("/services/", response={200: ServicePage, **ERRORS}, **READ)
def list_services(request, filters: Query[ServiceFilters]):
    """Public services (standar pelayanan), filtered by OPD code, life event and words."""
    user = request.user
    services = PublicService.objects.for_user(user).select_related("organisation")
    services = _by_opd(services, filters.opd)
    if filters.life_event:
        services = services.filter(PublicService.life_event_filter(filters.life_event))
    page = paginate(_searched(services, filters.q), filters.page, filters.page_size)
    page["results"] = _services_out(page["results"], user)
    return page


@router.get("/services/{slug}/", response={200: ServiceOut, **ERRORS}, **READ)
def get_service(request, slug: str):
    user = request.user
    service = (
        PublicService.objects.for_user(user)
        .select_related("organisation")
        .filter(slug=slug)
        .first()
    )
    if service is None:
        raise Http404("Layanan tidak ditemukan.")
    return _services_out([service], user)[0]


@router.get("/apps/", response={200: AppPage, **ERRORS}, **READ)
def list_apps(request, filters: Query[AppFilters]):
    """Applications, filtered by OPD code, category, audience, lifecycle status and words."""
    user = request.user
    apps = Application.objects.for_user(user).select_related("organisation")
    apps = _by_opd(apps, filters.opd)
    if filters.category:
        apps = apps.filter(category__iexact=filters.category)
    if filters.audience:
        apps = apps.filter(audience=filters.audience)
    if filters.status:
        apps = apps.filter(lifecycle=filters.status)
    page = paginate(_searched(apps, filters.q), filters.page, filters.page_size)
    page["results"] = _apps_out(page["results"], user)
    return page


@router.get("/apps/{slug}/", response={200: AppOut, **ERRORS}, **READ)
def get_app(request, slug: str):
    user = request.user
    app = Application.objects.for_user(user).select_related("organisation").filter(slug=slug)
    app = app.first()
    if app is None:
        raise Http404("Aplikasi tidak ditemukan.")
    return _apps_out([app], user)[0]


@router.get("/opds/", response={200: OrganisationPage, **ERRORS}, **READ)
def list_organisations(request, page: int = 1, page_size: int = 20):
    """Active OPDs with how many services and applications of theirs the caller may see."""
    user = request.user
    services = dict(
        PublicService.objects.for_user(user)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
    )
    apps = dict(
        Application.objects.for_user(user)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
    )
    organisations = Organisation.objects.filter(
        is_active=True, kind__in=Organisation.OPD_KINDS
    ).order_by("name")
    result = paginate(organisations, page, page_size)
    result["results"] = [
        {
            **_organisation_ref(organisation),
            "kind": organisation.kind,
            "services": services.get(organisation.pk, 0),
            "applications": apps.get(organisation.pk, 0),
        }
        for organisation in result["results"]
    ]
    return result

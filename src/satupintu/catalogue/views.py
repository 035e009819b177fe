"""Public pages of the catalogue: services (with OPD and life-event filters), applications,
and the /go/<slug> launcher that counts a launch and sends the user to the app's registered
address (never anywhere else)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from satupintu.core.models import Organisation

from .models import Application, Launch, LifeEvent, PublicService, ServiceView, hash_user
from .search import find

PER_PAGE = 20
MAX_QUERY_CHARS = 200


def _query(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "")[:MAX_QUERY_CHARS].split())


def _organisation_choices(queryset: QuerySet) -> list[Organisation]:
    ids = queryset.order_by().values_list("organisation_id", flat=True).distinct()
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _page(request: HttpRequest, rows) -> tuple:
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return page, list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    visible = PublicService.objects.for_user(request.user).select_related("organisation")
    services = visible
    opd = request.GET.get("opd", "")
    event = request.GET.get("peristiwa", "")
    if opd:
        services = services.filter(organisation__code=opd)
    if event in LifeEvent.values:
        services = services.filter(PublicService.life_event_filter(event))
    else:
        event = ""
    query = _query(request)
    rows = find(services, query) if query else services.order_by("name")
    page, page_range = _page(request, rows)
    return render(
        request,
        "catalogue/service_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "query": query,
            "opd": opd,
            "event": event,
            "event_label": dict(LifeEvent.choices).get(event, ""),
            "organisations": _organisation_choices(visible),
            "events": LifeEvent.choices,
        },
    )


def count_view(service: PublicService) -> None:
    today = timezone.localdate()
    updated = ServiceView.objects.filter(service=service, day=today).update(views=F("views") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ServiceView.objects.create(service=service, day=today, views=1)
        except IntegrityError:
            # Another request created today's row first.
            ServiceView.objects.filter(service=service, day=today).update(views=F("views") + 1)


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(
        PublicService.objects.for_user(request.user).select_related("organisation", "application"),
        slug=slug,
    )
    count_view(service)
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "can_change": service.can_change(request.user),
            "crumbs": [(_("Beranda"), "/"), (_("Layanan"), "/layanan/"), (service.name, "")],
        },
    )


@require_GET
def app_list(request: HttpRequest) -> HttpResponse:
    visible = Application.objects.for_user(request.user).select_related("organisation")
    apps = visible
    opd = request.GET.get("opd", "")
    if opd:
        apps = apps.filter(organisation__code=opd)
    category = request.GET.get("kategori", "")
    if category:
        apps = apps.filter(category=category)
    query = _query(request)
    rows = find(apps, query) if query else apps.order_by("name")
    page, page_range = _page(request, rows)
    categories = (
        visible.exclude(category="").order_by("category").values_list("category", flat=True)
    )
    return render(
        request,
        "catalogue/app_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "query": query,
            "opd": opd,
            "category": category,
            "organisations": _organisation_choices(visible),
            "categories": sorted(set(categories)),
        },
    )


@require_GET
def app_detail(request: HttpRequest, slug: str) -> HttpResponse:
    app = get_object_or_404(
        Application.objects.for_user(request.user).select_related("organisation"), slug=slug
    )
    facts = [
        (_("Perangkat daerah pemilik"), app.organisation.name),
        (_("Kategori"), app.category or _("Tidak diketahui")),
        (_("Pengguna"), app.get_audience_display()),
        (_("Status aplikasi"), app.get_lifecycle_display()),
        (_("Hosting"), app.get_hosting_display()),
        (
            _("Basis data"),
            _("Tidak diketahui") if app.database_engine == "unknown" else app.database_engine,
        ),
        (_("Memakai SSO satupintu"), app.get_uses_sso_display()),
        (_("Punya API"), app.get_has_api_display()),
        (_("Menyimpan data pribadi"), app.get_holds_personal_data_display()),
        (_("Kontak teknis"), app.technical_contact or _("Tidak diketahui")),
    ]
    services = PublicService.objects.for_user(request.user).filter(application=app)
    return render(
        request,
        "catalogue/app_detail.html",
        {
            "app": app,
            "facts": facts,
            "services": services.order_by("name"),
            "can_change": app.can_change(request.user),
            "crumbs": [(_("Beranda"), "/"), (_("Aplikasi"), "/aplikasi/"), (app.name, "")],
        },
    )


def launch(request: HttpRequest, slug: str) -> HttpResponse:
    """Count the launch, then redirect to the URL stored for the app: the target never comes
    from the request, so /go/ cannot be used as an open redirect."""
    app = get_object_or_404(Application.objects.for_user(request.user), slug=slug)
    if not app.can_launch() or app.lifecycle == Application.Lifecycle.RETIRED:
        raise Http404(_("Aplikasi ini tidak memiliki alamat yang dapat dibuka."))
    Launch.objects.create(application=app, user_hash=hash_user(request.user))
    return HttpResponseRedirect(app.url)


IMAGE_FIELDS = {"logo": "logo", "tangkapan-layar": "screenshot"}


@require_GET
def app_image(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """An application's logo or screenshot, to whoever may see the application (a draft's
    pictures stay with its OPD like the rest of the draft)."""
    app = get_object_or_404(Application.objects.for_user(request.user), slug=slug)
    image = getattr(app, IMAGE_FIELDS[kind]) if kind in IMAGE_FIELDS else None
    if not image or not image.storage.exists(image.name):
        raise Http404(_("Gambar tidak ditemukan."))
    response = FileResponse(image.open("rb"))
    # The name changes with every upload (core.images), so a browser may keep it a while.
    response["Cache-Control"] = "public, max-age=86400" if app.is_public else "private"
    return response

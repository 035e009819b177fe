"""The OPD workspace for the catalogue: an operator lists, creates and edits their own
organisation's services and applications and submits them for publication. Rows of another
OPD are a 404 (their existence is not revealed); anonymous users are sent to sign in."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.core.export import FORMATS, export_response
from satupintu.core.roles import REGENCY_READER_ROLES, Role

from . import analytics
from .forms import ApplicationForm, ServiceForm
from .imports import (
    COLUMNS,
    MAX_BYTES,
    REQUIRED,
    InventoryError,
    apply_rows,
    check_rows,
    read_inventory,
)
from .models import Application, PublicService


def staff_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff_member:
            raise PermissionDenied(_("Halaman ini khusus petugas perangkat daerah."))
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "catalogue/workspace.html",
        {
            "services": PublicService.objects.for_user(user, write=True)
            .select_related("organisation")
            .order_by("name"),
            "apps": Application.objects.for_user(user, write=True)
            .select_related("organisation")
            .order_by("name"),
        },
    )


KINDS = {
    "service": (PublicService, ServiceForm, _("layanan")),
    "app": (Application, ApplicationForm, _("aplikasi")),
}


def _edit(request: HttpRequest, kind: str, slug: str | None) -> HttpResponse:
    model, form_class, noun = KINDS[kind]
    instance = None
    if slug is not None:
        instance = get_object_or_404(model.objects.for_user(request.user, write=True), slug=slug)
    form = form_class(
        request.POST or None, request.FILES or None, instance=instance, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Data %(noun)s tersimpan.") % {"noun": noun})
        return redirect(saved.get_absolute_url())
    if instance is None:
        title = _("Tambah %(noun)s") % {"noun": noun}
    else:
        title = _("Ubah %(noun)s: %(name)s") % {"noun": noun, "name": instance.name}
    return render(
        request,
        "catalogue/form.html",
        {"form": form, "title": title, "multipart": form.is_multipart()},
    )


@staff_required
def service_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, "service", None)


@staff_required
def service_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, "service", slug)


@staff_required
def app_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, "app", None)


@staff_required
def app_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, "app", slug)


@staff_required
@require_POST
def submit(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    if kind not in KINDS:
        raise PermissionDenied
    model = KINDS[kind][0]
    row = get_object_or_404(model.objects.for_user(request.user, write=True), slug=slug)
    try:
        row.submit(request.user)
        messages.success(request, _("Diajukan untuk diterbitkan."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("catalogue:workspace")


IMPORT_SESSION_KEY = "catalogue_import_rows"


@staff_required
def import_inventory(request: HttpRequest) -> HttpResponse:
    """Upload → preview with row-level errors → confirm. The checked rows wait in the session
    between preview and confirmation and are checked again before anything is saved."""
    context: dict = {"columns": list(COLUMNS), "required": REQUIRED}
    if request.method == "POST" and "confirm" in request.POST:
        rows = request.session.get(IMPORT_SESSION_KEY)
        if not rows:
            messages.error(request, _("Pratinjau sudah kedaluwarsa. Unggah berkasnya lagi."))
            return redirect("catalogue:import")
        try:
            saved = apply_rows(rows, request.user)
        except InventoryError as error:
            messages.error(request, str(error))
            return redirect("catalogue:import")
        del request.session[IMPORT_SESSION_KEY]
        messages.success(request, _("%(n)s aplikasi tersimpan.") % {"n": saved})
        return redirect("catalogue:workspace")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Pilih berkas .csv atau .xlsx yang akan diimpor.")
        else:
            try:
                if upload.size > MAX_BYTES:
                    raise InventoryError(_("Berkas lebih dari 2 MB."))
                inventory = read_inventory(upload.name, upload.read())
            except InventoryError as error:
                context["error"] = str(error)
            else:
                checked = check_rows(inventory.rows, request.user)
                context.update(
                    checked=checked,
                    notes=inventory.notes,
                    error_count=sum(1 for row in checked if row.errors),
                )
                request.session[IMPORT_SESSION_KEY] = inventory.rows
        status = 400 if context.get("error") else 200
        return render(request, "catalogue/import.html", context, status=status)
    return render(request, "catalogue/import.html", context)


def analytics_required(view):
    """Diskominfo's report: regency-wide readers (walidata, leaders, platform admins)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (user.is_superuser or user.roles & REGENCY_READER_ROLES):
            raise PermissionDenied(_("Laporan ini khusus walidata, pimpinan dan admin platform."))
        return view(request, *args, **kwargs)

    return wrapper


@analytics_required
def usage_report(request: HttpRequest) -> HttpResponse:
    usage = analytics.app_usage()
    export = request.GET.get("export", "")
    if export in FORMATS:
        if request.GET.get("tabel") == "harian":
            headers = [_("Tanggal"), _("Aplikasi"), _("Dibuka"), _("Pengguna unik")]
            return export_response(
                export, headers, analytics.daily_launches(), basename="pembukaan-aplikasi-harian"
            )
        headers = [
            _("Aplikasi"),
            _("Perangkat daerah"),
            _("Kategori"),
            _("Status aplikasi"),
            _("Memakai SSO"),
            _("Dibuka 90 hari"),
            _("Pengguna unik 90 hari"),
            _("Terakhir dibuka"),
        ]
        rows = [
            [
                u.app.name,
                u.app.organisation.name,
                u.app.category,
                u.app.get_lifecycle_display(),
                u.app.get_uses_sso_display(),
                u.launches,
                u.users,
                timezone.localtime(u.last_launch) if u.last_launch else "",
            ]
            for u in usage
        ]
        return export_response(export, headers, rows, basename="penggunaan-aplikasi")
    series = analytics.daily_series()
    return render(
        request,
        "catalogue/usage_report.html",
        {
            "chart": _chart_data(series),
            "summary_url": reverse("catalogue:usage_summary")
            if _is_leadership(request.user)
            else "",
            "searches_total": sum(series.searches),
            "usage": usage,
            "daily": analytics.daily_launches(),
            "unused": analytics.unused(usage),
            "not_on_sso": analytics.not_on_sso(),
            "without_contact": analytics.without_contact(),
            "overlapping": analytics.overlapping_categories(),
            "service_views": analytics.service_views(),
            "unused_days": analytics.UNUSED_DAYS,
            "daily_days": analytics.DAILY_DAYS,
        },
    )


def _chart_data(series: analytics.DailySeries) -> dict:
    """What static/catalogue/usage-charts.js draws (embedded with json_script: no inline JS)."""
    return {
        "labels": [formats.date_format(day, "j M") for day in series.days],
        "launches": [
            {"label": name or _("Aplikasi lain"), "data": values}
            for name, values in series.launches_by_app
        ],
        "users": {"label": _("Pengguna unik"), "data": series.unique_users},
        "views": {"label": _("Kunjungan halaman layanan"), "data": series.service_views},
        "searches": [
            {"label": _("Pencarian"), "data": series.searches},
            {"label": _("Tanpa hasil"), "data": series.zero_result_searches},
        ],
    }


def _is_leadership(user) -> bool:
    return user.is_superuser or bool(user.roles & {Role.PIMPINAN, Role.PLATFORM_ADMIN})


def leadership_required(view):
    """The printable summary: the Bupati's office (pimpinan) and platform admins."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_leadership(request.user):
            raise PermissionDenied(_("Ringkasan ini khusus pimpinan dan admin platform."))
        return view(request, *args, **kwargs)

    return wrapper


@leadership_required
def usage_summary(request: HttpRequest) -> HttpResponse:
    """One or two A4 pages for the leadership: headline numbers and the apps to act on."""
    return render(
        request,
        "catalogue/usage_summary.html",
        {
            "summary": analytics.summary(),
            "days": analytics.UNUSED_DAYS,
            "generated_at": timezone.now(),
        },
    )


@staff_required
def launcher(request: HttpRequest) -> HttpResponse:
    """The staff app launcher: every live application for staff, those on satupintu SSO first
    (one sign-in opens them) and, among those, the ones this user already signed in to through
    an OIDC client linked to the catalogue entry; each opens through /go/ (counted)."""
    apps = (
        Application.objects.for_user(request.user)
        .filter(
            audience__in=(Application.Audience.STAFF, Application.Audience.BOTH),
            lifecycle__in=(Application.Lifecycle.ACTIVE, Application.Lifecycle.PILOT),
        )
        .exclude(url="")
        .select_related("organisation")
        .order_by("name")
    )
    # Linked OIDC clients (accounts.Client.catalogue_entry) the user consented to or got a
    # token from: "your" SSO apps.
    used = set(
        Application.objects.filter(
            Q(oidc_clients__consents__user=request.user)
            | Q(oidc_clients__accesstoken__user=request.user)
        ).values_list("pk", flat=True)
    )
    linked = set(
        Application.objects.filter(oidc_clients__isnull=False).values_list("pk", flat=True)
    )
    on_sso = [app for app in apps if app.pk in linked or app.uses_sso == "yes"]
    mine = [app for app in on_sso if app.pk in used]
    return render(
        request,
        "catalogue/launcher.html",
        {
            "mine": mine,
            "on_sso": [app for app in on_sso if app.pk not in used],
            "others": [app for app in apps if app not in on_sso],
        },
    )

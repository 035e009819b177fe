from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from . import health
from .branding import branding_css, branding_version
from .filters import ChangeLogFilterSet, OrganisationFilterSet, RunFilterSet
from .models import ChangeLogEntry, Organisation, Run
from .registry import registry
from .tables import Column, Table, TableListView

# --- Branding --------------------------------------------------------------------------------


@require_GET
def branding_stylesheet(request: HttpRequest) -> HttpResponse:
    """The regency's colours (see core/branding.py). The base layout links it with ?v=<hash>,
    so a matching request may be cached for a year; anything else for an hour."""
    response = HttpResponse(branding_css(), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == branding_version():
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=3600"
    return response


# --- OPD directory ---------------------------------------------------------------------------


class OrganisationTable(Table):
    name = Column(_("Nama"), link=True)
    short_name = Column(_("Singkatan"))
    kind = Column(_("Jenis"), accessor="get_kind_display")
    head_name = Column(_("Pimpinan"))
    phone = Column(_("Telepon"), link=lambda org: phone_url(org.phone), nowrap=True)
    email = Column(_("Email"), export_only=True)
    address = Column(_("Alamat"), export_only=True)
    website = Column(_("Situs web"), export_only=True)
    code = Column(_("Kode"), export_only=True)

    class Meta:
        caption = _("Daftar perangkat daerah dan instansi")
        empty_text = _("Tidak ada organisasi yang cocok dengan filter ini.")


def phone_url(phone: str) -> str | None:
    """A tel: link a phone can dial: "(0735) 320 502" -> "tel:0735320502"."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else None


class OrganisationListView(TableListView):
    """The public directory of the regency's organisations (/opd/)."""

    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    page_title = _("Perangkat daerah")
    page_intro = _(
        "Daftar dinas, badan, kantor, kecamatan, dan instansi lain beserta alamat dan kontaknya."
    )
    export_basename = "perangkat-daerah"

    def get_base_queryset(self) -> QuerySet:
        # Organisations are public information; inactive ones (merged or dissolved) are hidden.
        return Organisation.objects.filter(is_active=True).select_related("parent")


class OrganisationDetailView(DetailView):
    """One organisation's public page: task, head, contacts, address and sub-organisations."""

    template_name = "core/organisation_detail.html"
    context_object_name = "organisation"
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_queryset(self) -> QuerySet:
        return Organisation.objects.filter(is_active=True).select_related("parent", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context["children"] = organisation.children.filter(is_active=True).annotate(
            active_children=Count("children", filter=Q(children__is_active=True))
        )
        context["map_url"] = openstreetmap_url(organisation)
        # Blocks other apps add (its public services, applications, datasets...); each
        # returns '' to hide itself. Plain strings are escaped, rendered templates pass.
        sections = []
        for section in registry.sorted_organisation_sections():
            html = section.render(self.request, organisation)
            if html and str(html).strip():
                sections.append({"section": section, "html": conditional_escape(html)})
        context["sections"] = sections
        user = self.request.user
        context["can_see_history"] = bool(
            user.is_authenticated
            and ChangeLogEntry.objects.for_user(user).for_object(organisation).exists()
        )
        return context


def openstreetmap_url(organisation: Organisation) -> str:
    if organisation.latitude is None or organisation.longitude is None:
        return ""
    lat, lon = organisation.latitude, organisation.longitude
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"


# --- Change log ------------------------------------------------------------------------------


def _changes_text(entry: ChangeLogEntry) -> str:
    return "; ".join(f"{field}: {old!r} → {new!r}" for field, (old, new) in entry.changes.items())


class ChangeLogTable(Table):
    at = Column(_("Waktu"), nowrap=True)
    action = Column(_("Tindakan"), accessor="get_action_display", badge="action")
    object_repr = Column(_("Data"), link=lambda entry: entry_history_url(entry))
    model = Column(_("Jenis data"), accessor=lambda e: e.content_type.name.capitalize())
    organisation = Column(_("Organisasi"), accessor="organisation.short_name")
    user_name = Column(_("Pengguna"), accessor=lambda e: e.user_name or _("sistem"))
    via = Column(_("Melalui"), export_only=True)
    changes = Column(_("Perubahan"), accessor=_changes_text, export_only=True)
    ip = Column(_("Alamat IP"), export_only=True)

    class Meta:
        caption = _("Catatan perubahan data")
        empty_text = _("Belum ada perubahan yang tercatat untuk filter ini.")


def entry_history_url(entry: ChangeLogEntry) -> str:
    ct = entry.content_type
    return reverse("core:object_history", args=[f"{ct.app_label}.{ct.model}", entry.object_id])


class ChangeLogListView(LoginRequiredMixin, TableListView):
    """Every change the user may see (/perubahan/), scoped by ChangeLogEntry.objects.for_user."""

    table_class = ChangeLogTable
    filterset_class = ChangeLogFilterSet
    page_title = _("Riwayat perubahan")
    page_intro = _("Siapa mengubah apa dan kapan, untuk data organisasi yang boleh Anda lihat.")
    export_basename = "riwayat-perubahan"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not getattr(user, "is_staff_member", False):
            raise PermissionDenied(_("Halaman ini hanya untuk aparatur pengelola data."))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return ChangeLogEntry.objects.for_user(self.request.user).select_related(
            "organisation", "content_type"
        )


class ObjectHistoryView(LoginRequiredMixin, TableListView):
    """The change log of one record (/perubahan/<app_label>.<model>/<pk>/).

    The user must be allowed to see the record itself: for an OrgOwned model through
    `for_user`; for other models the entries are filtered by ChangeLogEntry's own scoping.
    A record the user may not see answers 404, exactly like one that never existed.
    """

    table_class = ChangeLogTable
    template_name = "core/object_history.html"
    export_basename = "riwayat"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not getattr(request.user, "is_staff_member", False):
            raise PermissionDenied(_("Halaman ini hanya untuk aparatur pengelola data."))
        return super().dispatch(request, *args, **kwargs)

    def resolve_target(self) -> None:
        app_label, _sep, model_name = self.kwargs["model"].partition(".")
        try:
            model = apps.get_model(app_label, model_name)
        except (LookupError, ValueError):
            raise Http404(_("Jenis data ini tidak dikenal.")) from None
        self.model_class = model
        self.content_type = ContentType.objects.get_for_model(model)
        self.object_id = self.kwargs["pk"]
        self.target = None
        manager = model._default_manager
        try:
            exists = manager.filter(pk=self.object_id).exists()
        except (ValueError, TypeError, ValidationError):
            raise Http404(_("Data ini tidak ditemukan.")) from None
        if exists and hasattr(manager.all(), "for_user"):
            # An OrgOwned record: the user must be allowed to see the record itself.
            visible = manager.all().for_user(self.request.user)
            self.target = get_object_or_404(visible, pk=self.object_id)
        elif exists:
            self.target = manager.get(pk=self.object_id)

    def get_base_queryset(self) -> QuerySet:
        self.resolve_target()
        # The entries themselves are scoped too: the change log is as confidential as the
        # records it describes, and a deleted record's history is only reachable this way.
        entries = (
            ChangeLogEntry.objects.for_user(self.request.user)
            .filter(content_type=self.content_type, object_id=str(self.object_id))
            .select_related("organisation", "content_type")
        )
        if not entries.exists():
            raise Http404(_("Riwayat data ini tidak ditemukan."))
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        latest = context["paginator"].object_list.first() if context.get("paginator") else None
        context["target"] = self.target
        context["target_repr"] = (
            str(self.target) if self.target else (latest.object_repr if latest else self.object_id)
        )
        context["model_label"] = self.model_class._meta.verbose_name
        context["entries"] = context["object_list"]
        return context


# --- Operations: health, readiness, long-job progress -----------------------------------------


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process serves requests. Touches no database (see core/health.py)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: databases, cache and task-queue storage; 503 naming what fails."""
    ready, body = health.readiness()
    return JsonResponse(body, status=200 if ready else 503)


class StaffOnlyMixin(LoginRequiredMixin):
    """Signed-in aparatur only: anonymous users go to the login page, citizens get a 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not getattr(user, "is_staff_member", False):
            raise PermissionDenied(_("Halaman ini hanya untuk aparatur pengelola data."))
        return super().dispatch(request, *args, **kwargs)


class RunTable(Table):
    title = Column(_("Pekerjaan"), link=True)
    status = Column(_("Status"), accessor="get_status_display", badge="status_badge")
    percent = Column(_("Kemajuan"), format=lambda v: "—" if v is None else f"{v}%", numeric=True)
    organisation = Column(_("Organisasi"), accessor="organisation.short_name")
    created_at = Column(_("Dibuat"))
    finished_at = Column(_("Selesai"))
    kind = Column(_("Jenis"), export_only=True)
    processed = Column(_("Diproses"), numeric=True, export_only=True)
    total = Column(_("Jumlah total"), numeric=True, export_only=True)
    created_by = Column(_("Dimulai oleh"), accessor="created_by.full_name", export_only=True)
    error = Column(_("Galat"), export_only=True)

    class Meta:
        caption = _("Pekerjaan latar belakang")
        empty_text = _("Belum ada pekerjaan yang boleh Anda lihat untuk filter ini.")


class RunListView(StaffOnlyMixin, TableListView):
    """Long jobs the user may see (/pekerjaan/): their OPD's, or all for regency roles; jobs
    without an organisation only for platform admins (Run.objects.for_user)."""

    table_class = RunTable
    filterset_class = RunFilterSet
    page_title = _("Pekerjaan latar belakang")
    page_intro = _("Sinkronisasi, impor, dan pekerjaan panjang lain beserta kemajuannya.")
    export_basename = "pekerjaan"

    def get_base_queryset(self) -> QuerySet:
        return Run.objects.for_user(self.request.user).select_related("organisation", "created_by")


class RunDetailView(StaffOnlyMixin, DetailView):
    """One job with its live progress, counters, error and log (/pekerjaan/<id>/)."""

    template_name = "core/run_detail.html"
    context_object_name = "run"

    def get_queryset(self) -> QuerySet:
        return Run.objects.for_user(self.request.user).select_related("organisation", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [
            (_("Pekerjaan latar belakang"), reverse("core:run_list")),
            (self.object.title, ""),
        ]
        return context


class RunProgressView(RunDetailView):
    """The progress block alone, for htmx polling (/pekerjaan/<id>/progres/)."""

    template_name = "components/progress.html"

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

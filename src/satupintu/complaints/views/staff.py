"""The OPD side of complaints: the inbox (every report the person's organisations handle;
all OPDs for Diskominfo, the walidata and leaders), bulk actions, and the report page with its
timeline and actions. Every read goes through Report.objects.for_user and every change through
services.py, which checks the right again per report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from satupintu.core.masking import mask_email, mask_phone, may_reveal, reveal
from satupintu.core.roles import REGENCY_READER_ROLES
from satupintu.core.tables import TableListView

from .. import services
from ..duplicates import find_duplicates
from ..filters import InboxFilter
from ..forms.staff import (
    AssignForm,
    BulkForm,
    MergeForm,
    NoteForm,
    ReassignForm,
    RevealForm,
    StatusForm,
    handling_org_ids,
)
from ..models import Report, ReportPhoto
from ..tables import InboxTable, SingleOpdInboxTable

S = Report.Status


def _refuse_non_staff(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_staff_member:
        raise PermissionDenied(_("Halaman ini hanya untuk petugas OPD."))
    return None


def _sees_all(user) -> bool:
    return bool(user.is_superuser or user.roles & REGENCY_READER_ROLES)


class InboxView(TableListView):
    table_class = InboxTable
    filterset_class = InboxFilter
    template_name = "complaints/staff/inbox.html"
    export_basename = "pengaduan"
    page_intro = gettext_lazy(
        "Laporan warga yang ditangani OPD atau wilayah Anda. Pilih beberapa laporan untuk "
        "memverifikasi, mendisposisikan atau mengubah statusnya sekaligus."
    )

    def dispatch(self, request, *args, **kwargs):
        if (refused := _refuse_non_staff(request)) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        if _sees_all(self.request.user):
            return _("Semua pengaduan (seluruh OPD)")
        return _("Pengaduan masuk")

    def get_table(self, rows):
        if "organisation" in getattr(self.filterset, "filters", {}):
            return InboxTable(rows)
        return SingleOpdInboxTable(rows)

    def get_base_queryset(self):
        return (
            Report.objects.for_user(self.request.user)
            .select_related("category", "organisation", "area_organisation")
            .order_by("-created_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["bulk_form"] = _bulk_form(user)
        context["rows"] = list(zip(context["object_list"], context["table"].rows, strict=True))
        return context


def _bulk_form(user, data=None) -> BulkForm:
    writable = Report.objects.for_user(user, write=True)
    # Officers of every organisation handling a report the person may change.
    org_ids = set(writable.order_by().values_list("organisation", flat=True).distinct()) | set(
        writable.exclude(area_organisation=None)
        .order_by()
        .values_list("area_organisation", flat=True)
        .distinct()
    )
    return BulkForm(data, visible=writable, officer_org_ids=org_ids)


@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    if (refused := _refuse_non_staff(request)) is not None:
        return refused
    form = _bulk_form(request.user, request.POST)
    back = reverse("complaints:staff_inbox")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    done, failed = [], []
    for report in data["reports"]:
        try:
            if data["action"] == "verify":
                services.change_status(report, S.VERIFIED, actor=request.user)
            elif data["action"] == "assign":
                # Each officer must belong to the organisations of that report.
                services.assign(report, data["officer"], actor=request.user)
            else:
                services.change_status(
                    report, data["status"], actor=request.user, message=data["message"]
                )
        except (ValidationError, PermissionDenied) as error:
            reason = "; ".join(getattr(error, "messages", None) or [str(error)])
            failed.append(f"{report.reference}: {reason}")
        else:
            done.append(report.reference)
    if done:
        messages.success(request, _("Berhasil: %(refs)s.") % {"refs": ", ".join(done)})
    for line in failed:
        messages.error(request, _("Tidak diubah — %(why)s") % {"why": line})
    return redirect(back)


def _load(request: HttpRequest, reference: str) -> Report:
    return get_object_or_404(
        Report.objects.for_user(request.user).select_related(
            "category", "organisation", "area_organisation", "region", "reporter", "assignee"
        ),
        reference=reference,
    )


def _forms(report: Report, request: HttpRequest, bound: dict | None = None) -> dict:
    visible = Report.objects.for_user(request.user)
    forms = {
        "status": StatusForm(report=report, prefix="status"),
        "note": NoteForm(prefix="note"),
        "assign": AssignForm(report=report, prefix="assign"),
        "reassign": ReassignForm(report=report, prefix="reassign"),
        "merge": MergeForm(report=report, visible=visible, prefix="merge"),
        "reveal": RevealForm(prefix="reveal"),
    }
    forms.update(bound or {})
    return forms


def _context(request: HttpRequest, report: Report, forms: dict, error=None) -> dict:
    from .. import lapor

    can_act = services.can_handle(report, request.user)
    duplicates = []
    if report.is_open and report.duplicate_of_id is None:
        visible = set(Report.objects.for_user(request.user).values_list("pk", flat=True)[:5000])
        duplicates = [
            d
            for d in find_duplicates(
                report.category, report.latitude, report.longitude, exclude=report
            )
            if d.pk in visible
        ]
    reporter_name = report.reporter.get_full_name() if report.reporter_id else report.contact_name
    reporter_email = report.reporter.email if report.reporter_id else report.contact_email
    reporter_phone = report.contact_phone
    return {
        "report": report,
        "updates": report.updates.select_related("author"),
        "photos": report.photos.all(),
        "followers": report.followers.count(),
        "duplicates": duplicates,
        "can_act": can_act,
        "forms": forms,
        "action_error": error,
        "reporter_rows": [
            (_("Nama"), reporter_name or _("Tidak disebutkan")),
            (_("Email"), mask_email(reporter_email)),
            (_("Telepon"), mask_phone(reporter_phone)),
            (_("Tampil di publik sebagai"), report.public_reporter_name()),
        ],
        "lapor_configured": can_act and lapor.is_configured(),
        "can_reveal": any(getattr(report, f) for f in CONTACT_FIELDS)
        and may_reveal(request.user, report),
        "handling_org_ids": handling_org_ids(report),
    }


def report_photo(request: HttpRequest, reference: str, photo_id: int) -> HttpResponse:
    """Every photo of a report the person may see as staff (public or not); never cached by
    shared caches. /media/ need not be public."""
    if (refused := _refuse_non_staff(request)) is not None:
        return refused
    report = _load(request, reference)
    photo = get_object_or_404(ReportPhoto, pk=photo_id, report=report)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=0)
    return response


def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    if (refused := _refuse_non_staff(request)) is not None:
        return refused
    report = _load(request, reference)
    return render(
        request, "complaints/staff/detail.html", _context(request, report, _forms(report, request))
    )


ACTIONS = ("status", "note", "assign", "reassign", "merge", "reveal")
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@require_POST
def report_action(request: HttpRequest, reference: str) -> HttpResponse:
    if (refused := _refuse_non_staff(request)) is not None:
        return refused
    report = _load(request, reference)
    if not services.can_handle(report, request.user):
        raise PermissionDenied(_("Anda hanya dapat membaca laporan ini."))
    action = request.POST.get("action")
    if action == "reveal":
        return _reveal_contact(request, report)
    if action not in ACTIONS:
        return render(
            request,
            "400.html",
            {"message": _("Tindakan tidak dikenal. Muat ulang halaman lalu coba lagi.")},
            status=400,
        )
    kwargs = {"prefix": action, "data": request.POST}
    if action in ("status", "assign", "reassign"):
        kwargs["report"] = report
    if action == "merge":
        kwargs.update(report=report, visible=Report.objects.for_user(request.user, write=True))
    form = {
        "status": StatusForm,
        "note": NoteForm,
        "assign": AssignForm,
        "reassign": ReassignForm,
        "merge": MergeForm,
    }[action](**kwargs)
    if form.is_valid():
        try:
            done = _apply(action, report, form.cleaned_data, request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = field if field in form.fields else None
                for message in errors:
                    form.add_error(target, message)
        else:
            messages.success(request, done)
            if not Report.objects.for_user(request.user).filter(pk=report.pk).exists():
                # Handed to an OPD outside the person's reach: back to their inbox.
                return redirect("complaints:staff_inbox")
            return redirect(report.get_absolute_url())
    context = _context(request, report, _forms(report, request, {action: form}), error=action)
    return render(request, "complaints/staff/detail.html", context, status=400)


def _reveal_contact(request: HttpRequest, report: Report) -> HttpResponse:
    """The reporter's contact in clear, for an OPD admin of the handling OPD or a platform
    admin, with a reason; every opening is logged (core.masking.reveal)."""
    form = RevealForm(request.POST, prefix="reveal")
    revealed = {}
    if form.is_valid():
        labels = {
            "contact_name": _("Nama"),
            "contact_email": _("Email"),
            "contact_phone": _("Telepon"),
        }
        try:
            for field in CONTACT_FIELDS:
                if getattr(report, field):
                    value = reveal(request.user, report, field, form.cleaned_data["reason"])
                    revealed[labels[field]] = value
        except PermissionDenied as error:
            form.add_error(None, str(error))
    context = _context(request, report, _forms(report, request, {"reveal": form}))
    context["revealed"] = list(revealed.items())
    return render(
        request, "complaints/staff/detail.html", context, status=200 if form.is_valid() else 400
    )


def _apply(action: str, report: Report, data: dict, user) -> str:
    if action == "status":
        services.change_status(
            report, data["status"], actor=user, message=data["message"], is_public=data["is_public"]
        )
        return _("Status diubah menjadi %(s)s.") % {"s": report.get_status_display()}
    if action == "note":
        services.add_note(report, actor=user, message=data["message"], is_public=data["is_public"])
        return _("Kabar dikirim ke pelapor.") if data["is_public"] else _("Catatan disimpan.")
    if action == "assign":
        services.assign(report, data["officer"], actor=user)
        return _("Laporan didisposisikan ke %(n)s.") % {"n": data["officer"].get_full_name()}
    if action == "reassign":
        services.reassign(report, data["organisation"], actor=user, reason=data["reason"])
        return _("Laporan dialihkan ke %(o)s.") % {"o": data["organisation"].name}
    services.merge(report, data["original"], actor=user)
    return _("Laporan digabung ke %(r)s.") % {"r": data["original"].reference}

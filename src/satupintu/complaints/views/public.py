"""The citizen and public side of complaints (OKU Menyapa): the report form and its
confirmation, the public list with its map, a report's public page (timeline, public photos,
rating and reopening by the reporter), tracking by number, and the JSON the map and the form's
"Laporan serupa di dekat Anda" read.

What leaves these views is public by construction: reports come from `Report.objects.public()`
(or are the viewer's own), text is the masked `public_description`, the timeline holds only
public updates, photos only public ones, and the reporter is `public_reporter_name()`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from satupintu.core.middleware import client_ip
from satupintu.core.tables import TableListView
from satupintu.core.templatetags.design import waktu

from .. import performance as performance_numbers
from .. import services
from ..duplicates import find_duplicates
from ..forms.public import HONEYPOT_FIELD, RateForm, ReopenForm, ReportForm, TrackForm
from ..geo import distance_m, inside_regency
from ..models import Category, Report, ReportFollower, ReportPhoto, ReportUpdate
from ..performance import DEFAULT_PERIOD, PERIODS
from ..public_lists import (
    PublicReportFilter,
    PublicReportTable,
    map_state,
    public_reports,
    public_url,
)
from ..publicity import mask_personal_data
from ..ratelimit import check_submission_rate

# The browser session remembers the last reports it sent, so an anonymous reporter sees the
# confirmation page (and a private report's page) without an account.
SESSION_KEY = "complaints_sent"
SESSION_KEEP = 20
MAP_LIMIT = 1000
SIMILAR_LIMIT = 5


def map_settings() -> dict:
    south, west, north, east = settings.COMPLAINTS["bbox"]
    return {
        "tile_url": settings.COMPLAINTS["map_tile_url"],
        # Strings, not floats: templates localise floats ("-4,62" in Indonesian), which
        # parseFloat() in the map scripts would read as -4.
        "south": repr(float(south)),
        "west": repr(float(west)),
        "north": repr(float(north)),
        "east": repr(float(east)),
    }


def _remember(request: HttpRequest, report: Report) -> None:
    sent = [ref for ref in request.session.get(SESSION_KEY, []) if ref != report.reference]
    request.session[SESSION_KEY] = [report.reference, *sent][:SESSION_KEEP]


def _sent_in_this_session(request: HttpRequest, reference: str) -> bool:
    return reference in request.session.get(SESSION_KEY, [])


def is_reporter(request: HttpRequest, report: Report) -> bool:
    user = request.user
    return bool(user.is_authenticated and report.reporter_id == user.pk)


def _errors_to_form(form: ReportForm, error: ValidationError) -> None:
    """Put the service's ValidationError on the form: at its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            if field in ("region", "location"):
                target = "district"
            elif field.startswith("attribute["):
                # services name Open311 attributes attribute[<code>]; the form's field is per
                # category.
                code = field[len("attribute[") : -1]
                name = f"attribute__{form.cleaned_data['category'].code}__{code}"
                target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, user=user)
        status = 400
        if form.is_valid():
            try:
                check_submission_rate(user, client_ip(request))
                report = services.submit_report(
                    category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    channel=Report.Channel.WEB,
                    reporter=user if user.is_authenticated else None,
                    contact=form.contact(),
                    latitude=form.cleaned_data["latitude"],
                    longitude=form.cleaned_data["longitude"],
                    address=form.cleaned_data["address"],
                    region=form.cleaned_data["region"],
                    is_anonymous=form.cleaned_data["is_anonymous"],
                    is_public=form.cleaned_data["is_public"],
                    photos=form.cleaned_data["photos"],
                    attributes=form.attributes(),
                )
            except ValidationError as error:
                if getattr(error, "code", "") == "rate_limited":
                    status = 429
                _errors_to_form(form, error)
            else:
                _remember(request, report)
                return redirect("complaints:public:report_sent", reference=report.reference)
    else:
        form = ReportForm(user=user, initial=_initial_from_query(request))
        status = 200
    return render(
        request,
        "complaints/public/report_form.html",
        {
            "form": form,
            "map": map_settings(),
            "honeypot": form[HONEYPOT_FIELD],
            "crumbs": [
                (_("Beranda"), "/"),
                (_("Pengaduan"), reverse("complaints:public:report_list")),
                (_("Lapor"), ""),
            ],
        },
        status=status,
    )


def _initial_from_query(request: HttpRequest) -> dict:
    # "Lapor masalah jalan" links from elsewhere preselect the category: ?kategori=jalan-rusak
    code = request.GET.get("kategori", "")[:60]
    if code and Category.objects.filter(code=code, is_active=True).exists():
        return {"category": code, "is_public": True}
    return {"is_public": True}


@require_GET
def report_sent(request: HttpRequest, reference: str) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("category", "organisation", "area_organisation"),
        reference=reference,
    )
    if not (_sent_in_this_session(request, reference) or is_reporter(request, report)):
        # The confirmation is for the browser that sent the report; others see the public page.
        if report.is_public and report.duplicate_of_id is None:
            return redirect(public_url(report))
        raise Http404
    return render(
        request,
        "complaints/public/report_sent.html",
        {"report": report, "crumbs": [(_("Beranda"), "/"), (_("Laporan terkirim"), "")]},
    )


class PublicReportList(TableListView):
    table_class = PublicReportTable
    filterset_class = PublicReportFilter
    template_name = "complaints/public/report_list.html"
    paginate_by = 20
    export_basename = "pengaduan-publik"

    def get_base_queryset(self) -> QuerySet:
        return public_reports().order_by("-created_at", "-pk")

    def get_page_title(self):
        return _("Pengaduan warga")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        context.update(
            map=map_settings(),
            map_src=reverse("complaints:public:report_map")
            + (f"?{query.urlencode()}" if query else ""),
            crumbs=[(_("Beranda"), "/"), (_("Pengaduan"), "")],
        )
        return context


report_list = PublicReportList.as_view()


@require_GET
def report_map(request: HttpRequest) -> JsonResponse:
    """Points of the public reports matching the list's filters: no personal data, no text
    beyond the title (the report page has the rest)."""
    filterset = PublicReportFilter(request.GET, queryset=public_reports(), request=request)
    if not filterset.is_valid():
        errors = [
            {"field": field, "message": str(message)}
            for field, messages_ in filterset.form.errors.items()
            for message in messages_
        ]
        return JsonResponse({"detail": _("Filter belum benar."), "errors": errors}, status=400)
    rows = filterset.qs.filter(latitude__isnull=False, longitude__isnull=False).order_by(
        "-created_at", "-pk"
    )[:MAP_LIMIT]
    results = [
        {
            "reference": report.reference,
            "title": report.title,
            "category": report.category.name,
            "status": report.status,
            "status_label": report.get_status_display(),
            "state": map_state(report),
            "latitude": float(report.latitude),
            "longitude": float(report.longitude),
            "url": public_url(report),
        }
        for report in rows
    ]
    return JsonResponse({"count": len(results), "limit": MAP_LIMIT, "results": results})


@require_GET
def similar_reports(request: HttpRequest) -> JsonResponse:
    """ "Laporan serupa di dekat Anda": open public reports of the category near the pin."""
    code = request.GET.get("kategori", "")[:60]
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return JsonResponse({"detail": _("Jenis masalah tidak dikenal.")}, status=400)
    try:
        latitude = float(request.GET.get("lat", ""))
        longitude = float(request.GET.get("lon", ""))
    except ValueError:
        return JsonResponse({"detail": _("Koordinat harus berupa angka.")}, status=400)
    if not inside_regency(latitude, longitude):
        return JsonResponse({"count": 0, "results": []})
    found = [r for r in find_duplicates(category, latitude, longitude) if r.is_public]
    results = [
        {
            "reference": report.reference,
            "title": report.title,
            "status": report.get_status_display(),
            "distance_m": round(distance_m(latitude, longitude, report.latitude, report.longitude)),
            "url": public_url(report),
        }
        for report in found[:SIMILAR_LIMIT]
    ]
    return JsonResponse({"count": len(results), "results": results})


def _visible_report(request: HttpRequest, reference: str) -> Report:
    """A public report, or the viewer's own (a private one is seen by its reporter only)."""
    report = get_object_or_404(
        Report.objects.select_related(
            "category", "organisation", "area_organisation", "region", "reporter"
        ),
        reference=reference,
    )
    if (
        report.is_public
        or is_reporter(request, report)
        or _sent_in_this_session(request, reference)
    ):
        return report
    raise Http404


def _can_reopen(report: Report) -> bool:
    # services.reopen accepts a resolved report within the window (closed is final).
    if report.status != Report.Status.RESOLVED or report.resolved_at is None:
        return False
    return timezone.now() <= report.resolved_at + dt.timedelta(
        days=settings.COMPLAINTS["reopen_days"]
    )


def _facts(report: Report) -> list[tuple[str, str]]:
    """The key facts of a report's public page: nothing personal (the typed address is masked,
    the reporter is a first name or "Anonim")."""
    facts = [
        (_("Jenis masalah"), report.category.name),
        (_("Ditangani oleh"), report.organisation.name),
    ]
    if report.area_organisation_id:
        facts.append((_("Diteruskan juga ke"), report.area_organisation.name))
    if report.region_id:
        facts.append((_("Wilayah"), report.region.name))
    if report.address:
        facts.append((_("Patokan lokasi"), mask_personal_data(report.address)))
    if report.latitude is not None and report.longitude is not None:
        facts.append((_("Koordinat"), f"{report.latitude}, {report.longitude}"))
    facts += [
        (_("Pelapor"), report.public_reporter_name()),
        (_("Dikirim"), waktu(report.created_at)),
    ]
    if report.is_open:
        facts.append((_("Batas tanggapan"), waktu(report.response_due)))
        facts.append((_("Target selesai"), waktu(report.completion_due)))
    if report.resolved_at:
        facts.append((_("Selesai ditangani"), waktu(report.resolved_at)))
    if report.rating:
        facts.append((_("Penilaian pelapor"), _("%(rating)s dari 5") % {"rating": report.rating}))
    return facts


def _detail_context(request: HttpRequest, report: Report, **forms) -> dict:
    own = is_reporter(request, report)
    photos = ReportPhoto.objects.filter(report=report)
    can_rate = (
        own
        and report.status in (Report.Status.RESOLVED, Report.Status.CLOSED)
        and (report.rating is None)
    )
    can_reopen = own and _can_reopen(report)
    following = (
        request.user.is_authenticated
        and not own
        and ReportFollower.objects.filter(report=report, user=request.user).exists()
    )
    return {
        "report": report,
        "own": own,
        "facts": _facts(report),
        "timeline": ReportUpdate.objects.filter(report=report, is_public=True).order_by(
            "created_at", "pk"
        ),
        # The reporter also sees the photos the OPD kept out of public view.
        "photos": photos if own else photos.filter(is_public=True),
        "map": map_settings(),
        "can_rate": can_rate,
        "rate_form": forms.get("rate_form") or (RateForm() if can_rate else None),
        "can_reopen": can_reopen,
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if can_reopen else None),
        "reopen_until": (
            report.resolved_at + dt.timedelta(days=settings.COMPLAINTS["reopen_days"])
            if can_reopen
            else None
        ),
        "following": following,
        "can_follow": request.user.is_authenticated and not own and report.is_open,
        "crumbs": [
            (_("Beranda"), "/"),
            (_("Pengaduan"), reverse("complaints:public:report_list")),
            (report.reference, ""),
        ],
    }


@require_GET
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = _visible_report(request, reference)
    if report.duplicate_of_id and report.duplicate_of.is_public:
        messages.info(
            request,
            _(
                "Laporan %(reference)s digabung dengan laporan ini, yang membahas masalah yang "
                "sama. Kabar selanjutnya ada di sini."
            )
            % {"reference": report.reference},
        )
        return redirect(public_url(report.duplicate_of))
    return render(request, "complaints/public/report_detail.html", _detail_context(request, report))


def _refused(request: HttpRequest, form, error: ValidationError) -> None:
    """The service refused (already rated, window passed): the message goes on the form and,
    since the page may no longer show that form, into the page's alerts too."""
    for message in error.messages:
        form.add_error(None, message)
        messages.error(request, message)


@require_GET
def report_photo(request: HttpRequest, reference: str, photo_id: int) -> FileResponse:
    """A report's photo, served through the same visibility check as its page (public photos
    of public reports; the reporter also sees their own), so /media/ never needs to be public
    for complaint photos and a private photo cannot be fetched by guessing its address."""
    report = _visible_report(request, reference)
    photo = get_object_or_404(ReportPhoto, pk=photo_id, report=report)
    own = is_reporter(request, report) or _sent_in_this_session(request, reference)
    if not (photo.is_public and report.is_public) and not own:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    if report.is_public and photo.is_public:
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, max_age=0)
    return response


def _own_report(request: HttpRequest, reference: str) -> Report:
    report = get_object_or_404(Report, reference=reference)
    if not is_reporter(request, report):
        raise PermissionDenied(_("Hanya pelapor yang dapat melakukan ini."))
    return report


@login_required
@require_POST
def report_rate(request: HttpRequest, reference: str) -> HttpResponse:
    report = _own_report(request, reference)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                report,
                user=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Terima kasih, penilaian Anda sudah kami terima."))
            return redirect(public_url(report))
    report.refresh_from_db()
    return render(
        request,
        "complaints/public/report_detail.html",
        _detail_context(request, report, rate_form=form),
        status=400,
    )


@login_required
@require_POST
def report_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    report = _own_report(request, reference)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(report, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, _("Laporan dibuka kembali dan dikirim lagi ke petugas."))
            return redirect(public_url(report))
    report.refresh_from_db()
    return render(
        request,
        "complaints/public/report_detail.html",
        _detail_context(request, report, reopen_form=form),
        status=400,
    )


@login_required
@require_POST
def report_follow(request: HttpRequest, reference: str) -> HttpResponse:
    """Follow a public report instead of sending the same one again."""
    report = get_object_or_404(Report.objects.public(), reference=reference)
    if request.POST.get("berhenti"):
        ReportFollower.objects.filter(report=report, user=request.user).delete()
        messages.success(request, _("Anda tidak lagi mengikuti laporan ini."))
    else:
        ReportFollower.objects.get_or_create(report=report, user=request.user)
        messages.success(
            request, _("Anda mengikuti laporan ini: setiap kabar baru dikirim ke email Anda.")
        )
    return redirect(public_url(report))


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """Find a report by its tracking number. A private report shows only its status."""
    form = TrackForm(request.GET or None)
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = Report.objects.filter(reference=form.cleaned_data["reference"]).first()
            if found is None:
                form.add_error(
                    "reference",
                    _(
                        "Nomor tiket %(reference)s tidak ditemukan. Periksa lagi penulisannya "
                        "(contoh: ADU-2611-00042)."
                    )
                    % {"reference": form.cleaned_data["reference"]},
                )
                status = 404
            elif (
                found.is_public
                or is_reporter(request, found)
                or _sent_in_this_session(request, found.reference)
            ):
                return redirect(public_url(found))
        else:
            status = 400
    return render(
        request,
        "complaints/public/track.html",
        {
            "form": form,
            "found": found if form.is_bound and not form.errors else None,
            "found_facts": (
                [
                    (_("Status"), found.get_status_display()),
                    (_("Dikirim"), waktu(found.created_at)),
                    (_("Terakhir diperbarui"), waktu(found.updated_at)),
                ]
                if found is not None
                else []
            ),
            "crumbs": [
                (_("Beranda"), "/"),
                (_("Pengaduan"), reverse("complaints:public:report_list")),
                (_("Lacak laporan"), ""),
            ],
        },
        status=status,
    )


@require_GET
def performance(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("periode", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    rows = performance_numbers.cached(period)
    return render(
        request,
        "complaints/public/performance.html",
        {
            "rows": rows,
            "total": performance_numbers.totals(rows),
            "chart": performance_numbers.chart_data(rows),
            "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
            "period": period,
            "period_label": PERIODS[period][0],
            "crumbs": [
                (_("Beranda"), "/"),
                (_("Pengaduan"), reverse("complaints:public:report_list")),
                (_("Kinerja penanganan"), ""),
            ],
        },
    )

"""Rating a resolution through the signed link of the "resolved" e-mail (rating_links.py): the
page for a reporter without an account. An altered, foreign or expired link gets a page that
says so and what to do instead (400 or 410), never an error; a report already rated says so.

The page shows what the reporter already knows and nothing more: the tracking number, the
title as published, the handling OPD and the resolution date; not the description, contact or
photos (the link may be forwarded). It is not cached and not indexed by search engines.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from satupintu.core.templatetags.design import waktu

from .. import services
from ..forms.public import RateForm
from ..models import Report
from ..rating_links import RATING_LINK_DAYS, LinkExpired, LinkInvalid, read_token


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault(
        "crumbs",
        [
            (_("Beranda"), "/"),
            (_("Pengaduan"), reverse("complaints:public:report_list")),
            (_("Beri penilaian"), ""),
        ],
    )
    response = render(request, "complaints/public/rate_by_link.html", context, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def _refusal(request: HttpRequest, reference: str, expired: bool) -> HttpResponse:
    if expired:
        problem = _(
            "Tautan penilaian ini sudah kedaluwarsa: tautan berlaku %(days)d hari sejak "
            "laporan dinyatakan selesai."
        ) % {"days": RATING_LINK_DAYS}
    else:
        problem = _(
            "Tautan penilaian ini tidak sah: mungkin terpotong atau berubah saat disalin. Buka "
            "lagi tautan dari email Anda, atau salin seluruhnya ke peramban."
        )
    return _page(
        request,
        {
            "problem": problem,
            "reference": reference,
            "track_url": reverse("complaints:public:track")
            + "?"
            + urlencode({"reference": reference[:40]}),
        },
        status=410 if expired else 400,
    )


@require_http_methods(["GET", "POST"])
def report_rate_by_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    try:
        report = read_token(reference, token)
    except LinkExpired:
        return _refusal(request, reference, expired=True)
    except LinkInvalid:
        return _refusal(request, reference, expired=False)
    if report.reporter_id is not None:
        # A reporter with an account rates on the report page, signed in.
        return redirect(reverse("complaints:public:report_detail", args=[report.reference]))

    form = RateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate(
                    report,
                    user=None,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    signed_link=True,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Terima kasih, penilaian Anda sudah kami terima."))
                return redirect(request.path)
        return _page(request, _context(report, form), status=400)
    return _page(request, _context(report, form))


def _context(report: Report, form: RateForm) -> dict:
    return {
        "report": report,
        "form": form,
        "rateable": _rateable(report),
        "facts": [
            (_("Nomor tiket"), report.reference),
            (_("Ditangani oleh"), report.organisation.name),
            (_("Status"), report.get_status_display()),
            (_("Selesai ditangani"), waktu(report.resolved_at) if report.resolved_at else "-"),
        ],
    }


def _rateable(report: Report) -> bool:
    return (
        report.rating is None
        and report.duplicate_of_id is None
        and report.status in (Report.Status.RESOLVED, Report.Status.CLOSED)
    )

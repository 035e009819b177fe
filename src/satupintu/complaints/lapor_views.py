"""The staff action "Teruskan ke LAPOR!" (a POST from the report's staff page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import lapor
from .models import Report


@login_required
@require_POST
def forward_to_lapor(request: HttpRequest, reference: str) -> HttpResponse:
    # Only those who may handle the report (its OPD, its area, platform admins) may forward
    # it; anyone else gets the same 404 as for a report that does not exist.
    report = get_object_or_404(
        Report.objects.for_user(request.user, write=True).select_related(
            "category", "organisation", "region"
        ),
        reference=reference,
    )
    if not lapor.is_configured():
        messages.error(request, _("Penerusan ke SP4N-LAPOR! belum diatur oleh admin platform."))
    else:
        try:
            report = lapor.forward(report, actor=request.user)
        except lapor.LaporError as exc:
            messages.error(request, _("Belum diteruskan ke LAPOR!: %(why)s") % {"why": exc})
        else:
            messages.success(
                request,
                _("Laporan diteruskan ke SP4N-LAPOR! dengan nomor %(id)s.")
                % {"id": report.lapor_id},
            )
    return redirect(report.get_absolute_url())

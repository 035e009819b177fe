"""The walidata's side: the verification queue, approve or return with a note, and the
declassification of a personal-data column with a logged reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..forms import DeclassifyForm, ReviewForm
from ..models import Dataset, Variable
from .common import walidata_required


@walidata_required
def review_queue(request):
    submitted = (
        Dataset.objects.for_user(request.user)
        .filter(status=Dataset.Status.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at")
    )
    return render(request, "data/review_queue.html", {"datasets": submitted})


@walidata_required
def dataset_review(request, slug: str):
    dataset = get_object_or_404(
        Dataset.objects.for_user(request.user).exclude(status=Dataset.Status.DRAFT), slug=slug
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                dataset.approve(request.user, note)
                messages.success(
                    request, _("Dataset diterbitkan (versi %(v)d).") % {"v": dataset.version}
                )
            else:
                dataset.return_to_draft(request.user, note)
                messages.success(request, _("Dataset dikembalikan ke OPD."))
            return redirect("data:review_queue")
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
    variables = Variable.objects.filter(resource__dataset=dataset).select_related("resource")
    return render(
        request,
        "data/dataset_review.html",
        {
            "dataset": dataset,
            "form": form,
            "variables": variables,
            "blocked": dataset.blocked_personal_columns(),
        },
    )


@walidata_required
def variable_declassify(request, pk: int):
    variable = get_object_or_404(
        Variable.objects.select_related("resource__dataset").exclude(personal_kind=""), pk=pk
    )
    dataset = variable.resource.dataset
    if not Dataset.objects.for_user(request.user).filter(pk=dataset.pk).exists():
        raise PermissionDenied(_("Dataset ini belum diajukan ke walidata."))
    form = DeclassifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        variable.declassified = True
        variable.declassified_reason = form.cleaned_data["reason"]
        variable.declassified_by = request.user
        variable.declassified_at = timezone.now()
        variable.save()  # Audited: the reason and who lands in the change log
        messages.success(request, _("Kolom %(c)s dideklasifikasi.") % {"c": variable.name})
        return redirect("data:dataset_review", dataset.slug)
    return render(
        request,
        "data/form.html",
        {
            "form": form,
            "title": _("Deklasifikasi kolom %(c)s (%(k)s)")
            % {"c": variable.name, "k": variable.get_personal_kind_display()},
        },
    )

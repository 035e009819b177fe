"""The OPD side (produsen data): datasets, sources (test connection, schema browser),
resources with column mapping, "sync now", run reports, metadata, submit for verification.
Every object is loaded through for_user(user, write=True): another OPD gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from satupintu.core.models import Run
from satupintu.core.tables import TableListView

from ..aggregation import AggregationError, aggregate
from ..connectors import ConnectorError, connector_for
from ..filters import DatasetFilterSet, SourceFilterSet
from ..forms import (
    ActivityMetadataForm,
    AggregateForm,
    DatasetForm,
    IndicatorForm,
    ResourceForm,
    SourceForm,
    VariableFormSet,
)
from ..models import Dataset, Source, ValidationIssue
from ..sync import RUN_KIND, describe_source
from ..tables import DatasetTable, SourceTable
from ..tasks import queue_sync
from .common import own_dataset, own_resource, own_source, staff_required


def _form_page(request, form, *, title: str, saved: str, next_url, save=None, multipart=False):
    """The shape every workspace edit page shares: show the form; on a valid POST save it
    (`save(form)` when saving needs more than form.save()), say so and go to `next_url(obj)`."""
    if request.method == "POST" and form.is_valid():
        obj = save(form) if save else form.save()
        messages.success(request, saved)
        return redirect(next_url(obj))
    return render(request, "data/form.html", {"form": form, "title": title, "multipart": multipart})


@staff_required
def workspace(request):
    user = request.user
    datasets = Dataset.objects.for_user(user, write=True).select_related("organisation")
    sources = Source.objects.for_user(user, write=True)
    runs = Run.objects.for_user(user).filter(kind=RUN_KIND).order_by("-created_at")[:10]
    return render(
        request,
        "data/workspace.html",
        {
            "datasets": datasets,
            "sources": sources,
            "runs": runs,
        },
    )


@staff_required
def dataset_form(request, slug: str | None = None):
    dataset = own_dataset(request, slug) if slug else None
    return _form_page(
        request,
        DatasetForm(request.POST or None, instance=dataset, user=request.user),
        title=_("Ubah dataset") if dataset else _("Dataset baru"),
        saved=_("Dataset tersimpan."),
        next_url=lambda saved: reverse("data:dataset_manage", args=[saved.slug]),
    )


@staff_required
def dataset_manage(request, slug: str):
    dataset = own_dataset(request, slug)
    return render(
        request,
        "data/dataset_manage.html",
        {
            "dataset": dataset,
            "resources": dataset.resources.select_related("source", "last_run"),
            "blocked": dataset.blocked_personal_columns(),
        },
    )


@staff_required
@require_POST
def dataset_submit(request, slug: str):
    dataset = own_dataset(request, slug)
    try:
        dataset.submit(request.user)
        messages.success(request, _("Dataset diajukan ke walidata untuk diverifikasi."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("data:dataset_manage", dataset.slug)


@staff_required
def resource_form(request, slug: str, pk: int | None = None):
    dataset = own_dataset(request, slug)
    resource = own_resource(request, slug, pk) if pk else None
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=resource,
        user=request.user,
        dataset=dataset,
    )
    return _form_page(
        request,
        form,
        title=_("Sumber daya untuk %(ds)s") % {"ds": dataset.title},
        saved=_("Sumber daya tersimpan."),
        next_url=lambda saved: reverse("data:dataset_manage", args=[dataset.slug]),
        multipart=True,
    )


@staff_required
def resource_mapping(request, slug: str, pk: int):
    resource = own_resource(request, slug, pk)
    if request.method == "POST" and "describe" in request.POST:
        try:
            created = describe_source(resource, request.user)
            messages.success(
                request, _("%(n)d kolom baru dibaca dari sumber.") % {"n": len(created)}
            )
        except ConnectorError as exc:
            messages.error(request, str(exc))
        return redirect("data:resource_mapping", slug, pk)
    formset = VariableFormSet(request.POST or None, queryset=resource.variables.all())
    if request.method == "POST" and formset.is_valid():
        for form in formset.forms:
            variable = form.instance
            # Publishing a personal-data column needs the walidata's declassification.
            if (
                form.cleaned_data.get("personal_kind")
                and form.cleaned_data.get("is_published")
                and not variable.declassified
            ):
                messages.warning(
                    request,
                    _(
                        "Kolom %(c)s berisi data pribadi: kolom ini tidak "
                        "ikut terbit sebelum walidata mendeklasifikasinya."
                    )
                    % {"c": variable.name},
                )
        formset.save()
        messages.success(request, _("Pemetaan kolom tersimpan."))
        return redirect("data:resource_mapping", slug, pk)
    return render(
        request,
        "data/resource_mapping.html",
        {
            "resource": resource,
            "dataset": resource.dataset,
            "formset": formset,
        },
    )


@staff_required
@require_POST
def resource_sync(request, slug: str, pk: int):
    resource = own_resource(request, slug, pk)
    if resource.source_id is None:
        messages.error(request, _("Sumber daya ini belum punya sumber data."))
        return redirect("data:dataset_manage", slug)
    run = queue_sync(resource, request.user, full=bool(request.POST.get("full")))
    return redirect("data:run_report", run.pk)


@staff_required
def run_report(request, pk: int):
    run = get_object_or_404(Run.objects.for_user(request.user).filter(kind=RUN_KIND), pk=pk)
    issues = ValidationIssue.objects.filter(run=run).select_related("resource")[:500]
    return render(request, "data/run_report.html", {"run": run, "issues": issues})


class _OwnOpdListView(TableListView):
    """A filterable, exportable list of what the user's OPD owns (for_user(write=True))."""

    model: type

    def get_base_queryset(self):
        return self.model.objects.for_user(self.request.user, write=True).select_related(
            "organisation"
        )


@method_decorator(staff_required, name="dispatch")
class SourceListView(_OwnOpdListView):
    """The OPD's sources, filterable and exportable (passwords are never listed)."""

    model = Source
    table_class = SourceTable
    filterset_class = SourceFilterSet
    page_title = _lazy("Sumber data")
    page_intro = _lazy("Basis data, berkas, dan API tempat data OPD diambil secara berkala.")
    export_basename = "sumber-data"


@method_decorator(staff_required, name="dispatch")
class DatasetListView(_OwnOpdListView):
    """Every dataset the user's OPD owns, with its workflow status."""

    model = Dataset
    table_class = DatasetTable
    filterset_class = DatasetFilterSet
    page_title = _lazy("Dataset OPD")
    page_intro = _lazy("Dataset yang dikelola OPD Anda, dari draf sampai terbit.")
    export_basename = "dataset-opd"


@staff_required
def source_form(request, pk: int | None = None):
    source = own_source(request, pk) if pk else None
    return _form_page(
        request,
        SourceForm(request.POST or None, request.FILES or None, instance=source, user=request.user),
        title=_("Ubah sumber data") if source else _("Sumber data baru"),
        saved=_("Sumber data tersimpan."),
        next_url=lambda saved: reverse("data:source_detail", args=[saved.pk]),
        multipart=True,
    )


@staff_required
def source_detail(request, pk: int):
    source = own_source(request, pk)
    tables = None
    if request.method == "POST":
        connector = None
        try:
            connector = connector_for(source)
            message = connector.test()
            ok = True
            if "browse" in request.POST:
                tables = connector.tables()
        except ConnectorError as exc:
            message, ok = str(exc), False
        finally:
            if connector is not None:
                connector.close()
        Source.objects.filter(pk=source.pk).update(
            last_checked_at=timezone.now(), last_check_ok=ok, last_check_message=message
        )
        source.refresh_from_db()
        (messages.success if ok else messages.error)(request, message)
    resources = source.resources.select_related("dataset", "last_run")
    return render(
        request,
        "data/source_detail.html",
        {
            "source": source,
            "tables": tables,
            "resources": resources,
        },
    )


@staff_required
def resource_aggregate(request, slug: str, pk: int):
    """Make a publishable table of counts out of a table of people (the personal columns stay
    in the datastore; only the counts go into the chosen dataset)."""
    resource = own_resource(request, slug, pk)
    form = AggregateForm(request.POST or None, resource=resource, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = aggregate(
                resource,
                data["target"],
                name=data["name"],
                region=data["region"] or None,
                sex=data["sex"] or None,
                birth_date=data["birth_date"] or None,
            )
        except AggregationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Tabel agregat %(n)s dibuat (%(r)d baris).")
                % {"n": result.name, "r": result.row_count},
            )
            return redirect("data:dataset_manage", data["target"].slug)
    return render(
        request,
        "data/form.html",
        {
            "form": form,
            "title": _("Agregasi data pribadi: %(r)s") % {"r": resource.name},
        },
    )


@staff_required
def activity_form(request, slug: str):
    dataset = own_dataset(request, slug)
    return _form_page(
        request,
        ActivityMetadataForm(request.POST or None, instance=getattr(dataset, "activity", None)),
        title=_("Metadata kegiatan (MS-Keg)"),
        saved=_("Metadata kegiatan (MS-Keg) tersimpan."),
        next_url=lambda saved: reverse("data:dataset_manage", args=[slug]),
        save=lambda form: _save_for_dataset(form, dataset),
    )


@staff_required
def indicator_form(request, slug: str):
    dataset = own_dataset(request, slug)
    return _form_page(
        request,
        IndicatorForm(request.POST or None, dataset=dataset),
        title=_("Metadata indikator (MS-Ind)"),
        saved=_("Metadata indikator (MS-Ind) tersimpan."),
        next_url=lambda saved: reverse("data:dataset_manage", args=[slug]),
        save=lambda form: _save_for_dataset(form, dataset),
    )


def _save_for_dataset(form, dataset):
    """Save a metadata form (MS-Keg, MS-Ind) as belonging to `dataset`."""
    obj = form.save(commit=False)
    obj.dataset = dataset
    obj.save()
    form.save_m2m()
    return obj

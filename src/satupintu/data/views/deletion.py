"""Delete pages for resources and sources: a confirmation that says what goes and what stays,
scoped to the user's OPD (another OPD's object is a 404), written to the change log (the models
are Audited), and never touching what the walidata published."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import datastore
from ..models import Dataset
from .common import own_resource, own_source, staff_required


def _confirm(request, *, title: str, back: str, consequences=(), blocked: str = ""):
    return render(
        request,
        "components/confirm_delete.html",
        {
            "page_title": title,
            "back_href": back,
            "consequences": list(consequences),
            "blocked": blocked,
        },
        status=409 if blocked and request.method == "POST" else 200,
    )


@staff_required
def resource_delete(request, slug: str, pk: int):
    resource = own_resource(request, slug, pk)
    dataset = resource.dataset
    back = reverse("data:dataset_manage", args=[dataset.slug])
    title = _("Hapus sumber daya %(name)s") % {"name": resource.name}
    if dataset.status == Dataset.Status.PUBLISHED:
        # What is published stays exactly as the walidata approved it.
        blocked = _(
            "Dataset ini sedang terbit, jadi sumber dayanya tidak dapat dihapus langsung. "
            "Minta walidata mengarsipkan dataset ini terlebih dahulu, lalu hapus sumber daya "
            "dan ajukan kembali."
        )
        return _confirm(request, title=title, back=back, blocked=blocked)
    consequences = []
    if resource.has_table:
        consequences.append(
            _("Tabel datastore (%(rows)s baris), riwayat sinkronisasi dan laporan validasinya.")
            % {"rows": resource.row_count}
        )
    consequences.append(_("Kamus data (%(n)d kolom).") % {"n": resource.variables.count()})
    if dataset.version:
        consequences.append(
            _("Salinan data versi terbit sebelumnya (versi 1–%(v)d) tetap disimpan.")
            % {"v": dataset.version}
        )
    if request.method != "POST":
        return _confirm(request, title=title, back=back, consequences=consequences)
    resource_id, name = resource.pk, resource.name
    with transaction.atomic():
        resource.delete()
        # The datastore is another database: drop the tables once the delete is committed.
        transaction.on_commit(lambda: datastore.drop_working_tables(resource_id))
    messages.success(request, _("Sumber daya %(name)s dihapus.") % {"name": name})
    return redirect(back)


@staff_required
def source_delete(request, pk: int):
    source = own_source(request, pk)
    back = reverse("data:source_detail", args=[source.pk])
    title = _("Hapus sumber data %(name)s") % {"name": source.name}
    resources = list(source.resources.select_related("dataset"))
    consequences = [
        _(
            "%(resource)s (dataset %(dataset)s) tidak lagi disinkronkan; data yang sudah dimuat "
            "dan yang sudah terbit tetap ada."
        )
        % {"resource": r.name, "dataset": r.dataset.title}
        for r in resources
    ]
    if source.file:
        consequences.append(_("Berkas sumber yang diunggah ikut dihapus dari server."))
    if source.kind in source.DATABASE_KINDS:
        consequences.append(_("Kata sandi koneksi yang tersimpan ikut dihapus."))
    if request.method != "POST":
        return _confirm(request, title=title, back=back, consequences=consequences)
    name, stored_file = source.name, source.file.name if source.file else ""
    storage = source.file.storage
    with transaction.atomic():
        source.delete()  # resources keep their tables: Resource.source is SET_NULL
        if stored_file:
            transaction.on_commit(lambda: storage.delete(stored_file))
    messages.success(request, _("Sumber data %(name)s dihapus.") % {"name": name})
    return redirect("data:source_list")

"""Registry management pages: an OPD admin registers their organisation's systems and services,
issues API keys for their client systems, and grants other OPDs' systems access to their
services. Every object is loaded through `for_user` (another OPD's rows answer 404)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.core.models import Organisation

from . import access
from .forms import AccessRightForm, CredentialForm, MemberForm, ServiceForm, SubsystemForm
from .granting import save_access_right
from .models import AccessRight, Credential, HealthCheck, Member, Service, Subsystem


def staff_view(view):
    """Anonymous visitors go to the login page before any object is looked up (so they get a
    redirect, not a 404); signed-in users without a gateway role get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (denied := access.require_staff(request)) is not None:
            return denied
        return view(request, *args, **kwargs)

    return wrapped


def _render_form(request, form, title: str, intro: str = "", back: str = "") -> HttpResponse:
    return render(
        request,
        "gateway/form.html",
        {"form": form, "page_title": title, "page_intro": intro, "back_url": back},
    )


@staff_view
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    members = list(Member.objects.for_user(user).select_related("organisation"))
    subsystems = list(
        Subsystem.objects.for_user(user).select_related("member").prefetch_related("services")
    )
    received = (
        AccessRight.objects.visible_to(user)
        .exclude(organisation_id__in=[m.organisation_id for m in members])
        .select_related("client__member", "service__subsystem__member")
    )
    admin_ids = (
        set(Organisation.objects.values_list("pk", flat=True))
        if user.is_platform_admin
        else access.admin_organisation_ids(user)
    )
    registered = {m.organisation_id for m in members}
    return render(
        request,
        "gateway/overview.html",
        {
            "members": members,
            "subsystems": subsystems,
            "received": received,
            "can_register": bool(admin_ids - registered),
            "managed_ids": admin_ids,
            "gateway_url": settings.GATEWAY["public_url"],
        },
    )


@staff_view
def member_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations = Organisation.objects.exclude(pk__in=Member.objects.values("organisation_id"))
    if not user.is_platform_admin:
        organisations = organisations.filter(pk__in=access.admin_organisation_ids(user))
    if not organisations.exists() and not Member.objects.for_user(user).exists():
        raise PermissionDenied
    form = MemberForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(
            request,
            _("%(org)s terdaftar sebagai anggota %(id)s.")
            % {"org": member.organisation, "id": member.identifier},
        )
        return redirect("gateway:overview")
    return _render_form(
        request,
        form,
        _("Daftarkan OPD di gerbang"),
        _("Kode anggota dipakai di alamat setiap layanan OPD ini."),
        back="gateway:overview",
    )


@staff_view
def subsystem_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = get_object_or_404(Member.objects.for_user(request.user), pk=member_pk)
    if (denied := access.require_manage(request, member.organisation_id)) is not None:
        return denied
    form = SubsystemForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        subsystem = form.save()
        messages.success(request, _("Subsistem %(id)s dibuat.") % {"id": subsystem.identifier})
        return redirect(subsystem)
    return _render_form(
        request,
        form,
        _("Subsistem baru"),
        _("Satu sistem informasi OPD: penyedia layanan, pemanggil, atau keduanya."),
        back="gateway:overview",
    )


@staff_view
def subsystem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subsystem = get_object_or_404(
        Subsystem.objects.for_user(request.user).select_related("member"), pk=pk
    )
    return render(
        request,
        "gateway/subsystem_detail.html",
        {
            "subsystem": subsystem,
            "services": subsystem.services.all(),
            "credentials": subsystem.credentials.all(),
            "rights": AccessRight.objects.filter(client=subsystem).select_related(
                "service__subsystem__member"
            ),
            "can_manage": access.can_manage(request.user, subsystem.organisation_id),
        },
    )


@staff_view
def service_create(request: HttpRequest, subsystem_pk: int) -> HttpResponse:
    subsystem = get_object_or_404(Subsystem.objects.for_user(request.user), pk=subsystem_pk)
    if (denied := access.require_manage(request, subsystem.organisation_id)) is not None:
        return denied
    form = ServiceForm(request.POST or None, subsystem=subsystem)
    if request.method == "POST" and form.is_valid():
        service = form.save()
        messages.success(request, _("Layanan %(id)s terdaftar.") % {"id": service.identifier})
        return redirect(service)
    return _render_form(
        request,
        form,
        _("Layanan baru"),
        _("Alamat REST sistem Anda yang dibuka bagi OPD lain lewat gerbang."),
    )


@staff_view
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.for_user(request.user), pk=pk)
    if (denied := access.require_manage(request, service.organisation_id)) is not None:
        return denied
    form = ServiceForm(request.POST or None, instance=service, subsystem=service.subsystem)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Perubahan layanan disimpan."))
        return redirect(service)
    return _render_form(request, form, _("Ubah layanan %(id)s") % {"id": service.identifier})


@staff_view
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.for_user(request.user).select_related("subsystem__member"), pk=pk
    )
    return render(
        request,
        "gateway/service_detail.html",
        {
            "service": service,
            "rights": service.access_rights.select_related("client__member"),
            "health": HealthCheck.objects.filter(service=service)[:10],
            "can_manage": access.can_manage(request.user, service.organisation_id),
            "call_url": f"{settings.GATEWAY['public_url']}{service.gateway_path}",
        },
    )


@staff_view
def credential_create(request: HttpRequest, subsystem_pk: int) -> HttpResponse:
    subsystem = get_object_or_404(Subsystem.objects.for_user(request.user), pk=subsystem_pk)
    if (denied := access.require_manage(request, subsystem.organisation_id)) is not None:
        return denied
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credential, key = Credential.issue(
            subsystem,
            form.cleaned_data["label"],
            user=request.user,
            expires_at=form.cleaned_data["expires_at"],
        )
        # The key is shown on this response only; it is stored as a SHA-256 hash.
        response = render(
            request,
            "gateway/credential_issued.html",
            {
                "credential": credential,
                "key": key,
                "subsystem": subsystem,
                "gateway_url": settings.GATEWAY["public_url"],
            },
        )
        response["Cache-Control"] = "no-store"
        return response
    return _render_form(
        request,
        form,
        _("Kunci API baru untuk %(id)s") % {"id": subsystem.identifier},
        _(
            "Kunci ditampilkan sekali saja setelah dibuat. Simpan di konfigurasi "
            "server sistem Anda."
        ),
    )


@staff_view
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential.objects.for_user(request.user), pk=pk)
    if (denied := access.require_manage(request, credential.organisation_id)) is not None:
        return denied
    credential.revoke()
    messages.success(
        request,
        _("Kunci %(key)s dicabut; panggilan dengan kunci ini ditolak dalam beberapa detik.")
        % {"key": credential},
    )
    return redirect(credential.subsystem)


@staff_view
def access_create(request: HttpRequest, service_pk: int) -> HttpResponse:
    service = get_object_or_404(Service.objects.for_user(request.user), pk=service_pk)
    if (denied := access.require_manage(request, service.organisation_id)) is not None:
        return denied
    form = AccessRightForm(request.POST or None, service=service)
    if request.method == "POST" and form.is_valid():
        right = save_access_right(form.save(commit=False), request.user, created=True)
        messages.success(
            request,
            _("Hak akses diberikan kepada %(client)s.") % {"client": right.client.identifier},
        )
        return redirect(service)
    return _render_form(
        request,
        form,
        _("Beri hak akses ke %(id)s") % {"id": service.identifier},
        _("Subsistem klien hanya dapat memanggil metode dan jalur yang Anda izinkan di sini."),
    )


@staff_view
@require_POST
def access_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    right = get_object_or_404(AccessRight.objects.for_user(request.user), pk=pk)
    if (denied := access.require_manage(request, right.organisation_id)) is not None:
        return denied
    service = right.service
    right.delete()
    messages.success(request, _("Hak akses dicabut."))
    return redirect(service)

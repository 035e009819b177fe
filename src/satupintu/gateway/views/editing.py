"""Creating, changing and deleting registry entries: an OPD admin registers their organisation's
systems and services, issues API keys for their client systems, and grants other OPDs' systems
access to their services. Each view is a few lines around `form_page` / `confirm_delete`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from satupintu.core.models import Organisation

from .. import access
from ..forms import (
    AccessRightForm,
    CredentialForm,
    MemberEditForm,
    MemberForm,
    ServiceForm,
    SubsystemForm,
)
from ..granting import save_access_right
from ..models import AccessRight, Credential, Member, Service, Subsystem
from .common import confirm_delete, form_page, managed_object, staff_view

OVERVIEW = "gateway:overview"


# --- members -----------------------------------------------------------------------------------
@staff_view
def member_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations = Organisation.objects.exclude(pk__in=Member.objects.values("organisation_id"))
    if not user.is_platform_admin:
        organisations = organisations.filter(pk__in=access.admin_organisation_ids(user))
    if not organisations.exists() and not Member.objects.for_user(user).exists():
        raise PermissionDenied
    return form_page(
        request,
        MemberForm(request.POST or None, organisations=organisations),
        title=_("Daftarkan OPD di gerbang"),
        intro=_("Kode anggota dipakai di alamat setiap layanan OPD ini."),
        back=reverse(OVERVIEW),
        done=lambda member: (
            _("%(org)s terdaftar sebagai anggota %(id)s.")
            % {"org": member.organisation, "id": member.identifier},
            reverse(OVERVIEW),
        ),
    )


@staff_view
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = managed_object(request, Member.objects, pk)
    return form_page(
        request,
        MemberEditForm(request.POST or None, instance=member),
        title=_("Ubah anggota %(id)s") % {"id": member.identifier},
        intro=_(
            "Mengubah kode anggota mengubah alamat semua layanan OPD ini: sistem yang "
            "memanggilnya harus memakai alamat baru."
        ),
        back=reverse(OVERVIEW),
        done=lambda saved: (_("Perubahan anggota disimpan."), reverse(OVERVIEW)),
    )


@staff_view
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = managed_object(request, Member.objects, pk)
    count = member.subsystems.count()
    return confirm_delete(
        request,
        member,
        title=_("Hapus anggota %(id)s") % {"id": member.identifier},
        consequences=[_("OPD ini tidak lagi terdaftar di gerbang.")],
        back=reverse(OVERVIEW),
        done=reverse(OVERVIEW),
        message=_("Anggota %(id)s dihapus.") % {"id": member.identifier},
        blocked=ngettext(
            "Anggota ini masih memiliki %(n)d subsistem; hapus subsistemnya dulu.",
            "Anggota ini masih memiliki %(n)d subsistem; hapus subsistemnya dulu.",
            count,
        )
        % {"n": count}
        if count
        else "",
    )


# --- subsystems --------------------------------------------------------------------------------
@staff_view
def subsystem_create(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = managed_object(request, Member.objects, member_pk)
    return form_page(
        request,
        SubsystemForm(request.POST or None, member=member),
        title=_("Subsistem baru"),
        intro=_("Satu sistem informasi OPD: penyedia layanan, pemanggil, atau keduanya."),
        back=reverse(OVERVIEW),
        done=lambda subsystem: (
            _("Subsistem %(id)s dibuat.") % {"id": subsystem.identifier},
            subsystem.get_absolute_url(),
        ),
    )


@staff_view
def subsystem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subsystem = managed_object(request, Subsystem.objects.select_related("member"), pk)
    return form_page(
        request,
        SubsystemForm(request.POST or None, instance=subsystem, member=subsystem.member),
        title=_("Ubah subsistem %(id)s") % {"id": subsystem.identifier},
        back=subsystem.get_absolute_url(),
        done=lambda saved: (_("Perubahan subsistem disimpan."), saved.get_absolute_url()),
    )


@staff_view
def subsystem_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subsystem = managed_object(request, Subsystem.objects.select_related("member"), pk)
    services = subsystem.services.count()
    return confirm_delete(
        request,
        subsystem,
        title=_("Hapus subsistem %(id)s") % {"id": subsystem.identifier},
        consequences=[
            _("%(n)d layanan yang disediakan subsistem ini dan hak akses ke layanan itu.")
            % {"n": services},
            _("%(n)d kunci API subsistem ini dan hak aksesnya ke layanan OPD lain.")
            % {"n": subsystem.credentials.count()},
            _("Catatan log pesan tetap disimpan."),
        ],
        back=subsystem.get_absolute_url(),
        done=reverse(OVERVIEW),
        message=_("Subsistem %(id)s dihapus.") % {"id": subsystem.identifier},
    )


# --- services ----------------------------------------------------------------------------------
@staff_view
def service_create(request: HttpRequest, subsystem_pk: int) -> HttpResponse:
    subsystem = managed_object(request, Subsystem.objects.select_related("member"), subsystem_pk)
    return form_page(
        request,
        ServiceForm(request.POST or None, subsystem=subsystem),
        title=_("Layanan baru"),
        intro=_("Alamat REST sistem Anda yang dibuka bagi OPD lain lewat gerbang."),
        back=subsystem.get_absolute_url(),
        done=lambda service: (
            _("Layanan %(id)s terdaftar.") % {"id": service.identifier},
            service.get_absolute_url(),
        ),
    )


@staff_view
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = managed_object(request, Service.objects.select_related("subsystem__member"), pk)
    return form_page(
        request,
        ServiceForm(request.POST or None, instance=service, subsystem=service.subsystem),
        title=_("Ubah layanan %(id)s") % {"id": service.identifier},
        back=service.get_absolute_url(),
        done=lambda saved: (_("Perubahan layanan disimpan."), saved.get_absolute_url()),
    )


@staff_view
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = managed_object(request, Service.objects.select_related("subsystem__member"), pk)
    return confirm_delete(
        request,
        service,
        title=_("Hapus layanan %(id)s") % {"id": service.identifier},
        consequences=[
            _("%(n)d hak akses ke layanan ini; panggilan berikutnya dijawab UnknownService.")
            % {"n": service.access_rights.count()},
            _("Catatan log pesan tetap disimpan."),
        ],
        back=service.get_absolute_url(),
        done=service.subsystem.get_absolute_url(),
        message=_("Layanan %(id)s dihapus.") % {"id": service.identifier},
    )


# --- API keys ----------------------------------------------------------------------------------
@staff_view
def credential_create(request: HttpRequest, subsystem_pk: int) -> HttpResponse:
    subsystem = managed_object(request, Subsystem.objects.select_related("member"), subsystem_pk)
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
    return form_page(
        request,
        form,
        title=_("Kunci API baru untuk %(id)s") % {"id": subsystem.identifier},
        intro=_(
            "Kunci ditampilkan sekali saja setelah dibuat. Simpan di konfigurasi "
            "server sistem Anda."
        ),
        back=subsystem.get_absolute_url(),
    )


@staff_view
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    credential = managed_object(request, Credential.objects.select_related("subsystem"), pk)
    credential.revoke()
    messages.success(
        request,
        _("Kunci %(key)s dicabut; panggilan dengan kunci ini ditolak dalam beberapa detik.")
        % {"key": credential},
    )
    return redirect(credential.subsystem)


# --- access rights -----------------------------------------------------------------------------
@staff_view
def access_create(request: HttpRequest, service_pk: int) -> HttpResponse:
    service = managed_object(
        request, Service.objects.select_related("subsystem__member"), service_pk
    )
    return form_page(
        request,
        AccessRightForm(request.POST or None, service=service),
        title=_("Beri hak akses ke %(id)s") % {"id": service.identifier},
        intro=_(
            "Subsistem klien hanya dapat memanggil metode dan jalur yang Anda izinkan di sini."
        ),
        back=service.get_absolute_url(),
        save=lambda form: save_access_right(form.save(commit=False), request.user, created=True),
        done=lambda right: (
            _("Hak akses diberikan kepada %(client)s.") % {"client": right.client.identifier},
            service.get_absolute_url(),
        ),
    )


@staff_view
def access_edit(request: HttpRequest, pk: int) -> HttpResponse:
    right = managed_object(
        request, AccessRight.objects.select_related("client__member", "service"), pk
    )
    service = right.service
    return form_page(
        request,
        AccessRightForm(request.POST or None, instance=right, service=service),
        title=_("Ubah hak akses %(right)s") % {"right": right},
        back=service.get_absolute_url(),
        save=lambda form: save_access_right(form.save(commit=False), request.user, created=False),
        done=lambda saved: (_("Perubahan hak akses disimpan."), service.get_absolute_url()),
    )


@staff_view
def access_delete(request: HttpRequest, pk: int) -> HttpResponse:
    right = managed_object(
        request, AccessRight.objects.select_related("client__member", "service"), pk
    )
    service = right.service
    return confirm_delete(
        request,
        right,
        title=_("Cabut hak akses %(right)s") % {"right": right},
        consequences=[
            _("Panggilan %(client)s ke layanan ini ditolak (AccessDenied) dalam beberapa detik.")
            % {"client": right.client.identifier}
        ],
        back=service.get_absolute_url(),
        done=service.get_absolute_url(),
        message=_("Hak akses dicabut."),
    )

"""Staff accounts made by OPD admins (their own OPD) and the platform admin: one at a time or
imported from CSV/XLSX with a row-level error report."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from satupintu.core.roles import Role

from .client_forms import admin_organisations
from .client_views import CLIENT_ADMIN_ROLES
from .permissions import RoleRequiredMixin
from .staff import ImportFileError, RowError, StaffRow, create_accounts, read_rows


class StaffForm(forms.Form):
    nip = forms.CharField(label=_("NIP"), max_length=30, help_text=_("18 angka."))
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    opd = forms.ChoiceField(label=_("OPD"))
    role = forms.ChoiceField(
        label=_("Peran"),
        choices=[
            (Role.OPERATOR.value, Role.OPERATOR.label),
            (Role.OPD_ADMIN.value, Role.OPD_ADMIN.label),
        ],
    )
    email = forms.EmailField(label=_("Email"), required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=150, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].choices = [
            (o.code, o.name) for o in admin_organisations(user).order_by("name")
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_("Kolom: NIP, Nama, OPD (kode OPD); boleh ditambah Peran, Email, Jabatan."),
    )


FIELD_COLUMNS = {"NIP": "nip", "Nama": "name", "OPD": "opd", "Peran": "role", "Email": "email"}


class StaffCreateView(RoleRequiredMixin, View):
    required_roles = CLIENT_ADMIN_ROLES
    template_name = "accounts/staff/create.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": StaffForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StaffForm(request.POST, user=request.user)
        if form.is_valid():
            row = StaffRow(row=1, **form.cleaned_data)
            created, errors = create_accounts([row], request.user)
            if created:
                return render(request, "accounts/staff/result.html", {"created": created})
            for error in errors:
                form.add_error(FIELD_COLUMNS.get(error.column), error.message)
        return render(request, self.template_name, {"form": form}, status=400)


class StaffImportView(RoleRequiredMixin, View):
    required_roles = CLIENT_ADMIN_ROLES
    template_name = "accounts/staff/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        errors: list[RowError] = []
        if form.is_valid():
            try:
                rows = read_rows(form.cleaned_data["file"])
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                created, errors = create_accounts(rows, request.user)
                if created:
                    return render(request, "accounts/staff/result.html", {"created": created})
        return render(request, self.template_name, {"form": form, "row_errors": errors}, status=400)

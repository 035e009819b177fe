"""Raising an account to P2 (NIK verified): by an officer at a service counter, who records
the document they checked, or by the person through the population registry (NikVerifier)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from satupintu.core.forms import NIKField
from satupintu.core.roles import Role
from satupintu.core.validators import validate_nik

from .models import AssuranceLevel, NikVerification, User
from .nik_verifier import get_verifier
from .permissions import RoleRequiredMixin

COUNTER_ROLES = (Role.OPERATOR, Role.OPD_ADMIN, Role.PLATFORM_ADMIN)
REGISTRY_ATTEMPTS_PER_DAY = 3


class LookupForm(forms.Form):
    nik = NIKField(help_text=_lazy("NIK yang tertera di dokumen asli yang dibawa warga."))


class CounterVerificationForm(forms.Form):
    nik = forms.CharField(widget=forms.HiddenInput)
    document = forms.ChoiceField(
        label=_lazy("Dokumen asli yang diperiksa"), choices=NikVerification.Document.choices
    )
    note = forms.CharField(
        label=_lazy("Catatan"),
        max_length=300,
        required=False,
        help_text=_lazy("Misalnya nomor antrean atau keterangan lain."),
    )
    confirm = forms.BooleanField(
        label=_lazy("Saya sudah mencocokkan NIK, nama, dan tanggal lahir dengan dokumen asli."),
        error_messages={"required": _lazy("Centang pernyataan ini setelah dokumen dicocokkan.")},
    )


def _person(nik: str) -> User | None:
    return User.objects.find_by_nik(nik)


class CounterVerificationView(RoleRequiredMixin, View):
    required_roles = COUNTER_ROLES
    template_name = "accounts/verify_nik_counter.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        lookup = LookupForm(request.GET or None)
        context = {"lookup": lookup}
        if lookup.is_valid():
            person = _person(lookup.cleaned_data["nik"])
            if person is None:
                lookup.add_error("nik", _("Belum ada akun dengan NIK ini. Minta warga mendaftar."))
            else:
                context |= {
                    "person": person,
                    "birth_date": lookup.cleaned_data["nik"].birth_date,
                    "form": CounterVerificationForm(initial={"nik": lookup.cleaned_data["nik"]}),
                }
        status = 400 if lookup.is_bound and lookup.errors else 200
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CounterVerificationForm(request.POST)
        person = None
        if form.is_valid():
            try:
                nik = validate_nik(form.cleaned_data["nik"])
            except ValidationError:
                nik = None
            person = _person(nik) if nik else None
            if person is not None:
                with transaction.atomic():
                    membership = request.user.memberships.select_related("organisation").first()
                    NikVerification.objects.create(
                        user=person,
                        method=NikVerification.Method.COUNTER,
                        result=NikVerification.Result.MATCH,
                        verified_by=request.user,
                        organisation=membership.organisation if membership else None,
                        document=form.cleaned_data["document"],
                        note=form.cleaned_data["note"],
                    )
                    person.assurance_level = AssuranceLevel.P2
                    person.save(update_fields=["assurance_level", "updated_at"])
                messages.success(
                    request,
                    _("NIK %(name)s terverifikasi (P2).") % {"name": person.full_name},
                )
                return redirect("accounts:verify_nik_counter")
            form.add_error(None, _("Akun dengan NIK ini tidak ditemukan."))
        context = {"lookup": LookupForm(), "form": form, "person": person}
        return render(request, self.template_name, context, status=400)


class RegistryVerificationView(LoginRequiredMixin, View):
    """The person asks satupintu to check their NIK, name and birth date with Dukcapil."""

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.nik:
            messages.error(request, _("Akun ini tidak memiliki NIK."))
            return redirect("accounts:profile")
        if user.assurance_level == AssuranceLevel.P2:
            return redirect("accounts:profile")
        since = timezone.now() - timedelta(days=1)
        attempts = user.nik_verifications.filter(
            method=NikVerification.Method.REGISTRY, created_at__gte=since
        ).count()
        if attempts >= REGISTRY_ATTEMPTS_PER_DAY:
            messages.error(
                request, _("Sudah 3 kali dicoba hari ini. Coba besok atau datang ke loket layanan.")
            )
            return redirect("accounts:profile")
        nik = validate_nik(user.nik)
        result = get_verifier().verify(str(nik), user.full_name, nik.birth_date)
        with transaction.atomic():
            NikVerification.objects.create(
                user=user, method=NikVerification.Method.REGISTRY, result=result
            )
            if result == NikVerification.Result.MATCH:
                user.assurance_level = AssuranceLevel.P2
                user.save(update_fields=["assurance_level", "updated_at"])
        text = {
            NikVerification.Result.MATCH: _("NIK Anda cocok dengan data kependudukan (P2)."),
            NikVerification.Result.NO_MATCH: _(
                "Nama atau tanggal lahir tidak cocok dengan data kependudukan. Periksa ejaan nama "
                "sesuai KTP, atau datang ke loket layanan."
            ),
            NikVerification.Result.UNAVAILABLE: _(
                "Layanan data kependudukan sedang tidak bisa dihubungi. Coba lagi nanti."
            ),
            NikVerification.Result.SHAPE_ONLY: _(
                "Format NIK Anda benar, tetapi instalasi ini belum terhubung ke data "
                "kependudukan. Untuk tingkat P2, datang ke loket layanan dengan KTP-el."
            ),
        }[result]
        level = messages.SUCCESS if result == NikVerification.Result.MATCH else messages.WARNING
        messages.add_message(request, level, text)
        return redirect("accounts:profile")

"""The access decorators and mixins every app's views use: anonymous visitors go to the login
page, signed-in users without the right get 403, members of an organisation (or of one above
it) pass, platform admins pass everything."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from satupintu.accounts.permissions import (
    OrganisationMemberRequiredMixin,
    RoleRequiredMixin,
    has_any_role,
    organisation_member_required,
    role_required,
    staff_required,
)
from satupintu.accounts.tests.factories import Regency
from satupintu.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency() -> Regency:
    return Regency()


def get(user, path: str = "/opd/dinas-pupr/pengaturan/"):
    request = RequestFactory().get(path)
    request.user = user if user is not None else AnonymousUser()
    return request


@role_required(Role.WALIDATA)
def verify_view(request):
    return HttpResponse("verifikasi")


@staff_required
def workspace_view(request):
    return HttpResponse("ruang kerja")


@organisation_member_required()
def opd_settings_view(request, organisation):
    assert request.organisation == organisation
    return HttpResponse(organisation.short_name)


@organisation_member_required(kwarg="opd", roles={Role.OPD_ADMIN})
def opd_admin_view(request, opd):
    return HttpResponse(opd.name)


class VerifyView(RoleRequiredMixin, View):
    required_roles = {Role.WALIDATA}

    def get(self, request):
        return HttpResponse("verifikasi")


class OpdSettingsView(OrganisationMemberRequiredMixin, View):
    def get(self, request, organisation):
        return HttpResponse(self.organisation.short_name)


def assert_redirects_to_login(response, path="/opd/dinas-pupr/pengaturan/"):
    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next={path}"


# --- roles ---------------------------------------------------------------------------------------


def test_role_required_lets_the_role_through(regency):
    assert verify_view(get(regency.rina)).content == b"verifikasi"
    assert VerifyView.as_view()(get(regency.rina)).status_code == 200


def test_role_required_refuses_other_roles_with_403(regency):
    for user in (regency.budi, regency.siti, regency.bupati):
        with pytest.raises(PermissionDenied):
            verify_view(get(user))
        with pytest.raises(PermissionDenied):
            VerifyView.as_view()(get(user))


def test_anonymous_is_sent_to_login(regency):
    assert_redirects_to_login(verify_view(get(None)))
    assert_redirects_to_login(VerifyView.as_view()(get(None)))
    assert_redirects_to_login(opd_settings_view(get(None), organisation="dinas-pupr"))
    assert_redirects_to_login(OpdSettingsView.as_view()(get(None), organisation="dinas-pupr"))


def test_inactive_user_is_treated_as_signed_out(regency):
    regency.rina.is_active = False
    assert not has_any_role(regency.rina, {Role.WALIDATA})
    assert_redirects_to_login(verify_view(get(regency.rina)))


def test_platform_admin_passes_every_role_check(regency):
    assert verify_view(get(regency.admin)).status_code == 200
    assert opd_admin_view(get(regency.admin), opd="dinas-kesehatan").content == b"Dinas Kesehatan"


def test_staff_required_refuses_citizens(regency):
    assert workspace_view(get(regency.budi)).status_code == 200
    assert workspace_view(get(regency.bupati)).status_code == 200
    with pytest.raises(PermissionDenied):
        workspace_view(get(regency.siti))


def test_role_checks_need_roles():
    with pytest.raises(ImproperlyConfigured):
        role_required()

    class Careless(RoleRequiredMixin, View):
        pass

    with pytest.raises(ImproperlyConfigured):
        Careless.as_view()(get(AnonymousUser()))


# --- organisation membership ------------------------------------------------------------------


def test_member_passes_and_gets_the_organisation(regency):
    response = opd_settings_view(get(regency.budi), organisation="dinas-pupr")
    assert response.content == b"DINAS-PUPR"
    view = OpdSettingsView.as_view()
    assert view(get(regency.budi), organisation="dinas-pupr").content == b"DINAS-PUPR"
    # By id as well as by code.
    assert (
        opd_settings_view(get(regency.budi), organisation=str(regency.pupr.pk)).status_code == 200
    )


def test_other_opds_operator_is_refused(regency):
    with pytest.raises(PermissionDenied):
        opd_settings_view(get(regency.dina), organisation="dinas-pupr")
    with pytest.raises(PermissionDenied):
        OpdSettingsView.as_view()(get(regency.dina), organisation="dinas-pupr")


def test_regency_wide_roles_are_not_opd_members(regency):
    # The walidata reads every OPD's submissions, but does not administer PUPR.
    with pytest.raises(PermissionDenied):
        opd_settings_view(get(regency.rina), organisation="dinas-pupr")


def test_kecamatan_reaches_its_desa_but_not_the_other_way(regency):
    assert opd_settings_view(get(regency.camat_operator), organisation="desa-segara-kembang")
    with pytest.raises(PermissionDenied):
        opd_settings_view(get(regency.desa_operator), organisation="kecamatan-lengkiti")


def test_role_restricted_membership(regency):
    assert opd_admin_view(get(regency.pupr_admin), opd="dinas-pupr").status_code == 200
    with pytest.raises(PermissionDenied):
        opd_admin_view(get(regency.budi), opd="dinas-pupr")  # an operator, not the admin


def test_unknown_organisation_is_404(regency):
    with pytest.raises(Http404):
        opd_settings_view(get(regency.budi), organisation="dinas-yang-tidak-ada")

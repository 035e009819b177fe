"""Edit and delete pages of the registry: scoped to the owner OPD's admin, deletions behind a
confirmation page, another OPD's operator and anonymous visitors refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satupintu.accounts.models import Client
from satupintu.accounts.tests.oidc_helpers import make_client
from satupintu.gateway.models import AccessRight, Member, Service, Subsystem

pytestmark = pytest.mark.django_db


def edit_and_delete_urls(ex) -> list[str]:
    return [
        reverse("gateway:member_edit", args=[ex.provider.member_id]),
        reverse("gateway:member_delete", args=[ex.provider.member_id]),
        reverse("gateway:subsystem_edit", args=[ex.provider.pk]),
        reverse("gateway:subsystem_delete", args=[ex.provider.pk]),
        reverse("gateway:service_edit", args=[ex.service.pk]),
        reverse("gateway:service_delete", args=[ex.service.pk]),
        reverse("gateway:access_edit", args=[ex.right.pk]),
        reverse("gateway:access_delete", args=[ex.right.pk]),
    ]


def test_anonymous_is_sent_to_login_and_nothing_changes(client, exchange):
    for url in edit_and_delete_urls(exchange):
        assert "/akun/masuk/" in client.get(url)["Location"], url
        assert "/akun/masuk/" in client.post(url)["Location"], url
    assert Service.objects.filter(pk=exchange.service.pk).exists()
    assert AccessRight.objects.filter(pk=exchange.right.pk).exists()


def test_another_opd_is_refused_and_the_client_opd_cannot_touch_the_providers_rows(
    client, exchange
):
    for user in (exchange.other_operator, exchange.client_admin):
        client.force_login(user)
        for url in edit_and_delete_urls(exchange):
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url).status_code == 404, (user, url)
    assert Subsystem.objects.filter(pk=exchange.provider.pk).exists()
    assert AccessRight.objects.filter(pk=exchange.right.pk).exists()


def test_an_operator_of_the_owner_opd_reads_but_cannot_change(client, exchange):
    from satupintu.core.roles import Role
    from satupintu.gateway.tests.conftest import make_user

    client.force_login(make_user("operator.disdukcapil", exchange.disdukcapil, Role.OPERATOR))
    for url in edit_and_delete_urls(exchange):
        assert client.get(url).status_code == 403, url
    assert (
        client.get(reverse("gateway:service_detail", args=[exchange.service.pk])).status_code == 200
    )


def test_delete_asks_for_confirmation_first(client, exchange):
    client.force_login(exchange.provider_admin)
    url = reverse("gateway:service_delete", args=[exchange.service.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ya, hapus" in text and "1 hak akses" in text
    assert Service.objects.filter(pk=exchange.service.pk).exists()  # GET deletes nothing
    done = client.post(url)
    assert done.status_code == 302
    assert done["Location"] == reverse("gateway:subsystem_detail", args=[exchange.provider.pk])
    assert not Service.objects.filter(pk=exchange.service.pk).exists()
    assert not AccessRight.objects.filter(pk=exchange.right.pk).exists()


def test_member_with_subsystems_cannot_be_deleted(client, exchange):
    client.force_login(exchange.provider_admin)
    url = reverse("gateway:member_delete", args=[exchange.provider.member_id])
    assert "hapus subsistemnya dulu" in client.get(url).content.decode()
    assert client.post(url).status_code == 409
    assert Member.objects.filter(pk=exchange.provider.member_id).exists()
    assert (
        client.post(reverse("gateway:subsystem_delete", args=[exchange.provider.pk])).status_code
        == 302
    )
    assert client.post(url).status_code == 302
    assert not Member.objects.filter(pk=exchange.provider.member_id).exists()


def test_edit_access_right_keeps_its_client(client, exchange):
    client.force_login(exchange.provider_admin)
    url = reverse("gateway:access_edit", args=[exchange.right.pk])
    form = client.get(url).context["form"]
    assert form.fields["client"].disabled
    assert form.fields["method_choices"].initial == ["GET", "POST"]
    other = Subsystem.objects.create(
        member=Member.objects.create(organisation=exchange.bappeda, member_code="BAPPEDA"),
        code="SIPD",
        name="SIPD",
    )
    bad = client.post(url, {"client": other.pk, "method_choices": ["GET"], "path_prefixes": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors["path_prefixes"]
    ok = client.post(
        url,
        {"client": other.pk, "method_choices": ["GET"], "path_prefixes": "/wilayah"},
    )
    assert ok.status_code == 302
    exchange.right.refresh_from_db()
    assert exchange.right.client == exchange.client  # the posted client is ignored
    assert (exchange.right.methods, exchange.right.prefix_list) == ("GET", ["/wilayah"])


def test_edit_subsystem_links_only_the_opds_own_machine_client(client, exchange):
    own = make_client(
        exchange.dinkes,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="Server SIMPUS",
    )
    foreign = make_client(
        exchange.bappeda,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="SIPD",
    )
    client.force_login(exchange.client_admin)
    url = reverse("gateway:subsystem_edit", args=[exchange.client.pk])
    data = {"code": "SIMPUS", "name": "SIMPUS Puskesmas", "is_active": "on"}
    refused = client.post(url, {**data, "oauth_client": foreign.pk})
    assert refused.status_code == 200 and refused.context["form"].errors["oauth_client"]
    ok = client.post(url, {**data, "oauth_client": own.pk})
    assert ok.status_code == 302
    exchange.client.refresh_from_db()
    assert exchange.client.oauth_client == own and exchange.client.name == "SIMPUS Puskesmas"
    detail = client.get(reverse("gateway:subsystem_detail", args=[exchange.client.pk]))
    assert own.client_id in detail.content.decode()


def test_member_code_edit_is_validated(client, exchange):
    client.force_login(exchange.provider_admin)
    url = reverse("gateway:member_edit", args=[exchange.provider.member_id])
    bad = client.post(url, {"member_class": "GOV", "member_code": "DINKES"})  # taken
    assert bad.status_code == 200 and bad.context["form"].errors
    ok = client.post(url, {"member_class": "GOV", "member_code": "DUKCAPIL"})
    assert ok.status_code == 302
    assert Member.objects.get(pk=exchange.provider.member_id).member_code == "DUKCAPIL"

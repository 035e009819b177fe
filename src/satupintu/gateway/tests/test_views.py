"""Registry pages: own OPD only; another OPD's operator and anonymous visitors are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satupintu.gateway.messagelog import LogEntry, write_batch
from satupintu.gateway.models import AccessRight, Credential, MessageRecord, hash_api_key

pytestmark = pytest.mark.django_db


def pages(ex):
    return [
        reverse("gateway:subsystem_detail", args=[ex.provider.pk]),
        reverse("gateway:service_detail", args=[ex.service.pk]),
        reverse("gateway:service_edit", args=[ex.service.pk]),
        reverse("gateway:access_create", args=[ex.service.pk]),
        reverse("gateway:credential_create", args=[ex.provider.pk]),
    ]


def test_anonymous_is_sent_to_login(client, exchange):
    for url in [
        reverse("gateway:overview"),
        reverse("gateway:messagelog"),
        reverse("gateway:monitoring"),
        *pages(exchange),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], url


def test_another_opds_operator_is_refused(client, exchange):
    client.force_login(exchange.other_operator)
    for url in pages(exchange):
        assert client.get(url).status_code in (403, 404), url
    response = client.post(reverse("gateway:access_delete", args=[exchange.right.pk]))
    assert response.status_code == 404
    assert AccessRight.objects.filter(pk=exchange.right.pk).exists()


def test_client_admin_sees_the_service_but_cannot_grant_access(client, exchange):
    client.force_login(exchange.client_admin)
    # The provider's service page is not theirs...
    assert (
        client.get(reverse("gateway:service_detail", args=[exchange.service.pk])).status_code == 404
    )
    # ...but the right they received shows on their overview.
    page = client.get(reverse("gateway:overview")).content.decode()
    assert "OKU/GOV/DISDUKCAPIL/SIAK/penduduk" in page


def test_provider_admin_grants_access(client, exchange, django_capture_on_commit_callbacks):
    from satupintu.gateway.models import Member, Subsystem

    other = Member.objects.create(organisation=exchange.bappeda, member_code="BAPELITBANGDA")
    sipd = Subsystem.objects.create(member=other, code="SIPD", name="SIPD Perencanaan")
    client.force_login(exchange.provider_admin)
    url = reverse("gateway:access_create", args=[exchange.service.pk])
    bad = client.post(url, {"client": sipd.pk, "path_prefixes": "wilayah"})
    assert bad.status_code == 200
    assert (
        "Pilih paling sedikit satu metode" in bad.content.decode()
        or "wajib" in bad.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url, {"client": sipd.pk, "method_choices": ["GET"], "path_prefixes": "/wilayah"}
        )
    assert ok.status_code == 302
    right = AccessRight.objects.get(client=sipd)
    assert (right.methods, right.prefix_list, right.granted_by) == (
        "GET",
        ["/wilayah"],
        exchange.provider_admin,
    )
    assert right.organisation == exchange.disdukcapil


def test_api_key_is_shown_once(client, exchange):
    client.force_login(exchange.client_admin)
    url = reverse("gateway:credential_create", args=[exchange.client.pk])
    response = client.post(url, {"label": "Server cadangan SIMPUS"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert key in response.content.decode()
    credential = Credential.objects.get(label="Server cadangan SIMPUS")
    assert credential.key_hash == hash_api_key(key)
    detail = client.get(reverse("gateway:subsystem_detail", args=[exchange.client.pk]))
    assert key not in detail.content.decode()


def log_call(client_id, service, client_org, provider_org, status=200):
    write_batch(
        [
            LogEntry(
                message_id=f"m-{client_id[-5:]}-{status}",
                at=1.8e9,
                client=client_id,
                service=service,
                client_org=client_org,
                provider_org=provider_org,
                method="GET",
                path="/penduduk/1",
                status=status,
                request_sha256="0" * 64,
                response_sha256="0" * 64,
            )
        ]
    )


def test_message_log_search_shows_both_sides_and_nobody_else(client, exchange):
    log_call(
        "OKU/GOV/DINKES/SIMPUS",
        exchange.service.identifier,
        exchange.dinkes.pk,
        exchange.disdukcapil.pk,
    )
    log_call(
        "OKU/GOV/DINKES/SIMPUS",
        exchange.service.identifier,
        exchange.dinkes.pk,
        exchange.disdukcapil.pk,
        status=403,
    )
    url = reverse("gateway:messagelog")
    for user, expected in [
        (exchange.provider_admin, 2),
        (exchange.client_admin, 2),
        (exchange.other_operator, 0),
        (exchange.platform_admin, 2),
    ]:
        client.force_login(user)
        assert client.get(url).context["paginator"].count == expected, user
    client.force_login(exchange.client_admin)
    assert client.get(url, {"outcome": "client"}).context["paginator"].count == 1
    assert client.get(url, {"service": "SIAK"}).context["paginator"].count == 2
    export = client.get(url, {"format": "csv"})
    assert export.status_code == 200
    assert MessageRecord.objects.count() == 2


def test_metrics_need_a_token_or_platform_admin(client, exchange, settings):
    settings.GATEWAY = {**settings.GATEWAY, "metrics_token": "rahasia-prometheus"}
    log_call("OKU/GOV/DINKES/SIMPUS", exchange.service.identifier, None, None)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 403
    client.force_login(exchange.other_operator)
    assert client.get("/metrics").status_code == 403
    client.logout()
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer rahasia-prometheus")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        'satupintu_gateway_requests_total{service="OKU/GOV/DISDUKCAPIL/SIAK/penduduk",'
        'client="OKU/GOV/DINKES/SIMPUS",code="200"} 1'
    ) in text
    assert 'le="+Inf"} 1' in text
    client.force_login(exchange.platform_admin)
    assert client.get("/metrics").status_code == 200


def test_monitoring_page(client, exchange):
    log_call("OKU/GOV/DINKES/SIMPUS", exchange.service.identifier, None, exchange.disdukcapil.pk)
    client.force_login(exchange.provider_admin)
    response = client.get(reverse("gateway:monitoring"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["requests"] == 1 and row["service"] == exchange.service.identifier
    client.force_login(exchange.other_operator)
    assert client.get(reverse("gateway:monitoring")).context["rows"] == []

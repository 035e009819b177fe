"""The registry's JSON API (/api/v1/gateway/): scoped to the caller's OPD, the provider's admin
grants rights on its own services only, an API key is returned once, errors in the API format."""

from __future__ import annotations

import pytest
from django.test import Client

from satupintu.gateway.models import AccessRight, Credential, Member, Service, Subsystem
from satupintu.gateway.models.registry import hash_api_key

pytestmark = pytest.mark.django_db

API = "/api/v1/gateway"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_anonymous_is_refused_with_401(exchange):
    anonymous = Client()
    for url in ("/members/", "/subsystems/", "/services/", "/access-rights/"):
        response = anonymous.get(API + url)
        assert response.status_code == 401, url
        assert response.json()["detail"]
    created = post(anonymous, f"{API}/subsystems/", {"member_id": 1, "code": "X", "name": "X"})
    assert created.status_code == 401
    assert anonymous.delete(f"{API}/access-rights/{exchange.right.pk}/").status_code == 401
    assert AccessRight.objects.filter(pk=exchange.right.pk).exists()


def test_lists_are_scoped_to_the_callers_opd(exchange):
    provider = as_user(exchange.provider_admin)
    subsystems = provider.get(f"{API}/subsystems/").json()
    assert [s["identifier"] for s in subsystems["results"]] == ["OKU/GOV/DISDUKCAPIL/SIAK"]
    assert subsystems["count"] == 1 and subsystems["page"] == 1
    services = provider.get(f"{API}/services/").json()["results"]
    assert [s["gateway_path"] for s in services] == ["/r1/OKU/GOV/DISDUKCAPIL/SIAK/penduduk/"]
    # Both sides of an access right see it; a third OPD sees nothing.
    client_side = as_user(exchange.client_admin).get(f"{API}/access-rights/").json()
    assert [(r["client"], r["methods"]) for r in client_side["results"]] == [
        ("OKU/GOV/DINKES/SIMPUS", ["GET", "POST"])
    ]
    other = as_user(exchange.other_operator)
    assert other.get(f"{API}/access-rights/").json()["count"] == 0
    assert other.get(f"{API}/subsystems/").json()["count"] == 0


def test_another_opd_gets_404_for_rows_and_403_for_changes(exchange):
    other = as_user(exchange.other_operator)
    for url in (
        f"/members/{exchange.provider.member_id}/",
        f"/subsystems/{exchange.provider.pk}/",
        f"/services/{exchange.service.pk}/",
        f"/access-rights/{exchange.right.pk}/",
        f"/subsystems/{exchange.client.pk}/credentials/",
    ):
        response = other.get(API + url)
        assert response.status_code == 404, url
        assert response.json()["errors"] == []
    assert patch(other, f"{API}/services/{exchange.service.pk}/", {"name": "x"}).status_code == 404
    assert other.delete(f"{API}/subsystems/{exchange.provider.pk}/").status_code == 404
    # The client OPD sees the right it received but cannot widen or delete it (403).
    client_admin = as_user(exchange.client_admin)
    right_url = f"{API}/access-rights/{exchange.right.pk}/"
    assert client_admin.get(right_url).status_code == 200
    widened = patch(client_admin, right_url, {"path_prefixes": ["/"]})
    assert widened.status_code == 403 and widened.json()["detail"]
    assert client_admin.delete(right_url).status_code == 403
    exchange.right.refresh_from_db()
    assert exchange.right.prefix_list == ["/penduduk", "/wilayah"]
    # An operator (not an admin) of the provider reads but does not change.
    from satupintu.core.roles import Role
    from satupintu.gateway.tests.conftest import make_user

    operator = as_user(make_user("operator.disdukcapil", exchange.disdukcapil, Role.OPERATOR))
    assert operator.get(f"{API}/services/{exchange.service.pk}/").status_code == 200
    refused = patch(operator, f"{API}/services/{exchange.service.pk}/", {"name": "x"})
    assert refused.status_code == 403


def test_provider_admin_manages_subsystem_service_and_grants(
    exchange, django_capture_on_commit_callbacks
):
    admin = as_user(exchange.provider_admin)
    created = post(
        admin,
        f"{API}/subsystems/",
        {"member_id": exchange.provider.member_id, "code": "SIMDUK", "name": "Data kependudukan"},
    )
    assert created.status_code == 201, created.content
    subsystem_id = created.json()["id"]
    assert created.json()["identifier"] == "OKU/GOV/DISDUKCAPIL/SIMDUK"
    service = post(
        admin,
        f"{API}/services/",
        {
            "subsystem_id": subsystem_id,
            "code": "kartu-keluarga",
            "name": "Data kartu keluarga",
            "base_url": "http://10.10.5.21:8080/api",
            "timeout_seconds": 5,
            "rate_limit_per_minute": 120,
        },
    )
    assert service.status_code == 201, service.content
    service_id = service.json()["id"]
    changed = patch(admin, f"{API}/services/{service_id}/", {"timeout_seconds": 2.5})
    assert changed.status_code == 200 and changed.json()["timeout_seconds"] == 2.5
    with django_capture_on_commit_callbacks(execute=True):
        granted = post(
            admin,
            f"{API}/access-rights/",
            {
                "client_id": exchange.client.pk,
                "service_id": service_id,
                "methods": ["get"],
                "path_prefixes": ["/kk"],
                "note": "PKS Disdukcapil-Dinkes No. 470/12/2026",
            },
        )
    assert granted.status_code == 201, granted.content
    body = granted.json()
    assert body["methods"] == ["GET"] and body["path_prefixes"] == ["/kk"]
    right = AccessRight.objects.get(pk=body["id"])
    assert (
        right.organisation == exchange.disdukcapil and right.granted_by == exchange.provider_admin
    )
    from satupintu.events.models import Event

    assert Event.objects.filter(event_type="gateway.access_granted").exists()
    again = post(
        admin, f"{API}/access-rights/", {"client_id": exchange.client.pk, "service_id": service_id}
    )
    assert again.status_code == 409
    updated = patch(admin, f"{API}/access-rights/{right.pk}/", {"methods": ["GET", "POST"]})
    assert updated.json()["methods"] == ["GET", "POST"]
    assert admin.delete(f"{API}/access-rights/{right.pk}/").status_code == 204
    assert admin.delete(f"{API}/services/{service_id}/").status_code == 204
    assert admin.delete(f"{API}/subsystems/{subsystem_id}/").status_code == 204
    assert not Subsystem.objects.filter(pk=subsystem_id).exists()


def test_grants_only_on_own_services(exchange):
    # The client OPD's admin cannot grant itself (or anyone) a right on the provider's service.
    client_admin = as_user(exchange.client_admin)
    response = post(
        client_admin,
        f"{API}/access-rights/",
        {"client_id": exchange.client.pk, "service_id": exchange.service.pk, "methods": ["GET"]},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "service_id"
    # Nor register a subsystem under another OPD's member.
    foreign = post(
        client_admin,
        f"{API}/subsystems/",
        {"member_id": exchange.provider.member_id, "code": "PALSU", "name": "Palsu"},
    )
    assert foreign.status_code == 400
    assert not Subsystem.objects.filter(code="PALSU").exists()


def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(exchange):
    admin = as_user(exchange.provider_admin)
    bad_code = post(
        admin,
        f"{API}/subsystems/",
        {"member_id": exchange.provider.member_id, "code": "SIAK BARU/2", "name": "x"},
    )
    assert bad_code.status_code == 400
    assert bad_code.json()["errors"][0]["field"] == "code"
    duplicate = post(
        admin,
        f"{API}/services/",
        {
            "subsystem_id": exchange.provider.pk,
            "code": "listMethods",
            "name": "x",
            "base_url": "bukan-url",
        },
    )
    assert duplicate.status_code == 400
    assert {e["field"] for e in duplicate.json()["errors"]} >= {"code", "base_url"}
    methods = patch(admin, f"{API}/access-rights/{exchange.right.pk}/", {"methods": ["FETCH"]})
    assert methods.status_code == 400 and methods.json()["errors"][0]["field"] == "methods"
    prefixes = patch(
        admin, f"{API}/access-rights/{exchange.right.pk}/", {"path_prefixes": ["../rahasia"]}
    )
    assert prefixes.status_code == 400
    missing = post(admin, f"{API}/services/", {"subsystem_id": exchange.provider.pk})
    assert missing.status_code == 400
    assert Service.objects.count() == 1
    exchange.right.refresh_from_db()
    assert exchange.right.method_list == ["GET", "POST"]


def test_api_key_is_returned_once_and_stored_hashed(exchange):
    admin = as_user(exchange.client_admin)
    url = f"{API}/subsystems/{exchange.client.pk}/credentials/"
    created = post(admin, url, {"label": "Server SIMPUS cadangan"})
    assert created.status_code == 201, created.content
    key = created.json()["key"]
    assert key.startswith("spk_")
    credential = Credential.objects.get(pk=created.json()["id"])
    assert credential.key_hash == hash_api_key(key)
    listed = admin.get(url).json()
    assert key not in str(listed) and listed["count"] == 2
    assert admin.delete(f"{API}/credentials/{credential.pk}/").status_code == 204
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    # The provider OPD cannot mint keys for the client's subsystem.
    provider = as_user(exchange.provider_admin)
    assert post(provider, url, {"label": "x"}).status_code == 404


def test_member_registration_and_machine_tokens(exchange):
    admin = as_user(exchange.other_operator)
    refused = post(
        admin, f"{API}/members/", {"organisation": "bapelitbangda", "member_code": "BAPPEDA"}
    )
    assert refused.status_code == 403  # an operator, not the OPD admin
    platform = as_user(exchange.platform_admin)
    created = post(
        platform, f"{API}/members/", {"organisation": "bapelitbangda", "member_code": "BAPPEDA"}
    )
    assert created.status_code == 201 and created.json()["identifier"] == "OKU/GOV/BAPPEDA"
    unknown = post(platform, f"{API}/members/", {"organisation": "tidak-ada", "member_code": "X"})
    assert unknown.status_code == 400
    provider_member = exchange.provider.member_id
    assert platform.delete(f"{API}/members/{provider_member}/").status_code == 409
    assert Member.objects.filter(pk=provider_member).exists()


def test_openapi_document_describes_the_gateway_api():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/gateway/access-rights/" in paths
    assert "/api/v1/gateway/subsystems/{subsystem_id}/credentials/" in paths
    assert set(paths["/api/v1/gateway/services/{service_id}/"]) == {"get", "patch", "delete"}

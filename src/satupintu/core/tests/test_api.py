"""The /api/v1/ conventions every app's router follows: envelope, pagination, error format,
session (with CSRF) or OAuth bearer authentication, OpenAPI document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from satupintu.accounts.tests.factories import Regency
from satupintu.core.tests.testapp.models import Announcement

pytestmark = pytest.mark.django_db

URL = "/api/v1/test/announcements/"


@pytest.fixture
def regency() -> Regency:
    return Regency()


def test_openapi_document_lists_mounted_routers():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "satupintu API"
    assert "/api/v1/test/announcements/" in document["paths"]


def test_list_is_paginated_in_the_standard_envelope(regency):
    for number in range(5):
        Announcement.objects.create(organisation=regency.pupr, title=f"Pengumuman {number}")
    body = Client().get(URL, {"page": 2, "page_size": 2}).json()
    assert body["count"] == 5 and body["page"] == 2 and body["page_size"] == 2
    assert [row["title"] for row in body["results"]] == ["Pengumuman 2", "Pengumuman 3"]
    clamped = Client().get(URL, {"page_size": 100000}).json()
    assert clamped["page_size"] == 100 and len(clamped["results"]) == 5
    assert Client().get(URL).json()["count"] == 5


def test_errors_use_the_api_format_never_a_500(regency):
    past_the_end = Client().get(URL, {"page": 99})
    assert past_the_end.status_code == 404 and "detail" in past_the_end.json()
    not_a_number = Client().get(URL, {"page": "dua"})
    assert not_a_number.status_code == 400
    assert not_a_number.json()["errors"][0]["field"] == "page"
    missing = Client().get(f"{URL}999999/")
    assert missing.status_code == 404 and missing.json()["errors"] == []


def test_anonymous_write_is_refused_with_401():
    response = Client().post(URL, {"title": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_session_write_needs_the_csrf_token(regency):
    client = Client(enforce_csrf_checks=True)
    client.force_login(regency.budi)
    refused = client.post(URL, {"title": "Tanpa token"}, content_type="application/json")
    assert refused.status_code == 403
    client.get("/api/v1/openapi.json")  # any page; the token comes from the cookie
    client.cookies["csrftoken"] = "a" * 32
    accepted = client.post(
        URL,
        {"title": "Perbaikan jalan Lengkiti"},
        content_type="application/json",
        headers={"X-CSRFToken": "a" * 32},
    )
    assert accepted.status_code == 201, accepted.content
    created = Announcement.objects.get(title="Perbaikan jalan Lengkiti")
    assert created.organisation == regency.pupr


def test_bad_body_is_a_400_with_field_errors_and_nothing_saved(regency):
    client = Client()
    client.force_login(regency.budi)
    response = client.post(URL, {"judul": "salah"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "payload.title"
    malformed = client.post(URL, "{not json", content_type="application/json")
    assert malformed.status_code == 400
    assert not Announcement.objects.exists()


def test_citizen_session_is_forbidden_with_403(regency):
    client = Client()
    client.force_login(regency.siti)
    response = client.post(URL, {"title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not Announcement.objects.exists()


def _token(user, *, expires_in: int = 3600, scope: str = "openid") -> str:
    application = get_application_model().objects.create(
        name="Aplikasi uji",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example/cb",
        algorithm="RS256",
        organisation=user.memberships.first().organisation,
    )
    token = get_access_token_model().objects.create(
        user=user,
        application=application,
        token="token-uji-" + user.username,
        expires=timezone.now() + timedelta(seconds=expires_in),
        scope=scope,
    )
    return token.token


def test_oauth_bearer_token_authenticates_without_csrf(regency):
    token = _token(regency.budi)
    response = Client(enforce_csrf_checks=True).post(
        URL,
        {"title": "Lewat token"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content


def test_expired_or_unknown_bearer_token_is_401(regency):
    expired = _token(regency.budi, expires_in=-10)
    for token in (expired, "tidak-ada"):
        response = Client().post(
            URL,
            {"title": "x"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 401
    assert not Announcement.objects.exists()


def test_my_requests_lists_open_requests_first_then_newest():
    from satupintu.core.registry import MyRequest, MyRequestsProvider, Registry

    now = timezone.now()
    rows = [
        MyRequest("Izin selesai", "/a", "Selesai", updated_at=now, is_open=False),
        MyRequest("Aduan lama", "/b", "Diproses", updated_at=now - timedelta(days=3)),
        MyRequest("Aduan baru", "/c", "Diterima", updated_at=now - timedelta(days=1)),
    ]
    registry = Registry()
    registry.add_my_requests_provider(
        MyRequestsProvider("uji", "Uji", lambda user, limit: rows[:limit])
    )
    assert [r.title for r in registry.my_requests(None)] == [
        "Aduan baru",
        "Aduan lama",
        "Izin selesai",
    ]
    with pytest.raises(ValueError):
        registry.add_my_requests_provider(MyRequestsProvider("uji", "Uji", lambda u, n: []))

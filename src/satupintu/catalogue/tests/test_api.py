"""/api/v1/catalogue/: public lists and details with filters and pagination, drafts and the
staff block only for the owning OPD and platform admins, bad filters as 400s in the API format."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from satupintu.catalogue.models import Application, Launch, PublicService
from satupintu.core.roles import Role

from .conftest import make_user

API = "/api/v1/catalogue"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_openapi_document_shows_the_catalogue_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("services/", "services/{slug}/", "apps/", "apps/{slug}/", "opds/"):
        assert f"{API}/{path}" in paths
    parameters = {p["name"] for p in paths[f"{API}/apps/"]["get"]["parameters"]}
    assert {"opd", "category", "audience", "status", "q", "page", "page_size"} <= parameters


def test_services_filter_by_opd_and_life_event(client, demo):
    response = client.get(f"{API}/services/", {"opd": "disdukcapil", "life_event": "kelahiran"})
    assert _names(response) == ["Akta kelahiran", "Kartu Identitas Anak (KIA)"]
    body = client.get(f"{API}/services/", {"page_size": 5, "page": 2}).json()
    assert body["count"] == PublicService.objects.count()
    assert body["page"] == 2 and len(body["results"]) == 5
    first = body["results"][0]
    assert first["staff"] is None and first["organisation"]["code"]


def test_services_search_finds_the_practice_permit(client, demo):
    names = _names(client.get(f"{API}/services/", {"q": "praktek dokter"}))
    assert names[0] == "Surat Izin Praktik (SIP) dokter"


def test_service_detail_is_the_standard_the_page_shows(client, demo):
    body = client.get(f"{API}/services/sip-dokter/").json()
    assert "STR yang masih berlaku" in " ".join(body["requirements"])
    assert body["free"] is True and body["fee"] == 0
    assert body["online_application"] == "sip"
    assert body["url"] == "/layanan/sip-dokter/"
    missing = client.get(f"{API}/services/tidak-ada/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_apps_filter_by_category_audience_status_and_opd(client, demo):
    active = _names(client.get(f"{API}/apps/", {"status": "active", "audience": "staff"}))
    expected = Application.objects.filter(
        status="published", lifecycle="active", audience="staff"
    ).order_by("name")
    assert active == [app.name for app in expected] and active
    sip = client.get(f"{API}/apps/sip/").json()
    assert sip["launch_url"] == "/go/sip" and sip["staff"] is None
    by_opd = client.get(f"{API}/apps/", {"opd": sip["organisation"]["code"]}).json()
    assert "SIP" in [row["name"] for row in by_opd["results"]]
    by_category = _names(client.get(f"{API}/apps/", {"category": sip["category"].upper()}))
    assert "SIP" in by_category


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("services/", {"life_event": "ulang-tahun"}, "life_event"),
        ("services/", {"opd": "tidak-ada"}, "opd"),
        ("services/", {"page": "dua"}, "page"),
        ("services/", {"q": "x" * 201}, "q"),
        ("apps/", {"status": "hidup"}, "status"),
        ("apps/", {"audience": "<script>"}, "audience"),
        ("opds/", {"page_size": "banyak"}, "page_size"),
    ],
)
def test_bad_filters_are_400_in_the_api_format(client, demo, path, params, field):
    response = client.get(f"{API}/{path}", params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Masukan tidak valid."
    assert [error["field"] for error in body["errors"]] == [field]


def test_page_past_the_end_is_404(client, demo):
    response = client.get(f"{API}/apps/", {"page": 99})
    assert response.status_code == 404 and response.json()["errors"] == []


def test_drafts_are_hidden_from_anonymous_and_other_opds(demo):
    PublicService.objects.filter(slug="sip-bidan").update(status="draft")
    url = f"{API}/services/sip-bidan/"
    assert Client().get(url).status_code == 404
    listed = Client().get(f"{API}/services/").json()["results"]
    assert "sip-bidan" not in [row["slug"] for row in listed]
    other = Client()
    other.force_login(make_user("tono", demo["organisations"]["dinkes"], Role.OPERATOR))
    assert other.get(url).status_code == 404
    owner = Client()
    owner.force_login(make_user("sari", demo["organisations"]["dpmptsp"], Role.OPERATOR))
    body = owner.get(url).json()
    assert body["staff"]["status"] == "draft"


def test_staff_block_only_for_the_owning_opd_and_platform_admin(demo):
    app = Application.objects.get(slug="sip")
    Launch.objects.create(application=app, user_hash="a")
    Launch.objects.create(application=app, user_hash="b")
    old = Launch.objects.create(application=app, user_hash="c")
    Launch.objects.filter(pk=old.pk).update(launched_at=timezone.now() - timedelta(days=40))
    url = f"{API}/apps/sip/"
    assert Client().get(url).json()["staff"] is None
    owner = Client()
    owner.force_login(make_user("dina", app.organisation, Role.OPERATOR))
    staff = owner.get(url).json()["staff"]
    assert staff["usage"] == 2 and staff["usage_days"] == 30 and staff["status"] == "published"
    other_code = "dinsos" if app.organisation.code != "dinsos" else "dinkes"
    other = Client()
    other.force_login(make_user("tono", demo["organisations"][other_code], Role.OPERATOR))
    assert other.get(url).json()["staff"] is None
    listed = other.get(f"{API}/apps/", {"q": "SIP"}).json()["results"]
    assert all(row["staff"] is None for row in listed)
    admin = Client()
    admin.force_login(make_user("admin", demo["organisations"]["diskominfo"], Role.PLATFORM_ADMIN))
    assert admin.get(url).json()["staff"]["usage"] == 2


def _token(user) -> str:
    application = get_application_model().objects.create(
        name="Dasbor OPD",
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris="https://dasbor.okukab.go.id/cb",
        algorithm="RS256",
        organisation=user.memberships.first().organisation,
    )
    return (
        get_access_token_model()
        .objects.create(
            user=user,
            application=application,
            token="token-katalog-" + user.username,
            expires=timezone.now() + timedelta(hours=1),
            scope="openid",
        )
        .token
    )


def test_bearer_token_sees_its_opd_drafts_and_a_bad_token_is_401(demo):
    PublicService.objects.filter(slug="sip-bidan").update(status="draft")
    owner = make_user("sari", demo["organisations"]["dpmptsp"], Role.OPERATOR)
    headers = {"Authorization": f"Bearer {_token(owner)}"}
    response = Client().get(f"{API}/services/sip-bidan/", headers=headers)
    assert response.status_code == 200 and response.json()["staff"]["status"] == "draft"
    refused = Client().get(f"{API}/services/", headers={"Authorization": "Bearer kedaluwarsa"})
    assert refused.status_code == 401 and refused.json()["detail"]


def test_opd_list_counts_what_the_caller_may_see(client, demo):
    listed = client.get(f"{API}/opds/", {"page_size": 100}).json()["results"]
    rows = {row["code"]: row for row in listed}
    assert (
        rows["disdukcapil"]["services"]
        == PublicService.objects.filter(
            organisation__code="disdukcapil", status="published"
        ).count()
    )
    assert rows["disdukcapil"]["url"] == "/opd/disdukcapil/"

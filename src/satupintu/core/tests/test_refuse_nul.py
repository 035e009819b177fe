"""RefuseNulMiddleware: a NUL character anywhere in the path, a header, the query string or a
form field is a 400 before any view or database sees it (PostgreSQL refuses NUL in a text
parameter; these tests also run on PostgreSQL and MariaDB in the service tier), in the format
of the endpoint it was sent to. Uploaded files may hold NUL bytes."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from satupintu.core.middleware import RefuseNulMiddleware

pytestmark = pytest.mark.django_db

MESSAGE = "Permintaan memuat karakter NUL, yang tidak diterima."


def test_a_nul_in_the_query_string_of_a_page_is_the_400_page(client):
    response = client.get("/opd/", {"q": "dinas\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


def test_a_nul_in_a_query_parameter_name_is_refused(client):
    assert client.get("/opd/?na%00me=x").status_code == 400


def test_a_nul_in_a_form_field_is_refused_before_the_login_is_tried(client):
    response = client.post("/akun/masuk/", {"username": "siti\x00", "password": "x"})  # multipart
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    response = client.post(
        "/akun/masuk/",
        urlencode({"username": "siti", "password": "a\x00b"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_nul_in_a_json_body_is_refused_and_an_escaped_backslash_is_not(client):
    response = client.post("/api/v1/x/", {"judul": ["a", {"b": "c\x00"}]}, "application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE, "errors": []}
    not_nul = client.post("/api/v1/x/", {"judul": "C:\\u0000"}, "application/json")
    assert not_nul.status_code == 404  # reached the API, which has no such endpoint


def test_a_nul_in_the_session_cookie_never_reaches_the_session_store(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/opd/")
    assert response.status_code == 400


def test_the_oauth_endpoints_answer_in_the_oauth_error_format(client):
    response = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": "\x00", "client_secret": "x"},
    )
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description": MESSAGE}
    authorize = client.get("/o/authorize/", {"client_id": "a\x00", "response_type": "code"})
    assert authorize.status_code == 400 and authorize.json()["error"] == "invalid_request"


def test_the_json_api_answers_in_its_error_envelope(client):
    response = client.get("/api/v1/openapi.json", {"cari": "\x00"})
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE, "errors": []}


def test_open311_answers_with_the_georeport_error_list(client):
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": "\x00"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": MESSAGE}]


def test_an_anonymous_user_and_a_staff_member_are_refused_alike(client):
    from satupintu.accounts.tests.factories import Regency

    regency = Regency()
    assert client.get("/opd/", {"q": "\x00"}).status_code == 400
    client.force_login(regency.budi)
    assert client.get("/opd/", {"q": "\x00"}).status_code == 400
    assert client.get("/opd/", {"q": "dinas"}).status_code == 200


def passes_through(request) -> bool:
    reached = []

    def view(request):
        reached.append(request)
        return HttpResponse("ok")

    RefuseNulMiddleware(view)(request)
    return bool(reached)


def test_an_uploaded_file_with_nul_bytes_passes(rf: RequestFactory):
    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8\x00\x00binary\x00", "image/jpeg")
    assert passes_through(rf.post("/lapor/", {"judul": "Jalan rusak", "foto": upload}))


def test_plain_requests_pass(rf: RequestFactory):
    assert passes_through(rf.get("/opd/", {"q": "Dinas Kesehatan", "halaman": "2"}))
    assert passes_through(rf.post("/akun/masuk/", {"username": "siti", "password": "rahasia"}))
    assert passes_through(rf.post("/api/v1/x/", {"a": "\\u0000"}, "application/json"))


def test_a_form_too_big_to_read_is_left_to_the_view(rf: RequestFactory, settings):
    """The Open311 API answers such a request with its own 413; the middleware must not
    swallow the error or answer first."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    request = rf.post(
        "/open311/v2/requests.json",
        urlencode({f"f{n}": "x" for n in range(10)}),
        content_type="application/x-www-form-urlencoded",
    )
    seen = []

    def view(request):
        try:
            request.POST  # noqa: B018 -- reading the form is the point
        except TooManyFieldsSent:
            seen.append("raised")
        return HttpResponse("ok")

    RefuseNulMiddleware(view)(request)
    assert seen == ["raised"]


def test_an_oversized_multipart_form_still_reaches_the_view_with_its_error(
    rf: RequestFactory, settings
):
    """The multipart stream is read once, by the middleware; the view reading the form meets
    the same error (the Open311 API answers it with its own 413)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    request = rf.post("/open311/v2/requests.xml", {"description": "jalan rusak " * 200})
    seen = []

    def view(request):
        for _ in range(2):
            try:
                request.POST  # noqa: B018 -- reading the form is the point
            except RequestDataTooBig:
                seen.append("raised")
        return HttpResponse("ok")

    RefuseNulMiddleware(view)(request)
    assert seen == ["raised", "raised"]

"""The base layout on every page: CSP, no inline code, language switch, accessibility basics,
error pages, and the /design/ page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

PAGES = ["/", "/design/", "/opd/", "/opd/dinas-pupr/", "/cari/?q=kesehatan", "/cari/"]
STAFF_PAGES = ["/perubahan/"]


def assert_no_inline_code(html: str, nonce: str | None) -> None:
    assert 'style="' not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    for tag in re.findall(r"<script\b[^>]*>", html):
        src = re.search(r'src="([^"]+)"', tag)
        assert src and src.group(1).startswith("/"), f"script not from our origin: {tag}"
        assert nonce and f'nonce="{nonce}"' in tag, f"script without nonce: {tag}"
        assert "defer" in tag


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_csp_and_no_inline_code(client, regency, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self' 'nonce-" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert_no_inline_code(response.content.decode(), nonce)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_have_no_inline_code(client, regency, path):
    client.force_login(regency.admin)
    response = client.get(path)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert_no_inline_code(response.content.decode(), nonce)


def test_layout_landmarks_and_skip_link(client, regency):
    html = client.get("/opd/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'aria-label="Menu utama"' in html
    # The menu for narrow screens is a <details>, so it opens without JavaScript.
    assert '<details class="site-nav__toggle">' in html
    assert 'role="search"' in html
    assert '<html lang="id">' in html
    assert "Situs resmi Pemerintah Kabupaten Ogan Komering Ulu" in html
    assert "diskominfo@okukab.go.id" in html
    assert "cahyadsn/wilayah" in html  # the region data's attribution


def test_error_summary_takes_the_focus_except_on_the_design_examples(client, regency):
    html = client.get("/opd/", {"kind": "bukan-jenis"}).content.decode()
    assert 'class="error-summary" role="alert"' in html and "data-autofocus" in html
    assert "data-autofocus" not in client.get("/design/").content.decode()


def test_current_menu_item_is_marked(client, regency):
    html = client.get("/opd/").content.decode()
    assert '<a href="/opd/" aria-current="page">' in html


def test_language_switch_to_english_and_back(client, regency):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'name="language" value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/opd/"})
    assert response.status_code == 302 and response["Location"] == "/opd/"
    html = client.get("/opd/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Regional government bodies" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Langsung ke isi" in client.get("/").content.decode()


def test_browser_language_alone_does_not_switch_to_english(client, regency):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"
    assert "Cookie" in response["Vary"]
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    client.cookies["django_language"] = "xx-invalid"
    assert '<html lang="id">' in client.get("/").content.decode()


def test_language_switch_ignores_foreign_next_urls(client, regency):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_404_page_in_bahasa_indonesia_with_layout(client, regency):
    response = client.get("/halaman-yang-tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html and 'class="site-header"' in html


def test_403_page_explains(client, regency):
    client.force_login(regency.siti)
    response = client.get("/perubahan/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Anda tidak punya akses ke halaman ini" in html
    assert "Halaman ini hanya untuk aparatur pengelola data." in html


def test_500_page_needs_no_database(regency, django_assert_num_queries):
    from django.test import RequestFactory

    from satupintu.portal.views import server_error

    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Maaf, terjadi gangguan pada sistem" in html
    assert "Satu Pintu OKU" in html


def test_unhandled_error_renders_the_500_page(regency, settings):
    from django.urls import path

    from satupintu import urls as project_urls

    def explode(request):
        raise RuntimeError("boom")

    class BrokenUrls:
        urlpatterns = [path("meledak/", explode), *project_urls.urlpatterns]
        handler500 = project_urls.handler500

    settings.ROOT_URLCONF = BrokenUrls
    client = Client(raise_request_exception=False)
    response = client.get("/meledak/")
    assert response.status_code == 500
    assert "Maaf, terjadi gangguan pada sistem" in response.content.decode()


def test_design_page_shows_every_component(client, db):
    response = client.get("/design/")
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in (
        "button",
        "field",
        "error-summary",
        "table",
        "filters",
        "pagination",
        "export",
        "card",
        "tabs",
        "alert",
        "badge",
        "progress",
        "empty",
        "breadcrumbs",
        "summary",
    ):
        assert f'id="{anchor}"' in html, anchor
    # Usage notes show the include snippet literally.
    assert '{% include "components/button.html" with text=text %}' in html
    # The error example links the summary to the fields.
    assert 'href="#id_invalid-name"' in html and 'aria-invalid="true"' in html
    # The tanggal / waktu / rupiah filters at work on the example values.
    assert "<strong>Selasa, 24 November 2026</strong>" in html
    assert "<strong>Selasa, 24 November 2026 14.05 WIB</strong>" in html
    assert "<strong>Rp 150.000</strong>" in html and "<strong>83.762</strong>" in html
    # The progress examples are static: they must not poll a URL that does not exist.
    assert "<progress" in html and "hx-get" not in html

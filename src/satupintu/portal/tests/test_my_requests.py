"""'Layanan saya' (/layanan-saya/): a signed-in user's requests from every module's provider,
open ones first; an honest empty state; anonymous visitors are sent to sign in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from satupintu.core.registry import MyRequest, MyRequestsProvider, registry

URL = "/layanan-saya/"


@pytest.fixture
def providers(monkeypatch):
    """Providers added by a test disappear after it."""
    monkeypatch.setattr(registry, "my_requests_providers", {})
    return registry


def _complaints_of(owner):
    rows = [
        MyRequest(
            "Jalan berlubang di Jl. Dr. Moh. Hatta",
            "/pengaduan/OKU-2026-000123/",
            "Sedang ditindaklanjuti",
            reference="OKU-2026-000123",
            kind="Pengaduan",
            updated_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
        ),
        MyRequest(
            "Lampu jalan padam di Sukaraya",
            "/pengaduan/OKU-2026-000077/",
            "Selesai",
            reference="OKU-2026-000077",
            kind="Pengaduan",
            updated_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
            is_open=False,
        ),
    ]

    def provide(user, limit):
        # A real provider filters by the requester; this one knows a single owner.
        return rows[:limit] if user.pk == owner.pk else []

    return MyRequestsProvider("pengaduan", "Pengaduan", provide)


def test_lists_the_users_requests_open_first(client, regency, providers):
    providers.add_my_requests_provider(_complaints_of(regency.siti))
    client.force_login(regency.siti)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert [r.reference for r in response.context["open_requests"]] == ["OKU-2026-000123"]
    assert [r.reference for r in response.context["closed_requests"]] == ["OKU-2026-000077"]
    assert html.index("OKU-2026-000123") < html.index("OKU-2026-000077")
    assert 'href="/pengaduan/OKU-2026-000123/"' in html
    assert "Sedang ditindaklanjuti" in html and "Masih diproses (1)" in html


def test_another_user_sees_none_of_them(client, regency, providers):
    providers.add_my_requests_provider(_complaints_of(regency.siti))
    client.force_login(regency.budi)
    response = client.get(URL)
    assert response.status_code == 200
    assert "OKU-2026-000123" not in response.content.decode()
    assert "Anda belum mengajukan laporan atau permohonan" in response.content.decode()


def test_empty_state_without_any_provider(client, regency, providers):
    client.force_login(regency.siti)
    html = client.get(URL).content.decode()
    assert "Anda belum mengajukan laporan atau permohonan" in html
    assert 'class="empty-state"' in html


def test_anonymous_is_sent_to_sign_in(client, regency):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=/layanan-saya/")


def test_linked_from_the_account_menu(client, regency):
    assert 'href="/layanan-saya/"' not in client.get("/").content.decode()
    client.force_login(regency.siti)
    assert 'href="/layanan-saya/"' in client.get("/").content.decode()

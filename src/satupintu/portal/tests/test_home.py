"""The portal home page (/): search box, regency figures, OPD teaser, registered widgets."""

from __future__ import annotations

import pytest
from django.utils.html import format_html

from satupintu.core.registry import MenuItem, PortalWidget, registry
from satupintu.core.roles import Role


@pytest.fixture
def isolated_registry(monkeypatch):
    """Widgets and menu items added by a test disappear after it."""
    monkeypatch.setattr(registry, "portal_widgets", dict(registry.portal_widgets))
    monkeypatch.setattr(registry, "menu_items", list(registry.menu_items))
    return registry


def test_home_for_anonymous_visitor(client, regency):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/cari/"' in html and 'name="q"' in html
    assert response.context["stats"] == {"districts": 2, "villages": 2, "kelurahan": 1}
    assert response.context["opd_count"] == 4  # PUPR, Dinkes, Bapelitbangda, Diskominfo
    assert "Dinas Kesehatan" in html and 'href="/opd/"' in html
    assert "Masuk" in html and "/akun/masuk/?next=/" in html
    assert "Keluar" not in html
    # A link to the portal shared on WhatsApp or Facebook shows its name and tagline.
    assert '<meta property="og:site_name" content="' in html
    assert '<meta property="og:url" content="http://testserver/">' in html


def test_opd_teaser_puts_service_agencies_first(client, regency):
    featured = [o.name for o in client.get("/").context["featured_organisations"]]
    assert featured == [
        "Dinas Kesehatan",
        "Dinas Komunikasi dan Informatika",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
    ]


def test_home_for_signed_in_citizen(client, regency):
    client.force_login(regency.siti)
    html = client.get("/").content.decode()
    assert "Akun saya" in html and 'href="/akun/"' in html
    # Logout is a POST form (a link could be triggered by any page).
    assert 'action="/akun/keluar/" method="post"' in html
    assert "Ruang kerja" not in html  # citizens have no staff menu


def test_staff_menu_only_for_staff_and_by_role(client, regency, isolated_registry):
    isolated_registry.add_menu_item(
        MenuItem(
            "Verifikasi data",
            "portal:design",
            section="staff",
            roles=frozenset({Role.WALIDATA}),
            order=5,
        )
    )
    client.force_login(regency.budi)
    html = client.get("/").content.decode()
    assert "Ruang kerja" in html and "Riwayat perubahan" in html
    assert "Verifikasi data" not in html
    client.force_login(regency.rina)
    html = client.get("/").content.decode()
    assert "Verifikasi data" in html


def test_honest_empty_state_without_widgets(client, regency, isolated_registry):
    isolated_registry.portal_widgets.clear()
    html = client.get("/").content.decode()
    assert "Belum ada berita, pengumuman, atau agenda" in html


def test_registered_widgets_render_in_order_and_may_hide(client, regency, isolated_registry):
    isolated_registry.portal_widgets.clear()
    isolated_registry.add_portal_widget(
        PortalWidget(
            "agenda",
            "Agenda",
            lambda request: format_html(
                "<h3>Agenda</h3><p>{}</p>", "Musrenbang Kecamatan Lengkiti"
            ),
            order=20,
        )
    )
    isolated_registry.add_portal_widget(
        PortalWidget("news", "Berita", lambda request: "<script>alert(1)</script>Banjir", order=10)
    )
    isolated_registry.add_portal_widget(PortalWidget("empty", "Kosong", lambda r: "", order=5))
    html = client.get("/").content.decode()
    assert "Musrenbang Kecamatan Lengkiti" in html
    # A plain string is text, not markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Banjir" in html
    assert html.index("Banjir") < html.index("Musrenbang")
    assert 'aria-label="Kosong"' not in html
    assert "Belum ada berita" not in html


def test_home_without_any_data_still_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Data kecamatan dan desa belum dimuat" in response.content.decode()

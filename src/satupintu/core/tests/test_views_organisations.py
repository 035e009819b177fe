"""The public OPD directory (/opd/) and an organisation's page (/opd/<code>/)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from satupintu.accounts.tests.factories import Regency
from satupintu.core.models import Organisation


@pytest.fixture
def regency(db):
    regency = Regency()
    pupr = regency.pupr
    pupr.short_name = "Dinas PUPR"
    pupr.head_name = "Ir. H. Darmawan Saputra, M.T."
    pupr.head_title = "Kepala Dinas"
    pupr.phone = "(0735) 320 502"
    pupr.email = "pupr@okukab.go.id"
    pupr.address = "Jl. Jend. Sudirman No. 12, Baturaja"
    pupr.latitude, pupr.longitude = Decimal("-4.128900"), Decimal("104.166100")
    pupr.description = "Urusan pekerjaan umum dan penataan ruang."
    pupr.save()
    Organisation.objects.create(
        code="bidang-bina-marga",
        name="Bidang Bina Marga",
        short_name="Bina Marga",
        kind=Organisation.Kind.DINAS,
        parent=pupr,
    )
    Organisation.objects.create(
        code="dinas-lama",
        name="Dinas Pertambangan (dibubarkan)",
        short_name="Distamben",
        kind=Organisation.Kind.DINAS,
        is_active=False,
    )
    return regency


def test_directory_is_public_and_lists_active_organisations(client, regency):
    response = client.get("/opd/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html
    assert 'href="/opd/dinas-pupr/"' in html
    assert "Distamben" not in html
    assert "<caption>" in html and 'scope="col"' in html
    # Phone numbers can be dialled from a phone.
    assert '<a href="tel:0735320502">(0735) 320 502</a>' in html


def test_directory_filters_by_kind_and_text(client, regency):
    response = client.get("/opd/", {"kind": "kecamatan"})
    names = [row[0].text for row in response.context["table"].rows]
    assert names == ["Kecamatan Lengkiti"]

    response = client.get("/opd/", {"q": "kesehatan"})
    names = [row[0].text for row in response.context["table"].rows]
    assert names == ["Dinas Kesehatan"]

    # Every word must match: "dinas kesehatan" does not match Dinas PUPR.
    response = client.get("/opd/", {"q": "dinas   kesehatan"})
    assert [row[0].text for row in response.context["table"].rows] == ["Dinas Kesehatan"]


def test_directory_text_filter_with_symbols_only_does_not_filter_or_fail(client, regency):
    response = client.get("/opd/", {"q": "%%% ''' ;--"})
    assert response.status_code == 200
    assert (
        response.context["paginator"].count == Organisation.objects.filter(is_active=True).count()
    )


def test_directory_csv_export_has_contacts(client, regency):
    response = client.get("/opd/", {"q": "pupr", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1
    assert rows[0]["Nama"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert rows[0]["Email"] == "pupr@okukab.go.id"
    assert rows[0]["Kode"] == "dinas-pupr"


def test_organisation_page_shows_head_contacts_map_and_units(client, regency):
    response = client.get("/opd/dinas-pupr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ir. H. Darmawan Saputra, M.T." in html
    assert "Kepala Dinas" in html
    assert 'href="tel:0735320502"' in html
    assert "mailto:pupr@okukab.go.id" in html
    assert "openstreetmap.org/?mlat=-4.128900&amp;mlon=104.166100" in html
    assert "Bidang Bina Marga" in html
    assert "Urusan pekerjaan umum" in html
    # Anonymous visitors get no link to the (staff-only) change log.
    assert "/perubahan/" not in html


def test_organisation_page_links_history_for_staff_who_may_see_it(client, regency):
    regency.pupr.phone = "(0735) 320 503"
    regency.pupr.save()
    client.force_login(regency.budi)
    html = client.get("/opd/dinas-pupr/").content.decode()
    assert f"/perubahan/core.organisation/{regency.pupr.pk}/" in html
    client.force_login(regency.dina)  # Dinas Kesehatan: not her organisation's history
    html = client.get("/opd/dinas-pupr/").content.decode()
    assert "/perubahan/core.organisation/" not in html


def test_unknown_or_inactive_organisation_is_404(client, regency):
    assert client.get("/opd/tidak-ada/").status_code == 404
    assert client.get("/opd/dinas-lama/").status_code == 404

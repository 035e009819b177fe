"""The parts of the data hub around the tables: the BPS forms MS-Keg and MS-Ind filled in by the
OPD and shown on the public page, the quality score, the year facet of the catalogue, and the
`data.dataset_published` event that subscribed OPD systems receive when the walidata approves,
and uploaded file resources served only to those who may see their dataset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from satupintu.data.models import ActivityMetadata, Dataset, Indicator, Resource
from satupintu.data.validation import quality_score
from satupintu.events.models import Delivery, Event, Subscription

from .helpers import data_db, loaded_dataset

pytestmark = data_db()

MS_KEG = {
    "title": "Survei Fasilitas Kesehatan 2025",
    "year": "2025",
    "organiser": "Dinas Kesehatan",
    "method": "survey",
    "frequency": "Tahunan",
    "purpose": "Mendata fasilitas kesehatan dan tempat tidur rawat inap.",
}


@pytest.fixture
def draft(dinkes, topic):
    return loaded_dataset(dinkes, None, slug="draf-penduduk", topic=topic, publish=False)


def test_ms_keg_and_ms_ind_are_saved_by_the_opd_and_shown_once_published(
    client, draft, operator, other_operator, walidata
):
    keg_url = f"/data/kelola/dataset/{draft.slug}/ms-keg/"
    ind_url = f"/data/kelola/dataset/{draft.slug}/ms-ind/"
    variables = draft.resources.get().variables
    men, women = variables.get(name="laki_laki"), variables.get(name="perempuan")
    indicator = {
        "name": "Rasio jenis kelamin",
        "definition": "Banyaknya laki-laki per 100 perempuan.",
        "formula": "laki_laki / perempuan × 100",
        "unit": "laki-laki per 100 perempuan",
        "variables": [men.pk, women.pk],
    }

    # Another OPD's operator reaches neither form and saves nothing; anonymous goes to login.
    client.force_login(other_operator)
    assert client.post(keg_url, MS_KEG).status_code == 404
    assert client.post(ind_url, indicator).status_code == 404
    client.logout()
    assert client.post(keg_url, MS_KEG).status_code == 302
    assert not ActivityMetadata.objects.exists() and not Indicator.objects.exists()

    client.force_login(operator)
    # A missing mandatory field is a form error next to the field, not a 500.
    page = client.post(keg_url, {**MS_KEG, "year": ""})
    assert page.status_code == 200 and page.context["form"].errors["year"]
    assert client.post(keg_url, MS_KEG).status_code == 302
    assert client.post(ind_url, indicator).status_code == 302
    # Saving MS-Keg again edits the one activity of the dataset.
    assert client.post(keg_url, {**MS_KEG, "frequency": "Dua tahunan"}).status_code == 302
    activity = ActivityMetadata.objects.get(dataset=draft)
    assert activity.frequency == "Dua tahunan"
    saved = Indicator.objects.get(dataset=draft)
    assert set(saved.variables.all()) == {men, women}

    draft.submit(operator)
    draft.approve(walidata, "Metadata lengkap.")
    client.logout()
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    for text in ("Survei Fasilitas Kesehatan 2025", "Rasio jenis kelamin", "laki_laki / perempuan"):
        assert text in page.text


def test_an_indicator_only_takes_variables_of_its_own_dataset(
    client, draft, dinkes, operator, topic
):
    other = loaded_dataset(dinkes, None, slug="lain", topic=topic, publish=False)
    foreign = other.resources.get().variables.first()
    client.force_login(operator)
    page = client.post(
        f"/data/kelola/dataset/{draft.slug}/ms-ind/",
        {"name": "X", "definition": "X", "formula": "X", "unit": "X", "variables": [foreign.pk]},
    )
    assert page.status_code == 200 and page.context["form"].errors["variables"]
    assert not Indicator.objects.exists()


def test_quality_score_measures_completeness_validity_and_timeliness():
    now = timezone.now()
    fresh = quality_score(
        cells=100,
        empty_cells=10,
        rows_read=50,
        rows_rejected=5,
        data_updated_at=now - dt.timedelta(days=3),
        frequency_days=7,
        now=now,
    )
    assert fresh == {"completeness": 90, "validity": 90, "timeliness": 100, "score": 93}
    # Half a period late loses half the timeliness; two periods late loses all of it.
    late = quality_score(
        cells=10,
        empty_cells=0,
        rows_read=10,
        rows_rejected=0,
        data_updated_at=now - dt.timedelta(days=45),
        frequency_days=30,
        now=now,
    )
    assert late["timeliness"] == 50 and late["score"] == 83
    stale = quality_score(
        cells=10,
        empty_cells=0,
        rows_read=10,
        rows_rejected=0,
        data_updated_at=now - dt.timedelta(days=90),
        frequency_days=30,
        now=now,
    )
    assert stale["timeliness"] == 0
    # Never loaded: nothing is timely; no frequency: always timely; an empty table is whole.
    never = quality_score(
        cells=0, empty_cells=0, rows_read=0, rows_rejected=0, data_updated_at=None,
        frequency_days=30, now=now,
    )  # fmt: skip
    assert never == {"completeness": 100, "validity": 100, "timeliness": 0, "score": 67}
    assert quality_score(
        cells=4, empty_cells=4, rows_read=2, rows_rejected=2, data_updated_at=now,
        frequency_days=None, now=now,
    )["timeliness"] == 100  # fmt: skip


def test_a_sync_records_the_score_shown_on_the_dataset_page(client, dinkes, walidata, topic):
    dataset = loaded_dataset(dinkes, walidata, topic=topic)
    dataset.refresh_from_db()
    assert dataset.quality_score is not None
    assert dataset.quality["completeness"] == 100 and dataset.quality["validity"] == 100
    page = client.get(dataset.get_absolute_url())
    assert f"{dataset.quality_score}/100" in page.text


def test_year_facet_lists_and_filters_the_temporal_coverage(client, dinkes, walidata, topic):
    y2025 = loaded_dataset(dinkes, walidata, slug="penduduk-2025", topic=topic)
    y2024 = loaded_dataset(dinkes, walidata, slug="penduduk-2024", topic=topic)
    Dataset.objects.filter(pk=y2025.pk).update(
        temporal_start=dt.date(2025, 7, 1), temporal_end=dt.date(2025, 12, 31)
    )
    Dataset.objects.filter(pk=y2024.pk).update(
        temporal_start=dt.date(2024, 1, 1), temporal_end=dt.date(2024, 12, 31)
    )
    page = client.get("/data/")
    years = dict((key, items) for key, _label, items in page.context["facets"])["tahun"]
    assert [(item["label"], item["count"]) for item in years] == [(2025, 1), (2024, 1)]
    assert 'href="?tahun=2025"' in page.text
    chosen = client.get("/data/", {"tahun": "2024"})
    assert [d.slug for d in chosen.context["page_obj"]] == ["penduduk-2024"]
    assert chosen.context["filtered"] == 1 and "Hapus filter" in chosen.text


def test_approval_publishes_a_dataset_published_event(dinkes, pupr, operator, walidata, topic):
    own = Subscription.objects.create(
        organisation=dinkes,
        name="Portal data Dinkes",
        url="https://data.dinkes.example/hook",
        event_types=["data.dataset_published"],
        secret="rahasia-webhook-dinkes",
    )
    Subscription.objects.create(  # another OPD's system hears only its own OPD's events
        organisation=pupr,
        name="SIMJALAN",
        url="https://pupr.example/hook",
        event_types=["data.dataset_published"],
        secret="rahasia-webhook-pupr",
    )
    dataset = loaded_dataset(dinkes, None, topic=topic, publish=False)
    dataset.submit(operator)
    dataset.return_to_draft(walidata, "Lengkapi satuan kolom.")
    assert not Event.objects.filter(event_type="data.dataset_published").exists()

    dataset.submit(operator)
    dataset.approve(walidata, "Sesuai standar data.")
    event = Event.objects.get(event_type="data.dataset_published")
    assert event.organisation_id == dinkes.pk
    assert event.payload == {
        "slug": dataset.slug,
        "title": dataset.title,
        "version": 1,
        "organisation": "dinkes",
        "classification": "public",
        "url": dataset.get_absolute_url(),
    }
    assert [d.subscription for d in Delivery.objects.filter(event=event)] == [own]


def test_a_refused_approval_raises_no_event(dinkes, operator, walidata, topic):
    people = (
        "NIK,Nama Lengkap,Kode Desa\n"
        "1601284506850002,Siti Aminah,16.01.28.2009\n"
        "1601281203900001,Budi Santoso,16.01.28.2009\n"
    )
    dataset = loaded_dataset(
        dinkes, None, slug="warga", content=people, publish=False, key_columns=("nik",), topic=topic
    )
    dataset.resources.get().variables.exclude(personal_kind="").update(is_published=True)
    dataset.submit(operator)
    with pytest.raises(ValidationError):
        dataset.approve(walidata)
    assert not Event.objects.exists()


def test_dataset_page_charts_values_not_coordinates_and_says_when_no_period(
    client, dinkes, walidata, topic
):
    dataset = loaded_dataset(dinkes, walidata, topic=topic)  # columns lat and lon, no period
    page = client.get(dataset.get_absolute_url(), {"y": "lat"})
    chart = page.context["chart"]
    assert [c.name for c in chart["numeric"]] == ["laki_laki", "perempuan"]
    assert [c.name for c in chart["ys"]] == ["laki_laki"]  # ?y=lat falls back to the first
    assert chart["x"].name == "kode_kecamatan"  # no region reference set: the first text column
    dataset.resources.get().variables.filter(name="kode_kecamatan").update(reference="region")
    named = client.get(dataset.get_absolute_url()).context["chart"]
    assert named["x"].name == "kecamatan"  # the name, not the region code
    assert named["data"]["labels"][0] in {"Baturaja Timur", "Baturaja Barat", "Lengkiti"}
    assert "Tidak disebutkan" in page.text and "— – —" not in page.text


def _file_resource(dataset) -> Resource:
    resource = Resource(
        dataset=dataset, name="Laporan survei", kind=Resource.Kind.FILE, format="PDF"
    )
    resource.file.save("laporan-survei.pdf", ContentFile(b"%PDF-1.4 laporan"), save=False)
    resource.save()
    return resource


def test_file_resources_are_served_by_the_app_to_those_who_may_see_the_dataset(
    client, settings, tmp_path, dinkes, operator, other_operator, walidata, topic
):
    settings.MEDIA_ROOT = tmp_path
    draft = loaded_dataset(dinkes, None, slug="draf", topic=topic, publish=False)
    hidden = _file_resource(draft)
    url = f"/data/unduh/{hidden.pk}/berkas"
    assert hidden.file_url() == url
    assert client.get(url).status_code == 404  # anonymous
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 laporan"
    assert "attachment" in response["Content-Disposition"]

    client.logout()
    published = loaded_dataset(dinkes, walidata, slug="terbit", topic=topic)
    shown = _file_resource(published)
    page = client.get(published.get_absolute_url())
    assert f'href="/data/unduh/{shown.pk}/berkas"' in page.text and "/media/" not in page.text
    assert client.get(f"/data/unduh/{shown.pk}/berkas").status_code == 200
    ckan = client.get("/api/3/action/resource_show", {"id": shown.pk}).json()["result"]
    assert ckan["url"].endswith(f"/data/unduh/{shown.pk}/berkas")
    package = client.get(f"/data/{published.slug}/datapackage.json").json()
    paths = [r.get("path", "") for r in package["resources"]]
    assert any(p.endswith(f"/data/unduh/{shown.pk}/berkas") for p in paths)
    api = client.get(f"/api/v1/data/datasets/{published.slug}").json()
    listed = {r["id"]: r["downloads"] for r in api["resources"]}
    assert listed[shown.pk] == {"pdf": f"/data/unduh/{shown.pk}/berkas"}
    # A resource without a file, or an id that does not exist, is a 404 too.
    assert client.get(f"/data/unduh/{published.resources.first().pk}/berkas").status_code == 404
    assert client.get("/data/unduh/999999/berkas").status_code == 404


def test_the_shipped_nginx_config_serves_no_upload_but_the_client_logos():
    # Data hub files, complaint photos and catalogue pictures go through the app's access checks.
    conf = (Path(__file__).resolve().parents[4] / "deploy" / "nginx.conf").read_text()
    assert "location /media/ {\n        return 404;" in conf
    served = [
        line.split()[1].rstrip(";")
        for line in conf.splitlines()
        if line.strip().startswith("alias")
    ]
    assert served == ["/var/lib/satupintu/static/", "/var/lib/satupintu/media/client-logos/"]

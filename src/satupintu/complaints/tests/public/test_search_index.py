"""Public reports in the shared search index: what goes in (masked public text only), what never
does (private and merged reports, personal data), and how status changes, reassignment and
merges keep the document current."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu.core import search_index
from satupintu.core.models import SearchDocument
from satupintu.core.search import index_after_migrate

from ... import search, services
from ...models import Report
from .helpers import EMAIL, NIK, PHONE, resolve, send

CONTACT_NAME = "Siti Aminah"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the index writes queued for after the commit, as a real request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def document(report: Report) -> SearchDocument | None:
    return SearchDocument.objects.filter(kind=search.KIND, key=str(report.pk)).first()


def keys(query: str) -> list[str]:
    return search_index.Search(query).keys(search.KIND)


def assert_no_personal_data(row: SearchDocument) -> None:
    text = f"{row.title} {row.body} {row.title_stems} {row.body_stems}"
    for secret in (PHONE, NIK, EMAIL, CONTACT_NAME, "7788", "siti.aminah", "Jl. Lintas"):
        assert secret not in text, secret


def test_a_public_report_is_indexed_with_masked_text_and_a_private_one_is_not(
    regency, road, committed
):
    title = f"Jembatan gantung Lengkiti rusak, hubungi {PHONE}"
    public = committed(send, road, title=title, address="Jl. Lintas Lengkiti km 4")
    private = committed(send, road, title="Jembatan lain yang privat", is_public=False)

    row = document(public)
    assert row is not None and document(private) is None
    assert row.url == f"/pengaduan/{public.reference}/"
    assert row.organisation_id == regency.pupr.pk and row.visibility == "public"
    assert public.reference in row.body and "Jalan rusak" in row.body
    assert_no_personal_data(row)
    # The anonymous public finds it by word and by tracking number; the private one never.
    assert keys("jembatan") == [str(public.pk)]
    assert keys(public.reference) == [str(public.pk)]
    assert keys("privat") == []


def test_a_report_of_a_signed_in_citizen_never_names_them(regency, road, committed):
    report = committed(send, road, reporter=regency.siti, title="Drainase tersumbat di pasar")
    row = document(report)
    assert regency.siti.full_name not in row.body and regency.siti.username not in row.body
    assert_no_personal_data(row)


def test_status_changes_reassignment_and_merges_keep_the_document_current(
    regency, road, clinic, committed
):
    original = committed(send, road, title="Jalan amblas di tikungan Lengkiti")
    duplicate = committed(send, road, title="Jalan amblas lagi dekat tikungan")
    assert "Diterima" in document(original).body

    committed(resolve, original, regency.budi)
    assert "Selesai ditangani" in document(original).body

    committed(services.reassign, duplicate, regency.dinkes, actor=regency.budi, reason="Salah OPD.")
    assert document(duplicate).organisation_id == regency.dinkes.pk

    duplicate = Report.objects.get(pk=duplicate.pk)
    committed(services.merge, duplicate, original, actor=regency.dina)
    assert document(duplicate) is None and document(original) is not None
    assert keys("amblas") == [str(original.pk)]


def test_a_report_made_private_or_deleted_leaves_the_index(regency, road, committed):
    report = committed(send, road, title="Lampu jalan padam di simpang")
    assert document(report) is not None
    report.is_public = False
    committed(report.save)
    assert document(report) is None

    other = committed(send, road, title="Lampu jalan lain padam")
    committed(other.delete)
    assert document(other) is None


def test_saves_of_fields_outside_the_document_do_not_touch_the_index(regency, road, committed):
    report = committed(send, road, title="Pohon tumbang di jalan desa")
    report.escalation_level = 1
    with CaptureQueriesContext(connection) as queries:
        committed(report.save, update_fields=["escalation_level"])
    assert queries.captured_queries
    assert not [q for q in queries.captured_queries if "searchdocument" in q["sql"].lower()]
    report.is_public = False
    with CaptureQueriesContext(connection) as queries:
        committed(report.save, update_fields=["is_public"])
    assert [q for q in queries.captured_queries if "searchdocument" in q["sql"].lower()]


def test_rebuild_indexes_public_reports_only(regency, road):
    public = send(road, title="Sampah menumpuk di TPS pasar")
    send(road, title="Sampah privat", is_public=False)
    SearchDocument.objects.filter(kind=search.KIND).delete()
    call_command("rebuild_search_index", search.KIND, stdout=None)
    assert list(SearchDocument.objects.filter(kind=search.KIND).values_list("key", flat=True)) == [
        str(public.pk)
    ]


def test_the_search_page_shows_public_reports_to_an_anonymous_visitor(
    client, regency, road, committed
):
    public = committed(send, road, title="Gorong-gorong ambrol depan sekolah")
    committed(send, road, title="Gorong-gorong rahasia", is_public=False)
    page = client.get("/cari/", {"q": "gorong"})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"/pengaduan/{public.reference}/" in html and "rahasia" not in html
    for secret in (PHONE, NIK, EMAIL, CONTACT_NAME):
        assert secret not in html


def test_migrate_on_an_upgraded_installation_indexes_its_existing_reports(regency, road):
    # Reports written before the complaints kind existed; another kind is already indexed.
    report = send(road, title="Jembatan kayu lapuk di kebun")
    search_index.index(
        [search_index.Document(kind="layanan", key="1", title="Akta kelahiran", url="/l/1/")]
    )
    index_after_migrate(sender=None)
    assert document(report) is not None
    assert SearchDocument.objects.filter(kind="layanan").exists()
    SearchDocument.objects.filter(kind=search.KIND).update(title="Diubah")
    index_after_migrate(sender=None)  # a kind with documents is left alone
    assert document(report).title == "Diubah"


def fields_of(row: SearchDocument) -> dict:
    return {
        name: getattr(row, name)
        for name in ("title", "body", "url", "organisation_id", "visibility", "body_stems")
    }


def test_a_new_report_is_indexed_from_the_saved_instance_as_a_refresh_would(
    regency, road, committed
):
    with CaptureQueriesContext(connection) as queries:
        report = committed(send, road, title="Drainase tersumbat di pasar Lengkiti")
    # MySQL/MariaDB quote names with backticks.
    statements = [q["sql"].lower().replace("`", '"') for q in queries.captured_queries]
    insert = next(n for n, sql in enumerate(statements) if 'into "complaints_report"' in sql)
    # Nothing reads the new report back (the index write used to, after the commit).
    assert not [sql for sql in statements[insert:] if 'from "complaints_report"' in sql]
    assert [sql for sql in statements[insert:] if "searchdocument" in sql]
    from_instance = fields_of(document(report))
    committed(search.refresh, report.pk)
    assert fields_of(document(report)) == from_instance
    assert "Drainase" in from_instance["title"] and report.reference in from_instance["body"]


def test_a_new_report_without_its_relations_loaded_is_re_read(regency, road, committed):
    report = send(road, title="Lampu jalan padam di simpang Lengkiti")
    SearchDocument.objects.filter(kind=search.KIND).delete()
    bare = Report.objects.only("pk").get(pk=report.pk)
    assert not search._relations_loaded(bare)
    copy = Report.objects.get(pk=report.pk)
    copy.pk, copy.reference, copy.token = None, "ADU-2611-99999", uuid.uuid4()
    copy.category_id = road.pk  # the cached category is dropped: the id no longer matches it
    with CaptureQueriesContext(connection) as queries:
        committed(copy.save)
    statements = [q["sql"].lower().replace("`", '"') for q in queries.captured_queries]
    assert [sql for sql in statements if 'from "complaints_report"' in sql]
    row = document(copy)
    assert row is not None and "ADU-2611-99999" in row.body and road.name in row.body

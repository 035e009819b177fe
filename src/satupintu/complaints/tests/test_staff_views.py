import pytest
from django.urls import reverse

from satupintu.complaints.models import Report, ReportUpdate

from .conftest import BATURAJA

S = Report.Status


@pytest.fixture
def report(submit):
    return submit()


@pytest.fixture
def other_report(submit, categories, citizen):
    return submit(
        category=categories["sampah"],
        title="Sampah menumpuk di Pasar Baturaja",
        description="Sampah pasar tidak diangkut sejak Senin, baunya sampai ke rumah warga.",
        latitude=BATURAJA[0],
        longitude=BATURAJA[1],
    )


def _urls(report):
    return [
        ("get", reverse("complaints:staff_inbox"), {}),
        ("get", reverse("complaints:staff_detail", args=[report.reference]), {}),
        (
            "post",
            reverse("complaints:staff_action", args=[report.reference]),
            {"action": "note", "note-message": "Cek lokasi", "note-is_public": ""},
        ),
        (
            "post",
            reverse("complaints:staff_bulk"),
            {"action": "verify", "reports": [report.reference]},
        ),
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_everywhere(client, report):
    for method, url, data in _urls(report):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/akun/" in response["Location"], url
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.updates.count() == 1


@pytest.mark.django_db
def test_citizen_is_refused_everywhere(client, report, citizen):
    client.force_login(citizen)
    for method, url, data in _urls(report):
        assert getattr(client, method)(url, data).status_code == 403, url


@pytest.mark.django_db
def test_other_opd_operator_sees_nothing_of_the_report(client, report, dinkes_operator):
    client.force_login(dinkes_operator)
    inbox = client.get(reverse("complaints:staff_inbox"))
    assert inbox.status_code == 200
    assert report.reference not in inbox.content.decode()
    detail = client.get(reverse("complaints:staff_detail", args=[report.reference]))
    assert detail.status_code == 404
    action = client.post(
        reverse("complaints:staff_action", args=[report.reference]),
        {"action": "status", "status-status": "verified"},
    )
    assert action.status_code == 404
    bulk = client.post(
        reverse("complaints:staff_bulk"), {"action": "verify", "reports": [report.reference]}
    )
    assert bulk.status_code == 302
    report.refresh_from_db()
    assert report.status == S.RECEIVED
    export = client.get(reverse("complaints:staff_inbox") + "?export=csv")
    assert report.reference not in b"".join(export.streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
def test_inbox_lists_own_reports_with_sla_and_filters(client, report, other_report, pupr_operator):
    client.force_login(pupr_operator)
    page = client.get(reverse("complaints:staff_inbox")).content.decode()
    assert report.reference in page and other_report.reference not in page
    assert "Tepat waktu" in page
    late = client.get(reverse("complaints:staff_inbox"), {"sla": "late"}).content.decode()
    assert report.reference not in late
    assert (
        report.reference
        in client.get(reverse("complaints:staff_inbox"), {"status": "received"}).content.decode()
    )


@pytest.mark.django_db
def test_platform_admin_sees_every_opd_and_exports(client, report, other_report, platform_admin):
    client.force_login(platform_admin)
    page = client.get(reverse("complaints:staff_inbox")).content.decode()
    assert "seluruh OPD" in page
    assert report.reference in page and other_report.reference in page
    narrowed = client.get(reverse("complaints:staff_inbox"), {"organisation": "dlh"})
    assert report.reference not in narrowed.content.decode()
    csv = client.get(reverse("complaints:staff_inbox"), {"export": "csv"})
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert report.reference in body and other_report.reference in body
    assert "siti" not in body.lower()  # no personal data in the export
    xlsx = client.get(reverse("complaints:staff_inbox"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    content = xlsx.content if hasattr(xlsx, "content") else b"".join(xlsx.streaming_content)
    assert content[:2] == b"PK"


@pytest.mark.django_db
def test_detail_masks_contact_and_shows_internal_notes(client, submit, pupr_operator):
    report = submit(
        reporter=None,
        contact={"name": "Rahmat Hidayat", "email": "rahmat.h@gmail.com", "phone": "081234567890"},
    )
    report.updates.create(kind=ReportUpdate.Kind.INTERNAL_NOTE, message="Cek aset", is_public=False)
    client.force_login(pupr_operator)
    page = client.get(reverse("complaints:staff_detail", args=[report.reference])).content.decode()
    assert "rahmat.h@gmail.com" not in page and "081234567890" not in page
    assert "r***@gmail.com" in page and "0812****7890" in page
    assert "Cek aset" in page and "Internal" in page


@pytest.mark.django_db
def test_status_action_and_bad_transition_is_a_form_error(client, report, pupr_operator):
    client.force_login(pupr_operator)
    url = reverse("complaints:staff_action", args=[report.reference])
    ok = client.post(url, {"action": "status", "status-status": "verified", "status-message": ""})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == S.VERIFIED
    bad = client.post(url, {"action": "status", "status-status": "closed"})
    assert bad.status_code == 400
    resolve = client.post(url, {"action": "status", "status-status": "assigned"})
    assert resolve.status_code == 302
    no_reason = client.post(url, {"action": "status", "status-status": "rejected"})
    assert no_reason.status_code == 400
    assert "alasan penolakan" in no_reason.content.decode()
    report.refresh_from_db()
    assert report.status == S.ASSIGNED
    unknown = client.post(url, {"action": "hapus"})
    assert unknown.status_code == 400


@pytest.mark.django_db
def test_public_update_vs_internal_note(
    client, report, pupr_operator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pupr_operator)
    url = reverse("complaints:staff_action", args=[report.reference])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "note", "note-message": "Tim dijadwalkan Kamis."})
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "note", "note-message": "Tim datang Kamis.", "note-is_public": "on"}
        )
    assert len(mailoutbox) == 1 and "Tim datang Kamis." in mailoutbox[0].body
    assert mailoutbox[0].to == ["siti@example.com"]
    notes = list(report.updates.values_list("kind", "is_public"))
    assert ("internal_note", False) in notes and ("public_update", True) in notes


@pytest.mark.django_db
def test_reassign_with_reason_moves_it_out_of_the_inbox(
    client, report, pupr_operator, organisations
):
    client.force_login(pupr_operator)
    url = reverse("complaints:staff_action", args=[report.reference])
    missing = client.post(url, {"action": "reassign", "reassign-organisation": "dishub"})
    assert missing.status_code == 400
    response = client.post(
        url,
        {
            "action": "reassign",
            "reassign-organisation": "dishub",
            "reassign-reason": "Rambu dan marka jalan kewenangan Dishub.",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("complaints:staff_inbox")
    report.refresh_from_db()
    assert report.organisation == organisations["dishub"]
    assert report.updates.filter(kind="reassignment", is_public=True).exists()


@pytest.mark.django_db
def test_bulk_verify_checks_each_row(client, submit, pupr_operator):
    first = submit()
    second = submit(latitude="-4.0417", longitude="103.9894")
    client.force_login(pupr_operator)
    url = reverse("complaints:staff_action", args=[second.reference])
    client.post(
        url,
        {
            "action": "status",
            "status-status": "rejected",
            "status-message": "Bukan jalan kabupaten.",
        },
    )
    response = client.post(
        reverse("complaints:staff_bulk"),
        {"action": "verify", "reports": [first.reference, second.reference]},
        follow=True,
    )
    text = response.content.decode()
    assert first.reference in text and "Tidak diubah" in text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.VERIFIED and second.status == S.REJECTED


@pytest.mark.django_db
def test_bulk_assign_to_officer(client, submit, pupr_operator, pupr_head):
    report = submit()
    client.force_login(pupr_head)
    client.post(
        reverse("complaints:staff_bulk"),
        {"action": "assign", "reports": [report.reference], "officer": pupr_operator.pk},
    )
    report.refresh_from_db()
    assert report.assignee == pupr_operator and report.status == S.ASSIGNED


@pytest.mark.django_db
def test_merge_from_the_staff_page(client, submit, pupr_operator, citizen):
    from satupintu.core.roles import Role

    from .conftest import make_user

    original = submit()
    neighbour = make_user("rudi", None, Role.CITIZEN)
    duplicate = submit(reporter=neighbour)
    client.force_login(pupr_operator)
    page = client.get(reverse("complaints:staff_detail", args=[duplicate.reference]))
    assert "Kemungkinan duplikat" in page.content.decode()
    response = client.post(
        reverse("complaints:staff_action", args=[duplicate.reference]),
        {"action": "merge", "merge-original": original.reference.lower()},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.status == S.CLOSED
    assert original.followers.filter(user=neighbour).exists()


@pytest.mark.django_db
def test_staff_photo_only_for_those_who_see_the_report(
    client, submit, pupr_operator, dinkes_operator, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_submission_guards import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    report = submit(is_public=False, photos=[SimpleUploadedFile("a.jpg", jpeg_with_gps((64, 48)))])
    url = reverse("complaints:staff_photo", args=[report.reference, report.photos.get().pk])
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(dinkes_operator)
    assert client.get(url).status_code == 404
    client.force_login(pupr_operator)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    page = client.get(reverse("complaints:staff_detail", args=[report.reference]))
    assert url in page.content.decode()


@pytest.mark.django_db
def test_leaders_read_every_report_but_cannot_act(client, report, organisations):
    from satupintu.core.roles import Role

    from .conftest import make_user

    bupati = make_user("bupati", organisations["setda"], Role.PIMPINAN)
    client.force_login(bupati)
    assert report.reference in client.get(reverse("complaints:staff_inbox")).content.decode()
    detail = client.get(reverse("complaints:staff_detail", args=[report.reference]))
    assert detail.status_code == 200 and "Tindak lanjut" not in detail.content.decode()
    action = client.post(
        reverse("complaints:staff_action", args=[report.reference]),
        {"action": "status", "status-status": "verified"},
    )
    assert action.status_code == 403
    report.refresh_from_db()
    assert report.status == S.RECEIVED


@pytest.mark.django_db
def test_opd_admin_opens_the_contact_with_a_logged_reason(client, submit, pupr_operator, pupr_head):
    from satupintu.core.models import PersonalDataAccess

    report = submit(reporter=None, contact={"name": "Rahmat Hidayat", "phone": "081234567890"})
    url = reverse("complaints:staff_action", args=[report.reference])
    client.force_login(pupr_operator)
    page = client.get(reverse("complaints:staff_detail", args=[report.reference]))
    assert "Buka kontak pelapor" not in page.content.decode()
    refused = client.post(url, {"action": "reveal", "reveal-reason": "ingin tahu"})
    assert refused.status_code == 400 and "081234567890" not in refused.content.decode()

    client.force_login(pupr_head)
    assert client.post(url, {"action": "reveal", "reveal-reason": ""}).status_code == 400
    opened = client.post(
        url, {"action": "reveal", "reveal-reason": "Menelepon pelapor untuk titik lokasi"}
    )
    assert opened.status_code == 200 and "081234567890" in opened.content.decode()
    log = PersonalDataAccess.objects.order_by("pk")
    assert [(a.granted, a.field_name) for a in log] == [
        (False, "contact_name"),
        (True, "contact_name"),
        (True, "contact_phone"),
    ]
    assert log.last().reason == "Menelepon pelapor untuk titik lokasi"

"""Staff accounts by OPD admins (own OPD only) and the CSV/XLSX import with a row-level error
report and no partial import."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from satupintu.accounts.models import Membership, User
from satupintu.accounts.tests.factories import Regency
from satupintu.core.roles import Role

pytestmark = pytest.mark.django_db

CREATE = "/akun/staf/baru/"
IMPORT = "/akun/staf/impor/"
NURUL_NIP = "199001152015032001"  # born 15 Jan 1990, CPNS March 2015, woman, serial 001
AGUS_NIP = "198812302012121002"  # born 30 Dec 1988, CPNS Dec 2012, man, serial 002


@pytest.fixture
def regency() -> Regency:
    return Regency()


def csv_file(text: str, name: str = "staf.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_opd_admin_creates_a_staff_account_who_signs_in_with_nip(client, regency):
    client.force_login(regency.dinkes_admin)
    response = client.post(
        CREATE,
        {
            "nip": NURUL_NIP,
            "name": "Nurul Hidayah, A.Md.Keb.",
            "opd": "dinas-kesehatan",
            "role": "operator",
            "email": "nurul@okukab.go.id",
            "position": "Bidan",
        },
    )
    assert response.status_code == 200
    password = re.search(r'<code class="secret-key">([^<]+)</code>', response.content.decode())[1]
    nurul = User.objects.find_by_nip(NURUL_NIP)
    assert nurul.kind == User.Kind.STAFF and nurul.username == "nurul.hidayah"
    membership = Membership.objects.get(user=nurul)
    assert membership.organisation == regency.dinkes and membership.role == Role.OPERATOR
    client.logout()
    login = client.post("/akun/masuk/", {"username": NURUL_NIP, "password": password})
    assert login.status_code == 302


def test_opd_admin_cannot_create_staff_for_another_opd(client, regency):
    client.force_login(regency.dinkes_admin)
    response = client.post(
        CREATE,
        {"nip": NURUL_NIP, "name": "Nurul Hidayah", "opd": "dinas-pupr", "role": "opd_admin"},
    )
    assert response.status_code == 400
    assert User.objects.find_by_nip(NURUL_NIP) is None


def test_staff_pages_refuse_operators_citizens_and_anonymous(client, regency):
    for path in (CREATE, IMPORT):
        assert client.get(path)["Location"].startswith("/akun/masuk/")
        for person in (regency.dina, regency.siti, regency.bupati):
            client.force_login(person)
            assert client.get(path).status_code == 403
            assert (
                client.post(
                    path,
                    {"nip": NURUL_NIP, "name": "X", "opd": "dinas-kesehatan", "role": "operator"},
                ).status_code
                == 403
            )
        client.logout()
    assert User.objects.find_by_nip(NURUL_NIP) is None


def test_csv_import_creates_every_row(client, regency):
    client.force_login(regency.dinkes_admin)
    upload = csv_file(
        "NIP;Nama;OPD;Peran;Email;Jabatan\n"
        f"{NURUL_NIP};Nurul Hidayah;dinas-kesehatan;operator;nurul@okukab.go.id;Bidan\n"
        "\n"
        f"{AGUS_NIP};Agus Salim, S.Kep.;dinas-kesehatan;opd_admin;;Perawat Ahli Muda\n"
    )
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "2 akun aparatur dibuat" in response.content.decode()
    assert Membership.objects.get(user=User.objects.find_by_nip(AGUS_NIP)).role == Role.OPD_ADMIN


def test_xlsx_import(client, regency):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", "OPD"])
    sheet.append([NURUL_NIP, "Nurul Hidayah", "dinas-kesehatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(regency.admin)
    upload = SimpleUploadedFile("staf.xlsx", buffer.getvalue())
    assert client.post(IMPORT, {"file": upload}).status_code == 200
    assert User.objects.find_by_nip(NURUL_NIP).full_name == "Nurul Hidayah"


def test_import_reports_every_bad_row_and_creates_nothing(client, regency):
    client.force_login(regency.dinkes_admin)
    upload = csv_file(
        "nip,nama,opd,peran\n"
        f"{NURUL_NIP},Nurul Hidayah,dinas-kesehatan,operator\n"
        "19900115,Pendek NIP,dinas-kesehatan,\n"
        f"{AGUS_NIP},Agus Salim,dinas-pupr,\n"
        f"{NURUL_NIP},Nurul Lagi,dinas-kesehatan,\n"
        "198503122010011003,Budi Lagi,dinas-kesehatan,\n"
        f"{AGUS_NIP[:-1]}3,,tidak-ada,bupati\n"
    )
    before = User.objects.count()
    response = client.post(IMPORT, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert User.objects.count() == before  # no partial import
    rows = re.findall(r'<tr><th scope="row">(\d+)</th><td data-label="Kolom">(\w+)</td>', html)
    assert ("3", "NIP") in rows
    assert ("4", "OPD") in rows and "Anda bukan admin OPD" in html
    assert ("5", "NIP") in rows and "NIP sama dengan baris 2" in html
    assert ("6", "NIP") in rows and "Sudah ada akun dengan NIP ini" in html
    assert {("7", "Nama"), ("7", "OPD"), ("7", "Peran")} <= set(rows)
    assert "tidak ada akun yang dibuat" in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("staf.pdf", b"%PDF-1.4"), "Unggah berkas .csv atau .xlsx"),
        (csv_file("nama,opd\nNurul,dinas-kesehatan\n"), "kurang: nip"),
        (csv_file("nip,nama,opd\n"), "Tidak ada baris data"),
        (SimpleUploadedFile("staf.xlsx", b"bukan excel"), "tidak bisa dibaca"),
    ],
)
def test_unreadable_files_are_form_errors(client, regency, upload, message):
    client.force_login(regency.dinkes_admin)
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 400 and message in response.content.decode()

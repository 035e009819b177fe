"""The region import: counts from the shipped Kemendagri file, scopes, idempotency, and
malformed files rejected with the line number and nothing written."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from satupintu.core.management.commands.import_regions import Command as ImportRegionsCommand
from satupintu.core.models import Region
from satupintu.core.regions import (
    DEFAULT_REGION_FILE,
    RegionFileError,
    import_regions,
    normalise_region_code,
    read_region_file,
    regency_regions_installed,
    region_code_known,
)

SMALL_FILE = (
    "kode,nama\n"
    "16,Sumatera Selatan\n"
    "16.01,Kabupaten Ogan Komering Ulu\n"
    "16.01.28,Lengkiti\n"
    "16.01.28.2009,Segara Kembang\n"
    "16.01.28.2017,Bunga Tanjung\n"
    "16.10,Kabupaten Ogan Ilir\n"
    "16.10.01,Muara Kuang\n"
    "16.10.01.2001,Muara Kuang\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "wilayah.csv") -> Path:
    path = tmp_path / name
    data = text.encode() if isinstance(text, str) else text
    if name.endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def per_level() -> dict[int, int]:
    return dict(Region.objects.values_list("level").annotate(n=Count("code")))


def all_rows() -> list[tuple]:
    return list(Region.objects.order_by("code").values_list("code", "name", "level", "parent_id"))


@pytest.mark.django_db
def test_full_file_scope_all_gives_the_kepmendagri_counts_and_a_rerun_changes_nothing(capsys):
    call_command("import_regions", "--scope", "all")
    assert per_level() == {1: 38, 2: 514, 3: 7285, 4: 83762}
    out = capsys.readouterr().out
    assert "83762" in out and "Impor wilayah selesai." in out

    segara_kembang = Region.objects.get(pk="16.01.28.2009")
    assert segara_kembang.name == "Segara Kembang"
    assert segara_kembang.parent.name == "Lengkiti"
    assert segara_kembang.parent.parent.name == "Kabupaten Ogan Komering Ulu"
    assert not segara_kembang.is_kelurahan
    # The source carries trailing spaces on a few names; they are stripped.
    assert Region.objects.get(pk="31.72").name == "Kota Administrasi Jakarta Utara"

    before = all_rows()
    report = import_regions(scope="all")
    assert not report.changed_anything
    assert {level: c.unchanged for level, c in report.counts.items()} == {
        1: 38,
        2: 514,
        3: 7285,
        4: 83762,
    }
    assert all_rows() == before


@pytest.mark.django_db
def test_installation_scope_keeps_every_district_and_only_the_regencys_villages(settings):
    settings.INSTALLATION = {**settings.INSTALLATION, "regency_code": "16.01"}
    report = import_regions()
    assert per_level() == {1: 38, 2: 514, 3: 7285, 4: 157}
    assert report.counts[4].created == 157
    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    assert not villages.exclude(code__startswith="16.01.").exists()
    assert villages.filter(code__startswith="16.01.28.").count() > 0
    assert Region.objects.filter(parent_id="16.01", level=3).count() == 13
    assert regency_regions_installed("16.01")
    assert not regency_regions_installed("35.24")  # districts yes, villages not imported

    second = import_regions()
    assert not second.changed_anything
    assert second.counts[4].unchanged == 157


@pytest.mark.django_db
def test_installation_scope_follows_the_configured_regency(settings, tmp_path):
    settings.INSTALLATION = {**settings.INSTALLATION, "regency_code": "16.10"}
    import_regions(write(tmp_path, SMALL_FILE))
    villages = set(Region.objects.filter(level=4).values_list("code", flat=True))
    assert villages == {"16.10.01.2001"}


@pytest.mark.django_db
def test_unknown_installation_regency_is_refused(settings, tmp_path):
    settings.INSTALLATION = {**settings.INSTALLATION, "regency_code": "16.99"}
    with pytest.raises(CommandError, match=r"16\.99"):
        call_command("import_regions", "--file", str(write(tmp_path, SMALL_FILE)))
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_rerun_with_a_newer_list_renames_adds_and_keeps_removed_codes(tmp_path):
    import_regions(write(tmp_path, SMALL_FILE), scope="all")
    newer = (
        SMALL_FILE.replace("Bunga Tanjung", "Bunga Tanjung Baru").replace(
            "16.10.01.2001,Muara Kuang\n", ""
        )
        + "16.01.28.2018,Tanjung Kemuning\n"
    )
    report = import_regions(write(tmp_path, newer, "newer.csv.gz"), scope="all")
    assert report.counts[4].created == 1
    assert report.counts[4].updated == 1
    assert report.counts[4].unchanged == 1
    assert report.counts[1].unchanged == 1
    assert report.kept_absent == 1
    assert Region.objects.get(pk="16.01.28.2017").name == "Bunga Tanjung Baru"
    assert Region.objects.get(pk="16.01.28.2018").parent_id == "16.01.28"
    assert Region.objects.filter(pk="16.10.01.2001").exists()


MALFORMED = {
    "bad code": (SMALL_FILE + "16.01.28.209,Desa Salah Kode\n", 10, 'kode "16.01.28.209"'),
    "letters in code": (SMALL_FILE + "16.0A,Kabupaten Huruf\n", 10, "tidak sesuai format"),
    "missing parent": (SMALL_FILE + "16.02.01.2001,Tanpa Induk\n", 10, "induk 16.02.01"),
    "duplicate": (SMALL_FILE + "16.01.28.2009,Segara Kembang\n", 10, "ganda, sudah ada di baris 5"),
    "wrong header": ("code,name\n" + SMALL_FILE.split("\n", 1)[1], 1, "kode,nama"),
    "empty name": (SMALL_FILE + "16.01.28.2019,   \n", 10, "kosong"),
    "three columns": (SMALL_FILE + "16.01.28.2019,Air Wall,OKU\n", 10, "2 kolom"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_file_names_the_line_and_changes_nothing(case, tmp_path):
    import_regions(write(tmp_path, SMALL_FILE), scope="all")
    Region.objects.filter(pk="16.01.28.2017").update(name="Nama Lama")
    before = all_rows()
    text, line, fragment = MALFORMED[case]
    bad = write(tmp_path, text, "bad.csv")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_regions", "--file", str(bad), "--scope", "all")
    message = str(excinfo.value)
    assert f"baris {line}: " in message
    assert fragment in message
    assert "tidak ada data yang diubah" in message
    # Not even the valid lines of the bad file were written (the rename is not applied).
    assert all_rows() == before


@pytest.mark.django_db
def test_not_utf8_is_reported_with_its_line(tmp_path):
    data = SMALL_FILE.encode() + "16.01.28.2019,Pen\u00e9rap\n".encode("latin-1")
    bad = write(tmp_path, data, "latin1.csv")
    with pytest.raises(CommandError, match=r"baris 10: bukan teks UTF-8"):
        call_command("import_regions", "--file", str(bad))
    assert Region.objects.count() == 0


def test_every_error_is_listed_in_line_order(tmp_path):
    text = "kode,nama\n16,Sumatera Selatan\n16.01.99.2001,Yatim\n1X,Salah\n16,Ganda\n"
    with pytest.raises(RegionFileError) as excinfo:
        read_region_file(write(tmp_path, text))
    assert [e.split(":")[0] for e in excinfo.value.errors] == ["baris 3", "baris 4", "baris 5"]


def test_unreadable_files_are_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_regions", "--file", str(tmp_path / "tidak-ada.csv"))
    not_gzip = write(tmp_path, SMALL_FILE, "plain.csv")
    renamed = not_gzip.rename(tmp_path / "plain.csv.gz")
    with pytest.raises(CommandError, match="bukan gzip"):
        call_command("import_regions", "--file", str(renamed))
    with pytest.raises(CommandError, match="kosong"):
        call_command("import_regions", "--file", str(write(tmp_path, "", "empty.csv")))
    with pytest.raises(CommandError, match="tidak berisi satu pun wilayah"):
        call_command("import_regions", "--file", str(write(tmp_path, "kode,nama\n", "h.csv")))


@pytest.mark.django_db
def test_bom_crlf_and_blank_trailing_lines_are_accepted(tmp_path):
    text = "\ufeff" + SMALL_FILE.replace("\n", "\r\n") + "\r\n\r\n"
    report = import_regions(write(tmp_path, text), scope="all")
    assert report.created == 8


def test_command_exits_non_zero_on_a_bad_file(tmp_path, capsys):
    # run_from_argv is what `manage.py import_regions ...` runs: a CommandError becomes a
    # message on stderr and exit status 1. (System checks are not what this test is about.)
    bad = write(tmp_path, SMALL_FILE + "16.01.28.2009,Ganda\n")
    command = ImportRegionsCommand()
    with pytest.raises(SystemExit) as excinfo:
        command.run_from_argv(["manage.py", "import_regions", "--skip-checks", "--file", str(bad)])
    assert excinfo.value.code != 0
    assert "baris 10: kode 16.01.28.2009 ganda" in capsys.readouterr().err


def test_the_shipped_file_is_the_attributed_source():
    assert DEFAULT_REGION_FILE.exists()
    readme = (DEFAULT_REGION_FILE.parent / "README.md").read_text()
    for attribution in ("cahyadsn/wilayah", "MIT", "300.2.2-2138 Tahun 2025", "Cahya DSN"):
        assert attribution in readme


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("160128", "16.01.28"),
        ("16.01.28", "16.01.28"),
        ("1601", "16.01"),
        ("1601282009", "16.01.28.2009"),
        (" 16.01.28.2009 ", "16.01.28.2009"),
        ("1601282", None),
        ("16.1.28", None),
        ("16012", None),
        ("٠١٦٠١٢", None),  # Arabic-Indic digits are not Kemendagri codes
        ("", None),
    ],
)
def test_normalise_region_code(given, expected):
    assert normalise_region_code(given) == expected


@pytest.mark.django_db
def test_region_code_known(tmp_path):
    import_regions(write(tmp_path, SMALL_FILE), scope="all")
    assert region_code_known("160128")
    assert region_code_known("16.01.28")
    assert not region_code_known("160129")  # well-formed, but not in the list
    assert not region_code_known("16-01-28")
    assert not region_code_known("")

"""manage.py import_regions: load the Kemendagri region codes (logic in core/regions.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.core.actor import acting_as
from satupintu.core.models import Region
from satupintu.core.regions import (
    DEFAULT_REGION_FILE,
    ImportReport,
    RegionImportError,
    Scope,
    import_regions,
)


class Command(BaseCommand):
    help = _(
        "Mengimpor kode wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) "
        "dari berkas CSV atau CSV.gz. Aman dijalankan ulang: kode baru ditambahkan, nama yang "
        "berubah diperbarui, tidak ada yang dihapus."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_REGION_FILE,
            help=_("Berkas kode wilayah (.csv atau .csv.gz, kolom kode,nama). Bawaan: %(default)s"),
        )
        parser.add_argument(
            "--scope",
            choices=[scope.value for scope in Scope],
            default=Scope.INSTALLATION.value,
            help=_(
                "installation (bawaan): semua provinsi, kabupaten/kota dan kecamatan, ditambah "
                "desa/kelurahan kabupaten instalasi; all: semua desa/kelurahan Indonesia."
            ),
        )

    def handle(self, *args, file: Path, scope: str, **options) -> None:
        with acting_as(None, via="command:import_regions"):
            try:
                report = import_regions(file, scope=scope)
            except RegionImportError as exc:
                raise CommandError(
                    _("Impor wilayah dibatalkan, tidak ada data yang diubah.\n%(errors)s")
                    % {"errors": exc}
                ) from exc
        self.stdout.write(self.format_report(report, file, scope))

    def format_report(self, report: ImportReport, file: Path, scope: str) -> str:
        regency = settings.INSTALLATION["regency_code"]
        lines = [
            _("Berkas: %(file)s (cakupan: %(scope)s, kabupaten/kota instalasi %(regency)s)")
            % {"file": file, "scope": scope, "regency": regency},
            f"{_('Tingkat'):<16}{_('Baru'):>9}{_('Diubah'):>9}{_('Tetap'):>9}{_('Jumlah'):>9}",
        ]
        for level, counts in report.counts.items():
            label = str(Region.Level(level).label)
            lines.append(
                f"{label:<16}{counts.created:>9}{counts.updated:>9}{counts.unchanged:>9}"
                f"{counts.total:>9}"
            )
        if report.kept_absent:
            lines.append(
                _("%(count)d kode di basis data tidak ada lagi di berkas; tetap disimpan.")
                % {"count": report.kept_absent}
            )
        if report.changed_anything:
            lines.append(self.style.SUCCESS(_("Impor wilayah selesai.")))
        else:
            lines.append(_("Tidak ada perubahan: data wilayah sudah sesuai berkas."))
        return "\n".join(lines)

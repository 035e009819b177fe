"""manage.py load_demo: the demo regency (Kabupaten Ogan Komering Ulu) with its agencies,
districts, villages and one account per role. Safe to run again: the second run changes nothing.
The steps live in satupintu.core.demo; apps add theirs through the registry."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from satupintu.core.actor import acting_as
from satupintu.core.demo import DemoError, run_demo
from satupintu.core.regions import RegionImportError


class Command(BaseCommand):
    help = _(
        "Memuat data demo Kabupaten Ogan Komering Ulu: wilayah, OPD, kecamatan, desa/kelurahan "
        "dan akun demo untuk setiap peran. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Jalankan walaupun SATUPINTU_ENV=production (akun demo memakai kata sandi yang "
                "diketahui umum)."
            ),
        )

    def handle(self, *args, force: bool, **options) -> None:
        if settings.PRODUCTION and not force:
            raise CommandError(
                _(
                    "Ini instalasi produksi (SATUPINTU_ENV=production). Data demo membuat akun "
                    "dengan kata sandi yang diketahui umum, jadi tidak dimuat. Tambahkan --force "
                    "bila benar-benar dimaksudkan (mis. server latihan)."
                )
            )
        try:
            with acting_as(None, via="command:load_demo"), transaction.atomic():
                context = run_demo(report=self.report_step)
        except (DemoError, RegionImportError) as exc:
            raise CommandError(
                _("Data demo tidak dimuat, tidak ada yang diubah. %(error)s") % {"error": exc}
            ) from exc
        self.stdout.write(self.accounts_table(context.get("account_rows", [])))

    def report_step(self, name: str, result: object) -> None:
        if result is not None and str(result):
            self.stdout.write(f"{name}: {result}")

    def accounts_table(self, rows: list[tuple[str, str, str, str]]) -> str:
        header = (_("Nama pengguna"), _("Peran"), _("Organisasi"), _("Kata sandi"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]

        def line(cells) -> str:
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            )

        rule = "  ".join("-" * width for width in widths)
        try:
            login = settings.SITE_URL + reverse(settings.LOGIN_URL)
        except NoReverseMatch:
            login = settings.SITE_URL
        title = _("Akun demo (masuk di %(url)s):") % {"url": login}
        return "\n".join([title, line(header), rule, *(line(row) for row in rows)]).rstrip()

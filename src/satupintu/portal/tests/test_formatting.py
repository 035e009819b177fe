"""The design system's template filters (core/templatetags/design.py): dates, times, rupiah."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from satupintu.core.templatetags.design import angka, rupiah, tanggal, waktu

MOMENT = datetime.datetime(2026, 11, 23, 2, 30, tzinfo=datetime.UTC)  # 09.30 WIB, a Monday


def test_tanggal_and_waktu_in_indonesian_local_time():
    with translation.override("id"):
        assert tanggal(MOMENT) == "Senin, 23 November 2026"
        assert tanggal(datetime.date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
        assert tanggal(datetime.date(2026, 8, 17), False) == "17 Agustus 2026"
        assert waktu(MOMENT) == "Senin, 23 November 2026 09.30 WIB"
    # Just before midnight UTC is already the next day in Baturaja.
    late = datetime.datetime(2026, 11, 23, 20, 0, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert tanggal(late) == "Selasa, 24 November 2026"
    assert tanggal(None) == "" and waktu(None) == ""


def test_tanggal_follows_the_chosen_language():
    with translation.override("en"):
        assert tanggal(MOMENT) == "Monday, 23 November 2026"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (150000, "Rp 150.000"),
        (0, "Rp 0"),
        (Decimal("1250000.00"), "Rp 1.250.000"),
        (Decimal("999.5"), "Rp 1.000"),
        (-75000, "-Rp 75.000"),
        (None, ""),
    ],
)
def test_rupiah(amount, text):
    assert rupiah(amount) == text


def test_angka_uses_the_language_separators():
    with translation.override("id"):
        assert angka(83762) == "83.762"
    with translation.override("en"):
        assert angka(83762) == "83,762"
    assert angka(None) == ""


def test_optional_url_is_empty_for_a_view_that_does_not_exist():
    template = Template(
        "{% load design %}{% optional_url 'tidak:ada' as a %}[{{ a }}]"
        "{% optional_url 'core:organisation_detail' 'diskominfo' as b %}[{{ b }}]"
    )
    assert template.render(Context()) == "[][/opd/diskominfo/]"

"""Template helpers of the design system (templates/components/): the branding stylesheet URL,
dates the Indonesian way, rupiah, and the URL of an optional view."""

from __future__ import annotations

import datetime
import decimal

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone

from ..branding import branding_version

register = template.Library()


@register.simple_tag
def branding_css_url() -> str:
    """The regency's colour stylesheet, versioned so browsers may cache it for a year."""
    return f"{reverse('core:branding_css')}?v={branding_version()}"


@register.simple_tag
def optional_url(name: str, *args) -> str:
    """reverse() that yields '' when the view does not exist (yet): the base layout links to
    pages of other apps (e.g. the account page) only when those apps provide them."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register.filter
def tanggal(value: datetime.date | datetime.datetime | None, with_weekday: bool = True) -> str:
    """'Senin, 24 November 2026' (the weekday and month names follow the active language)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "l, j F Y" if with_weekday else "j F Y")


@register.filter
def waktu(value: datetime.datetime | None) -> str:
    """'Senin, 24 November 2026 14.05 WIB': local time with the installation's zone label."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    label = settings.INSTALLATION.get("timezone_label", "")
    return f"{formats.date_format(value, 'l, j F Y H.i')} {label}".strip()


@register.filter
def rupiah(value: int | decimal.Decimal | None) -> str:
    """'Rp 150.000': whole rupiah with dots between thousands, as Indonesians write it."""
    if value is None or value == "":
        return ""
    amount = int(decimal.Decimal(value).quantize(decimal.Decimal(1)))
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


@register.filter
def angka(value: int | None) -> str:
    """'7.285' in Indonesian, '7,285' in English: a number with the language's separators."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)

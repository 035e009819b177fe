"""The regency's colours as CSS custom properties, served as /branding.css.

CSP allows stylesheets from our own origin only (no inline styles), so the colours configured
in settings.INSTALLATION cannot be written into the page: they are a tiny generated stylesheet,
loaded after css/satupintu.css. Lighter and darker shades are derived here, and the text colour
on the primary colour is chosen for contrast, so an installation only sets two colours.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DEFAULTS = {"primary_colour": "#0b5c3b", "accent_colour": "#c8102e"}


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def mix(colour: str, other: str, amount: float) -> str:
    """`amount` (0..1) of `other` mixed into `colour`."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colours() -> dict[str, str]:
    """The configured colours, falling back to the defaults when a value is not a hex colour."""
    installation = settings.INSTALLATION
    chosen = {}
    for key, default in DEFAULTS.items():
        value = str(installation.get(key) or "").strip()
        chosen[key] = value if HEX_COLOUR.match(value) else default
    return chosen


def branding_css() -> str:
    chosen = colours()
    primary, accent = chosen["primary_colour"], chosen["accent_colour"]
    on_primary = (
        "#ffffff" if contrast(primary, "#ffffff") >= contrast(primary, "#000000") else "#000000"
    )
    return (
        "/* Generated from settings.INSTALLATION by core/branding.py */\n"
        ":root {\n"
        f"  --sp-primary: {primary};\n"
        f"  --sp-primary-dark: {mix(primary, '#000000', 0.35)};\n"
        f"  --sp-primary-tint: {mix(primary, '#ffffff', 0.9)};\n"
        f"  --sp-on-primary: {on_primary};\n"
        f"  --sp-accent: {accent};\n"
        "}\n"
    )


def branding_version() -> str:
    """Changes whenever the generated stylesheet changes (the cache-busting query string)."""
    return hashlib.sha256(branding_css().encode()).hexdigest()[:12]

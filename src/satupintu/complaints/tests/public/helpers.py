"""Helpers of the citizen-side tests: form data, a camera JPEG, sending and resolving reports."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ... import services
from ...models import Category, Report

# A pothole on the Lengkiti road, inside the regency's box.
LENGKITI = ("-4.052310", "104.031200")
# Jakarta: outside Ogan Komering Ulu.
JAKARTA = ("-6.175110", "106.865036")
PHONE = "0812-7788-9900"
NIK = "1601284509870001"
EMAIL = "siti.aminah@gmail.com"


def jpeg(name: str = "jalan.jpg", size=(2400, 1800), gps: bool = True) -> SimpleUploadedFile:
    """A real JPEG from a phone camera, with the GPS position of the reporter in its EXIF."""
    image = Image.new("RGB", size, (120, 110, 90))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    if gps:
        exif[0x8825] = {1: "S", 2: (4.0, 3.0, 8.0), 3: "E", 4: (104.0, 1.0, 52.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_data(kind: Category, **overrides) -> dict:
    data = {
        "category": kind.code,
        "title": "Jalan berlubang di depan SD Negeri 12 Lengkiti",
        "description": (
            "Lubang besar di tengah jalan sejak dua minggu, sudah dua motor jatuh. "
            f"Hubungi saya di {PHONE} atau {EMAIL}, NIK saya {NIK}."
        ),
        "latitude": LENGKITI[0],
        "longitude": LENGKITI[1],
        "district": "16.01.28",
        "village": "16.01.28.2009",
        "address": "Jl. Lintas Lengkiti km 4, dekat masjid",
        "contact_name": "Siti Aminah",
        "contact_phone": PHONE,
        "contact_email": EMAIL,
        "is_public": "on",
        "situs_web": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(category: Category, *, reporter=None, is_public=True, **fields) -> Report:
    values = {
        "title": "Jalan berlubang di depan SD Negeri 12 Lengkiti",
        "description": f"Lubang besar sejak dua minggu. Telepon saya {PHONE}, NIK {NIK}.",
        "latitude": LENGKITI[0],
        "longitude": LENGKITI[1],
        "contact": None if reporter else {"name": "Siti Aminah", "phone": PHONE, "email": EMAIL},
    }
    values.update(fields)
    return services.submit_report(
        category=category,
        channel=Report.Channel.WEB,
        reporter=reporter,
        is_public=is_public,
        **values,
    )


def resolve(report: Report, actor) -> Report:
    services.change_status(
        report, Report.Status.IN_PROGRESS, actor=actor, message="Tim sudah dijadwalkan ke lokasi."
    )
    return services.change_status(
        report,
        Report.Status.RESOLVED,
        actor=actor,
        message="Lubang sudah ditambal dengan aspal hotmix.",
    )

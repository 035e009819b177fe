"""Demo usage for `manage.py load_demo`: a month of app launches and service-page views, so the
usage report's charts and the leadership summary have something to show in a demonstration.

Shaped like Lamongan's finding (a few apps carry almost all use, many are never opened): the
apps listed in LAUNCHES_PER_WORKDAY are used, every other demo app stays unused. Users are
pseudonyms of a pool of demo staff, hashed like real ones. Runs only on an installation with no
launches and no views yet, so it never mixes invented numbers into real ones.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.utils import timezone

from .models import Application, Launch, PublicService, ServiceView

DAYS = 30
STAFF_POOL = 180
# app slug: (launches on a working day, how many different staff use it)
LAUNCHES_PER_WORKDAY = {
    "oku-cinde": (38, 150),
    "srikandi": (24, 90),
    "sipd": (15, 40),
    "sip": (6, 12),
    "satu-data": (4, 15),
    "sakip": (2, 8),
}
# service slug: views on a working day
VIEWS_PER_WORKDAY = {
    "ktp-el": 45,
    "akta-kelahiran": 32,
    "kartu-keluarga": 28,
    "sip-dokter": 9,
    "pbg": 7,
}


def _user_hash(number: int) -> str:
    return hashlib.sha256(f"demo-staff:{number}".encode()).hexdigest()[:32]


def load_demo_usage(context: dict) -> str:
    if Launch.objects.exists() or ServiceView.objects.exists():
        return "penggunaan contoh: dilewati (sudah ada data penggunaan)"
    # The same month every time: demos are reproducible (not a security use of randomness).
    rng = random.Random(2026)  # noqa: S311
    apps = Application.objects.in_bulk(list(LAUNCHES_PER_WORKDAY), field_name="slug")
    today = timezone.localdate()
    launches: list[Launch] = []
    times: list[datetime.datetime] = []
    views: list[ServiceView] = []
    services = PublicService.objects.in_bulk(list(VIEWS_PER_WORKDAY), field_name="slug")
    for back in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=back)
        weekend = day.weekday() >= 5
        for slug, (per_day, users) in LAUNCHES_PER_WORKDAY.items():
            if slug not in apps:
                continue
            count = max(0, round(rng.gauss(per_day / (6 if weekend else 1), per_day / 5)))
            for _n in range(count):
                launches.append(
                    Launch(application=apps[slug], user_hash=_user_hash(rng.randrange(users)))
                )
                minute = rng.randrange(7 * 60, 16 * 60)  # office hours, local time
                times.append(
                    timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
                    )
                )
        for slug, per_day in VIEWS_PER_WORKDAY.items():
            if slug in services:
                count = max(1, round(rng.gauss(per_day / (3 if weekend else 1), per_day / 4)))
                views.append(ServiceView(service=services[slug], day=day, views=count))
    Launch.objects.bulk_create(launches, batch_size=500)
    # launched_at is auto_now_add: set the demo times afterwards (bulk_update skips pre_save).
    for launch, when in zip(launches, times, strict=True):
        launch.launched_at = when
    Launch.objects.bulk_update(launches, ["launched_at"], batch_size=500)
    ServiceView.objects.bulk_create(views)
    return f"penggunaan contoh: {len(launches)} pembukaan aplikasi, {len(views)} hari kunjungan"

"""The configuration a new report reads is cached per process (complaints/configured.py,
events/publishing.py on core/configcache.py): a category, API key, holiday or webhook
subscription changed by another process is seen by the next request, and a change saved here
replaces the shared token so the other processes reload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from satupintu.core import configcache
from satupintu.core.configcache import TOKEN_KEY
from satupintu.events.models import Delivery, Subscription

from ..models import ApiKey, Category, Holiday, Report
from ..open311.keys import issue_key
from .machine_support import locmem_cache, make_categories, make_organisations, post_request


@pytest.fixture
def world(db, settings):
    locmem_cache(settings, "configured")
    settings.OPEN311_RATE_LIMIT = 0
    organisations = make_organisations()
    categories = make_categories(organisations)
    key = issue_key("Aplikasi Lapor OKU").key
    # The rows are now as a server finds them, committed: this thread keeps copies from here.
    configcache.reset()
    yield {"organisations": organisations, "categories": categories, "key": key}
    configcache.reset()  # the copies hold this test's rows, which are rolled back


def another_process_commits() -> None:
    """What another process does after committing a change: a new token in the shared cache."""
    cache.set(TOKEN_KEY, "changed-by-another-process", timeout=None)


def test_a_category_deactivated_elsewhere_is_refused_on_the_next_request(world):
    client = Client()
    assert post_request(client, world["key"]).status_code == 200
    Category.objects.filter(code="lampu-jalan").update(is_active=False)  # no signal here
    assert post_request(client, world["key"]).status_code == 200  # this process's copy
    another_process_commits()
    response = post_request(client, world["key"])
    assert response.status_code == 400
    assert "lampu-jalan" in response.json()[0]["description"]


def test_a_key_revoked_elsewhere_is_refused_on_the_next_request(world):
    client = Client()
    assert post_request(client, world["key"]).status_code == 200
    ApiKey.objects.update(is_active=False)
    another_process_commits()
    assert post_request(client, world["key"]).status_code == 403


def test_a_holiday_entered_elsewhere_moves_the_next_deadline(world):
    client = Client()
    first = post_request(client, world["key"]).json()[0]["service_request_id"]
    due = Report.objects.get(reference=first).response_due
    Holiday.objects.bulk_create([Holiday(date=timezone.localdate(due), name="Libur")])
    another_process_commits()
    second = post_request(client, world["key"], lat="-4.1400").json()[0]["service_request_id"]
    moved = Report.objects.get(reference=second).response_due
    assert timezone.localdate(moved) > timezone.localdate(due)


def test_a_subscription_made_elsewhere_receives_the_next_report(world):
    client = Client()
    assert post_request(client, world["key"]).status_code == 200
    Subscription.objects.bulk_create(
        [
            Subscription(
                organisation=world["organisations"]["dishub"],
                name="SIMPJU",
                url="http://127.0.0.1:9/hook",
                event_types=["complaints.created"],
                secret="rahasia-penandatangan",
            )
        ]
    )
    another_process_commits()
    assert post_request(client, world["key"], lat="-4.1400").status_code == 200
    assert Delivery.objects.filter(event__event_type="complaints.created").count() == 1


def _subscription(world):
    return Subscription.objects.create(
        organisation=world["organisations"]["dishub"],
        name="SIMPJU",
        url="http://127.0.0.1:9/hook",
        event_types=["complaints.created"],
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda w: w["categories"]["lampu-jalan"].save(),
        lambda w: w["organisations"]["dishub"].save(),
        lambda w: ApiKey.objects.get().save(),
        lambda w: Holiday.objects.create(date=dt.date(2026, 12, 25), name="Natal"),
        _subscription,
    ],
    ids=["category", "organisation", "api-key", "holiday", "subscription"],
)
def test_a_change_saved_here_makes_every_process_reload(
    world, change, django_capture_on_commit_callbacks
):
    token = configcache.current_token()
    with django_capture_on_commit_callbacks(execute=True):
        change(world)
    assert cache.get(TOKEN_KEY) != token

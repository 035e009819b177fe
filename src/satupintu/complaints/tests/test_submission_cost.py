"""What one new report costs: the statements of an Open311 create stay under a bound, the
tracking number is one counter UPDATE per report, and a report nobody can be told about
queues no e-mail task (bench/bench_open311.py measures the throughput)."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from satupintu.core import configcache

from .. import services
from ..models import ReferenceCounter, Report
from ..notifications import notify_public_update
from ..open311.keys import issue_key
from .machine_support import (
    LENGKITI,
    locmem_cache,
    make_categories,
    make_organisations,
    post_request,
)

# Counted on SQLite inside the test's transaction (its BEGIN/COMMIT are savepoints here), with
# the configuration cached as a running server has it (core/configcache.py: API key, category,
# holidays and webhook subscriptions are read once per process, not per report): counter,
# report + change log, timeline entry, event; an area-based category adds the village office
# lookup. The search index is written after the commit (not counted: the test's transaction
# never commits). 18 before the counter became one UPDATE, the holidays one read and the event
# no savepoint, 13 before the configuration was cached, 9 before the change log's savepoint
# went (an audited save inside a transaction takes none); a new statement on this path should
# be a decision, not an accident.
OPEN311_CREATE_MAX_QUERIES = 7
# MySQL/MariaDB cannot return from an UPDATE: the counter is read back
# (services._increment_counter).
MYSQL_EXTRA = 1


@pytest.fixture
def world(db, settings):
    locmem_cache(settings, "submission-cost")
    settings.OPEN311_RATE_LIMIT = 0
    organisations = make_organisations()
    world = {"organisations": organisations, "categories": make_categories(organisations)}
    yield world
    # as_committed() below let this test's rolled-back rows into the process's copies.
    configcache.reset()


def as_committed() -> None:
    """Treat the test's rows as committed by another process (what a server sees): this thread
    may keep copies of the configuration it reads (core/configcache.py) from here on."""
    configcache.reset()


def test_an_open311_create_stays_under_its_query_bound(world, django_assert_max_num_queries):
    client, key = Client(), issue_key("Aplikasi Lapor OKU").key
    as_committed()
    # With an address, so the bound includes queueing the reporter's e-mail.
    post = partial(post_request, email="warga@example.id")
    assert post(client, key).status_code == 200  # the month's counter row exists from here
    bound = OPEN311_CREATE_MAX_QUERIES + (MYSQL_EXTRA if connection.vendor == "mysql" else 0)
    with django_assert_max_num_queries(bound):
        response = post(client, key)
    assert response.status_code == 200, response.content
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.organisation.code == "dishub"
    assert report.updates.get().status_to == Report.Status.RECEIVED
    assert report.change_log().count() == 1


def test_references_count_per_month_from_one(world):
    category = world["categories"]["lampu-jalan"]
    november = timezone.make_aware(dt.datetime(2026, 11, 30, 23, 0))
    december = november + dt.timedelta(hours=2)  # 01:00 WIB on 1 December
    assert services.next_reference(november) == "ADU-2611-00001"
    assert services.next_reference(november) == "ADU-2611-00002"
    assert services.next_reference(december) == "ADU-2612-00001"
    assert dict(ReferenceCounter.objects.values_list("period", "last")) == {
        "2611": 2,
        "2612": 1,
    }
    report = services.submit_report(
        category=category,
        title="",
        description="Jalan berlubang di depan SD Negeri 3 Lengkiti.",
        channel=Report.Channel.WEB,
        latitude=LENGKITI[0],
        longitude=LENGKITI[1],
    )
    period = timezone.localtime(report.created_at).strftime("%y%m")
    assert (
        report.reference == f"ADU-{period}-{ReferenceCounter.objects.get(period=period).last:05d}"
    )


@pytest.mark.parametrize(("email", "queued"), [("warga@example.id", 1), ("", 0)])
def test_a_new_report_queues_mail_only_when_someone_can_receive_it(
    world, monkeypatch, django_capture_on_commit_callbacks, mailoutbox, email, queued
):
    notified = []

    def notify(update):
        notified.append(update)
        notify_public_update(update)

    monkeypatch.setattr(services, "notify_public_update", notify)
    client, key = Client(), issue_key("Aplikasi Lapor OKU").key
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(client, key, email=email or None)
    assert response.status_code == 200, response.content
    assert len(notified) == len(mailoutbox) == queued
    if queued:
        assert mailoutbox[0].to == [email]
        assert response.json()[0]["service_request_id"] in mailoutbox[0].subject

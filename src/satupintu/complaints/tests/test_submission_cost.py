"""What one new report costs: the statements of an Open311 create stay under a bound, the
tracking number is one statement per report, and a report nobody can be told about
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
from ..references import next_reference
from .machine_support import (
    locmem_cache,
    make_categories,
    make_organisations,
    post_request,
    submit,
)

# Counted on SQLite inside the test's transaction (its BEGIN/COMMIT are savepoints here), with
# the configuration cached as a running server has it (core/configcache.py: API key, category,
# holidays and webhook subscriptions are read once per process, not per report): tracking number,
# report + change log, timeline entry, event; an area-based category adds the village office
# lookup. The search index is written after the commit (not counted: the test's transaction
# never commits). 18 before the counter became one UPDATE, the holidays one read and the event
# no savepoint, 13 before the configuration was cached, 9 before the change log's savepoint
# went (an audited save inside a transaction takes none); a new statement on this path should
# be a decision, not an accident.
OPEN311_CREATE_MAX_QUERIES = 7


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
    with django_assert_max_num_queries(OPEN311_CREATE_MAX_QUERIES):
        response = post(client, key)
    assert response.status_code == 200, response.content
    report = Report.objects.get(reference=response.json()[0]["service_request_id"])
    assert report.organisation.code == "dishub"
    assert report.updates.get().status_to == Report.Status.RECEIVED
    assert report.change_log().count() == 1


def test_references_count_per_month_from_one(world):
    category = world["categories"]["lampu-jalan"]
    # Months no other test numbers in (on PostgreSQL a committed month's sequence outlives the
    # flush after a transactional test).
    november = timezone.make_aware(dt.datetime(2031, 11, 30, 23, 0))
    december = november + dt.timedelta(hours=2)  # 01:00 WIB on 1 December
    assert next_reference(november) == "ADU-3111-00001"
    assert next_reference(november) == "ADU-3111-00002"
    assert next_reference(december) == "ADU-3112-00001"
    if connection.vendor != "postgresql":  # which numbers with a sequence per month
        assert dict(ReferenceCounter.objects.values_list("period", "last")) == {
            "3111": 2,
            "3112": 1,
        }
    first, second = (
        submit(category, "Jalan berlubang di depan SD Negeri 3 Lengkiti.").reference
        for _ in range(2)
    )
    assert first[:9] == second[:9] and int(second[9:]) == int(first[9:]) + 1


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

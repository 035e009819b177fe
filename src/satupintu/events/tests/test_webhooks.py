"""Events and webhooks against a real receiver over HTTP, including an outage of an hour."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
import time_machine
from django.utils import timezone

from satupintu.core.models import Organisation
from satupintu.events import delivery as sending
from satupintu.events.models import Delivery, DeliveryAttempt, Event, Subscription
from satupintu.events.publishing import UnknownEventType, publish
from satupintu.events.signing import sign, verify
from satupintu.events.tasks import retry_due_deliveries
from satupintu.events.tests.receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd(db):
    return Organisation.objects.create(
        code="dinas-pupr",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        short_name="PUPR",
        kind=Organisation.Kind.DINAS,
    )


@pytest.fixture
def receiver():
    server = Receiver().up()
    yield server
    server.down()


@pytest.fixture
def subscription(opd, receiver):
    sub = Subscription.objects.create(
        organisation=opd,
        name="SIMJALAN menerima laporan",
        url=receiver.url,
        event_types=["events.ping"],
    )
    receiver.secret = sub.secret
    return sub


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    body = b'{"id": "1"}'
    expected = hmac.new(b"whsec_x", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("whsec_x", 1700000000, body) == f"sha256={expected}"
    assert verify("whsec_x", "1700000000", body, f"sha256={expected}", now=1700000100)
    assert not verify("whsec_x", "1700000000", body + b" ", f"sha256={expected}", now=1700000100)
    assert not verify("whsec_y", "1700000000", body, f"sha256={expected}", now=1700000100)
    assert not verify("whsec_x", "1700000000", body, f"sha256={expected}", now=1700009999)


def test_publish_delivers_a_signed_event(
    subscription, receiver, opd, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = publish(
            "events.ping", {"pesan": "Jalan rusak di Desa Segara Kembang"}, organisation=opd
        )
    [got] = receiver.received
    assert got["valid"]
    assert got["headers"]["X-Satupintu-Event-Id"] == str(event.id)
    assert got["headers"]["X-Satupintu-Event"] == "events.ping"
    assert got["json"]["data"] == {"pesan": "Jalan rusak di Desa Segara Kembang"}
    assert got["json"]["organisation"]["code"] == "dinas-pupr"
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.attempts == 1
    assert delivery.attempt_log.get().status_code == 200


def test_only_matching_subscriptions_receive(
    subscription, receiver, opd, django_capture_on_commit_callbacks
):
    other = Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=Organisation.Kind.DINAS
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish("events.ping", {"n": 1}, organisation=other)  # another OPD's event
        publish("gateway.service_down", {"n": 2}, organisation=opd)  # a type not subscribed
    assert receiver.received == []
    assert Delivery.objects.count() == 0


def test_unknown_event_type_is_refused(opd):
    with pytest.raises(UnknownEventType):
        publish("complaints.tidak_ada", {}, organisation=opd)
    assert Event.objects.count() == 0


def test_receiver_down_for_an_hour_gets_every_event_after_it_comes_back(
    subscription, receiver, opd, django_capture_on_commit_callbacks
):
    receiver.down()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            events = [publish("events.ping", {"urutan": i}, organisation=opd) for i in range(3)]
        assert set(Delivery.objects.values_list("status", flat=True)) == {"retrying"}
        # An hour of outage: the sweeper runs every minute, tries fail, backoff grows.
        for _ in range(60):
            clock.shift(dt.timedelta(minutes=1))
            retry_due_deliveries.call()
        attempts_during_outage = DeliveryAttempt.objects.count()
        assert 3 * 6 <= attempts_during_outage <= 3 * 8  # backoff, not a retry every minute
        assert set(Delivery.objects.values_list("status", flat=True)) == {"retrying"}
        receiver.up()
        for _ in range(61):
            clock.shift(dt.timedelta(minutes=1))
            retry_due_deliveries.call()
    ids = sorted(str(e.id) for e in events)
    assert sorted(r["headers"]["X-Satupintu-Event-Id"] for r in receiver.received) == ids
    assert all(r["valid"] for r in receiver.received)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_dead_letter_after_the_last_try_and_replay(
    subscription, receiver, opd, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            publish("events.ping", {"n": 1}, organisation=opd)
        for _ in range(sending.MAX_ATTEMPTS + 2):
            clock.shift(sending.MAX_DELAY)
            retry_due_deliveries.call()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DEAD
    assert delivery.attempts == sending.MAX_ATTEMPTS
    assert "HTTP 500" in delivery.last_error
    receiver.status = 200
    sending.replay(delivery)
    retry_due_deliveries.call()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED
    # Every try reached the receiver with the same event id: it can deduplicate.
    assert len({r["headers"]["X-Satupintu-Event-Id"] for r in receiver.received}) == 1


def test_a_delivery_is_sent_once_even_if_enqueued_twice(subscription, receiver, opd):
    event = publish("events.ping", {"n": 1}, organisation=opd)  # on_commit not run: not sent
    delivery = Delivery.objects.get(event=event)
    assert sending.attempt(delivery.pk).status == Delivery.Status.SUCCEEDED
    assert sending.attempt(delivery.pk) is None
    assert len(receiver.received) == 1

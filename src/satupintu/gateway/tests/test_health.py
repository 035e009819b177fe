"""Provider health checks against a real HTTP server, with events when a service goes down."""

from __future__ import annotations

import pytest

from satupintu.events.models import Event
from satupintu.gateway.models import HealthCheck, Service
from satupintu.gateway.tasks import check_service_health
from satupintu.gateway.tests.conftest import make_exchange
from satupintu.gateway.tests.harness import Upstream, closed_port

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def upstream():
    server = Upstream().start()
    yield server
    server.stop()


def test_health_checks_record_results_and_raise_events(
    upstream, django_capture_on_commit_callbacks
):
    ex = make_exchange(base_url=f"{upstream.url}/api")
    Service.objects.filter(pk=ex.service.pk).update(health_path="/health")
    assert check_service_health.call() == {"ok": 1, "down": 0}
    first = HealthCheck.objects.get()
    assert first.ok and first.status_code == 200
    Service.objects.filter(pk=ex.service.pk).update(base_url=f"http://127.0.0.1:{closed_port()}")
    with django_capture_on_commit_callbacks(execute=True):
        assert check_service_health.call() == {"ok": 0, "down": 1}
    latest = HealthCheck.objects.first()
    assert not latest.ok and "Connection" in latest.error
    event = Event.objects.get(event_type="gateway.service_down")
    assert event.payload["service"] == ex.service.identifier
    assert event.organisation_id == ex.disdukcapil.pk

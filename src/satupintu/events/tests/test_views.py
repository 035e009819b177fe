"""Subscription pages: own OPD's admin only; another OPD's operator and anonymous are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satupintu.accounts.models import Membership, User
from satupintu.core.models import Organisation
from satupintu.core.roles import Role
from satupintu.events.models import Delivery, Event, Subscription

pytestmark = pytest.mark.django_db


def user(username, organisation, role):
    account = User.objects.create(username=username, password="!", full_name=username, kind="staff")
    Membership.objects.create(user=account, organisation=organisation, role=role)
    return account


@pytest.fixture
def setup(db):
    pupr = Organisation.objects.create(
        code="dinas-pupr", name="Dinas PUPR", short_name="PUPR", kind=Organisation.Kind.DINAS
    )
    dinkes = Organisation.objects.create(
        code="dinkes", name="Dinas Kesehatan", short_name="Dinkes", kind=Organisation.Kind.DINAS
    )
    subscription = Subscription.objects.create(
        organisation=pupr,
        name="SIMJALAN",
        url="http://127.0.0.1:9/hook",
        event_types=["events.ping"],
    )
    event = Event.objects.create(event_type="events.ping", organisation=pupr, payload={"n": 1})
    delivery = Delivery.objects.create(
        event=event, subscription=subscription, status=Delivery.Status.DEAD, attempts=15
    )
    return {
        "subscription": subscription,
        "delivery": delivery,
        "admin": user("hendra", pupr, Role.OPD_ADMIN),
        "operator_elsewhere": user("dewi", dinkes, Role.OPERATOR),
        "admin_elsewhere": user("admin.dinkes", dinkes, Role.OPD_ADMIN),
    }


def urls(s):
    return [
        reverse("events:subscription_list"),
        reverse("events:subscription_create"),
        reverse("events:subscription_detail", args=[s["subscription"].pk]),
        reverse("events:delivery_detail", args=[s["delivery"].pk]),
    ]


def test_anonymous_goes_to_login(client, setup):
    for url in urls(setup):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], url


def test_other_opds_are_refused(client, setup):
    client.force_login(setup["operator_elsewhere"])
    for url in urls(setup):
        assert client.get(url).status_code == 403, url
    client.force_login(setup["admin_elsewhere"])
    assert client.get(urls(setup)[2]).status_code == 404
    response = client.post(reverse("events:delivery_replay", args=[setup["delivery"].pk]))
    assert response.status_code == 404
    setup["delivery"].refresh_from_db()
    assert setup["delivery"].status == Delivery.Status.DEAD
    assert list(client.get(urls(setup)[0]).context["object_list"]) == []


def test_admin_subscribes_and_replays(client, setup, django_capture_on_commit_callbacks):
    client.force_login(setup["admin"])
    response = client.post(
        reverse("events:subscription_create"),
        {
            "organisation": setup["subscription"].organisation_id,
            "name": "SIMJALAN cadangan",
            "url": "ftp://salah",
            "event_types": ["events.ping"],
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # bad URL: the form comes back with the error
    response = client.post(
        reverse("events:subscription_create"),
        {
            "organisation": setup["subscription"].organisation_id,
            "name": "SIMJALAN cadangan",
            "url": "http://127.0.0.1:9/hook2",
            "event_types": ["events.ping"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Subscription.objects.get(name="SIMJALAN cadangan")
    assert created.secret.startswith("whsec_") and not created.all_organisations
    detail = client.get(reverse("events:subscription_detail", args=[setup["subscription"].pk]))
    assert detail.context["dead"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:delivery_replay", args=[setup["delivery"].pk]))
    setup["delivery"].refresh_from_db()
    # Sent again at once (nobody listens on port 9, so it is waiting for its next try).
    assert setup["delivery"].status == Delivery.Status.RETRYING
    assert setup["delivery"].attempts == 1

"""OAuth 2 client-credential access tokens as gateway credentials: a client subsystem linked to an
OIDC client of its own OPD proves itself with that client's token instead of an API key."""

from __future__ import annotations

import asyncio
import base64
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from satupintu.accounts.models import Client
from satupintu.accounts.tests.oidc_helpers import SECRET, make_client
from satupintu.gateway.dataplane.tokens import TokenEntry, TokenVerifier
from satupintu.gateway.models import MessageRecord, Subsystem
from satupintu.gateway.tests.conftest import make_exchange
from satupintu.gateway.tests.harness import Upstream, call, make_app, run_with

# The data plane looks tokens up from a worker thread: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/r1/OKU/GOV/DISDUKCAPIL/SIAK/penduduk/penduduk/1601234567890001"
SIMPUS = "OKU/GOV/DINKES/SIMPUS"


@pytest.fixture(scope="module")
def upstream():
    server = Upstream().start()
    yield server
    server.stop()


@pytest.fixture
def ex(upstream):
    exchange = make_exchange(base_url=f"{upstream.url}/api")
    machine = make_client(
        exchange.dinkes,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="Server SIMPUS",
    )
    exchange.client.oauth_client = machine
    exchange.client.full_clean()
    exchange.client.save()
    exchange.machine = machine
    return exchange


def issue_token(machine: Client) -> str:
    """A token from the identity provider's real token endpoint (client credentials grant)."""
    basic = base64.b64encode(f"{machine.client_id}:{SECRET}".encode()).decode()
    response = HttpClient().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(token: str, client: str = SIMPUS) -> dict[str, str]:
    return {"X-Road-Client": client, "Authorization": f"Bearer {token}"}


def logged(sink) -> list[MessageRecord]:
    sink.flush()
    return list(MessageRecord.objects.order_by("seq"))


def test_client_credential_token_proves_the_linked_subsystem(ex, upstream):
    token = issue_token(ex.machine)
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "GET", PATH, bearer(token)))
    assert reply.status == 200, reply.body
    assert reply.json()["x_road_client"] == SIMPUS
    assert "Authorization" not in upstream.requests[-1]["headers"]  # never forwarded
    [record] = logged(sink)
    assert (record.client, record.status) == (SIMPUS, 200)
    # The API key keeps working beside the token.
    assert run_with(app, lambda: call(app, "GET", PATH, bearer(ex.key))).status == 200


def test_expired_token_is_refused(ex):
    token = issue_token(ex.machine)
    get_access_token_model().objects.filter(application=ex.machine).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "GET", PATH, bearer(token)))
    assert reply.status == 401
    assert reply.json()["type"] == "Client.Unauthorized"
    assert "kedaluwarsa" in reply.json()["message"]
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert [(r.status, r.error_type) for r in logged(sink)] == [(401, "Client.Unauthorized")]


def test_revoked_token_is_refused_once_the_cache_entry_is_older_than_the_ttl(ex):
    token = issue_token(ex.machine)
    basic = base64.b64encode(f"{ex.machine.client_id}:{SECRET}".encode()).decode()
    app, _ = make_app(tokens=TokenVerifier(ttl=60))
    fresh, _unused = make_app(tokens=TokenVerifier(ttl=0))

    async def scenario():
        before = await call(app, "GET", PATH, bearer(token))
        revoked = await asyncio.to_thread(
            HttpClient().post,
            "/o/revoke_token/",
            {"token": token},
            HTTP_AUTHORIZATION=f"Basic {basic}",
        )
        assert revoked.status_code == 200
        cached = await call(app, "GET", PATH, bearer(token))
        app.tokens.ttl = 0  # as if the TTL had passed
        after = await call(app, "GET", PATH, bearer(token))
        return before, cached, after

    before, cached, after = run_with(app, scenario)
    assert not get_access_token_model().objects.exists()
    assert before.status == 200
    assert cached.status == 200  # within the TTL the cached answer stands (documented)
    assert after.status == 401 and after.json()["type"] == "Client.Unauthorized"
    assert run_with(fresh, lambda: call(fresh, "GET", PATH, bearer(token))).status == 401


def test_token_of_a_client_not_linked_to_the_subsystem_is_refused(ex):
    other = make_client(
        ex.dinkes, grant=Client.GRANT_CLIENT_CREDENTIALS, scopes="introspection", name="SIKDA"
    )
    token = issue_token(other)
    linked_token = issue_token(ex.machine)
    app, sink = make_app()

    async def scenario():
        return (
            await call(app, "GET", PATH, bearer(token)),
            # A linked client's token names only its own subsystem, not the provider's.
            await call(app, "GET", PATH, bearer(linked_token, "OKU/GOV/DISDUKCAPIL/SIAK")),
            await call(app, "GET", PATH, bearer(linked_token, "OKU/GOV/DINSOS/SIKS")),
        )

    replies = run_with(app, scenario)
    assert [r.status for r in replies] == [401, 401, 401]
    assert {r.json()["type"] for r in replies} == {"Client.Unauthorized"}
    assert len(logged(sink)) == 3


def test_client_of_another_opd_cannot_be_linked_nor_used(ex):
    foreign = make_client(
        ex.bappeda,
        grant=Client.GRANT_CLIENT_CREDENTIALS,
        scopes="introspection",
        name="SIPD Bapelitbangda",
    )
    ex.client.oauth_client = foreign
    with pytest.raises(ValidationError) as refused:
        ex.client.full_clean()
    assert "oauth_client" in refused.value.message_dict
    # Even if the link got into the table another way, the snapshot does not honour it.
    Subsystem.objects.filter(pk=ex.client.pk).update(oauth_client=foreign)
    token = issue_token(foreign)
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "GET", PATH, bearer(token)))
    assert reply.status == 401
    assert logged(sink)[0].error_type == "Client.Unauthorized"


def test_token_issued_to_a_person_is_not_a_machine_credential(ex):
    token = get_access_token_model().objects.create(
        user=ex.client_admin,
        application=ex.machine,
        token="token-orang-dinkes-0001",
        expires=timezone.now() + timedelta(minutes=10),
        scope="openid",
    )
    app, _ = make_app()
    reply = run_with(app, lambda: call(app, "GET", PATH, bearer(token.token)))
    assert reply.status == 401


def test_access_rights_still_apply_to_token_callers(ex):
    token = issue_token(ex.machine)
    app, _ = make_app()
    path = "/r1/OKU/GOV/DISDUKCAPIL/SIAK/penduduk/kartu-keluarga/1"
    reply = run_with(app, lambda: call(app, "GET", path, bearer(token)))
    assert reply.status == 403
    assert reply.json()["type"] == "Server.ServerProxy.AccessDenied"


def test_concurrent_calls_with_one_token_share_one_lookup():
    lookups = []

    def lookup(checksum):
        lookups.append(checksum)
        if checksum != "a" * 64:
            return None
        return TokenEntry(application=7, expires_at=4e9, for_user=False)

    verifier = TokenVerifier(ttl=5, lookup=lookup)

    async def scenario():
        entries = await asyncio.gather(*(verifier.entry("a" * 64) for _ in range(20)))
        unknown = [await verifier.entry("b" * 64) for _ in range(3)]
        return entries, unknown

    entries, unknown = asyncio.run(scenario())
    assert {e.application for e in entries} == {7}
    assert lookups.count("a" * 64) == 1
    assert unknown == [None, None, None] and lookups.count("b" * 64) == 1

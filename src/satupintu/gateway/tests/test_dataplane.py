"""The data plane against a real provider over HTTP: the allowed call, every fault of the issue's
"bad input and faults" list, each logged, and the gateway still serving afterwards."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from satupintu.gateway.dataplane.app import _MessageIds
from satupintu.gateway.models import Credential, MessageRecord, Service
from satupintu.gateway.tests.conftest import make_exchange
from satupintu.gateway.tests.harness import Upstream, call, closed_port, make_app, run_with

pytestmark = pytest.mark.django_db

PATH = "/r1/OKU/GOV/DISDUKCAPIL/SIAK/penduduk"


@pytest.fixture(scope="module")
def upstream():
    server = Upstream().start()
    yield server
    server.stop()


@pytest.fixture
def ex(db, upstream):
    return make_exchange(base_url=f"{upstream.url}/api")


def auth(ex, client="OKU/GOV/DINKES/SIMPUS", key=None):
    return {"X-Road-Client": client, "Authorization": f"Bearer {key or ex.key}"}


def ok_call(app, ex):
    return call(app, "GET", f"{PATH}/penduduk/1601234567890001", auth(ex))


def logged(sink):
    sink.flush()
    return list(MessageRecord.objects.order_by("seq"))


def test_allowed_call_is_forwarded_with_verified_client_and_logged(ex, upstream):
    app, sink = make_app()
    spoofed = {**auth(ex), "X-Forwarded-For": "10.9.9.9", "X-Road-Id": "chosen-by-caller"}
    reply = run_with(app, lambda: call(app, "GET", f"{PATH}/penduduk/1601234567890001", spoofed))
    assert reply.status == 200
    data = reply.json()
    assert data["nama"] == "Siti Aminah"
    assert data["x_road_client"] == "OKU/GOV/DINKES/SIMPUS"
    assert data["x_road_id"] == reply.headers["x-road-id"]
    seen = upstream.requests[-1]
    assert seen["path"] == "/api/penduduk/1601234567890001"
    assert "Authorization" not in seen["headers"]  # the client's key never reaches the provider
    # The provider knows the caller by the verified X-Road headers, not by network addresses.
    assert "X-Forwarded-For" not in seen["headers"]
    assert seen["headers"]["X-Road-Id"] == reply.headers["x-road-id"] != "chosen-by-caller"
    [record] = logged(sink)
    assert record.message_id == reply.headers["x-road-id"]
    assert (record.client, record.service, record.status) == (
        "OKU/GOV/DINKES/SIMPUS",
        "OKU/GOV/DISDUKCAPIL/SIAK/penduduk",
        200,
    )
    assert record.path == "/penduduk/1601234567890001"
    assert record.response_sha256 == hashlib.sha256(reply.body).hexdigest()
    assert record.client_organisation_id == ex.dinkes.pk
    assert record.provider_organisation_id == ex.disdukcapil.pk
    assert record.request_body == "" and record.response_body == ""  # log_bodies is off


@pytest.mark.parametrize(
    ("headers", "path", "status", "error_type"),
    [
        ({}, f"{PATH}/penduduk/1", 400, "Client.BadRequest"),  # missing header
        ({"X-Road-Client": "OKU/GOV/DINKES"}, f"{PATH}/penduduk/1", 400, "Client.BadRequest"),
        ("unknown-client", f"{PATH}/penduduk/1", 401, "Client.Unauthorized"),
        ("wrong-key", f"{PATH}/penduduk/1", 401, "Client.Unauthorized"),
        ("no-key", f"{PATH}/penduduk/1", 401, "Client.Unauthorized"),
        ("ok", "/r1/OKU/GOV/DISDUKCAPIL", 400, "Client.BadRequest"),  # malformed path
        ("ok", "/v2/anything", 400, "Client.BadRequest"),
        ("ok", f"{PATH}/penduduk/../rahasia", 400, "Client.BadRequest"),
        ("ok", f"{PATH}/penduduk%2F..%2Frahasia", 400, "Client.BadRequest"),
        ("ok", f"{PATH}/penduduk%5c..%5Crahasia", 400, "Client.BadRequest"),
        (
            "ok",
            "/r1/OKU/GOV/DISDUKCAPIL/SIAK/tidak-ada/x",
            404,
            "Server.ServerProxy.UnknownService",
        ),
        ("ok", f"{PATH}/kartu-keluarga/1", 403, "Server.ServerProxy.AccessDenied"),
    ],
)
def test_bad_input_gets_the_right_error_and_is_logged(ex, headers, path, status, error_type):
    if headers == "ok":
        headers = auth(ex)
    elif headers == "unknown-client":
        headers = auth(ex, client="OKU/GOV/DINSOS/SIKS")
    elif headers == "wrong-key":
        headers = auth(ex, key="spk_salah")
    elif headers == "no-key":
        headers = {"X-Road-Client": "OKU/GOV/DINKES/SIMPUS"}
    app, sink = make_app()

    async def scenario():
        return await call(app, "GET", path, headers), await ok_call(app, ex)

    reply, after = run_with(app, scenario)
    assert reply.status == status
    body = reply.json()
    assert body["type"] == error_type
    assert body["detail"] == reply.headers["x-road-id"]
    assert body["message"]
    assert after.status == 200  # the gateway keeps serving
    records = logged(sink)
    assert [(r.status, r.error_type) for r in records] == [(status, error_type), (200, "")]


def test_a_remembered_key_is_refused_as_soon_as_the_registry_drops_it(ex):
    """The data plane remembers which Authorization header named which key (no SHA-256 per
    call), for one registry snapshot only: a revoked key fails on the first call after the
    reload, and a remembered key still proves only its own client."""
    _, other_key = Credential.issue(ex.client, "cadangan")
    app, sink = make_app()

    async def before():
        return [
            await ok_call(app, ex),  # looked up by its SHA-256
            await ok_call(app, ex),  # remembered
            await call(app, "GET", f"{PATH}/penduduk/1", auth(ex, client="OKU/GOV/X/Y")),
        ]

    async def after():
        return [
            await ok_call(app, ex),
            await call(app, "GET", f"{PATH}/penduduk/1", auth(ex, key=other_key)),
        ]

    replies = run_with(app, before)
    assert app.seen_key(app.registry.snapshot, f"Bearer {ex.key}".encode()) is not None
    ex.credential.revoke()
    app.registry.load()  # what the poller does once the registry's version moves
    replies += run_with(app, after)
    assert [r.status for r in replies] == [200, 200, 401, 401, 200]
    assert [r.status for r in logged(sink)] == [200, 200, 401, 401, 200]


def test_method_not_granted_is_refused(ex):
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "DELETE", f"{PATH}/penduduk/1", auth(ex)))
    assert reply.status == 403
    assert logged(sink)[0].error_type == "Server.ServerProxy.AccessDenied"


def test_upstream_refusing_connections_then_circuit_opens(ex):
    Service.objects.filter(pk=ex.service.pk).update(base_url=f"http://127.0.0.1:{closed_port()}/")
    app, sink = make_app(breaker_failures=3, breaker_open_seconds=60)

    async def scenario():
        return [await ok_call(app, ex) for _ in range(4)]

    replies = run_with(app, scenario)
    assert [r.status for r in replies] == [502, 502, 502, 503]
    assert replies[0].json()["type"] == "Server.ServerProxy.ServiceUnavailable"
    assert replies[3].json()["type"] == "Server.ServerProxy.ServiceUnavailable.CircuitOpen"
    assert [r.status for r in logged(sink)] == [502, 502, 502, 503]


def test_upstream_slower_than_the_timeout(ex):
    Service.objects.filter(pk=ex.service.pk).update(timeout_seconds="0.3")
    app, sink = make_app()

    async def scenario():
        return (await call(app, "GET", f"{PATH}/wilayah/slow", auth(ex)), await ok_call(app, ex))

    slow, after = run_with(app, scenario)
    assert slow.status == 504
    assert slow.json()["type"] == "Server.ServerProxy.ServiceTimeout"
    assert after.status == 200
    assert [r.status for r in logged(sink)] == [504, 200]


def test_upstream_stalling_after_its_headers_times_out_and_the_stream_is_cut(ex):
    Service.objects.filter(pk=ex.service.pk).update(timeout_seconds="0.3")
    app, sink = make_app()

    async def scenario():
        return (
            await call(app, "GET", f"{PATH}/wilayah/stall", auth(ex)),
            await call(app, "GET", f"{PATH}/wilayah/stall-stream", auth(ex)),
            await ok_call(app, ex),
        )

    small, streamed, after = run_with(app, scenario)
    # A small answer is read whole before anything is sent: a clean 504.
    assert small.status == 504
    assert small.json()["type"] == "Server.ServerProxy.ServiceTimeout"
    # A streamed one has its headers out already: the caller sees it break off.
    assert streamed.status == 200 and not streamed.complete
    assert after.status == 200
    statuses = [(r.status, r.error_type) for r in logged(sink)]
    assert statuses == [
        (504, "Server.ServerProxy.ServiceTimeout"),
        (504, "Server.ServerProxy.ServiceTimeout"),
        (200, ""),
    ]


def test_a_slow_but_steady_answer_is_not_cut_by_the_timeout(ex):
    # 12 chunks 0.1 s apart take longer than the 0.3 s timeout, which counts time without
    # progress, not the whole exchange.
    Service.objects.filter(pk=ex.service.pk).update(timeout_seconds="0.3")
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "GET", f"{PATH}/wilayah/trickle", auth(ex)))
    assert reply.status == 200 and reply.complete
    assert reply.body.count(b"\n") == 12
    assert [r.status for r in logged(sink)] == [200]


def test_upstream_sending_a_huge_body_with_length(ex):
    app, sink = make_app()
    reply = run_with(app, lambda: call(app, "GET", f"{PATH}/wilayah/huge", auth(ex)))
    assert reply.status == 502
    assert reply.json()["type"] == "Server.ServerProxy.ResponseTooLarge"
    assert logged(sink)[0].error_type == "Server.ServerProxy.ResponseTooLarge"


def test_upstream_streaming_a_huge_body_is_cut_not_truncated(ex):
    app, sink = make_app()

    async def scenario():
        return (
            await call(app, "GET", f"{PATH}/wilayah/huge-stream", auth(ex)),
            await ok_call(app, ex),
        )

    reply, after = run_with(app, scenario)
    assert reply.status == 200  # headers were already sent...
    assert not reply.complete  # ...but the response never completes: the caller sees an error
    assert len(reply.body) <= 64 * 1024
    assert after.status == 200
    first = logged(sink)[0]
    assert (first.status, first.error_type) == (502, "Server.ServerProxy.ResponseTooLarge")


def test_request_body_over_the_limit(ex):
    app, sink = make_app()
    headers = {**auth(ex), "Content-Length": str(100_000)}
    chunked = {**auth(ex), "Transfer-Encoding": "chunked"}

    async def scenario():
        declared = await call(app, "POST", f"{PATH}/wilayah/echo", headers, [b"a" * 100_000])
        streamed = await call(
            app, "POST", f"{PATH}/wilayah/echo", chunked, [b"b" * 40_000, b"b" * 40_000]
        )
        return declared, streamed

    declared, streamed = run_with(app, scenario)
    assert declared.status == 413 and streamed.status == 413
    assert declared.json()["type"] == "Server.ServerProxy.BodyTooLarge"
    assert [r.status for r in logged(sink)] == [413, 413]


def test_request_body_is_streamed_and_logged_encrypted_when_the_service_says_so(ex):
    Service.objects.filter(pk=ex.service.pk).update(log_bodies=True)
    app, sink = make_app()
    payload = b'{"nik": "1601234567890001", "keperluan": "rujukan"}'
    chunked = {**auth(ex), "Transfer-Encoding": "chunked"}
    reply = run_with(
        app,
        lambda: call(app, "POST", f"{PATH}/wilayah/echo", chunked, [payload[:20], payload[20:]]),
    )
    assert reply.status == 200 and reply.body == payload
    [record] = logged(sink)
    assert record.request_bytes == len(payload)
    assert record.request_sha256 == hashlib.sha256(payload).hexdigest()
    assert b"1601234567890001" not in record.request_body.encode()  # encrypted at rest
    from satupintu.core import crypto

    assert crypto.fernet().decrypt(record.request_body.encode()) == payload


def test_client_disconnecting_mid_stream(ex, upstream):
    app, sink = make_app()

    async def scenario():
        gone = await call(app, "GET", f"{PATH}/wilayah/drip", auth(ex), disconnect_after_chunks=3)
        return gone, await ok_call(app, ex)

    gone, after = run_with(app, scenario)
    assert gone.status == 200 and not gone.complete
    assert after.status == 200
    first = logged(sink)[0]
    assert (first.status, first.error_type) == (499, "Client.Disconnected")
    assert upstream.stream_closed.wait(5)  # the provider's stream was closed, not left running


def test_rate_limit_per_client(ex):
    Service.objects.filter(pk=ex.service.pk).update(rate_limit_per_minute=3)
    app, sink = make_app()

    async def scenario():
        return [await ok_call(app, ex) for _ in range(4)]

    replies = run_with(app, scenario)
    assert [r.status for r in replies] == [200, 200, 200, 429]
    assert replies[3].json()["type"] == "Server.ServerProxy.RateLimited"
    assert int(replies[3].headers["retry-after"]) >= 1
    assert [r.status for r in logged(sink)] == [200, 200, 200, 429]


def test_metaservices(ex):
    app, _ = make_app()
    provider = "/r1/OKU/GOV/DISDUKCAPIL/SIAK"

    async def scenario():
        return (
            await call(app, "GET", "/listClients", auth(ex)),
            await call(app, "GET", f"{provider}/listMethods", auth(ex)),
            await call(app, "GET", f"{provider}/allowedMethods", auth(ex)),
            await call(
                app, "GET", f"{provider}/getOpenAPI", auth(ex), query="serviceCode=penduduk"
            ),
            await call(app, "GET", "/listClients", {}),
        )

    clients, methods, allowed, openapi, anonymous = run_with(app, scenario)
    codes = {m["member_code"] for m in clients.json()["member"]}
    assert {"DISDUKCAPIL", "DINKES"} <= codes
    assert [s["service_code"] for s in methods.json()["service"]] == ["penduduk"]
    [service] = allowed.json()["service"]
    assert service["methods"] == ["GET", "POST"]
    assert service["path_prefixes"] == ["/penduduk", "/wilayah"]
    assert openapi.json()["info"]["title"] == "Data penduduk"
    assert anonymous.status == 400


def test_lifespan_startup_freezes_what_startup_made_and_a_failed_start_does_not(monkeypatch):
    import asyncio
    import gc

    from satupintu.gateway.dataplane.app import GatewayApp
    from satupintu.gateway.dataplane.logsink import LogSink
    from satupintu.gateway.dataplane.registrystore import RegistryStore
    from satupintu.gateway.snapshot import RegistrySnapshot

    done: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *args: done.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))

    def serve(loader) -> list[str]:
        app = GatewayApp(
            RegistryStore(loader=loader, version=lambda: "1"),
            LogSink(writer=lambda batch, keep_records: 0),
        )
        incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
        sent: list[str] = []

        async def receive():
            return incoming.pop(0)

        async def send(message):
            sent.append(message["type"])

        async def lifespan():
            await app({"type": "lifespan"}, receive, send)
            if app.session is not None:  # a failed start leaves no shutdown message to us
                await app.shutdown()
            await asyncio.to_thread(app.log.stop)

        asyncio.run(lifespan())
        return sent

    def broken(version):
        raise RuntimeError("registry unavailable")

    assert serve(broken) == ["lifespan.startup.failed"]
    assert done == []
    snapshot = RegistrySnapshot(version="1", instance="OKU")
    assert serve(lambda version: snapshot) == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]
    assert done == ["collect", "freeze"]


def test_message_ids_are_uuid_shaped_distinct_and_keep_twelve_digits_when_the_counter_wraps():
    ids = _MessageIds()
    first, second = ids(), ids()
    assert first != second and first[:24] == second[:24]
    for message_id in (first, second):
        parsed = uuid.UUID(message_id)
        assert str(parsed) == message_id and parsed.version == 4
    assert first.endswith("-000000000000") and second.endswith("-000000000001")
    ids.counter = iter([0xFFFF_FFFF_FFFF, 0x1_0000_0000_0000])
    assert ids().endswith("-ffffffffffff")
    assert ids().endswith("-000000000000")
    other = _MessageIds()
    assert other()[:24] != first[:24]  # a fresh prefix per process (and per forked child)

"""The gateway data plane: a raw ASGI application (no framework, no templates, no ORM on the
request path) serving X-Road style REST calls

    /r1/{instance}/{memberClass}/{memberCode}/{subsystem}/{serviceCode}/{path}
    X-Road-Client: {instance}/{memberClass}/{memberCode}/{subsystem}
    Authorization: Bearer {API key of that client subsystem, or an OAuth 2 access token}

It checks the caller's key and access right against the in-memory registry snapshot, forwards
the call to the provider through a pooled aiohttp session with streamed bodies, and hands one
message-log entry per exchange to the log sink.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import os
import time
from dataclasses import dataclass

import aiohttp

from ..messagelog import LogEntry
from ..snapshot import KeyEntry, RegistrySnapshot
from . import errors, metaservices
from .limits import CircuitBreakers, Deadlines, RateLimiter
from .logsink import LogSink, freeze_startup_objects
from .proxy import ProxyMixin
from .registrystore import RegistryStore
from .tokens import TokenVerifier

logger = logging.getLogger("satupintu.gateway.dataplane")

# Request headers the gateway consumes or replaces instead of forwarding.
REQUEST_SKIP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"authorization",
        b"x-road-client",
        b"x-road-id",
        b"x-road-service",
        b"x-forwarded-for",
        b"expect",
        b"content-length",
    }
)


CREDENTIAL_REFUSAL = (
    "Kunci API atau token akses tidak sah untuk klien ini, sudah dicabut, atau tidak dikirim "
    "(Authorization: Bearer <kunci atau token>)."
)
EXPIRED_REFUSAL = (  # a message, not a secret
    "Token akses sudah kedaluwarsa; minta token baru (grant client credentials)."
)


SEEN_KEYS_MAX = 10_000


def key_refusal(key: KeyEntry, client, client_id: str, now: float) -> str | None:
    """None when the API key `key` proves the caller `client_id` now, else the refusal."""
    if key.client != client_id or client is None:
        return CREDENTIAL_REFUSAL
    if key.expires_at is not None and now >= key.expires_at:
        return CREDENTIAL_REFUSAL
    return None


class _MessageIds:
    """Message ids in the UUID shape X-Road shows (8-4-4-4-12 hex digits): 74 random bits drawn
    from the OS once per process, then a 48-bit counter. Ids must be unique, not secret (one
    names a log record, which only an account allowed to see it can read): a counter costs a
    quarter of a random UUID per call (~0.4 µs against 1.6 µs for 128 bits from a seeded
    Mersenne Twister, ~10x less than uuid4()). Redrawn in a forked child, so worker processes
    never share a prefix; at 10^5 calls a second the counter wraps after 89 years."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        h = os.urandom(10).hex()  # 20 digits; 19 used (the variant digit keeps 2 bits)
        self.prefix = f"{h[:8]}-{h[8:12]}-4{h[12:15]}-{'89ab'[int(h[15], 16) & 3]}{h[16:19]}-"
        self.counter = itertools.count()

    def __call__(self) -> str:
        # The counter's 48 bits as 12 hex digits with leading zeros: hex() of the number with
        # bit 48 set, less "0x1". Half the instructions of the format spec ":012x".
        return self.prefix + hex(next(self.counter) & 0xFFFF_FFFF_FFFF | 0x1_0000_0000_0000)[3:]


new_message_id = _MessageIds()


@dataclass(slots=True)
class Call(LogEntry):
    """One exchange: its message-log entry, filled in along the request path and handed to the
    log sink as it is (no copy) by `record()`, after which it is not changed. Made with
    LogEntry's positional fields and `started` set after: Python 3.13 runs a class call with
    keywords through the generic path, at twice the instructions."""

    started: float = 0.0  # perf_counter() at arrival, for duration_us


class GatewayApp(ProxyMixin):
    def __init__(
        self,
        registry: RegistryStore,
        log: LogSink,
        *,
        workers: int = 1,
        breaker_failures: int = 5,
        breaker_open_seconds: float = 30.0,
        pool_size: int = 200,
        log_max_body: int = 256 * 1024,
        tokens: TokenVerifier | None = None,
    ) -> None:
        self.registry = registry
        self.tokens = tokens or TokenVerifier()
        self.log = log
        self.limiter = RateLimiter(workers)
        self.breakers = CircuitBreakers(breaker_failures, breaker_open_seconds)
        self.deadlines = Deadlines()
        self.pool_size = pool_size
        self.log_max_body = log_max_body
        self.session: aiohttp.ClientSession | None = None
        self._keys_seen: dict[bytes | None, KeyEntry] = {}
        self._keys_seen_in: RegistrySnapshot | None = None
        self._poller: asyncio.Task | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    async def startup(self, *, poll: bool = True) -> None:
        if self.registry.snapshot is None:
            await asyncio.to_thread(self.registry.load)
        connector = aiohttp.TCPConnector(
            limit=self.pool_size,
            limit_per_host=self.pool_size,
            ttl_dns_cache=300,
            keepalive_timeout=30,
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            timeout=aiohttp.ClientTimeout(total=None),
        )
        if poll:
            self._poller = asyncio.create_task(self.registry.poll_forever())

    async def shutdown(self) -> None:
        self.deadlines.stop()
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self.log.start()
                    await self.startup()
                except Exception as exc:
                    logger.exception("data plane failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                freeze_startup_objects()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await asyncio.to_thread(self.log.stop)
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- responses and the log ---------------------------------------------------------------
    def record(self, call: Call, status: int, error_type: str = "") -> None:
        call.status = status
        call.error_type = error_type
        call.duration_us = int((time.perf_counter() - call.started) * 1_000_000)
        self.log.add(call)

    async def fail(
        self, call: Call, send, error_type: str, message: str, extra_headers: list | None = None
    ) -> None:
        status = errors.STATUS[error_type]
        body = errors.error_body(error_type, message, call.message_id)
        headers = [
            *errors.JSON_HEADERS,
            (b"x-road-id", call.message_id.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        if extra_headers:
            headers.extend(extra_headers)
        call.response_bytes = len(body)
        call.response_sha256 = hashlib.sha256(body).hexdigest()
        self.record(call, status, error_type)
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        except Exception:  # the caller is gone; the exchange is logged already
            logger.debug("client left before the error response")

    async def reply_json(self, call: Call, send, body: bytes) -> None:
        call.response_bytes = len(body)
        call.response_sha256 = hashlib.sha256(body).hexdigest()
        self.record(call, 200)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    *errors.JSON_HEADERS,
                    (b"x-road-id", call.message_id.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    # --- the request path --------------------------------------------------------------------
    async def handle(self, scope, receive, send) -> None:
        now = time.time()
        path = scope["path"]
        # message id, at, client, service, client and provider organisation, method, path, status
        call = Call(new_message_id(), now, "", "", None, None, scope["method"], path[:2000], 0)
        call.started = time.perf_counter()
        if path == "/healthz":
            body = b'{"status": "ok"}'
            await send(
                {"type": "http.response.start", "status": 200, "headers": errors.JSON_HEADERS}
            )
            await send({"type": "http.response.body", "body": body})
            return
        snapshot = self.registry.snapshot
        if self.log.overloaded:
            await self.fail(
                call,
                send,
                errors.LOG_UNAVAILABLE,
                "Log pesan sedang tidak dapat ditulis; coba lagi sebentar lagi.",
                [(b"retry-after", b"5")],
            )
            return

        client_header = authorization = content_length = None
        chunked = False
        forward: list[tuple[str, str]] = []
        for name, value in scope["headers"]:
            if name in REQUEST_SKIP:
                if name == b"x-road-client":
                    client_header = value
                elif name == b"authorization":
                    authorization = value
                elif name == b"content-length":
                    content_length = value
                elif name == b"transfer-encoding":
                    chunked = b"chunked" in value.lower()
                continue
            forward.append((name.decode("latin-1"), value.decode("latin-1")))

        if path == "/listClients":
            call.service = "listClients"
        elif not path.startswith("/r1/"):
            await self.fail(
                call,
                send,
                errors.BAD_REQUEST,
                "Alamat harus berbentuk /r1/{instance}/{kelas anggota}/{kode anggota}/"
                "{subsistem}/{kode layanan}/{jalur}.",
            )
            return
        parts = path[4:].split("/", 5) if call.service == "" else []
        if call.service == "":
            if len(parts) < 4 or not all(parts[:4]) or (len(parts) >= 5 and not parts[4]):
                await self.fail(
                    call,
                    send,
                    errors.BAD_REQUEST,
                    "Alamat layanan tidak lengkap: perlu /r1/{instance}/{kelas "
                    "anggota}/{kode anggota}/{subsistem}/{kode layanan}/{jalur}.",
                )
                return
            call.service = "/".join(parts[:5])[:400]
            call.path = "/" + parts[5] if len(parts) == 6 else "/"

        # Who is calling, and can they prove it?
        if client_header is None:
            await self.fail(
                call,
                send,
                errors.BAD_REQUEST,
                "Header X-Road-Client wajib diisi: {instance}/{kelas anggota}/"
                "{kode anggota}/{subsistem}.",
            )
            return
        client_id = client_header.decode("latin-1")
        call.client = client_id[:300]
        client = snapshot.clients.get(client_id)
        # A registered client's id is well formed; only an unknown one needs looking at.
        if client is None and (client_id.count("/") != 3 or not all(client_id.split("/"))):
            await self.fail(
                call,
                send,
                errors.BAD_REQUEST,
                "Header X-Road-Client tidak sah: harus berbentuk {instance}/{kelas "
                "anggota}/{kode anggota}/{subsistem}.",
            )
            return
        key = self.seen_key(snapshot, authorization)
        if key is not None:  # the common case: no SHA-256, no coroutine
            refusal = key_refusal(key, client, client_id, now)
        else:
            refusal = await self.authenticate(snapshot, client, client_id, authorization, now)
        if refusal is not None:
            await self.fail(
                call,
                send,
                errors.UNAUTHORIZED,
                refusal,
                [(b"www-authenticate", b'Bearer realm="satupintu-gateway"')],
            )
            return
        call.client_org = client.org

        if call.service == "listClients":
            await self.reply_json(call, send, metaservices.list_clients(snapshot))
            return
        if len(parts) == 4 or (len(parts) == 5 and parts[4] in metaservices.NAMES):
            await self.metaservice(call, send, snapshot, parts, scope)
            return

        service = snapshot.services.get(call.service)
        if service is None:
            await self.fail(
                call,
                send,
                errors.UNKNOWN_SERVICE,
                f"Layanan {call.service} tidak terdaftar atau tidak aktif.",
            )
            return
        call.provider_org = service.provider_org
        raw_path = scope.get("raw_path") or path.encode()
        # Most paths carry no escapes: one scan for "%" before lowering the path to look for
        # encoded slashes. find(), not `in`: bytes.__contains__ first tries its argument as an
        # integer and raises and clears a TypeError for a bytes one (~2.5k instructions).
        if (
            raw_path.find(b"%") >= 0
            and (b"%2f" in (lowered := raw_path.lower()) or b"%5c" in lowered)
        ) or ("/." in call.path and any(s in {".", ".."} for s in call.path.split("/"))):
            await self.fail(
                call,
                send,
                errors.BAD_REQUEST,
                "Jalur tidak boleh memuat segmen '.' atau '..' atau garis miring tersandi.",
            )
            return
        grant = snapshot.grants.get((client_id, service.id))
        if grant is None or not grant.allows(call.method, call.path, now):
            await self.fail(
                call,
                send,
                errors.ACCESS_DENIED,
                f"Klien {client_id} tidak memiliki hak akses {call.method} "
                f"{call.path} pada layanan {service.id}.",
            )
            return
        limit_key = (client_id, service.id)
        if service.rate_limit and not self.limiter.allow(limit_key, service.rate_limit, now):
            retry = self.limiter.retry_after(limit_key, service.rate_limit)
            await self.fail(
                call,
                send,
                errors.RATE_LIMITED,
                f"Batas {service.rate_limit} panggilan per menit terlampaui; coba "
                f"lagi dalam {retry} detik.",
                [(b"retry-after", str(retry).encode())],
            )
            return
        declared = None
        if content_length is not None:
            try:
                declared = int(content_length)
            except ValueError:
                await self.fail(call, send, errors.BAD_REQUEST, "Content-Length tidak sah.")
                return
            if declared > service.max_body:
                await self.fail(
                    call,
                    send,
                    errors.BODY_TOO_LARGE,
                    f"Isi permintaan {declared} bita melebihi batas layanan "
                    f"{service.max_body} bita.",
                )
                return
        if not self.breakers.allow(service.id, now):
            await self.fail(
                call,
                send,
                errors.CIRCUIT_OPEN,
                f"Layanan {service.id} sedang gagal berulang kali; gerbang menahan "
                "panggilan sebentar. Coba lagi nanti.",
                [(b"retry-after", b"30")],
            )
            return
        await self.forward(
            call, scope, receive, send, service, raw_path, forward, declared, chunked
        )

    def seen_key(self, snapshot, authorization: bytes | None) -> KeyEntry | None:
        """The API key that this Authorization header (as sent) named when `authenticate` last
        looked it up in this snapshot, or None. Saves hashing the key on every call; the cache
        belongs to one snapshot, so a registry change (a key revoked, a subsystem disabled)
        empties it at the same moment it reaches the lookup itself. Whose key it is and its
        expiry are still checked on every call (key_refusal)."""
        if self._keys_seen_in is not snapshot:
            self._keys_seen = {}
            self._keys_seen_in = snapshot
        return self._keys_seen.get(authorization)

    async def authenticate(self, snapshot, client, client_id, authorization, now) -> str | None:
        """Check the caller's credential: an API key of the client subsystem, or an OAuth 2
        client-credential access token of the OIDC client linked to it. Returns None when it
        proves `client_id`, else the refusal message. An unknown client and a wrong credential
        get the same answer: no probing which clients exist."""
        if authorization is None or authorization[:7].lower() != b"bearer ":
            return CREDENTIAL_REFUSAL
        secret = authorization[7:].strip()
        checksum = hashlib.sha256(secret).hexdigest()
        key = snapshot.keys.get(checksum)
        if key is not None:
            if self._keys_seen_in is snapshot:
                if len(self._keys_seen) >= SEEN_KEYS_MAX:
                    # Only registered keys get here, but one key can be written many ways
                    # ("bearer", spacing): bounded, whoever sends them.
                    self._keys_seen.clear()
                self._keys_seen[authorization] = key
            return key_refusal(key, client, client_id, now)
        if client is None or client.oauth_client is None or secret.startswith(b"spk_"):
            return CREDENTIAL_REFUSAL
        token = await self.tokens.entry(checksum)
        if token is None or token.application != client.oauth_client or token.for_user:
            return CREDENTIAL_REFUSAL
        if now >= token.expires_at:
            return EXPIRED_REFUSAL
        return None

    async def metaservice(self, call, send, snapshot, parts, scope) -> None:
        provider = "/".join(parts[:4])
        name = parts[4] if len(parts) == 5 else ""
        if provider not in snapshot.by_provider:
            await self.fail(
                call,
                send,
                errors.UNKNOWN_SERVICE,
                f"Subsistem {provider} tidak terdaftar atau tidak aktif.",
            )
            return
        if name == "listMethods":
            body = metaservices.list_methods(snapshot, provider)
        elif name == "allowedMethods":
            body = metaservices.allowed_methods(snapshot, provider, call.client, call.at)
        elif name == "getOpenAPI":
            code = metaservices.query_value(scope.get("query_string", b""), "serviceCode")
            service_id = f"{provider}/{code}"
            grant = snapshot.grants.get((call.client, service_id))
            if service_id not in snapshot.services or grant is None:
                await self.fail(
                    call,
                    send,
                    errors.ACCESS_DENIED
                    if service_id in snapshot.services
                    else errors.UNKNOWN_SERVICE,
                    f"Dokumen OpenAPI layanan {service_id} tidak tersedia untuk klien ini.",
                )
                return
            if service_id not in snapshot.openapi:
                await self.fail(
                    call,
                    send,
                    errors.UNKNOWN_SERVICE,
                    f"Layanan {service_id} belum memiliki dokumen OpenAPI.",
                )
                return
            body = metaservices.openapi(snapshot, service_id)
        else:
            await self.fail(
                call,
                send,
                errors.BAD_REQUEST,
                "Sebutkan kode layanan atau metalayanan (listMethods, allowedMethods, getOpenAPI).",
            )
            return
        await self.reply_json(call, send, body)

"""Forwarding a checked call to the provider and relaying its answer: pooled aiohttp client,
streamed bodies both ways, size limits, timeouts, and a caller that leaves mid-stream."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time

import aiohttp
from yarl import URL

from ..messagelog import EMPTY_SHA256
from . import errors

logger = logging.getLogger("satupintu.gateway.dataplane")

# Bodies up to this size are read whole (one send, no generator); larger ones are streamed.
SMALL_BODY = 256 * 1024
RESPONSE_SKIP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)


class ClientGone(Exception):
    """The caller disconnected while we were still reading its request."""


class RequestTooLarge(Exception):
    pass


class ProxyMixin:
    """The upstream half of GatewayApp (which provides session, breakers, deadlines, fail() and
    record())."""

    async def forward(
        self, call, scope, receive, send, service, raw_path, headers, declared, chunked
    ) -> None:
        # The encoded path below the service, as the caller sent it.
        raw_rest = raw_path[4:].split(b"/", 5)
        url = service.base_url + (
            "/" + raw_rest[5].decode("latin-1") if len(raw_rest) == 6 else "/"
        )
        query = scope.get("query_string")
        if query:
            url += "?" + query.decode("latin-1")
        # The provider learns who calls by the verified X-Road headers, as behind an X-Road
        # security server, not by network addresses: no X-Forwarded-For (the caller's own is
        # dropped too, app.REQUEST_SKIP). Each header costs the gateway and the provider ~1 µs.
        headers.append(("X-Road-Client", call.client))
        headers.append(("X-Road-Id", call.message_id))
        headers.append(("X-Road-Service", service.id))
        keep_body = service.log_bodies
        too_large = False
        data = None
        task = asyncio.current_task()
        # The provider's time starts once the request is out: now, or for a streamed body when
        # its last chunk has gone (while the caller uploads, the caller sets the pace).
        streamed = False
        if (declared or 0) > 0 or chunked:
            hasher = hashlib.sha256()
            kept = bytearray()
            if declared is not None and declared <= SMALL_BODY:
                try:
                    data = await self._read_body(
                        receive, hasher, kept, service.max_body, keep_body, call
                    )
                except ClientGone:
                    self.record(call, 499, errors.CLIENT_DISCONNECTED)
                    return
                except RequestTooLarge:
                    await self._too_large(call, send, service)
                    return
                call.request_sha256 = hasher.hexdigest()
                if keep_body:
                    call.request_body = bytes(kept)
            else:
                streamed = True
                if declared:
                    headers.append(("Content-Length", str(declared)))

                async def stream():
                    nonlocal too_large
                    while True:
                        message = await receive()
                        if message["type"] == "http.disconnect":
                            raise ClientGone
                        chunk = message.get("body", b"")
                        call.request_bytes += len(chunk)
                        if call.request_bytes > service.max_body:
                            too_large = True
                            raise RequestTooLarge
                        hasher.update(chunk)
                        if keep_body and len(kept) < self.log_max_body:
                            kept.extend(chunk[: self.log_max_body - len(kept)])
                        if chunk:
                            yield chunk
                        if not message.get("more_body", False):
                            break
                    call.request_sha256 = hasher.hexdigest()
                    if keep_body:
                        call.request_body = bytes(kept)
                    self.deadlines.watch(task, service.timeout)

                data = stream()
        if not streamed:
            self.deadlines.watch(task, service.timeout)
        try:
            response = await self.session.request(
                call.method,
                URL(url, encoded=True),
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=service.client_timeout,
            )
        except asyncio.CancelledError:
            if not self.deadlines.expired(task):
                raise
            await self._service_timeout(call, send, service, "tidak menjawab dalam")
            return
        except (ClientGone, RequestTooLarge) as exc:
            await self._request_failed(call, send, service, exc)
            return
        except TimeoutError:  # opening a new connection took too long
            await self._service_timeout(call, send, service, "tidak menjawab dalam")
            return
        except (aiohttp.ClientError, OSError) as exc:
            if too_large or isinstance(exc.__cause__, RequestTooLarge):
                await self._too_large(call, send, service)
                return
            if isinstance(exc.__cause__, ClientGone):
                self.record(call, 499, errors.CLIENT_DISCONNECTED)
                return
            self.breakers.failure(service.id, time.time())
            await self.fail(
                call,
                send,
                errors.SERVICE_UNAVAILABLE,
                f"Sistem penyedia layanan {service.id} tidak dapat dihubungi "
                f"({type(exc).__name__}).",
            )
            return
        finally:
            self.deadlines.release(task)
        try:
            await self._relay(call, receive, send, service, response, task)
        finally:
            response.release()

    async def _service_timeout(self, call, send, service, what: str) -> None:
        """The provider made no progress for the service's timeout: `what` it did not do."""
        self.breakers.failure(service.id, time.time())
        await self.fail(
            call,
            send,
            errors.SERVICE_TIMEOUT,
            f"Layanan {service.id} {what} {service.timeout:g} detik.",
        )

    async def _read_body(self, receive, hasher, kept, limit, keep_body, call) -> bytes:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            body.extend(message.get("body", b""))
            if len(body) > limit:
                raise RequestTooLarge
            if not message.get("more_body", False):
                break
        call.request_bytes = len(body)
        hasher.update(body)
        if keep_body:
            kept.extend(body[: self.log_max_body])
        return bytes(body)

    async def _request_failed(self, call, send, service, exc) -> None:
        if isinstance(exc, RequestTooLarge):
            await self._too_large(call, send, service)
        else:
            self.record(call, 499, errors.CLIENT_DISCONNECTED)

    async def _too_large(self, call, send, service) -> None:
        await self.fail(
            call,
            send,
            errors.BODY_TOO_LARGE,
            f"Isi permintaan melebihi batas layanan {service.max_body} bita.",
        )

    async def _relay(self, call, receive, send, service, response, task) -> None:
        """Send the provider's answer back, streamed, within the service's size limit."""
        length = response.content_length
        if length is not None and length > service.max_body:
            self.breakers.success(service.id)
            await self.fail(
                call,
                send,
                errors.RESPONSE_TOO_LARGE,
                f"Jawaban layanan {service.id} ({length} bita) melebihi batas "
                f"{service.max_body} bita.",
            )
            return
        headers = [
            (name, value)
            for name, value in response.raw_headers
            if name.lower() not in RESPONSE_SKIP
        ]
        headers.append((b"x-road-id", call.message_id.encode()))
        status = response.status
        if length is not None and length <= SMALL_BODY:
            self.deadlines.watch(task, service.timeout)
            try:
                body = await response.read()
            except asyncio.CancelledError:
                if not self.deadlines.expired(task):
                    raise
                await self._service_timeout(call, send, service, "berhenti mengirim jawaban selama")
                return
            except aiohttp.ClientError as exc:
                await self.fail(
                    call,
                    send,
                    errors.SERVICE_UNAVAILABLE,
                    f"Jawaban layanan {service.id} terputus ({type(exc).__name__}).",
                )
                return
            finally:
                self.deadlines.release(task)
            self.breakers.success(service.id)
            call.response_bytes = len(body)
            call.response_sha256 = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
            if service.log_bodies:
                call.response_body = body[: self.log_max_body]
            self.record(call, status)
            try:
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
            except Exception:
                logger.debug("client left before the response was sent")
            return
        await self._stream(call, receive, send, service, response, headers, status, task)

    async def _stream(self, call, receive, send, service, response, headers, status, task) -> None:
        hasher = hashlib.sha256()
        kept = bytearray()
        error_type = ""
        disconnected = asyncio.Event()
        read = response.content.readany
        deadlines = self.deadlines

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    disconnected.set()
                    task.cancel()
                    return

        watcher = asyncio.create_task(watch())
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            while True:
                # Only the wait for the provider is watched: while a slow caller takes a chunk,
                # the provider is not the one holding the call up.
                deadlines.watch(task, service.timeout)
                chunk = await read()
                deadlines.release(task)
                if not chunk:
                    await send({"type": "http.response.body", "body": b""})
                    break
                call.response_bytes += len(chunk)
                if call.response_bytes > service.max_body:
                    # Headers are out: cut the connection so the caller sees a broken response,
                    # not a silently truncated one.
                    error_type = errors.RESPONSE_TOO_LARGE
                    break
                hasher.update(chunk)
                if service.log_bodies and len(kept) < self.log_max_body:
                    kept.extend(chunk[: self.log_max_body - len(kept)])
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            self.breakers.success(service.id)
        except asyncio.CancelledError:
            timed_out = deadlines.expired(task)
            if disconnected.is_set():
                error_type = errors.CLIENT_DISCONNECTED
                task.uncancel()
            elif timed_out:
                self.breakers.failure(service.id, time.time())
                error_type = errors.SERVICE_TIMEOUT
            else:
                raise
        except aiohttp.ClientError:
            error_type = errors.SERVICE_UNAVAILABLE
        except Exception:
            # send() failed: the caller went away mid-stream.
            error_type = errors.CLIENT_DISCONNECTED
        finally:
            deadlines.release(task)
            watcher.cancel()
        call.response_sha256 = hasher.hexdigest()
        if service.log_bodies:
            call.response_body = bytes(kept)
        if error_type:
            response.close()  # do not return a half-read connection to the pool
            self.record(
                call,
                errors.STATUS[error_type] if error_type != errors.CLIENT_DISCONNECTED else 499,
                error_type,
            )
        else:
            self.record(call, status)

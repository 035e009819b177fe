"""Request middleware: who is acting (for the change log), the request id, and one structured
log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

from .actor import acting_as

logger = logging.getLogger("satupintu.request")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the proxy or the client is kept only if it looks like an id: it is echoed in a
# response header and written to the logs, so it must not carry newlines or markup.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Probes hit these every few seconds; their lines go to DEBUG so they do not drown the log.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
API_PREFIXES = ("/api/", "/open311/", "/r1/")

_request_id: ContextVar[str] = ContextVar("satupintu_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served ('' outside a request), e.g. for outgoing calls."""
    return _request_id.get()


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to every log record written while a request is served, so all lines
    of one request can be found together."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def client_ip(request) -> str | None:
    # Behind nginx the real address arrives in X-Real-IP (see deploy/nginx.conf); the socket
    # address is the proxy's. Only trust the header in production, where nginx sets it.
    if getattr(settings, "PRODUCTION", False):
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def request_id_for(request) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if _VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Sets the acting user for the change log and the request id, and writes one structured
    log line per request: method, path, status, duration_ms, user_id, request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_for(request)
        request.request_id = request_id
        # Not reset when this method returns: Django logs "Not Found" and server errors
        # (django.request) after the middleware chain; the request_finished signal clears it.
        _request_id.set(request_id)
        user = getattr(request, "user", None)
        via = "api" if request.path.startswith(API_PREFIXES) else "web"
        with acting_as(user, via=via, ip=client_ip(request)):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        status = response.status_code
        if request.path in QUIET_PATHS and status < 500:
            level = logging.DEBUG
        elif status >= 500:
            level = logging.ERROR
        else:
            level = logging.INFO
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        # The message reads well in the plain development format; the JSON format carries the
        # same facts as fields.
        logger.log(
            level,
            "%s %s %s %sms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "request_id": request_id,
            },
        )
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs) -> None:
    _request_id.set("")

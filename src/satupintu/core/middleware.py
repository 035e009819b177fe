"""Request middleware: requests carrying NUL refused up front, who is acting (for the change
log), the request id, and one structured log line per request."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .actor import acting_as

logger = logging.getLogger("satupintu.request")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the proxy or the client is kept only if it looks like an id: it is echoed in a
# response header and written to the logs, so it must not carry newlines or markup.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Probes hit these every few seconds; their lines go to DEBUG so they do not drown the log.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
API_PREFIXES = ("/api/", "/open311/", "/r1/")

# The OAuth 2 / OpenID Connect endpoints answer errors in RFC 6749's JSON format.
OAUTH_PREFIXES = ("/o/", "/.well-known/")

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


def _carries_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_")):
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        try:
            fields.append(request.POST)
        except (
            RequestDataTooBig,
            TooManyFieldsSent,
            TooManyFilesSent,
            MultiPartParserError,
            BadRequest,
        ) as error:
            _leave_to_the_view(request, error)
    pairs = [(key, value) for form in fields for key, values in form.lists() for value in values]
    # Cookie values are unquoted by Django: "\000" in the Cookie header becomes a NUL.
    pairs.extend(request.COOKIES.items())
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        return True
    return request.content_type == "application/json" and _json_carries_nul(request)


def _leave_to_the_view(request, error: Exception) -> None:
    """The form could not be read (too big, too many fields, malformed), so there is nothing to
    check. The view meets the same error when it reads the form and answers it as it would
    without this middleware (the Open311 API with its own 413): a multipart stream cannot be
    read twice, so reading the form raises this error again."""
    request.__dict__.pop("_post", None)
    request.__dict__.pop("_files", None)

    def raise_again() -> None:
        raise error

    request._load_post_and_files = raise_again


def _json_carries_nul(request) -> bool:
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # the view reads the body again and answers the error itself
    # JSON writes NUL as the escape \u0000 (a raw NUL byte is invalid JSON, which the view
    # refuses); only a body holding that escape is parsed to tell it from an escaped backslash.
    if b"\\u0000" not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON: the view answers its own parse error
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class RefuseNulMiddleware:
    """Answers 400 to a request whose path, headers, query string, form fields or JSON body hold
    a NUL character, before any view or database sees it. No valid input of this site contains one,
    and PostgreSQL refuses NUL in a text parameter with an error that would otherwise surface
    as a 500 wherever the value reaches a query (a client_id, a search term, a session cookie).
    Uploaded files are not inspected: binary content may hold NUL bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _carries_nul(request):
            return self.get_response(request)
        message = _("Permintaan memuat karakter NUL, yang tidak diterima.")
        if request.path.startswith(OAUTH_PREFIXES):
            return JsonResponse(
                {"error": "invalid_request", "error_description": message}, status=400
            )
        if request.path.startswith("/open311/"):
            # GeoReport v2's error list, in its default format (JSON).
            return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
        if request.path.startswith(API_PREFIXES):
            return JsonResponse({"detail": message, "errors": []}, status=400)
        return render(request, "400.html", {"message": message}, status=400)

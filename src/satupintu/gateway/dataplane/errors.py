"""X-Road-like error types of the data plane and their HTTP statuses. Messages are Bahasa
Indonesia sentences a developer of the calling system can act on."""

from __future__ import annotations

import json

BAD_REQUEST = "Client.BadRequest"
UNAUTHORIZED = "Client.Unauthorized"
CLIENT_DISCONNECTED = "Client.Disconnected"
ACCESS_DENIED = "Server.ServerProxy.AccessDenied"
UNKNOWN_SERVICE = "Server.ServerProxy.UnknownService"
RATE_LIMITED = "Server.ServerProxy.RateLimited"
BODY_TOO_LARGE = "Server.ServerProxy.BodyTooLarge"
RESPONSE_TOO_LARGE = "Server.ServerProxy.ResponseTooLarge"
SERVICE_TIMEOUT = "Server.ServerProxy.ServiceTimeout"
SERVICE_UNAVAILABLE = "Server.ServerProxy.ServiceUnavailable"
CIRCUIT_OPEN = "Server.ServerProxy.ServiceUnavailable.CircuitOpen"
LOG_UNAVAILABLE = "Server.ServerProxy.MessageLogUnavailable"

STATUS = {
    BAD_REQUEST: 400,
    UNAUTHORIZED: 401,
    CLIENT_DISCONNECTED: 499,  # nginx's convention: nobody received this status
    ACCESS_DENIED: 403,
    UNKNOWN_SERVICE: 404,
    BODY_TOO_LARGE: 413,
    RATE_LIMITED: 429,
    RESPONSE_TOO_LARGE: 502,
    SERVICE_UNAVAILABLE: 502,
    CIRCUIT_OPEN: 503,
    LOG_UNAVAILABLE: 503,
    SERVICE_TIMEOUT: 504,
}

JSON_HEADERS = [(b"content-type", b"application/json; charset=utf-8")]


def error_body(error_type: str, message: str, message_id: str) -> bytes:
    return json.dumps(
        {"type": error_type, "message": message, "detail": message_id}, ensure_ascii=False
    ).encode()

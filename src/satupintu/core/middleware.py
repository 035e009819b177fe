import logging
import time

from .actor import acting_as

logger = logging.getLogger("satupintu.request")


def client_ip(request) -> str | None:
    # Behind nginx the real address arrives in X-Real-IP (see deploy/nginx.conf); the socket
    # address is the proxy's. Only trust the header when configured to.
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False):
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


class RequestLogMiddleware:
    """Sets the acting user for the change log and writes one structured log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        user = getattr(request, "user", None)
        via = "api" if request.path.startswith(("/api/", "/open311/", "/r1/")) else "web"
        with acting_as(user, via=via, ip=client_ip(request)):
            response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(user, "pk", None),
            },
        )
        return response

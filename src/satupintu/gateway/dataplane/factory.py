"""Build the data-plane application from settings.GATEWAY."""

from __future__ import annotations

from django.conf import settings

from .app import GatewayApp
from .logsink import LogSink
from .logwriter import WriterProcess
from .registrystore import RegistryStore
from .tokens import TokenVerifier


def create_app() -> GatewayApp:
    conf = settings.GATEWAY
    return GatewayApp(
        RegistryStore(poll_seconds=conf["registry_poll_seconds"]),
        LogSink(
            keep_records=conf["message_log"],
            flush_seconds=conf["log_flush_seconds"],
            writer=WriterProcess(),
        ),
        workers=conf["workers"],
        breaker_failures=conf["breaker_failures"],
        breaker_open_seconds=conf["breaker_open_seconds"],
        pool_size=conf["pool_size"],
        log_max_body=conf["log_max_body_bytes"],
        tokens=TokenVerifier(ttl=conf["token_cache_seconds"]),
    )

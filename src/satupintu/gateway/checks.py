"""System checks: production needs a real checkpoint signing key."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def signing_key_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .messagelog import signing_key

    if not settings.GATEWAY["log_signing_key"]:
        if not getattr(settings, "PRODUCTION", False):
            return []
        return [
            checks.Error(
                "SATUPINTU_GATEWAY_LOG_SIGNING_KEY is not set: the gateway cannot sign message-log "
                "checkpoints.",
                hint="Run `manage.py gateway_signing_key` and set the variable.",
                id="gateway.E001",
            )
        ]
    try:
        signing_key()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="gateway.E002")]
    return []

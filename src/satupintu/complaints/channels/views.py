"""The inbound webhook of messaging gateways: POST /pengaduan/kanal/<provider>/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import base, inbound
from .base import ChannelError, Reply
from .generic import SignedJsonAdapter

GENERIC = SignedJsonAdapter()


@csrf_exempt  # a machine webhook: the HMAC signature is the credential, there is no session
@require_POST
def inbound_message(request: HttpRequest, provider: str) -> HttpResponse:
    secret = inbound.secret_for(provider)
    if secret is None:
        # Unknown and unconfigured providers look the same: nothing to learn by probing.
        return JsonResponse(
            {
                "ok": False,
                "error": {"code": "unknown_provider", "message": _("Kanal tidak dikenal.")},
            },
            status=404,
        )
    # A provider with its own adapter registered uses it; every other configured one speaks
    # the generic signed JSON.
    adapter = base.adapter(provider) or GENERIC
    try:
        adapter.verify(request, secret)
        message = adapter.parse(request)
        inbound.check_fresh(message, provider)
        try:
            reply = inbound.receive(provider, message)
        except BaseException:
            inbound.forget(provider, message)
            raise
    except ChannelError as exc:
        return adapter.respond(Reply(text=exc.message, status=exc.status, error_code=exc.code))
    return adapter.respond(reply)

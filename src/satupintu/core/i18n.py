"""Which language a page is shown in: Bahasa Indonesia unless the person chose another.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a phone set to
English would get English pages it never asked for. Citizens are served Bahasa Indonesia first
(DESIGN.md); English is a choice made with the language switch in the page header, which
Django's set_language view remembers in the language cookie.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language in the cookie when it is one we offer, else the site's language."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Replaces django.middleware.locale.LocaleMiddleware (no URL language prefixes here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
        return response

"""The WSGI application (gunicorn in production, granian in bench/bench_open311.py).

Importing it also loads the URLconf, and with it every app's views (the data app brings in
SQLAlchemy, the OIDC provider its own stack), the URL reversing tables and the translation
catalogues of each language: about two seconds of CPU that Django otherwise spends in each
worker process's first request, while that request and the ones queued behind it wait. A
worker now pays it while it starts, before it accepts connections.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
application = get_wsgi_application()


def _load() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (the property imports every urls and views module)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # loads the language's catalogues
            resolver.reverse_dict  # noqa: B018 (built per active language, on first reverse())


_load()

"""ASGI entry point of the data plane: `granian --interface asgi
satupintu.gateway.dataplane.asgi:application` (or `manage.py run_gateway`)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
django.setup()

from .factory import create_app  # noqa: E402  (needs Django set up)

application = create_app()

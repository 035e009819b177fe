"""The WSGI application loads the URLconf, the URL reversing tables and the translations while
a worker starts, not in the worker's first request."""

from __future__ import annotations

import os
import subprocess
import sys

CHECK = """
import sys
from django.urls import get_resolver
assert "satupintu.complaints.open311.views" not in sys.modules
import satupintu.wsgi
resolver = get_resolver()
assert "url_patterns" in resolver.__dict__, "URLconf not loaded"
assert "satupintu.complaints.open311.views" in sys.modules
assert set(resolver._reverse_dict) >= {"id", "en"}, list(resolver._reverse_dict)
"""


def test_importing_the_wsgi_application_loads_what_a_first_request_needs(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SATUPINTU_")},
        "SATUPINTU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "satupintu.settings",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter with a fixed script)
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]

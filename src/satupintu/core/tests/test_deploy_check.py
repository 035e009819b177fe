"""Production configuration: `SATUPINTU_ENV=production manage.py check --deploy` is clean with
real secrets and refuses the development defaults, and every setting read from the environment
is documented in .env.example.

The checks run in a subprocess because settings are read once per process, from its
environment, exactly as on a server.
"""

from __future__ import annotations

import ast
import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Production processes and settings files, never the test database: `make test` runs these
# once; the PostgreSQL and MariaDB service runs deselect them.
pytestmark = pytest.mark.embedded

PROJECT_DIR = Path(__file__).resolve().parents[4]
SETTINGS_FILE = PROJECT_DIR / "src" / "satupintu" / "settings.py"
ENV_EXAMPLE = PROJECT_DIR / ".env.example"
ENV_READERS = {"env", "env_bool", "env_list"}


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Not the test run's own markers or servers: a clean production process.
        if not key.startswith("SATUPINTU_")
        and key not in {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "SATUPINTU_ENV": "production",
            "SATUPINTU_SECRET_KEY": secrets.token_urlsafe(50),
            "SATUPINTU_PERSONAL_DATA_KEYS": base64.urlsafe_b64encode(
                secrets.token_bytes(32)
            ).decode(),
            "SATUPINTU_LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
            "SATUPINTU_GATEWAY_LOG_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "SATUPINTU_ALLOWED_HOSTS": "satupintu.okukab.go.id",
            "SATUPINTU_CSRF_TRUSTED_ORIGINS": "https://satupintu.okukab.go.id",
            "SATUPINTU_SITE_URL": "https://satupintu.okukab.go.id",
            "SATUPINTU_VAR_DIR": str(tmp_path / "var"),
        }
    )
    env.update(overrides)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            str(PROJECT_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production_with_real_secrets(tmp_path):
    result = check_deploy(production_environment(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_check_deploy_refuses_the_development_secrets(tmp_path):
    env = production_environment(
        tmp_path,
        SATUPINTU_SECRET_KEY="dev-only-insecure-key-do-not-use-in-production",
        SATUPINTU_LOOKUP_HASH_KEY="dev-only-lookup-hash-key",
    )
    del env["SATUPINTU_PERSONAL_DATA_KEYS"]
    result = check_deploy(env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for check_id in ("satupintu.E001", "satupintu.E002", "satupintu.E003"):
        assert check_id in output, output


def test_check_deploy_warns_about_an_insecure_production_setting(tmp_path):
    # Turning off the HTTPS redirect must not pass silently.
    result = check_deploy(production_environment(tmp_path, SATUPINTU_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_collectstatic_succeeds_in_production(tmp_path):
    # Production stores static files with hashed names (WhiteNoise's manifest storage), which
    # fails on a vendored file that references one we do not ship (e.g. a source map).
    env = production_environment(tmp_path)
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, str(PROJECT_DIR / "manage.py"), "collectstatic", "--noinput"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = tmp_path / "var" / "static" / "staticfiles.json"
    assert manifest.is_file()
    assert '"css/' in manifest.read_text(encoding="utf-8")


# --- .env.example documents every setting -----------------------------------------------------


def settings_read_from_environment() -> set[str]:
    """SATUPINTU_* names read by settings.py through env(), env_bool() and env_list(), and
    through settings' own helpers that pass their first argument on to one of them (such as
    database("DATABASE_URL", ...))."""
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))

    def calls(node: ast.AST, readers: set[str]):
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id in readers
                and call.args
            ):
                yield call.args[0]

    readers = set(ENV_READERS)
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        if function.name in readers or not function.args.args:
            continue
        first_parameter = function.args.args[0].arg
        if any(
            isinstance(arg, ast.Name) and arg.id == first_parameter
            for arg in calls(function, ENV_READERS)
        ):
            readers.add(function.name)

    return {
        f"SATUPINTU_{arg.value}"
        for arg in calls(tree, readers)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }


def documented_in_env_example() -> set[str]:
    """Names set in .env.example, commented out (`# SATUPINTU_X=`) or not."""
    pattern = re.compile(r"^#?\s*(SATUPINTU_[A-Z0-9_]+)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def test_settings_parser_finds_the_settings_it_should():
    found = settings_read_from_environment()
    # A sanity floor for the parser itself: these are read through each of the three readers.
    assert {"SATUPINTU_SECRET_KEY", "SATUPINTU_DEBUG", "SATUPINTU_ALLOWED_HOSTS"} <= found
    # ...and through database(), which hands its first argument to env().
    assert {"SATUPINTU_DATABASE_URL", "SATUPINTU_DATASTORE_URL"} <= found


def test_every_setting_is_documented_in_env_example():
    missing = sorted(settings_read_from_environment() - documented_in_env_example())
    assert not missing, f".env.example does not document: {', '.join(missing)}"


def test_env_example_documents_no_setting_that_does_not_exist():
    unknown = sorted(documented_in_env_example() - settings_read_from_environment())
    assert not unknown, f".env.example lists settings nobody reads: {', '.join(unknown)}"


def test_every_setting_in_env_example_has_a_comment_above_it():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    pattern = re.compile(r"^#?\s*SATUPINTU_[A-Z0-9_]+=")
    bare = []
    for index, line in enumerate(lines):
        if not pattern.match(line):
            continue
        # Walk up over the other variables of the same block to the comment that explains it.
        above = index - 1
        while above >= 0 and pattern.match(lines[above]):
            above -= 1
        if above < 0 or not lines[above].startswith("#") or pattern.match(lines[above]):
            bare.append(f"line {index + 1}: {line}")
    assert not bare, "\n".join(bare)

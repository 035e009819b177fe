"""Settings for satupintu, read from environment variables (see .env.example).

One settings module for every environment: the embedded default (SQLite files under var/, no
other server) needs no variable at all; production sets SATUPINTU_ENV=production and the URLs
of PostgreSQL and Redis.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"SATUPINTU_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
# pytest sets PYTEST_VERSION for the whole session (pytest >= 8.2), before Django loads.
TESTING = env_bool("TESTING") or "PYTEST_VERSION" in os.environ
VAR_DIR = Path(env("VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", default=not PRODUCTION and not TESTING)
# Development gets a fixed, clearly-marked key so `make run` needs no set-up; production refuses
# to start without a real one (see the check in core/checks.py).
SECRET_KEY = env(
    "SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Personal data (NIK, NIP, phone numbers) is encrypted with the first key of this list; older keys
# stay listed so rows written with them can still be read and re-encrypted (key rotation).
PERSONAL_DATA_KEYS = env_list(
    "PERSONAL_DATA_KEYS", "" if PRODUCTION else "ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1rZXktMDAwMDA="
)
# Key for the keyed hash (HMAC-SHA256) that lets us find a NIK by exact match without decrypting.
LOOKUP_HASH_KEY = env("LOOKUP_HASH_KEY", "" if PRODUCTION else "dev-only-lookup-hash-key")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "ninja",
    "oauth2_provider",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "satupintu.core",
    "satupintu.accounts",
    "satupintu.portal",
    "satupintu.gateway",
    "satupintu.events",
    "satupintu.data",
    "satupintu.catalogue",
    "satupintu.complaints",
]
if TESTING:
    # Concrete models built on the core mixins, used only by core's tests.
    INSTALLED_APPS.append("satupintu.core.tests.testapp")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before the session, user and views: PostgreSQL must never see a NUL character.
    "satupintu.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satupintu.core.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "satupintu.accounts.mfa.StaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "satupintu.core.middleware.RequestLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"
ASGI_APPLICATION = "satupintu.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "satupintu.core.context_processors.installation",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
# `default` holds the platform's own tables; `datastore` holds published dataset tables (one real
# table per resource, like CKAN's DataStore). Both are SQLite files under var/ unless URLs are set.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database(url_setting: str, sqlite_name: str) -> dict:
    url = env(url_setting)
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.mysql":
            # Names and addresses may hold any Unicode character: utf8mb4 on the connection and
            # for the test database pytest-django creates (MariaDB's older default is latin1).
            config.setdefault("OPTIONS", {}).setdefault("charset", "utf8mb4")
            config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
        if config["ENGINE"] == "django.db.backends.postgresql" and url_setting == "DATABASE_URL":
            # SATUPINTU_DATABASE_SERVER_BINDING=1: parameters bound by the server, statements a
            # connection runs five times kept prepared (psycopg's prepare_threshold). An Open311
            # create took 1-2 ms less web CPU in-process, but GET requests served fewer pages a
            # second in each of three HTTP runs (docs/open311.md), so it stays off until that is
            # understood. Never for the datastore, whose SQL is built per published table.
            options = config.setdefault("OPTIONS", {})
            options["server_side_binding"] = env_bool("DATABASE_SERVER_BINDING", default=False)
        return config
    # SQLite does not create missing directories; a fresh checkout has no var/ yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / sqlite_name,
        "OPTIONS": dict(SQLITE_OPTIONS),
        "TEST": {"NAME": None},
    }


DATABASES = {
    "default": database("DATABASE_URL", "satupintu.sqlite3"),
    "datastore": database("DATASTORE_URL", "datastore.sqlite3"),
}
DATABASE_ROUTERS = ["satupintu.core.routers.DatastoreRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task queue ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Django's Redis backend, reusing its redis-py client (core/cache.py).
    CACHES = {"default": {"BACKEND": "satupintu.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache is shared by the web server and the worker processes on one machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    if TESTING and not env("VAR_DIR"):
        # var/cache is shared by every process of the checkout: other test runs, a developer's
        # server, the other pytest-xdist workers. A test that counts in the cache (rate limits)
        # or clears it must see only its own run's, so a test run gets a temporary directory,
        # made by its first process and inherited through the environment by its xdist workers
        # and the processes its tests start, with one sub-directory per xdist worker.
        test_cache_dir = env("TEST_CACHE_DIR")
        if not test_cache_dir:
            test_cache_dir = tempfile.mkdtemp(prefix="satupintu-test-cache-")
            os.environ["SATUPINTU_TEST_CACHE_DIR"] = test_cache_dir
            atexit.register(shutil.rmtree, test_cache_dir, ignore_errors=True)
        CACHES["default"]["LOCATION"] = Path(test_cache_dir) / os.environ.get(
            "PYTEST_XDIST_WORKER", "main"
        )

TASKS = {"default": {"BACKEND": "satupintu.core.taskqueue.HueyTaskBackend"}}
# Huey stores its queue in SQLite on the embedded default and in Redis when REDIS_URL is set.
# Tests run tasks in-process (Huey's immediate mode) through the same backend.
HUEY = {
    "name": env("HUEY_NAME", "satupintu"),
    "redis_url": REDIS_URL,
    "sqlite_path": str(VAR_DIR / "tasks.sqlite3"),
    "immediate": env_bool("TASKS_IMMEDIATE", default=TESTING),
    "workers": int(env("WORKERS", "2")),
}

# --- Authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_HASHERS = [
    # Argon2id with OWASP's parameters (accounts/hashers.py); Django's own Argon2 and PBKDF2
    # hashes still verify and are upgraded at the next login.
    "satupintu.accounts.hashers.Argon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 costs ~0.1 s a hash on purpose; tests hash thousands of passwords. A test in
    # accounts/tests/test_security.py proves Argon2 is first outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out accounts/IPs before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Single sign-on: satupintu is the regency's OpenID Connect provider (docs/sso.md) -------
OAUTH2_PROVIDER_APPLICATION_MODEL = "accounts.Client"


def _pkce_required(client_id: str) -> bool:
    # django-oauth-toolkit wants a callable here (not a dotted path); import lazily because
    # settings load before the apps.
    from satupintu.accounts.oidc import pkce_required

    return pkce_required(client_id)


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # The issuer is the site's root URL (SATUPINTU_SITE_URL), as relying parties configure it.
    "OIDC_ISS_ENDPOINT": SITE_URL,
    "OAUTH2_VALIDATOR_CLASS": "satupintu.accounts.oidc.SatupintuValidator",
    "SCOPES_BACKEND_CLASS": "satupintu.accounts.oidc.ClientScopes",
    "PKCE_REQUIRED": _pkce_required,
    # RFC 9700 (OAuth 2.0 security best current practice): no implicit or password grant,
    # S256 PKCE only, tokens never in query strings, `iss` in authorization responses, tokens
    # stored hashed, refresh reuse detection, exact redirect URIs.
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(env("OIDC_ACCESS_TOKEN_SECONDS", "600")),
    "ID_TOKEN_EXPIRE_SECONDS": int(env("OIDC_ID_TOKEN_SECONDS", "600")),
    "REFRESH_TOKEN_EXPIRE_SECONDS": int(env("OIDC_REFRESH_TOKEN_SECONDS", str(30 * 86400))),
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "REQUEST_APPROVAL_PROMPT": "auto",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["http", "https"],
}
# How long each process signs with the active OIDC key before reading the key table again
# (SigningKey.current). Tests roll the database back under a process, so they read it each time.
OIDC_SIGNING_KEY_CACHE_SECONDS = 0 if TESTING else 60
# TOTP is required for every staff role; tests switch it on where they test it, so other apps'
# tests can sign staff in with force_login.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", default=not TESTING)
OTP_TOTP_ISSUER = env("SITE_NAME", "Satu Pintu OKU")
# Brute force: 5 failed attempts lock the account, and separately the IP address, for 15 minutes.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_LOCKOUT_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(env("PROXY_COUNT", "1" if PRODUCTION else "0"))
# NIK checks against the population registry (accounts/nik_verifier.py): the HTTP adapter when
# a URL is set, otherwise an offline check of the NIK's shape only (never raises to P2).
NIK_VERIFIER = {
    "url": env("NIK_VERIFIER_URL"),
    "token": env("NIK_VERIFIER_TOKEN"),
    "timeout": float(env("NIK_VERIFIER_TIMEOUT", "5")),
}

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- The installation: which regency this is and how it looks ---------------------------------
INSTALLATION = {
    "regency_code": env("REGENCY_CODE", "16.01"),
    "name": env("SITE_NAME", "Satu Pintu OKU"),
    "regency_name": env("REGENCY_NAME", "Kabupaten Ogan Komering Ulu"),
    "tagline": env("SITE_TAGLINE", "Layanan digital Pemerintah Kabupaten Ogan Komering Ulu"),
    "logo": env("LOGO_URL", ""),
    "primary_colour": env("PRIMARY_COLOUR", "#0b5c3b"),
    "accent_colour": env("ACCENT_COLOUR", "#c8102e"),
    "address": env(
        "CONTACT_ADDRESS", "Jl. Dr. Moh. Hatta No. 1, Baturaja, Ogan Komering Ulu, Sumatera Selatan"
    ),
    "email": env("CONTACT_EMAIL", "diskominfo@okukab.go.id"),
    "phone": env("CONTACT_PHONE", "(0735) 320 001"),
    "timezone_label": env("TIMEZONE_LABEL", "WIB"),
}

# --- Static and media files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ------------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env_list("CSP_IMG_SRC", "https://tile.openstreetmap.org")],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Integration gateway (X-Road style data plane, see docs/gateway.md) -------------------------
GATEWAY = {
    # X-Road instance name: the first part of every member, subsystem and service identifier.
    "instance": env("GATEWAY_INSTANCE", "OKU"),
    # Public address of the data plane, shown in the UI and docs (`manage.py run_gateway`).
    "public_url": env("GATEWAY_PUBLIC_URL", "http://127.0.0.1:8081").rstrip("/"),
    "workers": int(env("GATEWAY_WORKERS", "1")),
    # Ed25519 seed (32 bytes, base64) signing message-log checkpoints; retired public keys stay in
    # LOG_VERIFY_KEYS so old checkpoints still verify. See docs/adr/0008-message-log-integrity.md.
    "log_signing_key": env(
        "GATEWAY_LOG_SIGNING_KEY",
        "" if PRODUCTION else "ZGV2LW9ubHktZ2F0ZXdheS1sb2ctc2lnbmluZy1rZXk=",
    ),
    "log_verify_keys": env_list("GATEWAY_LOG_VERIFY_KEYS"),
    "message_log": env_bool("GATEWAY_MESSAGE_LOG", default=True),
    "log_flush_seconds": float(env("GATEWAY_LOG_FLUSH_SECONDS", "0.5")),
    "log_max_body_bytes": int(env("GATEWAY_LOG_MAX_BODY_BYTES", str(256 * 1024))),
    "retention_days": int(env("GATEWAY_RETENTION_DAYS", "90")),
    "archive_dir": env("GATEWAY_ARCHIVE_DIR", str(VAR_DIR / "messagelog")),
    "registry_poll_seconds": float(env("GATEWAY_REGISTRY_POLL_SECONDS", "1")),
    "breaker_failures": int(env("GATEWAY_BREAKER_FAILURES", "5")),
    "breaker_open_seconds": float(env("GATEWAY_BREAKER_OPEN_SECONDS", "30")),
    "pool_size": int(env("GATEWAY_POOL_SIZE", "200")),
    # How long the data plane trusts its lookup of an OAuth 2 access token: a revoked token is
    # refused at the latest this many seconds later (gateway/dataplane/tokens.py).
    "token_cache_seconds": float(env("GATEWAY_TOKEN_CACHE_SECONDS", "5")),
    # Bearer token Prometheus sends to scrape /metrics (platform admins may open it signed in).
    "metrics_token": env("METRICS_TOKEN"),
}

# --- Satu Data hub (see docs/data.md) ---------------------------------------------------------
# Largest CSV/XLSX file a data source may read; a bigger one fails its sync with a clear message.
DATA_MAX_FILE_BYTES = int(env("DATA_MAX_FILE_BYTES", str(100 * 1024 * 1024)))
# Map tiles on dataset pages ({z}/{x}/{y}); keep CSP_IMG_SRC allowing the same host.
DATA_MAP_TILE_URL = env("DATA_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Networks a file or API source URL may not point at: this machine and cloud metadata addresses
# (OPD servers on private networks stay allowed).
DATA_BLOCKED_NETWORKS = env_list(
    "DATA_BLOCKED_NETWORKS", "127.0.0.0/8,::1/128,169.254.0.0/16,fe80::/10,0.0.0.0/8"
)

# --- Complaints, OKU Menyapa (see docs/complaints.md) --------------------------------------------
COMPLAINTS = {
    # The regency's extent (south,west,north,east): a report pinned outside it is refused.
    "bbox": [float(v) for v in env_list("COMPLAINTS_BBOX", "-4.62,103.55,-3.70,104.60")],
    # A new report this close (metres) to an open one of the same category, sent within this
    # many days of it, is proposed as a duplicate.
    "duplicate_distance_m": int(env("COMPLAINTS_DUPLICATE_DISTANCE_M", "150")),
    "duplicate_days": int(env("COMPLAINTS_DUPLICATE_DAYS", "30")),
    # Reports one account or one IP address may send per hour (the web form and every API).
    "rate_per_hour": int(env("COMPLAINTS_RATE_PER_HOUR", "5")),
    # Days after resolution in which the reporter may reopen the report.
    "reopen_days": int(env("COMPLAINTS_REOPEN_DAYS", "14")),
    # Working days a breached deadline waits at the OPD head before Diskominfo is told.
    "escalation_grace_days": int(env("COMPLAINTS_ESCALATION_GRACE_DAYS", "2")),
    # Organisation code of the platform's operator (escalation level 2).
    "escalation_organisation": env("COMPLAINTS_ESCALATION_ORGANISATION", "diskominfo"),
    "photo_max_bytes": int(env("COMPLAINTS_PHOTO_MAX_BYTES", str(10 * 1024 * 1024))),
    "photo_max_side": int(env("COMPLAINTS_PHOTO_MAX_SIDE", "1600")),
    "photos_per_report": int(env("COMPLAINTS_PHOTOS_PER_REPORT", "5")),
    # Map tiles of the report form and the public map ({z}/{x}/{y}); keep CSP_IMG_SRC in step.
    "map_tile_url": env("COMPLAINTS_MAP_TILE_URL", DATA_MAP_TILE_URL),
}

# Machine channels of complaints (docs/open311.md, docs/lapor.md). Open311 requests per minute
# per API key (0 = unlimited):
OPEN311_RATE_LIMIT = int(env("OPEN311_RATE_LIMIT", "120"))
# Inbound WhatsApp/SMS gateways: "provider=secret,provider2=secret2" (HMAC-SHA256 signing
# secrets), the accepted clock difference in seconds, and the category of messages no
# category's keywords match.
COMPLAINTS_CHANNEL_SECRETS = dict(
    item.split("=", 1) for item in env_list("COMPLAINTS_CHANNEL_SECRETS") if "=" in item
)
COMPLAINTS_CHANNEL_WINDOW = int(env("COMPLAINTS_CHANNEL_WINDOW", "300"))
COMPLAINTS_CHANNEL_DEFAULT_CATEGORY = env("COMPLAINTS_CHANNEL_DEFAULT_CATEGORY", "lainnya")
# SP4N-LAPOR! bridge (empty URL = forwarding off).
LAPOR_URL = env("LAPOR_URL")
LAPOR_TOKEN = env("LAPOR_TOKEN")
LAPOR_TIMEOUT = float(env("LAPOR_TIMEOUT", "10"))

# --- E-mail ------------------------------------------------------------------------------------
MAILERS = {
    "default": {
        "BACKEND": env(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS"),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Satu Pintu OKU <noreply@okukab.go.id>")

# --- Logging: one JSON object per line, so journald/Loki can index the fields -------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Every line written while a request is served carries its request_id (X-Request-ID).
    "filters": {"request_id": {"()": "satupintu.core.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "json" if PRODUCTION else "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # Naming "django" here drops the console handler Django's default config gives it
        # when DEBUG is on: its lines reach ours through the root, once, with request_id.
        "django": {"level": LOG_LEVEL},
        # satupintu.tasks logs each task's start and end with structured fields; Huey's own
        # per-task lines would repeat them. Its consumer's start/stop lines stay.
        "django.tasks": {"level": "WARNING"},
        "huey": {"level": "WARNING"},
        "huey.consumer": {"level": "WARNING" if TESTING else "INFO"},
        # django-axes logs every successful login at INFO; the audit log (AuthEvent) has them.
        "axes": {"level": "WARNING"},
    },
}

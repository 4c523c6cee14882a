"""Settings of CCN, read from environment variables (see docs/settings.md)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CCN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY the repository's development key stands in so that management commands run; the WSGI/ASGI
# entry points refuse to serve with it unless DEBUG is on, and check --deploy reports it (ccn/core/deploy.py).
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-insecure-key-for-local-use-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "health_check",
    "ccn.core",
    "ccn.jobs",
    "ccn.accounts",
    "ccn.attachments",
    "ccn.geo",
    "ccn.clusters",
    "ccn.tenants",
    "ccn.infrastructure",
    "ccn.reports",
    "ccn.plans",
    "ccn.obstacles",
    "ccn.procedures",
    "ccn.papers",
    "ccn.portal",
    "ccn.home",
    "ccn.maps",
    "ccn.dataset",
    "ccn.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ccn.core.pagecache.KeepAfterResponseMiddleware",  # a page is kept once its answer is sent
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # before the language: a user's stored choice
    "ccn.accounts.policy.PolicyAnswersMiddleware",  # a reading request asks the policy of a record once
    "ccn.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ccn.core.middleware.RequestIdMiddleware",
    "ccn.core.dataversion.DataVersionMiddleware",
    "ccn.core.middleware.StripNulCharactersMiddleware",
    "ccn.core.middleware.CleanInputMiddleware",
    "ccn.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ccn.accounts.context_processors.site",
                "ccn.dataset.context_processors.demo",
            ],
        },
    }
]

# Database: SQLite in WAL mode under var/ by default; PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ccn.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-20000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost (and inlines and optimises past
    # 500,000): on the dashboards' and the national table's aggregates that compiling cost more than running them,
    # and it switched on as the data grew (docs/benchmarks.md, "Ten times the nation").
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("CCN_FAST_HASHER", False):  # the test suite only: argon2 costs ~50 ms per sign-in
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in rate limit: attempts per (username, address) within the window.
LOGIN_MAX_ATTEMPTS = int(os.environ.get("LOGIN_MAX_ATTEMPTS", "5"))
LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", "900"))
# Password reset: the link in the e-mail works once and for a day; requests per e-mail (× 4 per address) per hour.
PASSWORD_RESET_TIMEOUT = 24 * 3600
PASSWORD_RESET_MAX = int(os.environ.get("PASSWORD_RESET_MAX", "5"))
PASSWORD_RESET_WINDOW_SECONDS = 3600
# Reading an uploaded workbook may take this long before it is refused (ccn/core/sheet_reader.py).
IMPORT_READ_SECONDS = int(os.environ.get("IMPORT_READ_SECONDS", "30"))
# A POST with an Idempotency-Key (API) or a form token (pages) takes effect once; its answer is kept this long.
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
IDEMPOTENCY_WAIT_SECONDS = 10
# Exports (spreadsheets, CSV, PDF, open-data downloads): per user (or address for the public) per window.
EXPORT_MAX = int(os.environ.get("EXPORT_MAX", "60"))
EXPORT_WINDOW_SECONDS = int(os.environ.get("EXPORT_WINDOW_SECONDS", "600"))

# Shared cache, background tasks (docs/production.md): with REDIS_URL, Redis holds the cache and the task queue;
# without it both live in the database (the database cache and the database task backend), so `make run` needs no
# other service. Either way every app process and the task worker share them (rate limits count across processes).
REDIS_URL = os.environ.get("REDIS_URL", "")


# Two caches: "default" holds the data version, rate-limit counters and idempotency answers; "pages" the kept pages
# of every scope (ccn/core/pagecache.py). Past MAX_ENTRIES Django's database cache culls a third of its table in
# key order: the pages have a table of their own so that culling them never drops the data version (every kept page
# at once), a rate limit's count or a kept answer. Room for a national deadline day's pages (they expire after 10
# minutes), not Django's default of 300.
def _database_cache(table: str) -> dict:
    backend = "ccn.core.cache.DatabaseCache"  # Django's, a set in one statement
    return {"BACKEND": backend, "LOCATION": table, "OPTIONS": {"MAX_ENTRIES": 5000}}


CACHE_TABLES = {"default": "ccn_cache", "pages": "ccn_page_cache"}
if REDIS_URL:
    # Redis, and the database cache while Redis does not answer (ccn/core/cache.py): never a 5xx for a cache.
    CACHES = {
        alias: {
            "BACKEND": "ccn.core.cache.FallbackCache",
            "OPTIONS": {
                "PRIMARY": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": REDIS_URL,
                    "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ccn") + ("" if alias == "default" else "-pages"),
                    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
                },
                "FALLBACK": _database_cache(table),
            },
        }
        for alias, table in CACHE_TABLES.items()
    }
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db") + 1, "django_tasks_redis")
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": [],
            "OPTIONS": {"REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ccn")},
        }
    }
else:
    CACHES = {alias: _database_cache(table) for alias, table in CACHE_TABLES.items()}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
# Public map data cached in the shared cache with an ETag from the data version (ccn/core/dataversion.py).
PAGE_CACHE = env_bool("CCN_PAGE_CACHE", True)
# A page's queries compiled once per process are compiled again on every run and compared (ccn/core/compiled.py):
# on in the test suite and its app servers, so that a key missing something a query depends on fails a test.
COMPILED_QUERIES_CHECK = env_bool("CCN_TESTING", False)
# Progress of a running job is written on a connection of its own, so that it is seen while the job's own
# transaction is open (PostgreSQL; SQLite has one writer at a time, so there it is written between transactions).
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and not env_bool("CCN_TESTING", False):
    DATABASES["jobs"] = {**DATABASES["default"], "CONN_MAX_AGE": 0}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# Uploaded files (attachments, scans, job files): the file system under var/media by default; S3-compatible object
# storage (AWS S3, MinIO, Ceph, a cloud provider's) through django-storages when CCN_S3_BUCKET is set
# (docs/settings.md, docs/attachments.md).
CCN_S3_BUCKET = os.environ.get("CCN_S3_BUCKET", "")
if CCN_S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CCN_S3_BUCKET,
            "endpoint_url": os.environ.get("CCN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CCN_S3_REGION") or None,
            "access_key": os.environ.get("CCN_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("CCN_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("CCN_S3_PREFIX", ""),
            "addressing_style": os.environ.get("CCN_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("CCN_TESTING", False)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

# E-mail: the console backend unless EMAIL_BACKEND names another (e.g. django.core.mail.backends.smtp.EmailBackend
# with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        "OPTIONS": {
            k.lower(): v
            for k, v in {
                "host": os.environ.get("EMAIL_HOST"),
                "port": int(os.environ["EMAIL_PORT"]) if os.environ.get("EMAIL_PORT") else None,
                "username": os.environ.get("EMAIL_HOST_USER"),
                "password": os.environ.get("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False) if os.environ.get("EMAIL_USE_TLS") else None,
            }.items()
            if v is not None
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ccn@localhost")

# Map: the base-map tile URL; empty means no base map (offline use).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "CC BY 4.0")

# Security headers (check --deploy passes with the production values).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not env_bool("CCN_TESTING", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *([MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else [])],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # Violations are reported to ccn/core/csp.py, logged and counted; the browser suite expects none.
    "report-uri": ["/csp-report/"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50

# The exchange between instances (docs/exchange.md): this instance's name in the batches it sends, and after how
# many days without a batch a province counts as late on the national instance.
CCN_INSTANCE_NAME = os.environ.get("CCN_INSTANCE_NAME", "ccn")
CCN_EXCHANGE_LATE_DAYS = int(os.environ.get("CCN_EXCHANGE_LATE_DAYS", "7"))
# Where a province instance sends its changes ("Send now" and `manage.py exchange_push`): the national instance's
# address and the machine token it issued to the province.
CCN_EXCHANGE_URL = os.environ.get("CCN_EXCHANGE_URL", "")
CCN_EXCHANGE_TOKEN = os.environ.get("CCN_EXCHANGE_TOKEN", "")
# Days after a Form 04's approval or a dossier's decision after which a missing signed scan is flagged.
CCN_SIGNED_SCAN_DAYS = int(os.environ.get("CCN_SIGNED_SCAN_DAYS", "10"))

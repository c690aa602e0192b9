"""Settings for every environment, driven by environment variables.

With nothing set this is the development set-up a newcomer gets from `make run`:
DEBUG on, SQLite under var/, the file cache under var/, the demo data key.
`FOURFIRSTS_ENV=production` turns on the secure defaults and refuses to start
without the secrets (see docs/deployment.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FOURFIRSTS_VAR_DIR", BASE_DIR / "var"))
ENV = os.environ.get("FOURFIRSTS_ENV", "development")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"

# The demo key: public on purpose, only ever for the demo and tests.
DEMO_DATA_KEY = "0f4e1a5c7b2d9e3f60718293a4b5c6d7e8f9021324354657687980a1b2c3d4e5"


def _secret(name: str, demo: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {name}（见 docs/deployment.md）")
    return demo


SECRET_KEY = _secret("DJANGO_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
FOURFIRSTS_DATA_KEY = _secret("FOURFIRSTS_DATA_KEY", DEMO_DATA_KEY)
FOURFIRSTS_CIPHER_CLASS = os.environ.get(
    "FOURFIRSTS_CIPHER_CLASS", "fourfirsts.core.crypto.SM4Cipher"
)
DEBUG = not PRODUCTION and os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h] or (
    [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "fourfirsts.core",
    "fourfirsts.registry",
    "fourfirsts.accounts",
    "fourfirsts.agenda",
    "fourfirsts.service",
    "fourfirsts.volunteering",
    "fourfirsts.membership",
    "fourfirsts.governance",
    "fourfirsts.reports",
    "fourfirsts.exchange",
    "fourfirsts.api",
    "fourfirsts.bench",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fourfirsts.api.limits.BodySizeLimit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fourfirsts.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fourfirsts.urls"
WSGI_APPLICATION = "fourfirsts.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fourfirsts.core.context_processors.shell",
            ],
        },
    },
]

# --- database: SQLite under var/ unless DATABASE_URL names another ---------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web server read while the worker writes; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue on the busy timeout instead of
    # failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not :memory:), so WAL and two writers are real.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles any query PostgreSQL costs above 100,000, which a correlated
    # subquery over a year's appeals reaches: 100 ms of compiling for a 170 ms
    # count (F27 at province). The app's queries are short; they run faster without.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Connections that compute a year's figures side by side, reading one snapshot
# (core.snapshot; PostgreSQL only). One more than the cores: each connection also
# waits on the Python side (a year's report 5.7 → 4.0 s with 3 on 2 cores).
FOURFIRSTS_READ_WORKERS = int(os.environ.get("FOURFIRSTS_READ_WORKERS", str(min(4, (os.cpu_count() or 1) + 1))))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- one shared cache: progress and rate limits seen by every process -------
REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- background tasks: the ORM-backed queue, no broker ----------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- accounts, passwords, lockout, sessions ---------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fourfirsts.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fourfirsts.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "fourfirsts.accounts.passwords.CharacterKindsValidator"},
    {"NAME": "fourfirsts.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "fourfirsts.accounts.views.locked_out"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: renewed on every request
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- language and time --------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files --------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: attachments go through scope-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = int(os.environ.get("FOURFIRSTS_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
ATTACHMENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# --- notifications: how messages leave the system -----------------------------
NOTIFY_SENDERS = [
    s for s in os.environ.get("FOURFIRSTS_NOTIFY_SENDERS", "fourfirsts.core.notify.LogSender").split(",") if s
]

# --- security headers -------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }

# Reverse proxies in front of the app (for the client address in the security log).
FOURFIRSTS_PROXY_COUNT = int(os.environ.get("FOURFIRSTS_PROXY_COUNT", "0"))

# The 营商码 public form's rate limits (per address per hour, per enterprise per
# day; the numbers are rules service.intake_per_*). "0" turns them off, e.g. for a benchmark.
FOURFIRSTS_INTAKE_RATE_LIMITS = os.environ.get("FOURFIRSTS_INTAKE_RATE_LIMITS", "1") != "0"
# The API: requests per token (or per signed-in user) and per window ("600/m"; "0" switches the limit off
# for the benchmark), and the largest request body it reads.
FOURFIRSTS_API_RATE = os.environ.get("FOURFIRSTS_API_RATE", "600/m")
FOURFIRSTS_API_MAX_BODY = int(os.environ.get("FOURFIRSTS_API_MAX_BODY", str(1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "fourfirsts": {"handlers": ["console"], "level": os.environ.get("FOURFIRSTS_LOG_LEVEL", "INFO")},
    },
}

# The policy locks an account after 5 failures (by account, not by IP: staff
# share NATed office addresses), so axes' IP advice does not apply.
# models.W040: SQLite ignores the INCLUDE columns of the covering indexes kept for
# PostgreSQL (service.Appeal); it still gets their key columns.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

"""Settings for Zelfsturing: every setting is declared here, read from the environment.

No environment at all gives the local default: SQLite, Celery eager, e-mail to the console.
The README's configuration table documents each variable.
"""

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from zelfsturing import api_settings, beat, csp_settings
from zelfsturing.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY: required when DEBUG is off. Set SECRET_KEY (or SECRET_KEY_FILE) "
            "to a long random value, or DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY: use at least 50 random characters in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Where e-mails link to; no trailing slash.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "audit",
    "teams",
    "notifications",
    "rollen",
    "doelen",
    "afspraken",
    "ontwikkeling",
    "dashboards",
    "portal",
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PreferredLanguageMiddleware",
    # Every page requires log-in unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Cache-Control: private, no-store on every response to a logged-in person.
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zelfsturing.urls"
WSGI_APPLICATION = "zelfsturing.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file unless DATABASE_URL is set.
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL: {exc}") from exc
    if _db.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured("DATABASE_URL: use a postgres:// or sqlite:// URL.")
    _db["CONN_HEALTH_CHECKS"] = True
else:
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / env_str("SQLITE_PATH", "db.sqlite3")),
        # Wait for a lock instead of failing at once when two requests write.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "teams.Employee"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in with the organisation's account (OpenID Connect) and LOCAL_PASSWORDS=0: see
# zelfsturing/settings_oidc.py and docs/decisions/0018-sign-in-with-oidc.md.
from zelfsturing.settings_oidc import *  # noqa: E402, F403
from zelfsturing.settings_oidc import ZS_OIDC_ENABLED, ZS_OIDC_ORIGINS  # noqa: E402

if ZS_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("portal.oidc.OrganisationAccountBackend")
# How long a break-glass link stays valid (it also stops working once used).
ZS_BREAK_GLASS_MINUTES = env_int("ZS_BREAK_GLASS_MINUTES", 15, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock the combination of username and address, so that guessing at a
# colleague's name from one machine cannot lock that colleague out everywhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind reverse proxies the client's address comes from X-Forwarded-For (django-ipware): our
# own PROXY_COUNT proxies' entries only, from TRUSTED_PROXIES when set (common/client_ip.py).
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "portal.middleware.axes_username"

# Language and time.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files, served by whitenoise (no CDN: the portal runs on closed networks).
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / env_str("STATIC_ROOT", "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console locally, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Zelfsturing <zelfsturing@mijngemeentedichtbij.nl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Caches. The dashboards keep figures and rendered fragments per team under the team's data
# version (dashboards/cache.py), so an entry is never read after its data changed.
# Without CACHE_URL each process keeps its own in memory; with several web processes a
# shared Redis (CACHE_URL=redis://…) lets them share the work.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CACHE_URL: use a redis:// or rediss:// URL, or leave it empty.")
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 3600, minimum=0)
# Team figures (a few KB a team) last a day, so the nightly warm-up serves the whole day.
DASHBOARD_FIGURES_SECONDS = 26 * 3600


def _installed_version() -> str:
    """The installed package's version, else the one in pyproject.toml."""
    import importlib.metadata
    import tomllib

    try:
        return importlib.metadata.version("zelfsturing")
    except importlib.metadata.PackageNotFoundError:
        try:
            with (BASE_DIR / "pyproject.toml").open("rb") as file:
                return tomllib.load(file)["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


# The release: part of every dashboard cache key, so a new release that draws the dashboards
# differently never reads the previous release's entries from a shared cache. Set it to the
# build's tag or commit when deploying a build that keeps the version number.
ZS_RELEASE = env_str("ZS_RELEASE") or _installed_version()
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dashboards": (
        {
            # Fails open: a Redis that is down is skipped (common/cache.py).
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "zs-dashboards",
            "TIMEOUT": DASHBOARD_CACHE_SECONDS,
        }
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dashboards",
            "TIMEOUT": DASHBOARD_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    ),
}

# Celery: Redis when CELERY_BROKER_URL is set, otherwise tasks run in-process (eager).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL: use a redis:// or rediss:// URL.")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Tasks are idempotent, so a task whose worker dies is delivered again rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
# The HR import's check and apply of a whole organisation (15,000 rows) take minutes: those
# two tasks have their own soft limit (the hard limit is a minute later), rollen/tasks.py.
ZS_IMPORT_TASK_TIME_LIMIT = env_int("ZS_IMPORT_TASK_TIME_LIMIT", 1200, minimum=60)
# Redis hands a task that is not acknowledged within this time to another worker (acks
# late): it must exceed the longest task, or a long import would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, ZS_IMPORT_TASK_TIME_LIMIT + 60) * 2
}
CELERY_TIMEZONE = TIME_ZONE
# Installations that share one Redis keep apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"
# Every periodic task (one beat per installation): zelfsturing/beat.py.
CELERY_BEAT_SCHEDULE = beat.SCHEDULE

# Reminder e-mails of every kind (notifications/sending.py, docs/decisions/0002-reminders.md).
# A claim on a reminder whose sender never finished (a killed worker) may be taken over by a
# later run after this many seconds. It must exceed the task time limit, or a slow but living
# sender could be overtaken and the e-mail sent twice.
ZS_REMINDER_LEASE_SECONDS = env_int("ZS_REMINDER_LEASE_SECONDS", 900, minimum=1)
if ZS_REMINDER_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "ZS_REMINDER_LEASE_SECONDS: must be longer than CELERY_TASK_TIME_LIMIT "
        f"({CELERY_TASK_TIME_LIMIT}), got {ZS_REMINDER_LEASE_SECONDS}."
    )
# A failing mail server is retried this often, the first time after about
# ZS_REMINDER_RETRY_BACKOFF seconds, then doubling (at most ten minutes apart).
ZS_REMINDER_MAX_RETRIES = env_int("ZS_REMINDER_MAX_RETRIES", 5, minimum=0)
ZS_REMINDER_RETRY_BACKOFF = env_int("ZS_REMINDER_RETRY_BACKOFF", 60, minimum=1)
# After-commit jobs (notifications.outbox): recorded with the change, handed to the broker
# after commit; the sweep hands over what the broker missed, and again after this many
# seconds a job that was handed over but never finished (the broker lost it).
ZS_JOB_REQUEUE_SECONDS = env_int("ZS_JOB_REQUEUE_SECONDS", 900, minimum=60)

# Security. HTTPS defaults to on outside DEBUG; set HTTPS=0 only behind a proxy that
# terminates TLS and sets X-Forwarded-Proto (then also SECURE_PROXY_SSL_HEADER applies).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe /health/ over plain HTTP too.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 8 * 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
# Content-Security-Policy (django-csp): zelfsturing/csp_settings.py.
CONTENT_SECURITY_POLICY = csp_settings.content_security_policy(form_origins=ZS_OIDC_ORIGINS)

# Audit log (AVG): events older than this are removed by a nightly task.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730, minimum=1)

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Business settings. How many holders a role needs in a team before it is not vulnerable there.
ZS_MIN_ROLE_HOLDERS = env_int("ZS_MIN_ROLE_HOLDERS", 2, minimum=1)
# HR import: the largest upload (bytes, default 5 MB), how long a file is kept (hours: it
# holds personal data), the rows past which a background task checks and applies it. HR
# exports past ZS_EXPORT_BACKGROUND_ROWS rows are made in the background and kept for hours.
ZS_IMPORT_MAX_BYTES = env_int("ZS_IMPORT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
ZS_IMPORT_RETENTION_HOURS = env_int("ZS_IMPORT_RETENTION_HOURS", 24, minimum=1)
ZS_IMPORT_BACKGROUND_ROWS = env_int("ZS_IMPORT_BACKGROUND_ROWS", 500, minimum=1)
ZS_EXPORT_BACKGROUND_ROWS = env_int("ZS_EXPORT_BACKGROUND_ROWS", 2000, minimum=1)
ZS_EXPORT_RETENTION_HOURS = env_int("ZS_EXPORT_RETENTION_HOURS", 8, minimum=1)

# Development programme (ontwikkeling): the one reminder for the team scan goes to members
# who have not answered yet, this many days before their round closes (daily beat task).
ZS_SCAN_REMINDER_DAYS = env_int("ZS_SCAN_REMINDER_DAYS", 3, minimum=0)
# A theme's scan result is published (for a closed round) only from this many answers up.
# Never below 3: with two answers, each respondent knows the other's score from the mean
# (docs/decisions/0013-scan-privacy.md). ontwikkeling.selectors.scan checks it again.
ZS_SCAN_MIN_ANSWERS = env_int("ZS_SCAN_MIN_ANSWERS", 5, minimum=3)
# The key of the hash that lets a member change their own answers while a round is open
# (ontwikkeling.keys). Empty: derived from SECRET_KEY. Set it separately so that rotating
# SECRET_KEY does not cut members off from their open answers.
ZS_SCAN_KEY = env_secret("ZS_SCAN_KEY")
if ZS_SCAN_KEY and not DEBUG and len(ZS_SCAN_KEY) < 32:
    raise ImproperlyConfigured("ZS_SCAN_KEY: use at least 32 random characters in production.")

# The team dashboard signals when one member owns or contributes to more than this percentage
# of the team's active goals (at least 3 goals), e.g. "Fatima carries 5 of the 7 goals".
ZS_CARRY_SHARE = env_int("ZS_CARRY_SHARE", 60, minimum=1)
if ZS_CARRY_SHARE > 100:
    raise ImproperlyConfigured(f"ZS_CARRY_SHARE: a percentage up to 100, got {ZS_CARRY_SHARE}.")

# Reporting API (api/, docs/decisions/0014-api.md): service-account tokens only, read-only.
# Requests per token (DRF rate: "number/second|minute|hour|day"); counted in the default
# cache, skipped (fail open) when the cache is down.
ZS_API_RATE = env_str("ZS_API_RATE", "600/minute")
if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", ZS_API_RATE):
    raise ImproperlyConfigured(f"ZS_API_RATE: expected like 600/minute, got {ZS_API_RATE!r}.")
ZS_API_PAGE_SIZE = env_int("ZS_API_PAGE_SIZE", 100, minimum=1)
ZS_API_MAX_PAGE_SIZE = env_int("ZS_API_MAX_PAGE_SIZE", 1000, minimum=ZS_API_PAGE_SIZE)
REST_FRAMEWORK = api_settings.rest_framework(rate=ZS_API_RATE)
SPECTACULAR_SETTINGS = api_settings.SPECTACULAR_SETTINGS

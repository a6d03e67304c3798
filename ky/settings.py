"""ky settings — every setting that varies between installations comes from an
environment variable documented here and in docs/configuration.md (setup.md).

| variable              | meaning                                             | default                          |
|-----------------------|-----------------------------------------------------|----------------------------------|
| DATABASE_URL          | PostgreSQL URL                                      | required; embedded pgserver under KY_DATA_DIR/pg only with KY_EMBEDDED=1 |
| REDIS_URL             | Redis URL for RQ                                    | required; embedded redis under KY_DATA_DIR/redis only with KY_EMBEDDED=1 |
| KY_EMBEDDED           | 1: start embedded servers for unset URLs            | 0 (scripts/ky.sh and tests set 1) |
| KY_DATA_DIR           | embedded servers, outbox files, uploads             | ./var                            |
| SECRET_KEY            | Django secret key                                   | required outside DEBUG           |
| KY_HTTPS              | secure cookies, HSTS, redirect to https             | on outside DEBUG                 |
| KY_HSTS_SECONDS       | HSTS max-age                                        | 31536000                         |
| KY_HSTS_PRELOAD       | HSTS preload                                        | 1 (with KY_HTTPS)                |
| KY_BEHIND_PROXY       | trust X-Forwarded-Proto from a TLS proxy            | 0                                |
| DEBUG                 | 1/0                                                 | 0                                |
| ALLOWED_HOSTS         | comma separated                                     | localhost,127.0.0.1,[::1]        |
| KY_SFTP_URL           | sftp://user@host:port/base/path                     | unset: local outbox KY_DATA_DIR/sftp |
| KY_SFTP_KEY           | private key file for KY_SFTP_URL                    |                                  |
| KY_SFTP_KNOWN_HOSTS   | known_hosts file (host keys always checked)         |                                  |
| KY_SFTP_AFSENDER      | KY's sender id on Serviceplatformen                 | KY                               |
| KY_SFTP_UDK_AFSENDER  | UDK's expected sender id                            | UDK                              |
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from ky.embedded import configure_environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


configure_environment()
KY_DATA_DIR = Path(os.environ["KY_DATA_DIR"])

DEBUG = env_bool("DEBUG")
# Fail closed (issue 19): outside DEBUG a SECRET_KEY must be given. Test runs give one (ky.pytest_env).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (docs/configuration.md); "
                                   "`make run` sets DEBUG=1 for development.")
    SECRET_KEY = "ky-development-only-secret-key-never-in-production-0123456789abcdef"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_rq",
    "django_htmx",
    "ky.core",
    "cases",
    "debitor",
    "integrations",
    "batch",
    "integrations.dfdg",
    "integrations.sf2520",
    "debitor.underholdsbidrag",
    "debitor.udbetaling",
    "cases.breve",
    "cases.ydelse",
    "cases.personer",
    "integrations.eindkomst",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Safe by default (issue 19). Content Security Policy, Django 6: our pages load only their own
# scripts, styles and images (htmx from static, no inline script); /api/docs/ widens it for Swagger UI.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# HTTPS: secure cookies, HSTS, redirect to https. On outside DEBUG; KY_HTTPS=0 only for an installation
# served over plain HTTP on purpose (the test run's live servers).
KY_HTTPS = env_bool("KY_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = KY_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = KY_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's probe may speak plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("KY_HSTS_SECONDS", "31536000")) if KY_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = KY_HTTPS
SECURE_HSTS_PRELOAD = KY_HTTPS and env_bool("KY_HSTS_PRELOAD", default=True)
if env_bool("KY_BEHIND_PROXY"):
    # a TLS-terminating proxy in front sets X-Forwarded-Proto (docs/configuration.md)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "ky.urls"
WSGI_APPLICATION = "ky.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

REDIS_URL = os.environ["REDIS_URL"]
# One queue per batch category (batch.md), plus "default" for everything else.
BATCH_QUEUES = [
    "opfoelgning", "integration-ind", "integration-ud", "genberegning", "brev",
    "dataforvaltning", "oprydning", "default",
]
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for name in BATCH_QUEUES}
RQ = {"COMMIT_MODE": "on_db_commit"}
# batch platform (batch/services.py, batch/scheduler.py)
BATCH_HEARTBEAT_INTERVAL = int(os.environ.get("KY_BATCH_HEARTBEAT_INTERVAL", "10"))  # seconds between beats
BATCH_HEARTBEAT_STALE_SECONDS = int(os.environ.get("KY_BATCH_HEARTBEAT_STALE", "60"))  # then: failed
BATCH_DAGLIG_TIME = 2  # Copenhagen hour from which daily/weekly/monthly/yearly slots are due
KY_BATCH_TEST_JOBS = env_bool("KY_BATCH_TEST_JOBS")  # register batch/testing_jobs.py (tests only)

# Log-in as Django's ModelBackend; permissions only from the role -> permission table (ky/core/permissions.py)
AUTHENTICATION_BACKENDS = ["ky.core.permissions.RolePolicyBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/opgavepakker/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# serve straight from the apps' static folders: no collectstatic step for `make run`
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = KY_DATA_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ky.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ky.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ky API",
    "DESCRIPTION": "Kommunernes ydelsessystem (ky): sager, bevillinger, debitor, batch, DFDG, SF2520, underholdsbidrag.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # one name per choice set called "status" (else drf-spectacular warns and hashes names)
    "ENUM_NAME_OVERRIDES": {
        "IntegrationFilStatusEnum": "integrations.models.FilStatus",
        "SagStatusEnum": "cases.models.SagStatus",
        "BevillingStatusEnum": "cases.models.BevillingStatus",
        "OpgaveStatusEnum": "cases.models.OpgaveStatus",
        "FristStatusEnum": "integrations.dfdg.models.FristStatus",
    },
}

# SFTP (sf2520.md)
KY_SFTP_URL = os.environ.get("KY_SFTP_URL", "")
KY_SFTP_KEY = os.environ.get("KY_SFTP_KEY", "")
KY_SFTP_KNOWN_HOSTS = os.environ.get("KY_SFTP_KNOWN_HOSTS", "")
KY_SFTP_AFSENDER = os.environ.get("KY_SFTP_AFSENDER", "KY")
KY_SFTP_UDK_AFSENDER = os.environ.get("KY_SFTP_UDK_AFSENDER", "UDK")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""ky settings — every setting that varies between installations comes from an
environment variable documented here and in docs/configuration.md (setup.md).

| variable              | meaning                                             | default                          |
|-----------------------|-----------------------------------------------------|----------------------------------|
| DATABASE_URL          | PostgreSQL URL                                      | embedded pgserver under KY_DATA_DIR/pg |
| REDIS_URL             | Redis URL for RQ                                    | embedded redis under KY_DATA_DIR/redis |
| KY_DATA_DIR           | embedded servers, outbox files, uploads             | ./var                            |
| SECRET_KEY            | Django secret key                                   | a development key                |
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

from ky.embedded import configure_environment

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


configure_environment()
KY_DATA_DIR = Path(os.environ["KY_DATA_DIR"])

SECRET_KEY = os.environ.get("SECRET_KEY") or "ky-development-only-secret-key-change-me-in-production-0123456789"
DEBUG = env_bool("DEBUG")
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
    "breve",
    "cases.ydelse",
    "cases.personer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    "ENUM_NAME_OVERRIDES": {"IntegrationFilStatusEnum": "integrations.models.FilStatus"},
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

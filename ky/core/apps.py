from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer (issue 19): users, kommuner, roles, scoping, the access log, the API's
    error envelope and the database helpers. Imports no domain app."""

    name = "ky.core"
    label = "core"
    verbose_name = "Kerne"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class BreveConfig(AppConfig):
    name = "cases.breve"
    label = "breve"
    verbose_name = "Breve, lister og rapporter"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # every app's document types (<app>.dokumenttyper), like batch jobs (docs/breve.md)
        from cases.breve import registry

        registry.autodiscover()
        from cases.breve import udsendelse  # noqa: F401  (registers the dispatch file kinds)

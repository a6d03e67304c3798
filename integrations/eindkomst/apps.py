from django.apps import AppConfig


class EindkomstConfig(AppConfig):
    name = "integrations.eindkomst"
    label = "eindkomst"
    verbose_name = "eIndkomst (SF0770_B)"

    def ready(self):
        from integrations.eindkomst import arter  # noqa: F401 - the file kinds in the exchange layer

from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "batch"
    verbose_name = "Batch"

    def ready(self):
        # import every app's jobs module so the catalogue is complete
        from batch import registry

        registry.autodiscover()

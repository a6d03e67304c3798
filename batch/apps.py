from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "batch"
    verbose_name = "Batch"

    def ready(self):
        # import every app's jobs module so the catalogue is complete
        from batch import registry

        registry.autodiscover()
        from django.conf import settings

        if getattr(settings, "KY_BATCH_TEST_JOBS", False):
            import batch.testing_jobs  # noqa: F401

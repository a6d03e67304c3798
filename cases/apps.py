from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Sager"

    def ready(self):
        from cases.models import Sag
        from ky.core.selectors import register_kommune_activity

        # a kommune with sager is in operation (batch: per-kommune jobs' default scope)
        register_kommune_activity(lambda: Sag.objects.all())

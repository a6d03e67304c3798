from django.apps import AppConfig


class Sf2520Config(AppConfig):
    name = "integrations.sf2520"
    label = "sf2520"
    verbose_name = "SF2520/SF2530 modregning"

    def ready(self):
        from cases.views import TYPE_CONTEXT
        from integrations.sf2520.views import opgave_context

        TYPE_CONTEXT["godkend-effektuering"] = opgave_context

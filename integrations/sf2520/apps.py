from django.apps import AppConfig


class Sf2520Config(AppConfig):
    name = "integrations.sf2520"
    label = "sf2520"
    verbose_name = "SF2520/SF2530 modregning"

    def ready(self):
        from integrations.sf2520 import arter  # noqa: F401 - the file kinds in the exchange layer
        from cases.filters import AARSAGER
        from cases.services import AFSLUTNING_KONTROL
        from cases.views import TYPE_CONTEXT
        from integrations.sf2520.models import OpgaveAarsag
        from integrations.sf2520.services import kontroller_opgave_afslutning
        from integrations.sf2520.views import opgave_context

        TYPE_CONTEXT["godkend-effektuering"] = opgave_context
        AARSAGER.update(OpgaveAarsag.choices)  # the task reasons' Danish labels (filter and list)
        AFSLUTNING_KONTROL["godkend-effektuering"] = kontroller_opgave_afslutning  # closes only by approving

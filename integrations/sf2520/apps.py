from django.apps import AppConfig


class Sf2520Config(AppConfig):
    name = "integrations.sf2520"
    label = "sf2520"
    verbose_name = "SF2520/SF2530 modregning"

    def ready(self):
        from cases import opgavetyper
        from integrations.sf2520 import arter  # noqa: F401 - the file kinds in the exchange layer
        from integrations.sf2520.models import OpgaveAarsag
        from integrations.sf2520.services import kontroller_opgave_afslutning
        from integrations.sf2520.views import opgave_context

        # closes only by approving; the reasons' Danish labels for the task lists
        opgavetyper.register("godkend-effektuering", afslutning_kontrol=kontroller_opgave_afslutning,
                             context=opgave_context, aarsager=OpgaveAarsag.choices)

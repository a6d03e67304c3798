from django.apps import AppConfig


class UdbetalingConfig(AppConfig):
    name = "debitor.udbetaling"
    label = "udbetaling"
    verbose_name = "Udbetalinger og finansbilag"

    def ready(self):
        from cases import opgavetyper
        from debitor.udbetaling import filer, krav  # noqa: F401 - the file kinds in the exchange layer
        from debitor.udbetaling.models import OpgaveAarsag
        from debitor.udbetaling.services import kontroller_opgave_afslutning
        from debitor.udbetaling.views import opgave_context

        opgavetyper.register("afvist-udbetaling", afslutning_kontrol=kontroller_opgave_afslutning,
                             context=opgave_context, aarsager=OpgaveAarsag.choices)

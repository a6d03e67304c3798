from django.apps import AppConfig


class UdbetalingConfig(AppConfig):
    name = "debitor.udbetaling"
    label = "udbetaling"
    verbose_name = "Udbetalinger og finansbilag"

    def ready(self):
        from debitor.udbetaling import filer, krav  # noqa: F401 - the file kinds in the exchange layer
        from cases.filters import AARSAGER
        from cases.services import AFSLUTNING_KONTROL
        from cases.views import TYPE_CONTEXT
        from debitor.udbetaling.views import opgave_context
        from debitor.udbetaling.models import OpgaveAarsag
        from debitor.udbetaling.services import kontroller_opgave_afslutning

        TYPE_CONTEXT["afvist-udbetaling"] = opgave_context
        AARSAGER.update(OpgaveAarsag.choices)
        AFSLUTNING_KONTROL["afvist-udbetaling"] = kontroller_opgave_afslutning

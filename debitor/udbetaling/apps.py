from django.apps import AppConfig


class UdbetalingConfig(AppConfig):
    name = "debitor.udbetaling"
    label = "udbetaling"
    verbose_name = "Udbetalinger og finansbilag"

    def ready(self):
        from cases.filters import AARSAGER
        from cases.services import AFSLUTNING_KONTROL
        from debitor.udbetaling.models import OpgaveAarsag
        from debitor.udbetaling.services import kontroller_opgave_afslutning

        AARSAGER.update(OpgaveAarsag.choices)
        AFSLUTNING_KONTROL["afvist-udbetaling"] = kontroller_opgave_afslutning

from django.apps import AppConfig


class DebitorConfig(AppConfig):
    name = "debitor"
    verbose_name = "Debitor"

    def ready(self):
        from cases.services import AFSLUTNING_KONTROL
        from debitor.services import kontroller_mi32_afslutning

        AFSLUTNING_KONTROL["mi32"] = kontroller_mi32_afslutning  # closed only by attaching its debitorkonto

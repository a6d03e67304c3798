from django.apps import AppConfig


class DebitorConfig(AppConfig):
    name = "debitor"
    verbose_name = "Debitor"

    def ready(self):
        from cases import opgavetyper
        from debitor.models import Mi32Aarsag
        from debitor.services import kontroller_mi32_afslutning
        from debitor.views import mi32_context

        # closed only by attaching its debitorkonto; its page shows the konto and the attach forms
        opgavetyper.register("mi32", afslutning_kontrol=kontroller_mi32_afslutning, context=mi32_context,
                             aarsager=Mi32Aarsag.choices)
        # the MI 32 package page's KLIK block (issue 22)
        from cases.views import PAKKE_CONTEXT
        from debitor.views import klik_context

        PAKKE_CONTEXT["MI32"] = klik_context

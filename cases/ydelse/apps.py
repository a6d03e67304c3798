from django.apps import AppConfig


class YdelseConfig(AppConfig):
    name = "cases.ydelse"
    label = "ydelse"
    verbose_name = "Ydelsen – satser og månedens beregning"

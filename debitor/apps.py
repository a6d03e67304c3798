from django.apps import AppConfig


class DebitorConfig(AppConfig):
    name = "debitor"
    verbose_name = "Debitor"

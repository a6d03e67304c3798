from django.apps import AppConfig


class UnderholdsbidragConfig(AppConfig):
    name = "debitor.underholdsbidrag"
    label = "underholdsbidrag"
    verbose_name = "Underholdsbidrag – kreditor"

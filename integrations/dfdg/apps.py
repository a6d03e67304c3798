from django.apps import AppConfig


class DfdgConfig(AppConfig):
    name = "integrations.dfdg"
    label = "dfdg"
    verbose_name = "DFDG FristService"

"""rqworker_ky [--burst]: a django-rq (fork) worker listening on every batch queue."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Starter en RQ-arbejder på alle batchkøer."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true")
        parser.add_argument("--name")

    def handle(self, *args, burst, name, **opts):
        kwargs = {"burst": burst, "with_scheduler": True}
        if name:
            kwargs["name"] = name
        call_command("rqworker", *settings.BATCH_QUEUES, **kwargs)

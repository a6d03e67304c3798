"""commands.md: import_kmd_aktiv PATH --kommune KODE [--dry-run] → JSON summary (mi32.md) as last line."""

import json
import os

from django.core.management.base import BaseCommand, CommandError

from debitor import services
from ky.core.api import DomainError


class Command(BaseCommand):
    help = "Indlæser en KMD Aktiv debitorkontofil (formats/kmd-aktiv-debitorkonti.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kommune", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, kommune, dry_run, **options):
        try:
            fh = open(path, "rb")
        except OSError as exc:
            raise CommandError(f"Filen kan ikke åbnes: {exc}") from None
        with fh:
            try:
                summary, accepted = services.import_kmd_aktiv(
                    fh, kommune=kommune, dry_run=dry_run, filename=os.path.basename(path))
            except DomainError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not accepted:
            raise SystemExit(1)

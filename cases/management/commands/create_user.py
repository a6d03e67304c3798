"""create_user USERNAME --role ROLE [--kommune 101[,751...]] [--password PW] [--token] (commands.md)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cases import accounts
from ky.core.roles import Role


class Command(BaseCommand):
    help = "Opretter eller opdaterer en bruger med en rolle og kommuner."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--kommune", default="", help="kommunekoder, kommasepareret")
        parser.add_argument("--password")
        parser.add_argument("--token", action="store_true")

    def handle(self, *args, username, role, kommune, password, token, **opts):
        try:
            codes = [int(k) for k in kommune.split(",") if k.strip()]
        except ValueError:
            self.stderr.write(f"Ugyldig kommunekode: {kommune}")
            sys.exit(2)
        try:
            user, created, key = accounts.create_or_update_user(
                username, role=role, kommuner=codes, password=password, token=token
            )
        except accounts.AccountError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"{'Oprettet' if created else 'Opdateret'}: {user.username} ({role})")
        if token:
            self.stdout.write(key)

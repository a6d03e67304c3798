"""Creates the demo caseworker, municipal admin and operator for `make run` and prints their logins."""

from django.core.management.base import BaseCommand

from cases.accounts import DEMO_USERS, create_or_update_user


class Command(BaseCommand):
    help = "Opretter demobrugerne (sagsbehandler, kommuneadmin, drift) og udskriver deres login."

    def handle(self, *args, **opts):
        self.stdout.write("Demobrugere (http://127.0.0.1:8000/):")
        for username, password, role, kommuner, (first, last) in DEMO_USERS:
            create_or_update_user(username, role=role, kommuner=kommuner, password=password,
                                  first_name=first, last_name=last)
            self.stdout.write(f"  {username:<14} adgangskode {password:<14} rolle {role} kommuner {kommuner or 'alle'}")

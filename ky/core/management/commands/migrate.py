"""Django's ``migrate`` plus one step for databases migrated before issue 19.

Kommune, User and Adgangslog moved from ``cases`` to ``core`` with their tables' names kept.
``core.0001_initial`` creates those tables on a fresh database; on an older database
``cases.0001_initial`` created them already, so ``core.0001_initial`` is recorded as applied
(nothing created or copied) before Django checks the migration history — otherwise every applied
migration that depends on the user model (admin, authtoken, ...) would name an unapplied parent."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder


def adopt_moved_tables(connection) -> bool:
    """Record core.0001_initial as applied where cases.0001_initial (the old home) is. True if done."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = recorder.applied_migrations()
    if ("cases", "0001_initial") in applied and ("core", "0001_initial") not in applied:
        recorder.record_applied("core", "0001_initial")
        return True
    return False


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if adopt_moved_tables(connections[options["database"]]) and options["verbosity"] >= 1:
            self.stdout.write("ky.core: kommuner, brugere og adgangslog overtaget fra cases (tabellerne beholdt).")
        return super().handle(*args, **options)

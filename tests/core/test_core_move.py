"""Kommune, User and Adgangslog moved from cases to ky.core (issue 19) with their tables kept: a fresh
database gets them from core.0001, an older one keeps its tables and gets core.0001 recorded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ky.core.management.commands.migrate import adopt_moved_tables

ROOT = Path(__file__).resolve().parents[2]


def test_models_live_in_core_with_their_old_tables():
    from cases import models as cases_models
    from ky.core import models as core

    assert settings.AUTH_USER_MODEL == "core.User"
    assert (core.User._meta.db_table, core.Kommune._meta.db_table, core.Adgangslog._meta.db_table) == (
        "cases_user", "cases_kommune", "cases_adgangslog")
    assert core.User._meta.get_field("kommuner").remote_field.through._meta.db_table == "cases_user_kommuner"
    # old import paths keep working
    assert cases_models.User is core.User and cases_models.Kommune is core.Kommune


@pytest.mark.django_db
def test_adopt_records_core_initial_where_cases_initial_is_applied():
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("core", "0001_initial")
    assert adopt_moved_tables(connection) is True
    assert ("core", "0001_initial") in recorder.applied_migrations()
    assert adopt_moved_tables(connection) is False  # idempotent


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_upgrade_of_a_database_migrated_before_the_move():
    """A database as today's main left it before issue 19: migration rows and content types under
    ``cases``. ``manage.py migrate`` adopts the tables, moves the content types, changes no table."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_upgrade"
    with connection.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    from urllib.parse import quote

    auth = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    url = f"postgres://{auth}@{quote(db['HOST'] or '', safe='')}{port}/{name}"  # a socket dir is quoted whole
    env = {**os.environ, "DATABASE_URL": url}

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)

    def psql(sql):
        import psycopg

        with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"],
                             password=db.get("PASSWORD") or None, dbname=name, autocommit=True) as c:
            return c.execute(sql).fetchall() if sql.lstrip().upper().startswith("SELECT") else c.execute(sql)

    try:
        assert manage("migrate", "-v0").returncode == 0
        # rewind to the layout before the move: core's rows gone, content types under cases
        psql("DELETE FROM django_migrations WHERE app = 'core'")
        psql("UPDATE django_content_type SET app_label = 'cases' WHERE app_label = 'core'")
        tables_before = psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        done = manage("migrate")
        assert done.returncode == 0, done.stderr
        assert "overtaget fra cases" in done.stdout
        assert psql("SELECT name FROM django_migrations WHERE app = 'core' ORDER BY name") == [
            ("0001_initial",), ("0002_contenttypes_from_cases",)]
        assert psql("SELECT model FROM django_content_type WHERE app_label = 'core' ORDER BY model") == [
            ("adgangslog",), ("kommune",), ("user",)]
        assert psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == tables_before
        assert manage("migrate", "--check").returncode == 0
    finally:
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

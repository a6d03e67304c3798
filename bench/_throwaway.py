"""A throwaway PostgreSQL database for a benchmark, beside the configured one (or the
embedded server's), so a benchmark never touches real data."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


def _admin_url() -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres"))


def create(suffix: str) -> str:
    """(Re)create ``<configured db>_<suffix>``, point DATABASE_URL at it, return its name."""
    if not os.environ.get("DATABASE_URL"):
        from ky.embedded import configure_environment

        configure_environment()
    import psycopg

    base = urlsplit(os.environ["DATABASE_URL"])
    name = base.path.lstrip("/") + "_" + suffix
    admin_url = _admin_url()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(base._replace(path="/" + name))
    return name


def drop(name: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate(name: str) -> None:
    """Drop and create ``name`` again (a fresh database for each run of a benchmark)."""
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

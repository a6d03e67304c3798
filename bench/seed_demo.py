"""Benchmark: seed_demo vs a raw COPY of the same rows (issue 2).

    .venv/bin/python bench/seed_demo.py [--borgere 100000] [--seed 2026]

Creates a throwaway database ``<db>_bench`` on the server of DATABASE_URL
(or the embedded one), migrates it, runs ``seed_demo --borgere N`` and times it.
Then it exports the rows seed_demo loaded for the six bulk tables (person, sag,
bevilling, debitorkonto, fordring, opgave) and COPYs exactly those rows into
identically shaped UNLOGGED tables (same columns and indexes, no foreign keys):
the floor any loader of these rows can reach on this server. Both figures are
printed as rows/s, with their ratio. The bench database is dropped at the end
unless --keep.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLES = ["cases_person", "cases_sag", "cases_bevilling", "debitor_debitorkonto", "debitor_fordring",
          "cases_opgave"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borgere", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        from ky.embedded import configure_environment

        configure_environment()
    base = urlsplit(os.environ["DATABASE_URL"])
    bench_db = base.path.lstrip("/") + "_bench"
    admin_url = urlunsplit(base._replace(path="/postgres"))
    bench_url = urlunsplit(base._replace(path="/" + bench_db))

    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_db}"')

    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"database {bench_db}: migrating ...", file=sys.stderr)
    call_command("migrate", verbosity=0)

    out = io.StringIO()
    t0 = time.perf_counter()
    call_command("seed_demo", borgere=args.borgere, seed=args.seed, stdout=out, stderr=io.StringIO())
    seed_s = time.perf_counter() - t0
    import json

    counts = json.loads(out.getvalue().strip().splitlines()[-1])
    connection.close()

    # raw baseline: the very same rows, COPY'd into identically shaped unlogged tables
    with psycopg.connect(bench_url, autocommit=True) as conn:
        dumps = {}
        for table in TABLES:
            buf = io.BytesIO()
            with conn.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                for block in copy:
                    buf.write(block)
            dumps[table] = buf.getvalue()
            conn.execute(f'CREATE UNLOGGED TABLE "raw_{table}" (LIKE "{table}" INCLUDING ALL)')
        raw_rows = 0
        with conn.transaction():
            t0 = time.perf_counter()
            for table in TABLES:
                with conn.cursor().copy(f'COPY "raw_{table}" FROM STDIN') as copy:
                    data = dumps[table]
                    for i in range(0, len(data), 1 << 20):
                        copy.write(data[i:i + (1 << 20)])
            raw_s = time.perf_counter() - t0
        for table in TABLES:
            raw_rows += conn.execute(f'SELECT count(*) FROM "raw_{table}"').fetchone()[0]

    seed_rows = sum(counts.get(k, 0) for k in ("Person", "Sag", "Bevilling", "Debitorkonto", "Fordring", "Opgave"))
    assert seed_rows == raw_rows, (seed_rows, raw_rows)
    print(f"borgere={args.borgere} rows={seed_rows} ({', '.join(f'{k}={v}' for k, v in counts.items())})")
    print(f"seed_demo:          {seed_s:8.2f} s  {seed_rows / seed_s:12,.0f} rows/s  (generate in Python + COPY + FK checks)")
    print(f"raw COPY baseline:  {raw_s:8.2f} s  {raw_rows / raw_s:12,.0f} rows/s  (same rows, unlogged tables, indexes)")
    print(f"ratio seed_demo/raw: {seed_s / raw_s:.1f}x the time of the raw COPY")

    if not args.keep:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""Bench: the MI 32 package page (/opgavepakker/<id>/, mi32.md) with 1,000,000 tasks in the package.

    .venv/bin/python bench/opgavepakke_side.py [--tasks 1000000] [--keep]

Creates a throwaway database ``<db>_bench_pakke`` on the server of DATABASE_URL (dropped at the end
unless --keep), migrates it, loads N mi32 tasks into kommune 101's MI 32 package with one INSERT ...
SELECT (90 % open, six reasons, 100,000 borgere) — the trigger-kept counts are filled by that same
statement — then ANALYZEs, and times the page in-process with Django's test client (server time:
view, queries, template; no network), as the median of 15 requests per variant (default list,
a page near the end as reached by the Næste link, each filter). The raw baseline printed next to it is
the page's own list query in SQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import _throwaway  # noqa: E402 (bench/ is the script's own folder)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    bench_db = _throwaway.create("bench_pakke")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.services import opgavepakke
    from debitor.models import MI32_PAKKE_KODE, MI32_PAKKE_NAVN
    from tests.factories import UserFactory

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database {bench_db}: migrating ...", file=sys.stderr)
    call_command("migrate", verbosity=0)
    pakke = opgavepakke(101, MI32_PAKKE_KODE, MI32_PAKKE_NAVN)
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO cases_person (cpr, navn, oprettet, aendret)
            SELECT to_char(date '1950-01-01' + mod(i, 18000), 'DDMMYY') || '0' || lpad((i / 18000)::text, 3, '0'),
                   'Borger ' || i, now(), now()
            FROM generate_series(1, 100000) i ON CONFLICT DO NOTHING""")
        cur.execute("""
            INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, person_id, noegle,
                                      data, oprettet)
            SELECT 101, %s, 'mi32', 'Tilknyt debitorkonto B-' || i,
                   CASE WHEN mod(i, 10) = 0 THEN 'udfoert' ELSE 'aaben' END,
                   (ARRAY['mangler_bevillingsnr', 'ukendt_bevillingsnr', 'cpr_afviger', 'flere_bevillinger',
                          'manuel_ydelsestype', 'anden_kommune'])[1 + mod(mod(i, 97), 6)],
                   p.id, 'B-' || i, '{}'::jsonb, now()
            FROM generate_series(1, %s) i
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM cases_person) p
              ON p.rn = 1 + mod(i, (SELECT count(*) FROM cases_person))""",
                    [pakke.pk, args.tasks])
        cur.execute("ANALYZE cases_opgave; ANALYZE cases_person")
        cur.execute("SELECT aabne, i_alt FROM cases_opgavepakketaelling WHERE opgavepakke_id = %s", [pakke.pk])
        aabne, i_alt = cur.fetchone()
        cur.execute("SELECT cpr FROM cases_person ORDER BY id LIMIT 1 OFFSET 500")
        cpr = cur.fetchone()[0]
        cur.execute("SELECT id FROM cases_opgave WHERE opgavepakke_id = %s ORDER BY id LIMIT 1 OFFSET 1000", [pakke.pk])
        deep = cur.fetchone()[0]
    print(f"loaded {args.tasks:,} tasks in {time.perf_counter() - t:.1f}s; counts kept: {aabne:,} open of {i_alt:,}",
          file=sys.stderr)
    assert i_alt == args.tasks

    client = Client()
    client.force_login(UserFactory(username="bench-sb", kommuner=[101]))
    url = f"/opgavepakker/{pakke.pk}/"

    def sql_ms(sql, params):
        times = []
        with connection.cursor() as cur:
            for _ in range(15):
                t0 = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    raw = sql_ms("SELECT * FROM cases_opgave WHERE opgavepakke_id = %s AND status IN ('aaben', 'reserveret') "
                 "ORDER BY id DESC LIMIT 51", [pakke.pk])
    print(f"tasks={args.tasks:,}  raw list query (SQL, 51 rows): {raw:.1f} ms")
    for label, q in [("default (open, newest first)", ""),
                     ("last pages (Næste-link, keyset)", f"?side=19000&foer={deep}"),
                     ("status=udfoert", "?status=udfoert"), ("aarsag=cpr_afviger", "?aarsag=cpr_afviger"),
                     ("aarsag+status", "?aarsag=anden_kommune&status=aaben"), ("cpr", f"?cpr={cpr}"),
                     ("type=mi32", "?type=mi32")]:
        client.get(url + q)
        times = []
        for _ in range(15):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                r = client.get(url + q)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        print(f"  {label:32s} median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms  "
              f"queries {len(queries)}")
    connection.close()
    if not args.keep:
        _throwaway.drop(bench_db)


if __name__ == "__main__":
    main()

"""Bench: regelmaessig-opfoelgning over N aktive sager vs a raw INSERT ... SELECT making the same tasks.

    .venv/bin/python bench/batch_regelmaessig.py [--sager 100000]

Seeds N sager in a dedicated kommune (998) with INSERT ... SELECT generate_series, runs the job
(batch.services.run_job), deletes its tasks, then times the raw INSERT ... SELECT baseline producing
the same tasks; prints rows/s of both, the ratio and peak RSS. Cleans up afterwards.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from batch.services import run_job  # noqa: E402
from ky.core.models import Kommune  # noqa: E402

K = 998
AS_OF = dt.date(2026, 11, 23)
RAW = """
INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, sag_id, person_id, frist, noegle,
                          data, oprettet)
SELECT s.kommune_id, %(pakke)s, 'regelmaessig-opfoelgning', 'Regelmæssig opfølgning', 'aaben', '', s.id, s.person_id,
       d.due, s.id::text || ':' || to_char(d.due, 'YYYY-MM-DD'), '{}'::jsonb, now()
FROM cases_sag s
CROSS JOIN LATERAL (SELECT (s.startdato + make_interval(months => (
    (((date_part('year', %(d)s::date) - date_part('year', s.startdato)) * 12 + date_part('month', %(d)s::date)
      - date_part('month', s.startdato))::int
     - CASE WHEN s.startdato + make_interval(months => ((date_part('year', %(d)s::date) - date_part('year', s.startdato)) * 12
            + date_part('month', %(d)s::date) - date_part('month', s.startdato))::int) > %(d)s::date THEN 1 ELSE 0 END)
    / 3) * 3))::date AS due) d
WHERE s.kommune_id = %(k)s AND s.status = 'aktiv' AND d.due > s.startdato
"""


def cleanup(cur):
    cur.execute("DELETE FROM cases_opgave WHERE kommune_id = %s", [K])
    cur.execute("DELETE FROM cases_sag WHERE kommune_id = %s", [K])
    cur.execute("DELETE FROM cases_person WHERE cpr LIKE 'B%%'")
    cur.execute("DELETE FROM cases_opgavepakke WHERE kommune_id = %s", [K])
    cur.execute("DELETE FROM batch_koersel WHERE kommune_id = %s", [K])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sager", type=int, default=100_000)
    n = ap.parse_args().sager
    Kommune.objects.get_or_create(kode=K, defaults={"navn": "Benchkommune"})
    with connection.cursor() as cur:
        cleanup(cur)
        t = time.perf_counter()
        # persons with fake (non-validated) 10-char keys 'B' + 9 digits; sager started over the last 3 years
        cur.execute("INSERT INTO cases_person (cpr, navn, oprettet, aendret) "
                    "SELECT 'B' || lpad(g::text, 9, '0'), '', now(), now() FROM generate_series(1, %s) g", [n])
        cur.execute("""INSERT INTO cases_sag (kommune_id, person_id, ydelsestype, status, startdato, kle_nummer, team,
                                              markeret_til_sletning, oprettet, aendret)
                       SELECT %s, p.id, 'KTH', 'aktiv', DATE '2023-11-23' + (p.id %% 1095)::int, '', '', false, now(), now()
                       FROM cases_person p WHERE p.cpr LIKE 'B%%'""", [K])
        cur.execute("ANALYZE cases_sag; ANALYZE cases_person")
        print(f"seeded {n} sager in {time.perf_counter() - t:.1f}s")

    t = time.perf_counter()
    k = run_job("regelmaessig-opfoelgning", kommune=K, as_of=AS_OF)
    job_s = time.perf_counter() - t
    created = k.counts.get("created", 0)
    assert k.status == "succeeded", (k.status, k.besked)
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM cases_opgavepakke WHERE kommune_id = %s AND kode = 'REGELMAESSIG-OPFOELGNING'", [K])
        pakke = cur.fetchone()[0]
        cur.execute("SELECT count(*), md5(string_agg(noegle || frist::text, ',' ORDER BY noegle)) FROM cases_opgave "
                    "WHERE kommune_id = %s", [K])
        job_n, job_hash = cur.fetchone()
        cur.execute("DELETE FROM cases_opgave WHERE kommune_id = %s", [K])
        t = time.perf_counter()
        cur.execute(RAW, {"k": K, "d": AS_OF, "pakke": pakke})
        raw_s = time.perf_counter() - t
        raw_n = cur.rowcount
        cur.execute("SELECT md5(string_agg(noegle || frist::text, ',' ORDER BY noegle)) FROM cases_opgave "
                    "WHERE kommune_id = %s", [K])
        raw_hash = cur.fetchone()[0]
    t = time.perf_counter()
    k2 = run_job("regelmaessig-opfoelgning", kommune=K, as_of=AS_OF)
    rerun_s = time.perf_counter() - t
    print(f"job:   {created} tasks in {job_s:.2f}s = {created / job_s:,.0f} rows/s")
    print(f"raw:   {raw_n} tasks in {raw_s:.2f}s = {raw_n / raw_s:,.0f} rows/s")
    print(f"ratio job/raw time: {job_s / raw_s:.2f}x; same tasks: {job_n == raw_n and job_hash == raw_hash}")
    print(f"re-run (idempotent) over existing tasks: created {k2.counts.get('created')} in {rerun_s:.2f}s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    with connection.cursor() as cur:
        cleanup(cur)


if __name__ == "__main__":
    main()

"""Bench: dan-effektueringskladder over N rule-based bevillinger (with income and sanktioner) vs a raw-SQL
baseline that computes the plain sats for the same rows, in the same run, on a fresh database.

    .venv/bin/python bench/ydelse.py [--bevillinger 100000] [--runs 2]

Creates a throwaway database (<configured db>_bench_ydelse), migrates it, seeds N borgere (ages 18-66 from
their CPR) each with a KTH bevilling without maanedligt_beloeb in kommune 101; 30 % have income in the
month (arbejdsindtægt), 10 % a sanktion of three days. Then, per run: the job's service
(``dan_effektueringskladder``: the one computation per bevilling in chunks of 5,000, COPY into a temp table,
the set-based INSERT ... SELECT of the drafts) and the baseline (one INSERT ... SELECT of the same
effektueringer with brutto = the plain sats by age x days / days in month, no income, sanktioner, tillæg
or forklaring), each followed by deleting what it wrote. Prints bevillinger/s of both, the ratio, the peak
RSS growth during the job (flat memory: it does not grow with N beyond one chunk) and the load average.
"""

import argparse
import datetime as dt
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")

import _throwaway  # noqa: E402 (bench/ is the script's own folder)

MAANED = dt.date(2026, 12, 1)
AS_OF = dt.date(2026, 12, 7)

SEED = """
INSERT INTO cases_person (cpr, navn, oprettet, aendret)
SELECT to_char(d, 'DDMMYY') || CASE WHEN d >= date '2000-01-01' THEN '4' ELSE '1' END
       || lpad((i / 17000)::text, 3, '0'), 'Bench ' || i, now(), now()
FROM generate_series(0, %(n)s - 1) i
CROSS JOIN LATERAL (SELECT date '1960-06-01' + (i %% 17000) AS d) x;
INSERT INTO cases_bevilling (kommune_id, person_id, ydelsestype, bevilget_fra, status, oprettet, aendret)
SELECT 101, p.id, 'KTH', date '2026-01-01', 'bevilget', now(), now() FROM cases_person p WHERE p.navn LIKE 'Bench %%';
INSERT INTO ydelse_indtaegt (kommune_id, person_id, maaned, art, beloeb, kilde, oprettet)
SELECT 101, p.id, %(m)s, 'loen', 1000 + (p.id %% 5000), 'bench', now()
FROM cases_person p WHERE p.navn LIKE 'Bench %%' AND p.id %% 10 < 3;
INSERT INTO ydelse_sanktion (bevilling_id, kommune_id, art, fra, til, begrundelse, oprettet)
SELECT b.id, 101, 'sanktion', date '2026-12-10', date '2026-12-12', 'bench', now()
FROM cases_bevilling b WHERE b.kommune_id = 101 AND b.id %% 10 = 0;
ANALYZE cases_person; ANALYZE cases_bevilling; ANALYZE ydelse_indtaegt; ANALYZE ydelse_sanktion;
"""

# the plain sats of the reform (forhøjet sats from 30, else grundsats) for the same rows, age from the CPR
BASELINE = """
INSERT INTO sf2520_effektuering (bevilling_id, kommune_id, person_id, maaned, periode_fra, periode_til, dage,
                                 dage_i_maaned, maanedligt_beloeb, brutto, modregning, netto, status, udbetalingsdato,
                                 forklaring, oprettet)
SELECT b.id, b.kommune_id, b.person_id, %(start)s, %(start)s, %(end)s, %(dim)s, %(dim)s, s.beloeb,
       round(s.beloeb * %(dim)s / %(dim)s, 2), 0, round(s.beloeb * %(dim)s / %(dim)s, 2), 'kladde', %(end)s, '',
       now()
FROM cases_bevilling b JOIN cases_person p ON p.id = b.person_id
CROSS JOIN LATERAL (SELECT {fd} AS foedt) f
JOIN ydelse_sats s ON s.ydelsestype = 'KTH'
 AND s.kategori = CASE WHEN age(%(start)s::date, f.foedt) >= interval '30 years' THEN 'forhoejet_sats'
                       ELSE 'grundsats' END
 AND s.gyldig_fra <= %(start)s AND (s.gyldig_til IS NULL OR s.gyldig_til >= %(start)s)
WHERE b.kommune_id = 101 AND b.status = 'bevilget' AND b.maanedligt_beloeb IS NULL
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bevillinger", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    name = _throwaway.create("bench_ydelse")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from cases.ydelse.services import foedselsdato_sql
    from integrations.sf2520 import services as sf

    try:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cur:
            cur.execute(SEED, {"n": args.bevillinger, "m": MAANED})
        n = args.bevillinger
        job, base, rss = [], [], []
        for _ in range(args.runs):
            r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            t = time.perf_counter()
            with transaction.atomic():
                res = sf.dan_effektueringskladder(101, AS_OF)
            job.append(time.perf_counter() - t)
            rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - r0)
            assert res["oprettet"] == n and not res["fejl"], (res["oprettet"], res["fejl"][:3])
            with connection.cursor() as cur:
                cur.execute("SELECT sum(brutto) FROM sf2520_effektuering")
                total_job = cur.fetchone()[0]
                cur.execute("DELETE FROM sf2520_effektuering")
                t = time.perf_counter()
                cur.execute(BASELINE.format(fd=foedselsdato_sql("p.cpr")),
                            {"start": MAANED, "end": dt.date(2026, 12, 31), "dim": 31})
                base.append(time.perf_counter() - t)
                assert cur.rowcount == n
                cur.execute("SELECT sum(brutto) FROM sf2520_effektuering")
                total_base = cur.fetchone()[0]
                cur.execute("DELETE FROM sf2520_effektuering")
        bj, bb = min(job), min(base)
        print(f"bevillinger: {n:,} (30 % med indtægt, 10 % med sanktion), måned {MAANED:%Y-%m}, runs {args.runs}")
        print(f"dan-effektueringskladder (beregning + forklaring): {bj:.2f} s = {n / bj:,.0f} bevillinger/s")
        print(f"raw SQL baseline (ren sats efter alder):           {bb:.2f} s = {n / bb:,.0f} bevillinger/s")
        print(f"ratio: {bj / bb:.2f}x (target within 5x)")
        print(f"peak RSS growth during the job: {max(rss) / 1024:.0f} MiB; sum brutto job {total_job}, "
              f"baseline {total_base}")
        print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        connection.close()
        _throwaway.drop(name)


if __name__ == "__main__":
    main()

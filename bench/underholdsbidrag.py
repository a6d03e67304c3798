"""Bench: N underholdsbidrag sager (bulk) and one weekly run (underholdsbidrag-ugekoersel).

    .venv/bin/python bench/underholdsbidrag.py [N]     (default 100000)

Prints sager/s for the run, a raw-SQL baseline on the same data (one INSERT ... SELECT
computing the sats-based amounts, rolled back) and cProfile's top 15.
"""

import cProfile
import datetime as dt
import os
import pstats
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from batch.services import run_job  # noqa: E402
from debitor.underholdsbidrag import demo  # noqa: E402
from debitor.underholdsbidrag.models import Beregning, UBSag  # noqa: E402

KOMMUNE = 101


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    as_of = dt.date(2026, 8, 12)
    Beregning.objects.filter(kommune_id=KOMMUNE).delete()
    UBSag.objects.filter(kommune_id=KOMMUNE).delete()
    demo.ensure_satser()
    t = time.perf_counter()
    demo.bulk_sager(KOMMUNE, n, random.Random(42), dt.date(2026, 7, 25))
    t_create = time.perf_counter() - t
    print(f"created {n} sager in {t_create:.1f}s ({n / t_create:,.0f} sager/s)")

    # raw SQL baseline: compute the due sats-based amounts in one statement (rolled back)
    with transaction.atomic():
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("""
                CREATE TEMP TABLE ub_baseline AS
                SELECT b.id, b.forfaldsdato,
                       round(s.beloeb / 6 * CASE b.forfaldsfrekvens WHEN 'M' THEN 1 WHEN 'K' THEN 3
                             WHEN 'H' THEN 6 WHEN 'A' THEN 12 ELSE 1 END, 2) AS beloeb
                FROM underholdsbidrag_bidrag b
                JOIN underholdsbidrag_bidragsperson bp ON bp.id = b.bp_id AND bp.statuskode = 0
                JOIN underholdsbidrag_sats s ON s.bidragsart = CASE WHEN b.bidragsart IN (14, 19) THEN 11
                     ELSE b.bidragsart END AND s.gyldig_fra <= b.forfaldsdato
                     AND (s.gyldig_til IS NULL OR s.gyldig_til >= b.forfaldsdato)
                WHERE b.kommune_id = %s AND b.forfaldsdato <= %s""", [KOMMUNE, dt.date(2026, 8, 20)])
            c.execute("SELECT count(*) FROM ub_baseline")
            base_rows = c.fetchone()[0]
        t_base = time.perf_counter() - t
        transaction.set_rollback(True)
    print(f"raw SQL baseline: {base_rows} items in {t_base:.2f}s ({n / t_base:,.0f} sager/s)")

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    k = run_job("underholdsbidrag-ugekoersel", kommune=KOMMUNE, as_of=as_of)
    prof.disable()
    t_run = time.perf_counter() - t
    print(f"weekly run: status={k.status} counts={getattr(k, 'counts', None) or ''} in {t_run:.1f}s "
          f"({n / t_run:,.0f} sager/s); beregninger={Beregning.objects.filter(koersel=k).count()}")
    t = time.perf_counter()
    k2 = run_job("underholdsbidrag-ugekoersel", kommune=KOMMUNE, as_of=as_of)
    print(f"re-run same week: status={k2.status} in {time.perf_counter() - t:.1f}s; "
          f"beregninger={Beregning.objects.filter(koersel=k2).count()}")
    st = pstats.Stats(prof)
    st.sort_stats("cumulative").print_stats("underholdsbidrag", 15)
    st.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()

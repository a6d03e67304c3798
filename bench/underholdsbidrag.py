"""Bench: N underholdsbidrag sager (bulk) and one weekly run (underholdsbidrag-ugekoersel) against a fair floor.

    .venv/bin/python bench/underholdsbidrag.py [N] [--profile] [--sql] [--keep]     (N default 100000)

On a throwaway database ``<db>_bench_ub`` (fresh, migrated; dropped at the end unless --keep):
  1. N sager (demo.bulk_sager) for kommune 101;
  2. a rehearsal: the weekly run in a transaction, the rows it wrote and the rows it changed copied out
     (COPY ... TO STDOUT into a temporary file), rolled back. With --profile the rehearsal runs under
     cProfile and its top functions are printed, with --sql its slowest SQL statements;
  3. **the floor**: the same rows written with COPY into TEMP tables and INSERT ... SELECT into the real tables
     (personer, debitorkonti, fordringer, beregninger, udbetalinger, afkrævninger, posteringer, meddelelser)
     plus the UPDATEs of the changed bidrag and bidragspersoner (forfaldsdato, tilgodehavende ...), keys checked
     (SET CONSTRAINTS ALL IMMEDIATE), rolled back. No run that stores these rows in this schema is faster;
     it computes nothing;
  4. the weekly run, timed; the ratio run/floor;
  5. the same week again (nothing to compute).
It prints sager/s and rows per table, the peak RSS of this process and the load average.
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import _throwaway  # noqa: E402 (bench/ is the script's own folder)

KOMMUNE = 101
AS_OF = dt.date(2026, 8, 12)
KOERSEL_COLS = ("koersel_id", "udbetalt_af_id", "afkraevet_af_id")


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tables():
    from cases.models import Person
    from debitor.models import Debitorkonto, Fordring
    from debitor.underholdsbidrag.models import (Afkraevning, Beregning, Bidrag, Bidragsperson, Meddelelse,
                                                 Postering, Udbetaling)

    # inserted (in key order) and updated tables
    ins = [Person, Debitorkonto, Fordring, Beregning, Udbetaling, Afkraevning, Postering, Meddelelse]
    upd = [Bidrag, Bidragsperson]
    return [m._meta.db_table for m in ins], [m._meta.db_table for m in upd]


def columns(cur, table):
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table])
    return [r[0] for r in cur.fetchall()]


def rehearse(folder, profile, sql):
    """The weekly run in a transaction; what it wrote copied out to files; rolled back."""
    import contextlib
    from collections import defaultdict

    from django.db import connection, transaction

    from batch.services import run_job

    ins, upd = tables()
    with connection.cursor() as cur:
        cur.execute("SELECT " + ", ".join(f"(SELECT coalesce(max(id), 0) FROM {t})" for t in ins))
        max_before = dict(zip(ins, cur.fetchone()))
    counts = {}
    prof = cProfile.Profile() if profile else None
    with transaction.atomic():
        with connection.cursor() as cur:
            for t in upd:
                cur.execute(f"CREATE TEMP TABLE before_{t} AS SELECT * FROM {t}")
        stmts = defaultdict(lambda: [0, 0.0])

        def timed(execute, sql_text, params, many, context):
            t1 = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                st = stmts[" ".join(sql_text.split())[:150]]
                st[0] += 1
                st[1] += time.perf_counter() - t1

        t0 = time.perf_counter()
        if prof:
            prof.enable()
        with connection.execute_wrapper(timed) if sql else contextlib.nullcontext():
            k = run_job("underholdsbidrag-ugekoersel", kommune=KOMMUNE, as_of=AS_OF)
        if prof:
            prof.disable()
        took = time.perf_counter() - t0
        if sql:
            print(f"the rehearsal's slowest statements (of {sum(c for c, _ in stmts.values())} executed; COPY not "
                  "included):")
            for text, (c, secs) in sorted(stmts.items(), key=lambda x: -x[1][1])[:15]:
                print(f"  {secs:7.2f}s  {c:5d}x  {text}")
        assert k.status == "succeeded", k.besked
        with connection.cursor() as cur:
            for t in ins:
                with open(folder / t, "wb") as fh, cur.cursor.copy(
                        f"COPY (SELECT * FROM {t} WHERE id > {max_before[t]} ORDER BY id) TO STDOUT") as cp:
                    for data in cp:
                        fh.write(data)
                cur.execute(f"SELECT count(*) FROM {t} WHERE id > %s", [max_before[t]])
                counts[t] = cur.fetchone()[0]
            for t in upd:
                with open(folder / t, "wb") as fh, cur.cursor.copy(
                        f"COPY (SELECT a.* FROM {t} a JOIN before_{t} b USING (id) "
                        f"WHERE row(a.*) IS DISTINCT FROM row(b.*) ORDER BY id) TO STDOUT") as cp:
                    for data in cp:
                        fh.write(data)
                cur.execute(f"SELECT count(*) FROM {t} a JOIN before_{t} b USING (id) "
                            f"WHERE row(a.*) IS DISTINCT FROM row(b.*)")
                counts[t + " (updated)"] = cur.fetchone()[0]
        transaction.set_rollback(True)
    return counts, took, prof


def floor(folder):
    """The rows of the rehearsal written again: COPY into TEMP tables, INSERT ... SELECT / UPDATE ... FROM into
    the real tables (run references pointing at a Koersel row made for the purpose), keys checked, rolled back."""
    from django.db import connection, transaction

    ins, upd = tables()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("""INSERT INTO batch_koersel (job, kommune_id, as_of, dry_run, trigger, status, oprettet,
                           progress_done, counts, errors, log, besked, rq_job_id)
                       VALUES ('bench-floor', %s, %s, false, 'command', 'succeeded', now(), 0, '{}', '[]', '', '', '')
                       RETURNING id""", [KOMMUNE, AS_OF])
        k = cur.fetchone()[0]
        t0 = time.perf_counter()
        for t in ins + upd:
            cols = columns(cur, t)
            cur.execute(f"CREATE TEMP TABLE floor_{t} (LIKE {t}) ON COMMIT DROP")
            with open(folder / t, "rb") as fh, cur.cursor.copy(f"COPY floor_{t} FROM STDIN") as cp:
                for data in iter(lambda: fh.read(1 << 20), b""):
                    cp.write(data)
            if t in ins:
                sel = ", ".join(f"CASE WHEN {c} IS NULL THEN NULL ELSE {k} END" if c in KOERSEL_COLS else c
                                for c in cols)
                cur.execute(f"INSERT INTO {t} ({', '.join(cols)}) SELECT {sel} FROM floor_{t}")
            else:
                cur.execute(f"UPDATE {t} x SET {', '.join(f'{c} = f.{c}' for c in cols if c != 'id')} "
                            f"FROM floor_{t} f WHERE x.id = f.id")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        took = time.perf_counter() - t0
        transaction.set_rollback(True)
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--profile", action="store_true", help="profile the rehearsal and print the top functions")
    ap.add_argument("--sql", action="store_true", help="print the rehearsal's slowest SQL statements")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    n = args.n

    bench_db = _throwaway.create("bench_ub")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from batch.services import run_job
    from debitor.underholdsbidrag import demo
    from debitor.underholdsbidrag.models import Beregning

    print(f"database {bench_db}: migrating ...", file=sys.stderr)
    call_command("migrate", verbosity=0)
    demo.ensure_satser()
    t = time.perf_counter()
    demo.bulk_sager(KOMMUNE, n, random.Random(42), dt.date(2026, 7, 25))
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"created {n:,} sager in {time.perf_counter() - t:.1f}s", flush=True)
    rss0 = rss_mb()

    folder = Path(tempfile.mkdtemp())
    counts, t_reh, prof = rehearse(folder, args.profile, args.sql)
    print(f"rehearsal (rolled back{', profiled' if prof else ''}): {t_reh:.1f}s; rows: "
          + ", ".join(f"{t}={c:,}" for t, c in counts.items()), flush=True)
    with connection.cursor() as cur:  # the rolled-back rows would otherwise slow the next scans
        cur.execute("VACUUM ANALYZE")
    t_floor = floor(folder)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"floor (same rows by COPY + INSERT ... SELECT / UPDATE, keys checked, rolled back): {t_floor:.2f}s",
          flush=True)

    t = time.perf_counter()
    k = run_job("underholdsbidrag-ugekoersel", kommune=KOMMUNE, as_of=AS_OF)
    t_run = time.perf_counter() - t
    assert k.status == "succeeded", k.besked
    print(f"weekly run: {t_run:.1f}s ({n / t_run:,.0f} sager/s); beregninger={Beregning.objects.filter(koersel=k).count():,}"
          f"; {k.log}", flush=True)
    t = time.perf_counter()
    k2 = run_job("underholdsbidrag-ugekoersel", kommune=KOMMUNE, as_of=AS_OF)
    t_again = time.perf_counter() - t
    print(f"N={n:,}  floor={t_floor:.2f}s ({n / t_floor:,.0f} sager/s)  run={t_run:.1f}s ({n / t_run:,.0f} sager/s)  "
          f"ratio={t_run / t_floor:.1f}x floor  re-run same week={t_again:.1f}s ({k2.status}, "
          f"beregninger={Beregning.objects.filter(koersel=k2).count()})  peak RSS={rss_mb():.0f} MB "
          f"(after creating the sager {rss0:.0f} MB)  load={os.getloadavg()[0]:.2f}")
    if prof:
        st = pstats.Stats(prof)
        st.sort_stats("cumulative").print_stats("underholdsbidrag", 20)
        st.sort_stats("tottime").print_stats(15)
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    connection.close()
    if not args.keep:
        _throwaway.drop(bench_db)


if __name__ == "__main__":
    main()

"""Benchmark (issue 14): N payments across 98 kommuner from ``klar`` to SF1590E files, and N
NemKonto status records back, each next to a raw floor writing the same rows in the same run.

    .venv/bin/python bench/udbetaling.py [--n 1000000]

On a fresh throwaway database (``<db>_bench_udb``, dropped at the end unless --keep):
1. setup (not timed): N ``klar`` udbetalinger, one INSERT ... SELECT generate_series.
2. ky: ``filer.send_betalinger`` per kommune (the job's path: rows locked, file built from the
   layouts, journalled in the exchange layer, payments -> sendt, uploaded to a local OUT/).
   floor: per kommune one ``COPY (SELECT <the same 120-character lines>) TO STDOUT`` written to a
   file and one bare ``UPDATE ... SET status = 'sendt'`` of the same rows.
3. setup (not timed): one NEMKONTO_STATUS file per kommune in IN/ (98 files, N records; 1 in 50 A).
4. ky: ``filer.modtag_status`` (every file validated whole, then applied set-based, moved).
   floor: the same records COPY'd into a temp table and one ``UPDATE ... FROM`` of the payments.
Prints rows/s for each, the ratio, and the process's peak RSS after each phase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

D = dt.date(2026, 12, 7)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    import _throwaway

    name = _throwaway.create("bench_udb")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    tmp = Path(tempfile.mkdtemp(prefix="ky_bench_udb_"))
    os.environ["KY_DATA_DIR"] = str(tmp)
    os.environ.pop("KY_SFTP_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from debitor.udbetaling import demo, filer, formats
    from integrations.sftp import LocalTransport

    try:
        print(f"database {name}: migrating ...", file=sys.stderr)
        call_command("migrate", verbosity=0)
        kommuner = [k for k, in __import__("cases.models", fromlist=["Kommune"]).Kommune.objects
                    .order_by("kode").values_list("kode")][:98]
        n = args.n
        with connection.cursor() as cur:
            cur.execute("""
                INSERT INTO udbetaling_udbetaling (kommune_id, cpr, modtagertype, maade, beloeb, udbetalingsdato,
                    kilde, kilde_id, forsoeg, posteringstekst, status, status_tid, afvist_aarsag, oprettet)
                SELECT (%s::int[])[1 + i %% 98], lpad(((i %% 28) + 1)::text, 2, '0') || '0180' || lpad((i %% 10000)::text, 4, '0'),
                       'borger', 'nemkonto', 1500.25 + i %% 1000, %s, 'kvikudbetaling', i, 1,
                       'Kontanthjælp 12.2026', 'klar', now(), '', now()
                  FROM generate_series(1, %s) i""", [kommuner, D, n])
            cur.execute("ANALYZE udbetaling_udbetaling")
        print(f"{n:,} klar udbetalinger across {len(kommuner)} kommuner", file=sys.stderr)

        # ---- ky: klar -> files
        t = LocalTransport(tmp / "sftp")
        log = lambda m: None  # noqa: E731
        rss0 = rss_mb()
        t0 = time.perf_counter()
        for k in kommuner:
            filer.send_betalinger(k, D, t, log=log)
        ky_send = time.perf_counter() - t0
        rss_send = rss_mb()
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM udbetaling_udbetaling WHERE status = 'sendt'")
            assert cur.fetchone()[0] == n
            cur.execute("SELECT count(*), sum(antal) FROM integrations_fil WHERE art = 'SF1590E'")
            nfiler, antal = cur.fetchone()
            assert antal == n, (nfiler, antal)
        # ---- floor: the same lines by COPY TO, and a bare UPDATE of the same rows
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        line_sql = ("'10' || lpad(kommune_id::text, 3, '0') || rpad(coalesce(cpr, ''), 10) || rpad(id::text, 20) "
                    "|| lpad((beloeb * 100)::bigint::text, 12, '0') || to_char(udbetalingsdato, 'YYYYMMDD') "
                    "|| rpad(posteringstekst, 40) || repeat(' ', 25)")
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as raw:
            raw.execute("UPDATE udbetaling_udbetaling SET status = 'klar'")
            raw.commit()
            t0 = time.perf_counter()
            for k in kommuner:
                with open(floor_dir / f"{k}.txt", "wb") as fh:
                    with raw.cursor().copy(f"COPY (SELECT {line_sql} FROM udbetaling_udbetaling "
                                           f"WHERE kommune_id = {int(k)} AND status = 'klar' ORDER BY id) TO STDOUT") as cp:
                        for block in cp:
                            fh.write(block)
                raw.execute("UPDATE udbetaling_udbetaling SET status = 'sendt' WHERE kommune_id = %s AND status = 'klar'",
                            [k])
                raw.commit()
            floor_send = time.perf_counter() - t0
        print(f"klar -> files   ky {n / ky_send:>10,.0f} payments/s ({ky_send:6.1f} s)   "
              f"floor {n / floor_send:>10,.0f} rows/s ({floor_send:6.1f} s)   ratio {ky_send / floor_send:.2f}x   "
              f"peak RSS {rss0:.0f} -> {rss_send:.0f} MB")

        # ---- status files back (setup, not timed): 1 in 50 afvist
        now = dt.datetime(2026, 12, 8, 7, 0)
        with connection.cursor() as cur:
            for k in kommuner:
                cur.execute("SELECT id FROM udbetaling_udbetaling WHERE kommune_id = %s ORDER BY id", [k])
                rows = [{"betalings_id": str(i), "status": "A" if i % 50 == 0 else "G",
                         "aarsag": "Ingen NemKonto" if i % 50 == 0 else ""} for (i,) in cur.fetchall()]
                navn = filer.NEMKONTO_STATUS.filnavn(k, D, 1)
                demo.indbakke(t, navn, demo.fil(k, formats.NEMKONTO_STATUS, rows, now), filer.NEMKONTO)
        rss1 = rss_mb()
        t0 = time.perf_counter()
        res = filer.modtag_status(None, t, log)
        ky_status = time.perf_counter() - t0
        rss_status = rss_mb()
        assert res["gennemfoert"] + res["afvist"] == n, res
        # ---- floor: COPY the same records into a temp table, one UPDATE ... FROM
        buf = io.BytesIO()
        for k in kommuner:
            data = (tmp / "sftp" / "IN" / "behandlet" / filer.NEMKONTO_STATUS.filnavn(k, D, 1)).read_bytes()
            for line in data.decode("iso-8859-1").split("\r\n")[1:-2]:
                buf.write(f"{int(line[5:25])}\t{line[25]}\t{line[26:56].rstrip()}\n".encode())
        with psycopg.connect(os.environ["DATABASE_URL"]) as raw:
            raw.execute("UPDATE udbetaling_udbetaling SET status = 'sendt', afvist_aarsag = ''")
            raw.commit()
            t0 = time.perf_counter()
            raw.execute("CREATE TEMP TABLE s (id bigint, st text, aarsag text)")
            with raw.cursor().copy("COPY s FROM STDIN") as cp:
                cp.write(buf.getvalue())
            raw.execute("ANALYZE s")
            raw.execute("""UPDATE udbetaling_udbetaling u SET status = CASE s.st WHEN 'G' THEN 'gennemfoert' ELSE 'afvist' END,
                                  afvist_aarsag = s.aarsag, status_tid = now()
                             FROM s WHERE u.id = s.id AND u.status = 'sendt'""")
            raw.commit()
            floor_status = time.perf_counter() - t0
        print(f"status -> rows  ky {n / ky_status:>10,.0f} records/s ({ky_status:6.1f} s)   "
              f"floor {n / floor_status:>10,.0f} rows/s ({floor_status:6.1f} s)   ratio {ky_status / floor_status:.2f}x   "
              f"peak RSS {rss1:.0f} -> {rss_status:.0f} MB")
        print(f"({res['gennemfoert']:,} gennemført, {res['afvist']:,} afvist with a task each; {nfiler} SF1590E files)")
    finally:
        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.keep:
            _throwaway.drop(name)


if __name__ == "__main__":
    main()

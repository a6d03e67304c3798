"""Bench: the KMD Aktiv import (mi32.md) against a raw COPY of the same file, in the same run.

    .venv/bin/python bench/import_kmd_aktiv.py [--lines 1000000] [--runs 5] [--keep]

Creates a throwaway database ``<db>_bench_kmd`` on the server of DATABASE_URL (dropped at the end
unless --keep; created afresh for each of --runs runs in a row), migrates it, adds kommune 101 bevillinger for some of the file's debitorkonti (so all
three routes run), writes a file of N lines (3 fordringer per debitorkonto) and times:
  1. raw COPY: the file into a TEMP table of 12 text columns (FORMAT csv, the floor of any loader);
  2. the import (debitor.kmd_aktiv.import_file), first run: everything new;
  3. the floor: the same file COPYed and written with bare INSERT ... SELECT into the real tables (personer,
     debitorkonti, fordringer; no validation, routing or tasks), their keys checked; rolled back. No import
     that stores these rows in this schema can be faster;
  4. the same file again (re-import: nothing changes).
It prints, per run, lines/s of each, the ratios import/COPY and import/floor, the peak RSS of this process
(which must not grow with --lines: the file is streamed) and the load average; with --runs > 1 the
spread of the import times (a plan that depends on what the planner happens to believe shows here).
"""

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import _throwaway  # noqa: E402 (bench/ is the script's own folder)

HEADER = ("kommunekode;debitorkonto;cpr;kmd_aktiv_bevillingsnr;ydelsestype;fordring_id;fordringstype;hovedstol;"
          "restgaeld;periode_fra;periode_til;stiftelsesdato")


def cpr(n):
    d = dt.date(1950, 1, 1) + dt.timedelta(days=n % 18000)
    return f"{d:%d%m%y}{'0' if d.year < 2000 else '4'}{n % 1000:03d}"


def write_file(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i in range(n):
            k = i // 3
            bev = "" if k % 10 == 0 else str(9000000 + k)
            f.write(f"101;B-{k};{cpr(k)};{bev};KTH;BF-{i};TILBAGEBETALING;4500,00;3200,00;2025-01-01;2025-03-31;"
                    "2025-04-15\n")


def copy_into_stage(cur, path, table):
    """The raw COPY: the file into a TEMP table of 12 text columns (FORMAT csv)."""
    cur.execute(f"CREATE TEMP TABLE {table} (" + ", ".join(f"{h} text" for h in HEADER.split(";")) + ")")
    with open(path, "rb") as fh, cur.cursor.copy(f"COPY {table} FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as cp:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            cp.write(chunk)


def seed_bevillinger(n):
    """Kommune 101 bevillinger for some of the file's debitorkonti, so all three routes run."""
    from django.db import connection

    konti = (n + 2) // 3
    with connection.cursor() as cur:
        # bevillinger for every 4th debitorkonto with a bevillingsnr: half with a sag, half without
        cur.execute("""
            INSERT INTO cases_person (cpr, navn, oprettet, aendret)
            SELECT DISTINCT c, '', now(), now() FROM unnest(%s::text[]) c ON CONFLICT DO NOTHING""",
                    [[cpr(k) for k in range(0, konti, 4) if k % 10]])
        cur.execute("""
            INSERT INTO cases_bevilling (kommune_id, person_id, ydelsestype, status, bevilget_fra,
                                         kmd_aktiv_bevillingsnr, oprettet, aendret)
            SELECT 101, p.id, 'KTH', 'bevilget', date '2025-01-01', (9000000 + k)::text, now(), now()
            FROM unnest(%s::int[], %s::text[]) AS x(k, c) JOIN cases_person p ON p.cpr = x.c""",
                    [[k for k in range(0, konti, 4) if k % 10], [cpr(k) for k in range(0, konti, 4) if k % 10]])
        cur.execute("""
            WITH b AS (SELECT id, person_id FROM cases_bevilling WHERE mod(id, 2) = 0),
                 s AS (INSERT INTO cases_sag (kommune_id, person_id, ydelsestype, status, startdato, kle_nummer, team,
                                              markeret_til_sletning, oprettet, aendret)
                       SELECT 101, person_id, 'KTH', 'aktiv', date '2025-01-01', '', '', false, now(), now() FROM b
                       RETURNING id, person_id)
            UPDATE cases_bevilling x SET sag_id = s.id FROM s WHERE s.person_id = x.person_id AND mod(x.id, 2) = 0""")


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_run(n, path, migrate):
    """A fresh database (migrated, bevillinger), then the timed part. Returns the figures."""
    from django.db import connection, transaction

    from debitor.kmd_aktiv import import_file

    migrate()
    seed_bevillinger(n)
    connection.close()

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        copy_into_stage(cur, path, "raw_stage")
        transaction.set_rollback(True)
    raw = time.perf_counter() - t

    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        copy_into_stage(cur, path, "st")
        cur.execute("""INSERT INTO cases_person (cpr, navn, oprettet, aendret)
                       SELECT DISTINCT cpr, '', now(), now() FROM st ON CONFLICT (cpr) DO NOTHING""")
        cur.execute("""INSERT INTO debitor_debitorkonto (kommune_id, kontonr, person_id, kilde, kmd_aktiv_bevillingsnr,
                                                         ydelsestype, oprettet, aendret)
                       SELECT 101, k.debitorkonto, p.id, 'KMD_AKTIV', nullif(k.kmd_aktiv_bevillingsnr, ''),
                              k.ydelsestype, now(), now()
                       FROM (SELECT DISTINCT ON (debitorkonto) * FROM st) k JOIN cases_person p ON p.cpr = k.cpr""")
        cur.execute("ANALYZE debitor_debitorkonto")
        cur.execute("""INSERT INTO debitor_fordring (kommune_id, debitorkonto_id, fordring_id, fordringstype, hovedstol,
                                                     restgaeld, periode_fra, periode_til, stiftelsesdato, oprettet, aendret)
                       SELECT 101, d.id, fordring_id, fordringstype, replace(hovedstol, ',', '.')::numeric,
                              replace(restgaeld, ',', '.')::numeric, periode_fra::date, periode_til::date,
                              stiftelsesdato::date, now(), now()
                       FROM st JOIN debitor_debitorkonto d ON d.kommune_id = 101 AND d.kontonr = st.debitorkonto""")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)
    floor = time.perf_counter() - t
    with connection.cursor() as cur:  # the rolled-back rows would otherwise slow the import's scans
        cur.execute("VACUUM ANALYZE cases_person, debitor_debitorkonto, debitor_fordring")

    t = time.perf_counter()
    with open(path, "rb") as fh:
        summary, ok = import_file(fh, kommune=101, filename="bench")
    imp = time.perf_counter() - t
    assert ok and summary["rejected"] == 0, summary
    print({k: v for k, v in summary.items() if k != "errors"})

    t = time.perf_counter()
    with open(path, "rb") as fh:
        again, _ = import_file(fh, kommune=101, filename="bench")
    reimp = time.perf_counter() - t
    assert again["fordringer_created"] == again["fordringer_updated"] == 0, again

    return {"raw": raw, "floor": floor, "imp": imp, "reimp": reimp}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=1, help="runs in a row, each on a fresh database")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    n = args.lines

    bench_db = _throwaway.create("bench_kmd")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    def migrate():
        connection.close()
        _throwaway.recreate(bench_db)
        print(f"database {bench_db}: migrating ...", file=sys.stderr)
        call_command("migrate", verbosity=0)

    path = os.path.join(tempfile.mkdtemp(), "kmd.csv")
    write_file(path, n)
    size = os.path.getsize(path)
    rss0 = rss_mb()
    runs = []
    for i in range(args.runs):
        f = one_run(n, path, migrate)
        runs.append(f)
        raw, floor, imp, reimp = f["raw"], f["floor"], f["imp"], f["reimp"]
        print(f"run {i + 1}/{args.runs}: lines={n:,} ({size / 1e6:.0f} MB)  raw COPY={n / raw:,.0f} lines/s ({raw:.2f}s)  "
              f"floor={n / floor:,.0f} lines/s ({floor:.2f}s, {floor / raw:.1f}x COPY)  "
              f"import={n / imp:,.0f} lines/s ({imp:.2f}s)  ratio={imp / raw:.1f}x COPY, {imp / floor:.1f}x floor  "
              f"re-import={n / reimp:,.0f} lines/s ({reimp:.2f}s)  "
              f"peak RSS={rss_mb():.0f} MB (before the timed part {rss0:.0f} MB)  load={os.getloadavg()[0]:.2f}",
              flush=True)
    if len(runs) > 1:
        imps = [r["imp"] for r in runs]
        print(f"imports: {', '.join(f'{x:.2f}s' for x in imps)}; slowest/fastest = {max(imps) / min(imps):.2f}x; "
              f"import/floor: {', '.join(f'{r['imp'] / r['floor']:.1f}x' for r in runs)}")
    connection.close()
    if not args.keep:
        _throwaway.drop(bench_db)
    os.unlink(path)


if __name__ == "__main__":
    main()

"""Diagnosis: every write statement of the KMD Aktiv import with its EXPLAIN (ANALYZE, BUFFERS) plan and time.

    .venv/bin/python bench/explain_kmd_aktiv.py [--lines 100000] [--slow 0.5]

On a throwaway database ``<db>_explain_kmd`` (dropped at the end): the bench's bevillinger and file
(bench/import_kmd_aktiv.py), the tables VACUUM ANALYZEd while empty and autovacuum off for them (the
statistics say "empty" throughout), then three imports: (1) into the empty tables, (2) the same file again
(full tables, stale statistics), (3) the file with every restgaeld changed (every fordring updated).
Each write statement runs twice (EXPLAIN ANALYZE in a savepoint rolled back, then for real); its plan is printed when it took longer than --slow seconds (all with --slow 0),
with its time; the summaries of the imports are printed too. A plan-stable import shows no statement whose
time grows faster than the file.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import _throwaway  # noqa: E402

TABLES = ("cases_person", "cases_sag", "cases_bevilling", "cases_opgave", "debitor_debitorkonto",
          "debitor_fordring", "debitor_fordringspostering")
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE TEMP TABLE", "WITH")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--slow", type=float, default=0.5)
    args = ap.parse_args()
    db = _throwaway.create("explain_kmd")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.backends import utils

    import import_kmd_aktiv as bench
    from debitor.kmd_aktiv import import_file

    call_command("migrate", verbosity=0)
    bench.seed_bevillinger(args.lines)
    with connection.cursor() as cur:
        for t in TABLES:
            cur.execute(f"ALTER TABLE {t} SET (autovacuum_enabled = off)")
            cur.execute(f"VACUUM ANALYZE {t}")
    path = os.path.join(tempfile.mkdtemp(), "kmd.csv")
    bench.write_file(path, args.lines)
    changed = path + ".2"
    with open(path) as src, open(changed, "w") as dst:
        for i, line in enumerate(src):
            dst.write(line if i == 0 else line.replace(";3200,00;", ";3100,00;"))

    plain = utils.CursorWrapper.execute

    def explained(self, sql, params=None):
        head = sql.lstrip().upper()
        if (not head.startswith(WRITES) or head.startswith("CREATE TEMP TABLE KMD_RAW")
                or not connection.in_atomic_block):
            return plain(self, sql, params)
        # explained in a savepoint that is rolled back, then run for real (so the import's counts are real)
        plain(self, "SAVEPOINT explain_kmd")
        t = time.perf_counter()
        plain(self, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + sql, params)
        took = time.perf_counter() - t
        plan = [r[0] for r in self.fetchall()]
        plain(self, "ROLLBACK TO SAVEPOINT explain_kmd")
        if took >= args.slow:
            print(f"--- {took:.2f}s  {' '.join(sql.split())[:160]}")
            print("\n".join(plan))
        return plain(self, sql, params)

    utils.CursorWrapper.execute = explained
    for label, f in (("1 empty", path), ("2 same file again", path), ("3 every restgaeld changed", changed)):
        print(f"=== import {label}")
        t = time.perf_counter()
        with open(f, "rb") as fh:
            summary, ok = import_file(fh, kommune=101, filename="explain")
        print(f"=== import {label}: {time.perf_counter() - t:.2f}s (each write statement ran twice)",
              {k: v for k, v in summary.items() if k != "errors"})
    utils.CursorWrapper.execute = plain
    connection.close()
    _throwaway.drop(db)


if __name__ == "__main__":
    main()

"""Bench: KMD Aktiv import vs raw COPY of the same file into a staging table.
Usage: .venv/bin/python bench/import_kmd_aktiv.py [--lines N]   (uses DATABASE_URL; writes kommune 101 data)"""
import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
import django  # noqa: E402

django.setup()
from django.db import connection, transaction  # noqa: E402

from debitor.kmd_aktiv import HEADER, import_file  # noqa: E402


def cpr(n):
    d = dt.date(1950, 1, 1) + dt.timedelta(days=n % 18000)
    return f"{d:%d%m%y}{'0' if d.year < 2000 else '4'}{n % 1000:03d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    n = ap.parse_args().lines
    path = os.path.join(tempfile.mkdtemp(), "kmd.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(";".join(HEADER) + "\n")
        for i in range(n):
            k = i // 3
            bev = "" if k % 10 == 0 else str(9000000 + k)
            f.write(f"101;B-{k};{cpr(k)};{bev};KTH;BF-{i};TILBAGEBETALING;4500,00;3200,00;2025-01-01;2025-03-31;"
                    "2025-04-15\n")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE raw_stage (" + ", ".join(f"{h} text" for h in HEADER) + ")")
        with open(path, "rb") as fh, cur.cursor.copy("COPY raw_stage FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)") as cp:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                cp.write(chunk)
        transaction.set_rollback(True)
    raw = time.perf_counter() - t
    t = time.perf_counter()
    with open(path, "rb") as fh:
        summary, _ = import_file(fh, kommune=101, filename="bench")
    imp = time.perf_counter() - t
    print({k: v for k, v in summary.items() if k != "errors"})
    print(f"lines={n} import={n / imp:,.0f} lines/s ({imp:.1f}s) raw COPY={n / raw:,.0f} lines/s ({raw:.1f}s) "
          f"ratio={imp / raw:.1f}x peak RSS={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

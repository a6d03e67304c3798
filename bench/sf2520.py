"""SF2520 writer vs a bare Python loop writing the same records (run: .venv/bin/python bench/sf2520.py [N])."""
import datetime as dt
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
import django  # noqa: E402

django.setup()
from integrations.sf2520 import formats as f  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
KOMMUNER = list(range(101, 199))
D = dt.date(2026, 3, 31)
F = dt.date(2026, 3, 1)
recs = [{"kommunekode": KOMMUNER[i % 98], "cpr": f"{(i % 28) + 1:02d}0180{i % 10000:04d}", "aftale_id": f"AFT{i}",
         "udbetalingsdato": D, "periode_fra": F, "periode_til": D, "beloeb_oere": 150000 + i % 1000,
         "modregnings_id": f"KY{i:018d}"} for i in range(N)]
tmp = tempfile.mkdtemp()


def run(write_line, tag):
    t = time.perf_counter()
    by = {}
    for r in recs:
        by.setdefault(r["kommunekode"], []).append(r)
    for k, rows in by.items():
        with open(os.path.join(tmp, f"{tag}_{k}.txt"), "w", encoding="iso-8859-1", newline="") as fh:
            fh.write("".join(write_line(r) + "\r\n" for r in rows))
    return N / (time.perf_counter() - t)


def bare(r):
    d = r["udbetalingsdato"]
    p = r["periode_fra"]
    return (f"10{r['kommunekode']:03d}{r['cpr']}{r['aftale_id']:<20}{d.year:04d}{d.month:02d}{d.day:02d}"
            f"{p.year:04d}{p.month:02d}{p.day:02d}{d.year:04d}{d.month:02d}{d.day:02d}{r['beloeb_oere']:012d}"
            f"{r['modregnings_id']:<20}" + " " * 29)


assert bare(recs[0]) == f.SF2520_DETALJE.write(recs[0])
a = run(f.SF2520_DETALJE.write, "layout")
b = run(bare, "bare")
print(f"N={N} layout writer: {a:,.0f} records/s; bare loop: {b:,.0f} records/s; ratio {b / a:.2f}x")

"""One month of eIndkomst (SF0770B) lines for N payments across 98 kommuner: the job's own file
writer (integrations.eindkomst.services.eindkomst_fil: layout declared as data -> records ->
ISO-8859-1 bytes) against a bare Python loop writing the same bytes with hand-written f-strings,
both to disk, in the same run (best of 3 alternating rounds).

    .venv/bin/python bench/eindkomst.py [N]      (default 1,000,000)

The rows have the shape the job reads from PostgreSQL (amounts Decimal, one line per person and
month). The set-based SELECT of the changed person-months is not timed here. Target (issue 17):
within 3x of the bare loop. Peak memory (ru_maxrss) is printed: one kommune's file is built in
memory at a time, so memory grows with the largest file, not with N.
"""
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
import django  # noqa: E402

django.setup()
from integrations.eindkomst.services import eindkomst_fil  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
KOMMUNER = list(range(101, 199))  # 98 kommuner
MAANED = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 7, 6, 0, 0)
by_kommune = {k: [] for k in KOMMUNER}
for i in range(N):
    ind = Decimal(4000 + i % 9000) + Decimal("0.50")
    skat = (ind * 38 / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    by_kommune[KOMMUNER[i % 98]].append((f"KY{i + 1:018d}", f"{(i % 28) + 1:02d}0180{i % 10000:04d}", MAANED, ind, skat,
                                         "R" if i % 50 == 0 else "N", f"KY{i + 2_000_000:018d}" if i % 50 == 0 else ""))
tmp = tempfile.mkdtemp(prefix="ky_bench_eindkomst_")


def bare_file(k, nr, now, rows):
    out = [f"00{k:03d}{now:%Y%m%d}{now:%H%M%S}{nr:06d}{'KY':<10}" + " " * 85 + "\r\n"]
    total = 0
    for lid, cpr, maaned, ind, skat, art, erst in rows:
        oere = int(ind * 100)
        total += oere
        out.append(f"10{k:03d}{cpr}{maaned.year:04d}{maaned.month:02d}{oere:012d}{int(skat * 100):012d}{art}"
                   f"{lid:<20}{erst:<20}" + " " * 34 + "\r\n")
    out.append(f"99{k:03d}{len(rows):09d}{total:015d}" + " " * 91 + "\r\n")
    return "".join(out).encode("iso-8859-1")


def run(build, tag):
    t = time.perf_counter()
    for k, rows in by_kommune.items():
        data = build(k, 1, NOW, rows)
        with open(os.path.join(tmp, f"{tag}_{k:03d}.txt"), "wb") as fh:
            fh.write(data)
    return N / (time.perf_counter() - t)


assert eindkomst_fil(101, 1, NOW, by_kommune[101][:60]) == bare_file(101, 1, NOW, by_kommune[101][:60])
ROUNDS = 3
layout = bare = 0.0
for _ in range(ROUNDS):
    layout = max(layout, run(eindkomst_fil, "layout"))
    bare = max(bare, run(bare_file, "bare"))
for k in (101, 198):  # the same bytes on disk
    assert open(os.path.join(tmp, f"layout_{k:03d}.txt"), "rb").read() == open(os.path.join(tmp, f"bare_{k:03d}.txt"), "rb").read()
shutil.rmtree(tmp)
print(f"N={N:,} payments -> lines (one month), {len(KOMMUNER)} kommuner (files), best of {ROUNDS} alternating rounds\n"
      f"layout writer (services.eindkomst_fil): {layout:,.0f} lines/s\n"
      f"bare Python loop:                       {bare:,.0f} lines/s\n"
      f"ratio {bare / layout:.2f}x (target: within 3x); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")

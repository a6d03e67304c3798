"""SF2520 files for N modregninger across 98 kommuner: the job's own file writer
(services.sf2520_fil: layouts declared as data -> records -> ISO-8859-1 bytes) against a bare
Python loop writing the same bytes with hand-written f-strings, both to disk, in the same run.

    .venv/bin/python bench/sf2520.py [N]      (default 1,000,000)

Needs no database (the writer is pure); the rows have the shape the job reads from PostgreSQL
(amounts as Decimal). Target (issue 6): the layout writer within 3x of the bare loop.
"""
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
import django  # noqa: E402

django.setup()
from integrations.sf2520.services import sf2520_fil  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
KOMMUNER = list(range(101, 199))  # 98 kommuner
UDB, FRA, TIL = dt.date(2026, 3, 31), dt.date(2026, 3, 1), dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 12, 0, 0)
by_kommune = {k: [] for k in KOMMUNER}
for i in range(N):
    by_kommune[KOMMUNER[i % 98]].append(
        (i, f"{(i % 28) + 1:02d}0180{i % 10000:04d}", f"AFT{i}", UDB, FRA, TIL,
         Decimal(1500 + i % 1000) + Decimal("0.25"), f"KY{i:018d}"))
tmp = tempfile.mkdtemp(prefix="ky_h6_bench_sf2520_")


def bare_file(k, loebenr, now, rows):
    d8 = lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}"  # noqa: E731
    out = [f"00{k:03d}{d8(now)}{now:%H%M%S}{loebenr:06d}{'KY':<10}" + " " * 85 + "\r\n"]
    total = 0
    for _id, cpr, aid, udb, fra, til, beloeb, mid in rows:
        oere = int(beloeb * 100)
        total += oere
        out.append(f"10{k:03d}{cpr}{aid:<20}{d8(udb)}{d8(fra)}{d8(til)}{oere:012d}{mid:<20}" + " " * 29 + "\r\n")
    out.append(f"99{k:03d}{len(rows):09d}{total:015d}" + " " * 91 + "\r\n")
    return "".join(out).encode("iso-8859-1"), total


def run(build, tag):
    t = time.perf_counter()
    for k, rows in by_kommune.items():
        data, _ = build(k, 1, NOW, rows)
        with open(os.path.join(tmp, f"{tag}_KY_SF2520_{k:03d}_20260331_000001.txt"), "wb") as fh:
            fh.write(data)
    return N / (time.perf_counter() - t)


assert sf2520_fil(101, 1, NOW, by_kommune[101][:50]) == bare_file(101, 1, NOW, by_kommune[101][:50])
ROUNDS = 3  # alternating, best of each: the machine is shared, so a single round is noisy
layout = bare = 0.0
for _ in range(ROUNDS):
    layout = max(layout, run(sf2520_fil, "layout"))
    bare = max(bare, run(bare_file, "bare"))
for k in (101, 198):  # same bytes on disk
    a = open(os.path.join(tmp, f"layout_KY_SF2520_{k:03d}_20260331_000001.txt"), "rb").read()
    assert a == open(os.path.join(tmp, f"bare_KY_SF2520_{k:03d}_20260331_000001.txt"), "rb").read()
shutil.rmtree(tmp)
print(f"N={N:,} modregninger, {len(KOMMUNER)} kommuner (files), best of {ROUNDS} alternating rounds\n"
      f"layout writer (services.sf2520_fil): {layout:,.0f} records/s\n"
      f"bare Python loop:                    {bare:,.0f} records/s\n"
      f"ratio {bare / layout:.2f}x (target: within 3x)")

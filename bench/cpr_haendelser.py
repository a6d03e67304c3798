"""Bench: N CPR events applied with their consequences, next to a COPY of the same rows into the register.

    .venv/bin/python bench/cpr_haendelser.py [--events 1000000] [--personer 200000] [--batch 100000]

On a fresh throwaway database (``<db>_cprbench``): P subscribed persons with stamdata, a residence period,
an aktiv sag with a running bevilling for one in five, UB sager for a few. Then N events in batches (a
national day is ~100,000) through ``services.modtag_haendelser`` — validation, the register, the history,
and the consequences (tasks, stopped bevillinger, UB advis, the adresseringsgrundlag, ny_cpr moves) — and
the floor: the same event rows COPYed into a table like personer_cprhaendelse (same unique index), in the
same run. Prints events/s for both and the ratio; memory stays flat (events are generated per batch).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPER = [("adresse", 30), ("navn", 15), ("civilstand", 10), ("relation", 15), ("ophold", 10), ("udrejst", 4),
         ("indrejst", 4), ("doed", 2), ("forsvundet", 1)]
VEJE = ["Nørregade", "Vestergade", "Østergade", "Algade", "Kirkevej", "Skolevej"]


def _cpr(i: int) -> str:
    d = dt.date(1950, 1, 1) + dt.timedelta(days=i % 18000)
    seventh = (i // 18000) % 4 if d.year < 2000 else 4
    return f"{d:%d%m%y}{seventh}{(i // 72000) % 1000:03d}"


def events(start: int, n: int, personer: list[str], rng: random.Random, ny_cpr_hver: int):
    navne, vaegte = zip(*TYPER)
    out = []
    for j in range(start, start + n):
        cpr = personer[rng.randrange(len(personer))]
        typ = rng.choices(navne, vaegte)[0]
        dato = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
        data: dict = {}
        if typ == "adresse":
            data = {"vejnavn": rng.choice(VEJE), "husnr": str(rng.randint(1, 99)), "postnr": 1000 + rng.randrange(8000),
                    "by": "By", "kommunekode": rng.choice((101, 101, 101, 751, 461)), "vejkode": rng.randint(1, 9999)}
        elif typ == "navn":
            data = {"navn": f"Navn {j}"}
        elif typ == "civilstand":
            data = {"civilstand": rng.choice("UGFE")}
        elif typ == "relation":
            barn = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7000))
            data = {"type": "barn", "cpr": f"{barn:%d%m%y}4{rng.randrange(1000):03d}", "ophoert": rng.random() < 0.2}
        elif typ == "ophold":
            fra = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
            data = {"fra": fra.isoformat(), "land": rng.choice(("DK", "SE", "DE"))}
        elif typ in ("udrejst", "indrejst"):
            data = {"land": "SE"} if typ == "udrejst" else {}
        if typ == "doed":
            dato = dt.date(2026, 11, 30)  # one date of death per person whatever the batch
        if ny_cpr_hver and j % ny_cpr_hver == 0:
            typ, data = "ny_cpr", {"ny_cpr": _cpr(10_000_000 + j)}
        out.append({"haendelse_id": f"B{j:09d}", "cpr": cpr, "type": typ, "dato": dato.isoformat(), "data": data})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--personer", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--ny-cpr-hver", type=int, default=20_000, help="every n-th event is a ny_cpr (0: none)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile's top 20 of the first batch")
    args = ap.parse_args()

    import _throwaway  # noqa: E402  (bench/)

    name = _throwaway.create("cprbench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ky.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from cases.personer import services

    print(f"database {name}: migrating ...", file=sys.stderr)
    call_command("migrate", verbosity=0)
    personer = [_cpr(i) for i in range(args.personer)]
    t0 = time.perf_counter()
    with connection.cursor() as cur, transaction.atomic():
        cur.execute("""INSERT INTO cases_person (cpr, navn, oprettet, aendret)
                       SELECT c, 'Borger ' || c, now(), now() FROM unnest(%s::text[]) c""", [personer])
        cur.execute("""INSERT INTO personer_stamdata (person_id, foedselsdato, vejnavn, husnr, etage, side, postnr, by,
                           kommunekode, vejkode, co, adresse_fra, civilstand, civilstand_dato, statsborgerskab, status,
                           status_dato, ny_cpr, digital_post_fritaget, aendret)
                       SELECT id, personer_foedt(cpr), 'Algade', '1', '', '', 1000, 'By', 101, 100, '', '2000-01-01',
                              'U', NULL, 'DK', 'aktiv', NULL, NULL, false, now() FROM cases_person""")
        cur.execute("INSERT INTO personer_ophold (person_id, fra, til, land) SELECT person_id, foedselsdato, NULL, 'DK' "
                    "FROM personer_stamdata")
        cur.execute("INSERT INTO cases_abonnement (kommune_id, person_id, type, oprettet) "
                    "SELECT 101, id, 'cpr', now() FROM cases_person")
        cur.execute("""INSERT INTO cases_sag (kommune_id, person_id, ydelsestype, status, startdato, kle_nummer, team,
                           markeret_til_sletning, oprettet, aendret)
                       SELECT 101, id, 'KTH', 'aktiv', '2025-01-01', '', '', false, now(), now()
                       FROM cases_person WHERE id % 5 = 0""")
        cur.execute("""INSERT INTO cases_bevilling (kommune_id, person_id, sag_id, ydelsestype, bevilget_fra,
                           maanedligt_beloeb, status, oprettet, aendret)
                       SELECT 101, person_id, id, 'KTH', '2025-01-01', 12000, 'bevilget', now(), now() FROM cases_sag""")
        cur.execute("""INSERT INTO underholdsbidrag_ubsag (kommune_id, omraade, bb_cpr, bb_statuskode, ratevis,
                           aendrede_felter, brugeradvis_frekvens, oprettet, aendret)
                       SELECT 101, 1, cpr, 0, false, '[]', '', now(), now() FROM cases_person WHERE id % 50 = 0""")
        cur.execute("""INSERT INTO underholdsbidrag_bidragsperson (sag_id, cpr, foedselsdato, statuskode, ab_kode,
                           anmodning_kraeves, advis_631_givet, tilgodehavende_individ, tilgodehavende_bb,
                           tilgodehavende_off, primo_bb, primo_off)
                       SELECT id, '0101154' || lpad((id % 1000)::text, 3, '0'), '2015-01-01', 0, 0, false, false, false,
                              0, 0, 0, 0 FROM underholdsbidrag_ubsag""")
        cur.execute("ANALYZE")
    print(f"set-up: {args.personer} persons in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    # the floor: the same rows COPYed into a table like the register's event table
    from cases.personer.services import _copy_text

    floor_s = apply_s = 0.0
    done = 0
    res_sum: dict = {}
    peak = []
    while done < args.events:
        n = min(args.batch, args.events - done)
        batch = events(done, n, personer, random.Random(done), args.ny_cpr_hver)
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS floor_h (LIKE personer_cprhaendelse INCLUDING ALL)")
            cur.execute("TRUNCATE floor_h")
            import json

            with cur.cursor.copy("COPY floor_h (haendelse_id, cpr, type, dato, data, kilde, modtaget) FROM STDIN") as cp:
                cp.write("".join(
                    "\t".join((e["haendelse_id"], e["cpr"], e["type"], e["dato"],
                               _copy_text(json.dumps(e["data"], ensure_ascii=False)), "bench", "now")) + "\n"
                    for e in batch).encode())
        floor_s += time.perf_counter() - t
        t = time.perf_counter()
        if args.profile and done == 0:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            res = prof.runcall(services.modtag_haendelser, batch, kilde="bench", as_of=dt.date(2026, 12, 7))
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            res = services.modtag_haendelser(batch, kilde="bench", as_of=dt.date(2026, 12, 7))
        apply_s += time.perf_counter() - t
        for k, v in res.items():
            res_sum[k] = res_sum.get(k, 0) + v
        done += n
        peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        print(f"  {done:>9} events: apply {done / apply_s:,.0f}/s, COPY floor {done / floor_s:,.0f}/s, "
              f"max RSS {peak[-1]} MB", file=sys.stderr)
    print(f"consequences: {res_sum}")
    print(f"events applied with consequences: {args.events:,} in {apply_s:.1f} s = {args.events / apply_s:,.0f} events/s")
    print(f"COPY of the same rows (floor):     {args.events:,} in {floor_s:.1f} s = {args.events / floor_s:,.0f} rows/s")
    print(f"ratio: {apply_s / floor_s:.1f}x the floor (target: within 5x); max RSS per batch (MB): {peak}")
    if not args.keep:
        connection.close()
        _throwaway.drop(name)


if __name__ == "__main__":
    main()

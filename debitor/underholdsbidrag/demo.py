"""seed_demo hook (DEMO_HOOK.md): a satstabel and some underholdsbidrag sager, in bulk."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from .models import Bidrag, Bidragsperson, Bidragspligtig, Kontoplan, Sats, Tilslutning, UBSag

SATSER = [  # (bidragsart, gyldig_fra, gyldig_til, half-year / monthly / once)
    (11, dt.date(2024, 7, 1), dt.date(2025, 6, 30), Decimal("3840.00")),
    (11, dt.date(2025, 7, 1), dt.date(2026, 6, 30), Decimal("3960.00")),
    (11, dt.date(2026, 7, 1), None, Decimal("4038.00")),
    (12, dt.date(2025, 7, 1), None, Decimal("3960.00")),
    (15, dt.date(2025, 7, 1), None, Decimal("4200.00")),
    (31, dt.date(2025, 1, 1), None, Decimal("5000.00")),
    (32, dt.date(2025, 1, 1), None, Decimal("1200.00")),
]


def ensure_satser() -> int:
    if Sats.objects.exists():
        return 0
    Sats.objects.bulk_create([Sats(bidragsart=a, gyldig_fra=f, gyldig_til=t, beloeb=b) for a, f, t, b in SATSER])
    return len(SATSER)


def _cpr(d: dt.date, serial: int) -> str:
    # 7th digit: 0-3 -> 1900s, 4 with year <= 36 -> 2000s (CPR century rule)
    first = (4 if d.year >= 2000 else 1)
    return f"{d:%d%m%y}{first}{serial % 1000:03d}"


def bulk_sager(kommune_id: int, n: int, rng: random.Random, forfald_fra: dt.date, offset: int = 0,
               batch_size: int = 5000) -> dict[str, int]:
    """n sager, one BB, one BP (child), one bidrag (mostly art 11 H) and one BPL each."""
    counts = {"UBSag": 0, "Bidragsperson": 0, "Bidrag": 0, "Bidragspligtig": 0}
    for start in range(0, n, batch_size):
        idx = range(offset + start, offset + min(start + batch_size, n))
        sager, plan = [], []
        for i in idx:
            bb = _cpr(dt.date(1975, 1, 1) + dt.timedelta(days=i // 1000), i)
            child = dt.date(2009, 1, 1) + dt.timedelta(days=rng.randrange(0, 16 * 365))
            bpl = _cpr(dt.date(1970, 1, 1) + dt.timedelta(days=i // 1000), i)
            art, frek = rng.choice([(11, "H"), (11, "H"), (11, "K"), (11, "M"), (12, "H"), (32, "3")])
            forfald = forfald_fra + dt.timedelta(days=rng.randrange(0, 28))
            sager.append(UBSag(kommune_id=kommune_id, omraade=1 + i % 5, bb_cpr=bb,
                               udbetalingsform=rng.choice([0, 2]), ratevis=rng.random() < 0.05))
            plan.append((child, bpl, art, frek, forfald, rng.choice([0, 0, 0, 1, 3, 8])))
        UBSag.objects.bulk_create(sager, batch_size=batch_size)
        bps = [Bidragsperson(sag_id=s.pk, cpr=_cpr(p[0], i), foedselsdato=p[0], ab_kode=p[5])
               for i, (s, p) in enumerate(zip(sager, plan))]
        Bidragsperson.objects.bulk_create(bps, batch_size=batch_size)
        Bidrag.objects.bulk_create([
            Bidrag(kommune_id=kommune_id, bp_id=bp.pk, bidragsart=p[2], bpl_cpr=p[1], forfaldsdato=p[4],
                   forfaldsfrekvens=p[3]) for bp, p in zip(bps, plan)], batch_size=batch_size)
        Bidragspligtig.objects.bulk_create([Bidragspligtig(sag_id=s.pk, cpr=p[1]) for s, p in zip(sager, plan)],
                                           batch_size=batch_size)
        for k in counts:
            counts[k] += len(sager)
    return counts


def seed(kommuner: list[int], rng: random.Random) -> dict[str, int]:
    out = {"Sats": ensure_satser(), "Kontoplan": 0}
    today = dt.date.today()
    for k in kommuner:
        if UBSag.objects.filter(kommune_id=k).exists():
            continue
        c = bulk_sager(k, 40, rng, today - dt.timedelta(days=14))
        for key, v in c.items():
            out[key] = out.get(key, 0) + v
        Kontoplan.objects.bulk_create([
            Kontoplan(kommune_id=k, kontogruppe="bidrag", bidragskode="03", konto="5.57.72.1"),
            Kontoplan(kommune_id=k, kontogruppe="bidrag", bidragskode="01", konto="5.57.72.2"),
            Kontoplan(kommune_id=k, kontogruppe="tilgodehavende", bidragsart=11, konto="8.32.26.1"),
        ])
        out["Kontoplan"] += 3
        # seed 004, 3.11.2: the demo kommuner use standardcheck (udbetalingsform 2), not PBS
        _, ny = Tilslutning.objects.get_or_create(
            kommune_id=k, defaults={"standardcheck_start": today - dt.timedelta(days=365)})
        out["Tilslutning"] = out.get("Tilslutning", 0) + ny
    return out

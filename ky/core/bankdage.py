"""Danish bank days, shared by every area that dates a payout (underholdsbidrag, SF2520).

The list is written out rather than taken from ``holidays``: bank closing days include days
that are not public holidays there (Grundlovsdag, 24 and 31 December, the Friday after
Kristi himmelfartsdag)."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from dateutil.easter import easter

# contract "Udbetalingsdato"; seed 004, 3.3.2
@lru_cache(maxsize=64)
def helligdage(aar: int) -> frozenset[dt.date]:
    e = easter(aar)
    bededag_kristi = e + dt.timedelta(days=39)
    return frozenset({
        dt.date(aar, 1, 1),
        e - dt.timedelta(days=3),  # skærtorsdag
        e - dt.timedelta(days=2),  # langfredag
        e + dt.timedelta(days=1),  # 2. påskedag
        bededag_kristi,  # Kristi himmelfartsdag
        bededag_kristi + dt.timedelta(days=1),  # fredagen efter
        e + dt.timedelta(days=50),  # 2. pinsedag
        dt.date(aar, 6, 5),
        dt.date(aar, 12, 24), dt.date(aar, 12, 25), dt.date(aar, 12, 26), dt.date(aar, 12, 31),
    })


def er_bankdag(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in helligdage(d.year)


def foerste_bankdag_fra(d: dt.date) -> dt.date:
    while not er_bankdag(d):
        d += dt.timedelta(days=1)
    return d


def foerste_bankdag_efter(d: dt.date) -> dt.date:
    return foerste_bankdag_fra(d + dt.timedelta(days=1))


def sidste_bankdag_i_maaned(d: dt.date) -> dt.date:
    """The last bank day of ``d``'s month."""
    d = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    while not er_bankdag(d):
        d -= dt.timedelta(days=1)
    return d

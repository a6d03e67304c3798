"""Danish law parameters the register's facts use, as dated data (sources in docs/personer.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Lov om social pension § 1 a: folkepensionsalder by birth date (born from, born to, years, months).
# The 70-year row is the amendment adopted by Folketinget in May 2025 (effect from 2040) for persons born
# 1 January 1971 or later; § 1 a before it gave 69 for everyone born after 31 December 1966.
FOLKEPENSIONSALDER = [
    (None, dt.date(1953, 12, 31), 65, 0, "pensionsloven § 1 a, nr. 1"),
    (dt.date(1954, 1, 1), dt.date(1954, 6, 30), 65, 6, "pensionsloven § 1 a, nr. 2"),
    (dt.date(1954, 7, 1), dt.date(1954, 12, 31), 66, 0, "pensionsloven § 1 a, nr. 3"),
    (dt.date(1955, 1, 1), dt.date(1955, 6, 30), 66, 6, "pensionsloven § 1 a, nr. 4"),
    (dt.date(1955, 7, 1), dt.date(1962, 12, 31), 67, 0, "pensionsloven § 1 a, nr. 5"),
    (dt.date(1963, 1, 1), dt.date(1966, 12, 31), 68, 0, "pensionsloven § 1 a, nr. 6"),
    (dt.date(1967, 1, 1), dt.date(1970, 12, 31), 69, 0, "pensionsloven § 1 a, nr. 7"),
    (dt.date(1971, 1, 1), None, 70, 0, "pensionsloven § 1 a som ændret maj 2025 (70 år fra 2040)"),
]


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (batch.md)."""
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def folkepensionsalder(foedselsdato: dt.date) -> tuple[int, int, str]:
    for fra, til, aar, mdr, kilde in FOLKEPENSIONSALDER:
        if (fra is None or foedselsdato >= fra) and (til is None or foedselsdato <= til):
            return aar, mdr, kilde
    raise ValueError(foedselsdato)


def folkepensionsdato(foedselsdato: dt.date) -> dt.date:
    """The day the person reaches folkepensionsalderen (the birthday at that age)."""
    aar, mdr, _ = folkepensionsalder(foedselsdato)
    return add_months(foedselsdato, aar * 12 + mdr)


@dataclass(frozen=True)
class Opholdskrav:
    gyldig_fra: dt.date
    aar: int          # years of residence in riget required ...
    inden_for: int    # ... within the latest this many years
    kilde: str


# Aktivloven § 11, stk. 3 (opholdskrav for uddannelses- og kontanthjælp). Folkeregisteradresse in riget
# (Danmark, Færøerne, Grønland) counts as ophold. The beskæftigelseskrav (2 år 6 måneder within 10 years) is
# not in the register (no employment data) and is not checked here.
OPHOLDSKRAV = [
    Opholdskrav(dt.date(2015, 9, 1), 7, 8, "aktivloven § 11, stk. 3, lov nr. 1000 af 30.8.2015"),
    Opholdskrav(dt.date(2019, 1, 1), 9, 10, "aktivloven § 11, stk. 3, lov nr. 743 af 8.6.2018"),
]
RIGET = ("DK", "GL", "FO")


def opholdskrav(dato: dt.date) -> Opholdskrav | None:
    gaeldende = [k for k in OPHOLDSKRAV if k.gyldig_fra <= dato]
    return gaeldende[-1] if gaeldende else None


def years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def ophold_i_riget_dage(ophold: list[tuple[dt.date, dt.date | None, str]], fra: dt.date, til: dt.date) -> int:
    """Days in [fra, til] covered by periods in riget (overlaps counted once)."""
    spans = []
    for o_fra, o_til, land in ophold:
        if land not in RIGET:
            continue
        a, b = max(o_fra, fra), min(o_til or til, til)
        if a <= b:
            spans.append((a, b))
    spans.sort()
    days, end = 0, None
    for a, b in spans:
        if end is not None and a <= end:
            if b > end:
                days += (b - end).days
                end = b
        else:
            days += (b - a).days + 1
            end = b
    return days


def alder(foedselsdato: dt.date, dato: dt.date) -> int:
    return dato.year - foedselsdato.year - ((dato.month, dato.day) < (foedselsdato.month, foedselsdato.day))

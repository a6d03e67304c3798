"""The person facts a month's computation needs (ydelse.md: "come from the person register").

The register is engineer "personer"'s (issue 15): ``cases.personer.selectors.person_fakta(cprs, dato)``, one
query for any number of CPRs. When it is not installed (or holds no CPR data for a person) the facts fall back
to their defaults (enlig, no children, udeboende, opholdskrav opfyldt) and the forklaring says so. The age
always comes from the CPR number (cases/cpr.py). Tests that know the facts pass them in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cases.cpr import birth_date


@dataclass(frozen=True)
class PersonFakta:
    cpr: str
    foedselsdato: dt.date
    gift_samlevende: bool = False
    boern_foedt: tuple[dt.date, ...] = ()  # the borger's children he/she forsørger (birth dates)
    hjemmeboende: bool = False
    opholdskrav_opfyldt: bool = True
    kilde: str = "personregister"
    noter: tuple[str, ...] = field(default=())

    def alder(self, dato: dt.date) -> int:
        b = self.foedselsdato
        return dato.year - b.year - ((dato.month, dato.day) < (b.month, b.day))

    def fylder(self, aar: int) -> dt.date:
        """The date the borger turns ``aar`` (29 February birthdays count from 1 March)."""
        b = self.foedselsdato
        try:
            return b.replace(year=b.year + aar)
        except ValueError:
            return dt.date(b.year + aar, 3, 1)

    def boern_under(self, dato: dt.date, aar: int = 18) -> int:
        return sum(1 for f in self.boern_foedt if f <= dato and _fylder(f, aar) > dato)

    def forsoerger(self, dato: dt.date, barn_alder_aar: int = 18) -> bool:
        return self.boern_under(dato, barn_alder_aar) > 0


def _fylder(f: dt.date, aar: int) -> dt.date:
    try:
        return f.replace(year=f.year + aar)
    except ValueError:
        return dt.date(f.year + aar, 3, 1)


FALLBACK_NOTE = "personregisteret er ikke tilgængeligt: enlig, ingen børn, udeboende, opholdskrav opfyldt (standard)"


def _register():
    """The person register's ``person_fakta`` when it has landed (issue 15), else None."""
    for modname in ("cases.personer.selectors",):
        try:
            mod = __import__(modname, fromlist=["person_fakta"])
        except ImportError:
            continue
        fn = getattr(mod, "person_fakta", None)
        if fn is not None:
            return fn
    return None


def person_fakta(cprs, dato: dt.date) -> dict[str, PersonFakta]:
    """{cpr: PersonFakta} as of ``dato``: from the register when it has landed, else the fallback."""
    cprs = list(dict.fromkeys(cprs))
    register = _register()
    out: dict[str, PersonFakta] = {}
    if register is not None:
        for cpr, f in (register(cprs, dato) or {}).items():
            out[cpr] = _from_register(cpr, f)
    for cpr in cprs:
        if cpr not in out:
            out[cpr] = PersonFakta(cpr=cpr, foedselsdato=birth_date(cpr), kilde="fallback", noter=(FALLBACK_NOTE,))
    return out


def _get(f, name, default=None):
    return f.get(name, default) if isinstance(f, dict) else getattr(f, name, default)


def _from_register(cpr: str, f) -> PersonFakta:
    """Map the register's PersonFakta (cases/personer/selectors.py) onto the computation's; the age always comes
    from the CPR. Facts the register does not hold keep their defaults, and the forklaring says so."""
    noter = []
    if not _get(f, "kendt", True):
        noter.append("personregisteret har endnu ingen CPR-oplysninger om personen: enlig, ingen børn, "
                     "udeboende, opholdskrav opfyldt (standard)")
    ophold = _get(f, "opholdskrav_opfyldt", True)
    if ophold is None:
        ophold = True
        if _get(f, "kendt", True):
            noter.append("ingen opholdsperioder i personregisteret: opholdskravet regnes som opfyldt")
    boern = tuple(b.foedselsdato if hasattr(b, "foedselsdato") else birth_date(b["cpr"] if isinstance(b, dict) else b)
                  for b in (_get(f, "boern") or ()))
    return PersonFakta(cpr=cpr, foedselsdato=birth_date(cpr), gift_samlevende=bool(_get(f, "gift_samlevende", False)),
                       boern_foedt=boern, hjemmeboende=bool(_get(f, "hjemmeboende", False)),
                       opholdskrav_opfyldt=bool(ophold), kilde="personregister", noter=tuple(noter))

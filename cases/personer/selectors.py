"""Reads of the person register. The read interface other apps use (docs/personer.md):

- ``person_fakta(cprs, dato)`` -> {cpr: PersonFakta}: one query for any number of CPRs.
- ``person_for(user, cpr)``: the person a user may see (through a sag, bevilling, debitorkonto or
  underholdsbidrag sag of its kommuner), else None.
- ``person_detalje(user, cpr)``: the register's full record of that person (API and screen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from cases.cpr import InvalidCPR, birth_date, normalize_cpr
from cases.models import Bevilling, Person, Sag
from ky.core.scoping import user_kommune_codes

from . import regler
from .models import GIFT_CIVILSTANDE, Historik, Ophold, Relation, Stamdata

BARN_ALDER_AAR = 18  # catalogue: overgaar-fra-forsoergersats, barn_alder_aar


@dataclass(frozen=True)
class Barn:
    cpr: str
    foedselsdato: dt.date
    alder: int


@dataclass(frozen=True)
class OpholdPeriode:
    fra: dt.date
    til: dt.date | None
    land: str


@dataclass(frozen=True)
class PersonFakta:
    """What the register knows of one person on ``dato``. ``kendt`` is False when ky has the person
    (cases.Person) but no CPR data yet (no Stamdata): then only cpr, navn, foedselsdato and alder are
    facts, the rest are defaults. ``opholdskrav_opfyldt`` is None when the register holds no residence
    periods or no opholdskrav applies on ``dato``."""

    cpr: str
    navn: str
    foedselsdato: dt.date
    alder: int
    kendt: bool
    status: str
    status_dato: dt.date | None
    civilstand: str
    gift_samlevende: bool
    boern: tuple[Barn, ...]
    forsoerger: bool
    hjemmeboende: bool
    ophold: tuple[OpholdPeriode, ...]
    ophold_i_riget_dage: int
    opholdskrav_opfyldt: bool | None
    opholdskrav_kilde: str
    kommunekode: int | None
    adresse: dict = field(default_factory=dict)
    digital_post_fritaget: bool = False


ADRESSE_FELTER = ("vejnavn", "husnr", "etage", "side", "postnr", "by", "kommunekode", "vejkode", "co")

_FAKTA_SQL = """
SELECT p.cpr, p.navn, s.person_id IS NOT NULL, s.foedselsdato, s.status, s.status_dato, s.civilstand,
       s.vejnavn, s.husnr, s.etage, s.side, s.postnr, s.by, s.kommunekode, s.vejkode, s.co,
       s.digital_post_fritaget,
       (SELECT coalesce(json_agg(json_build_array(r.type, r.cpr)), '[]') FROM personer_relation r
        WHERE r.person_id = p.id AND (r.fra IS NULL OR r.fra <= %(d)s) AND (r.til IS NULL OR r.til > %(d)s)),
       (SELECT coalesce(json_agg(json_build_array(o.fra, o.til, o.land) ORDER BY o.fra), '[]')
        FROM personer_ophold o WHERE o.person_id = p.id),
       EXISTS (SELECT 1 FROM personer_relation r
               JOIN cases_person fp ON fp.cpr = r.cpr
               JOIN personer_stamdata fs ON fs.person_id = fp.id
               WHERE r.person_id = p.id AND r.type = 'forælder'
                 AND (r.fra IS NULL OR r.fra <= %(d)s) AND (r.til IS NULL OR r.til > %(d)s)
                 AND fs.status = 'aktiv' AND s.kommunekode IS NOT NULL AND s.vejkode IS NOT NULL
                 AND (fs.kommunekode, fs.vejkode, fs.husnr, fs.etage, fs.side)
                     = (s.kommunekode, s.vejkode, s.husnr, s.etage, s.side))
FROM cases_person p
LEFT JOIN personer_stamdata s ON s.person_id = p.id
WHERE p.cpr = ANY(%(cprs)s)
"""


def _date(v) -> dt.date | None:
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def person_fakta(cprs, dato: dt.date, barn_alder_aar: int = BARN_ALDER_AAR) -> dict[str, PersonFakta]:
    """The register's facts of each CPR on ``dato``, in ONE query whatever the number of CPRs. CPRs ky
    does not hold (no cases.Person) are missing from the result.

    - boern: relations of type barn open on ``dato``, born on or before it (birth date from the CPR);
    - forsoerger: a child under ``barn_alder_aar`` (18) among them;
    - gift_samlevende: civilstand gift/registreret partnerskab, or an open ægtefælle/samlever relation;
    - hjemmeboende: a forælder (relation) in the register, status aktiv, at the same address
      (kommunekode, vejkode, husnr, etage, side);
    - opholdskrav: days with residence in riget (DK, GL, FO) within the latest ``inden_for`` years, against
      ``aar`` years (aktivloven § 11, stk. 3 as in force on ``dato``, regler.OPHOLDSKRAV)."""
    cprs = sorted({c for c in cprs if c})
    if not cprs:
        return {}
    with connection.cursor() as cur:
        cur.execute(_FAKTA_SQL, {"cprs": cprs, "d": dato})
        rows = cur.fetchall()
    krav = regler.opholdskrav(dato)
    out = {}
    for (cpr, navn, kendt, foedt, status, status_dato, civilstand, vejnavn, husnr, etage, side, postnr, by,
         kommunekode, vejkode, co, dp_fritaget, rel, oph, hjemme) in rows:
        foedt = foedt or birth_date(cpr)
        boern, partner = [], False
        for typ, rcpr in rel if isinstance(rel, list) else []:
            if typ == "barn":
                try:
                    bd = birth_date(rcpr)
                except Exception:  # an invalid CPR in a relation does not break the facts
                    continue
                if bd <= dato:
                    boern.append(Barn(rcpr, bd, regler.alder(bd, dato)))
            elif typ in ("ægtefælle", "samlever"):
                partner = True
        ophold = tuple(OpholdPeriode(_date(f), _date(t), land) for f, t, land in (oph or []))
        dage, opfyldt = 0, None
        if krav is not None and ophold:
            start = regler.years_before(dato, krav.inden_for) + dt.timedelta(days=1)
            dage = regler.ophold_i_riget_dage([(o.fra, o.til, o.land) for o in ophold], start, dato)
            kraevet = (dato - regler.years_before(dato, krav.aar)).days
            opfyldt = dage >= kraevet
        boern.sort(key=lambda b: b.foedselsdato)
        out[cpr] = PersonFakta(
            cpr=cpr, navn=navn, foedselsdato=foedt, alder=regler.alder(foedt, dato), kendt=bool(kendt),
            status=status or "aktiv", status_dato=status_dato, civilstand=civilstand or "",
            gift_samlevende=partner or civilstand in GIFT_CIVILSTANDE, boern=tuple(boern),
            forsoerger=any(b.alder < barn_alder_aar for b in boern), hjemmeboende=bool(hjemme),
            ophold=ophold, ophold_i_riget_dage=dage, opholdskrav_opfyldt=opfyldt,
            opholdskrav_kilde=krav.kilde if krav else "",
            kommunekode=kommunekode,
            adresse=dict(zip(ADRESSE_FELTER, (vejnavn, husnr, etage, side, postnr, by, kommunekode, vejkode, co)))
            if kendt else {},
            digital_post_fritaget=bool(dp_fritaget),
        )
    return out


# --- scoping -----------------------------------------------------------------------------------------

def synlige_personer(user):
    """Persons a user may see: through a sag, bevilling, debitorkonto or underholdsbidrag sag (as BB, BP
    or BPL) of its kommuner. Unbound roles see all."""
    codes = user_kommune_codes(user)
    qs = Person.objects.all()
    if codes is None:
        return qs
    from debitor.models import Debitorkonto
    from debitor.underholdsbidrag.models import Bidrag, Bidragsperson, UBSag

    cpr = OuterRef("cpr")
    return qs.filter(
        Exists(Sag.objects.filter(person=OuterRef("pk"), kommune_id__in=codes))
        | Exists(Bevilling.objects.filter(person=OuterRef("pk"), kommune_id__in=codes))
        | Exists(Debitorkonto.objects.filter(person=OuterRef("pk"), kommune_id__in=codes))
        | Exists(UBSag.objects.filter(bb_cpr=cpr, kommune_id__in=codes))
        | Exists(Bidragsperson.objects.filter(cpr=cpr, sag__kommune_id__in=codes))
        | Exists(Bidrag.objects.filter(bpl_cpr=cpr, kommune_id__in=codes))
    )


def person_for(user, cpr: str) -> Person | None:
    try:
        cpr = normalize_cpr(cpr)
    except InvalidCPR:
        return None
    return synlige_personer(user).filter(cpr=cpr).select_related("stamdata").first()


def _stamdata(person) -> Stamdata | None:
    try:
        return person.stamdata
    except Stamdata.DoesNotExist:
        return None


def person_dict(person: Person, relationer=None, ophold=None) -> dict:
    """The contract's shape (personer.md) plus fødselsdato and Digital Post."""
    s = _stamdata(person)
    relationer = relationer if relationer is not None else list(Relation.objects.filter(person=person)
                                                               .order_by("type", "cpr", "fra"))
    ophold = ophold if ophold is not None else list(Ophold.objects.filter(person=person).order_by("fra"))
    return {
        "cpr": person.cpr,
        "navn": person.navn,
        "foedselsdato": (s.foedselsdato if s else birth_date(person.cpr)),
        "adresse": {f: getattr(s, f) for f in ADRESSE_FELTER} if s else None,
        "civilstand": s.civilstand if s else "",
        "statsborgerskab": s.statsborgerskab if s else "",
        "status": s.status if s else "aktiv",
        "status_dato": s.status_dato if s else None,
        "ny_cpr": s.ny_cpr if s else None,
        "digital_post_fritaget": s.digital_post_fritaget if s else False,
        "relationer": [{"type": r.type, "cpr": r.cpr, "fra": r.fra, "til": r.til} for r in relationer],
        "ophold": [{"fra": o.fra, "til": o.til, "land": o.land} for o in ophold],
    }


def historik(person: Person, limit: int = 200):
    return list(Historik.objects.filter(person=person).select_related("bruger").order_by("-id")[:limit])


def personens_sager(user, person: Person):
    """The person's sager in the user's kommuner (the person page)."""
    return Sag.objects.for_user(user).filter(person=person).order_by("-startdato", "-id")


def abonnerede(cprs) -> set[str]:
    """The CPRs among ``cprs`` that some kommune subscribes to (type cpr)."""
    from cases.models import Abonnement

    return set(Abonnement.objects.filter(person__cpr__in=list(cprs), type="cpr")
               .values_list("person__cpr", flat=True).distinct())


__all__ = ["person_fakta", "PersonFakta", "Barn", "OpholdPeriode", "person_for", "synlige_personer",
           "person_dict", "historik", "personens_sager", "abonnerede", "Q"]

"""Letters about a citizen's benefits (seed 000, nr. 8 and 9; docs/breve.md "Jobs").

Candidates are selected in one query each; the letters are made by ``services.opret_breve`` (one
Renderer, set-based inserts, idempotent by ``noegle``), the caseworker's tasks by
``cases.services.opret_batch_opgaver`` (ON CONFLICT on the task's key)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import connection

from cases.breve import services
from cases.models import Ydelsestype
from cases.services import opret_batch_opgaver

VARSEL = "varsel-bortfald"
PARTSHOERING = "partshoering-nedsaettelse"
OPLYSNINGSPLIGT = "oplysningspligt"
JOB8 = "varsling-bortfald-nedsaettelse-eller-partshoering"
HOERINGSFRIST_DAGE = 14  # forvaltningsloven § 19: a reasonable time to answer; ky's default


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    import calendar
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


def _ydelse(kode: str) -> str:
    return dict(Ydelsestype.choices).get(kode, kode)


def varsler(kommune_id: int, as_of: dt.date, maaneder: int, *, koersel=None, dry_run: bool = False) -> dict:
    """seed 000, nr. 8: a varsel ``maaneder`` months before bevilget_til (and any later bevilling not yet
    warned: it catches up), once per bevilling and end date; a task for the caseworker to decide on
    continuation before the end date."""
    rows = _rows("""
        SELECT b.id, b.sag_id, b.ydelsestype, b.bevilget_fra, b.bevilget_til, b.maanedligt_beloeb, p.cpr, p.navn,
               p.id AS person_id
        FROM cases_bevilling b JOIN cases_person p ON p.id = b.person_id
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.bevilget_til > %(d)s
          AND b.bevilget_til <= %(graense)s
          AND NOT EXISTS (SELECT 1 FROM breve_brev x WHERE x.kommune_id = %(k)s AND x.type = %(type)s
                          AND x.noegle = 'varsel:' || b.id || ':' || b.bevilget_til)
        ORDER BY b.id""", {"k": kommune_id, "d": as_of, "graense": add_months(as_of, maaneder), "type": VARSEL})
    nye = [services.NytBrev(
        type=VARSEL, kommune_id=kommune_id, sag_id=r["sag_id"], cpr=r["cpr"], noegle=f"varsel:{r['id']}:{r['bevilget_til']}",
        data={"navn": r["navn"], "ydelse": _ydelse(r["ydelsestype"]), "bevilling": r["id"],
              "bevilget_fra": r["bevilget_fra"], "bevilget_til": r["bevilget_til"],
              "maanedligt_beloeb": r["maanedligt_beloeb"], "maaneder": maaneder}) for r in rows]
    res = services.opret_breve(nye, koersel=koersel, as_of=as_of, dry_run=dry_run)
    opg = opret_batch_opgaver(kommune_id, JOB8, """
        SELECT b.kommune_id, left('Bevillingen ophører ' || to_char(b.bevilget_til, 'DD.MM.YYYY')
                                  || ': tag stilling til forlængelse', 300) AS titel,
               b.sag_id, b.person_id, b.bevilget_til - 14 AS frist, 'varsel:' || b.id || ':' || b.bevilget_til AS noegle,
               jsonb_build_object('bevilling', b.id, 'bevilget_til', b.bevilget_til) AS data
        FROM cases_bevilling b WHERE b.kommune_id = %(k)s AND b.id = ANY(%(ids)s)""",
                               {"k": kommune_id, "ids": [r["id"] for r in rows]}, dry_run=dry_run)
    return {"varsler": res.oprettet, "varsler_fejlet": res.fejlet, "opgaver": opg["created"]}


def partshoeringer(kommune_id: int, as_of: dt.date, *, koersel=None, dry_run: bool = False) -> dict:
    """seed 000, nr. 8: a partshøring before a nedsættelse (a sanktion or nedsættelse registered on a
    bevilling, not yet in force: forvaltningsloven § 19), once per sanktion; a task to read the answer
    and decide, with the høringsfrist as its frist."""
    try:
        tabel = apps.get_model("ydelse", "Sanktion")._meta.db_table
    except LookupError:  # the ydelse app (issue 13) is not installed: nothing to hear
        return {"partshoeringer": 0, "partshoeringer_fejlet": 0, "opgaver": 0}
    rows = _rows(f"""
        SELECT s.id, s.art, s.fra, s.til, s.beloeb, s.begrundelse, b.id AS bevilling, b.sag_id, b.ydelsestype,
               b.maanedligt_beloeb, p.cpr, p.navn
        FROM {tabel} s JOIN cases_bevilling b ON b.id = s.bevilling_id JOIN cases_person p ON p.id = b.person_id
        WHERE s.kommune_id = %(k)s AND s.fra > %(d)s AND b.status = 'bevilget'
          AND NOT EXISTS (SELECT 1 FROM breve_brev x WHERE x.kommune_id = %(k)s AND x.type = %(type)s
                          AND x.noegle = 'partshoering:' || s.id)
        ORDER BY s.id""", {"k": kommune_id, "d": as_of, "type": PARTSHOERING})
    frist = as_of + dt.timedelta(days=HOERINGSFRIST_DAGE)
    arter = {"sanktion": "sanktion", "skaerpet": "skærpet rådighedssanktion",
             "nedsaettelse_225": "nedsættelse efter 225-timers-reglen"}
    nye = [services.NytBrev(
        type=PARTSHOERING, kommune_id=kommune_id, sag_id=r["sag_id"], cpr=r["cpr"], noegle=f"partshoering:{r['id']}",
        data={"navn": r["navn"], "ydelse": _ydelse(r["ydelsestype"]), "art": arter.get(r["art"], r["art"]),
              "fra": r["fra"], "til": r["til"], "beloeb": r["beloeb"], "begrundelse": r["begrundelse"],
              "maanedligt_beloeb": r["maanedligt_beloeb"], "svarfrist": frist, "sanktion": r["id"]}) for r in rows]
    res = services.opret_breve(nye, koersel=koersel, as_of=as_of, dry_run=dry_run)
    opg = opret_batch_opgaver(kommune_id, JOB8, f"""
        SELECT b.kommune_id, left('Partshøring sendt: vurder svaret før nedsættelsen ' ||
                                  to_char(s.fra, 'DD.MM.YYYY'), 300) AS titel,
               b.sag_id, b.person_id, %(frist)s::date AS frist, 'partshoering:' || s.id AS noegle,
               jsonb_build_object('sanktion', s.id, 'bevilling', b.id) AS data
        FROM {tabel} s JOIN cases_bevilling b ON b.id = s.bevilling_id
        WHERE s.kommune_id = %(k)s AND s.id = ANY(%(ids)s)""",
                               {"k": kommune_id, "ids": [r["id"] for r in rows], "frist": frist}, dry_run=dry_run)
    return {"partshoeringer": res.oprettet, "partshoeringer_fejlet": res.fejlet, "opgaver": opg["created"]}


OPLYSNINGSPLIGT_YDELSER = ("KTH", "UDH", "HTF", "SAES", "FLEKS")


def oplysningspligt(kommune_id: int, as_of: dt.date, dage: int, *, koersel=None, dry_run: bool = False) -> dict:
    """seed 000, nr. 9: the letter on the citizen's duty to tell the kommune about changes
    (retssikkerhedsloven § 11), once per bevilling granted within the last ``dage`` days."""
    rows = _rows("""
        SELECT b.id, b.sag_id, b.ydelsestype, b.bevilget_fra, b.bevilget_til, b.maanedligt_beloeb, p.cpr, p.navn
        FROM cases_bevilling b JOIN cases_person p ON p.id = b.person_id
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.ydelsestype = ANY(%(typer)s)
          AND b.bevilget_fra > %(fra)s AND b.bevilget_fra <= %(d)s
          AND NOT EXISTS (SELECT 1 FROM breve_brev x WHERE x.kommune_id = %(k)s AND x.type = %(type)s
                          AND x.noegle = 'oplysningspligt:' || b.id)
        ORDER BY b.id""", {"k": kommune_id, "d": as_of, "fra": as_of - dt.timedelta(days=dage),
                           "typer": list(OPLYSNINGSPLIGT_YDELSER), "type": OPLYSNINGSPLIGT})
    nye = [services.NytBrev(
        type=OPLYSNINGSPLIGT, kommune_id=kommune_id, sag_id=r["sag_id"], cpr=r["cpr"],
        noegle=f"oplysningspligt:{r['id']}",
        data={"navn": r["navn"], "ydelse": _ydelse(r["ydelsestype"]), "ydelsestype": r["ydelsestype"],
              "bevilget_fra": r["bevilget_fra"], "bevilget_til": r["bevilget_til"],
              "maanedligt_beloeb": r["maanedligt_beloeb"], "bevilling": r["id"]}) for r in rows]
    res = services.opret_breve(nye, koersel=koersel, as_of=as_of, dry_run=dry_run)
    return {"breve": res.oprettet, "breve_fejlet": res.fejlet}

"""debitor-indbetaling (issue 14 #40; udbetaling.md "Indbetalinger"): payments received on
fordringer become dækninger, oldest stiftelsesdato first; an overpayment stays as a credit on the
konto and gives a task, and a payment that cannot be placed (unknown konto, CPR not the konto's)
is kept with its reason and gives a task: money received is never dropped.

Set-based: the lines are inserted ON CONFLICT (filnavn, linje) DO NOTHING RETURNING, so a file
read again after a crash covers nothing twice; the dækninger of all the run's lines are one
UPDATE ... FROM (window over each konto's fordringer) and one INSERT of posteringer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection, transaction

from debitor.udbetaling.models import Indbetaling

I = Indbetaling._meta.db_table
PAKKE = ("INDBETALINGER", "Indbetalinger til opfølgning")


def registrer(kommune_id: int, filnavn: str, poster: list[dict]) -> dict:
    """``poster``: [{linje, cpr, debitorkonto, beloeb_oere, indbetalingsdato}] of one checked file.
    Returns counts {indbetalinger, daekninger, daekket, overskud, uplaceret}."""
    res = {"indbetalinger": 0, "daekninger": 0, "daekket": Decimal(0), "overskud": Decimal(0), "uplaceret": 0}
    if not poster:
        return res
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO {I} (kommune_id, filnavn, linje, cpr, kontonr, debitorkonto_id, beloeb, indbetalingsdato,
                             daekket, overskud, fejl, oprettet)
            SELECT %(k)s, %(fil)s, s.linje, s.cpr, s.kontonr, dk.id, s.oere / 100.0, s.dato, 0, s.oere / 100.0,
                   CASE WHEN dk.id IS NULL THEN 'ukendt debitorkonto ' || s.kontonr
                        WHEN p.cpr <> s.cpr THEN 'CPR-nummeret ' || s.cpr || ' er ikke debitorkontoens'
                        ELSE '' END, now()
              FROM unnest(%(linje)s::int[], %(cpr)s::text[], %(konto)s::text[], %(oere)s::bigint[], %(dato)s::date[])
                   AS s(linje, cpr, kontonr, oere, dato)
              LEFT JOIN debitor_debitorkonto dk ON dk.kommune_id = %(k)s AND dk.kontonr = s.kontonr
              LEFT JOIN cases_person p ON p.id = dk.person_id
            ON CONFLICT (filnavn, linje) DO NOTHING
            RETURNING id""", {
            "k": kommune_id, "fil": filnavn, "linje": [p["linje"] for p in poster], "cpr": [p["cpr"] for p in poster],
            "konto": [p["debitorkonto"] for p in poster], "oere": [p["beloeb_oere"] for p in poster],
            "dato": [p["indbetalingsdato"] for p in poster]})
        ids = [r[0] for r in cur.fetchall()]
        res["indbetalinger"] = len(ids)
        if not ids:
            return res
        # lock the konti's open fordringer, then cover them oldest stiftelsesdato first, each konto's
        # new indbetalinger together (in line order) against its fordringer in that order
        cur.execute("""SELECT f.id FROM debitor_fordring f WHERE f.restgaeld > 0 AND f.debitorkonto_id IN
                       (SELECT debitorkonto_id FROM udbetaling_indbetaling WHERE id = ANY(%s) AND fejl = '')
                       ORDER BY f.id FOR UPDATE""", [ids])
        cur.execute(f"""
            WITH ind AS (
                SELECT id, debitorkonto_id, beloeb, indbetalingsdato,
                       sum(beloeb) OVER w - beloeb AS ind_foer
                  FROM {I} WHERE id = ANY(%(ids)s) AND fejl = ''
                WINDOW w AS (PARTITION BY debitorkonto_id ORDER BY linje, id)),
            ford AS (
                SELECT f.id, f.kommune_id, f.debitorkonto_id, f.restgaeld,
                       sum(f.restgaeld) OVER w - f.restgaeld AS f_foer
                  FROM debitor_fordring f
                 WHERE f.restgaeld > 0 AND f.debitorkonto_id IN (SELECT debitorkonto_id FROM ind)
                WINDOW w AS (PARTITION BY f.debitorkonto_id ORDER BY f.stiftelsesdato NULLS LAST, f.id)),
            -- the overlap of each indbetaling's interval with each fordring's interval on the konto
            par AS (
                SELECT i.id AS ind_id, f.id AS fordring_id, f.kommune_id, i.indbetalingsdato,
                       least(i.ind_foer + i.beloeb, f.f_foer + f.restgaeld) - greatest(i.ind_foer, f.f_foer) AS daek
                  FROM ind i JOIN ford f ON f.debitorkonto_id = i.debitorkonto_id
                 WHERE least(i.ind_foer + i.beloeb, f.f_foer + f.restgaeld) > greatest(i.ind_foer, f.f_foer)),
            pr_fordring AS (
                SELECT fordring_id, sum(daek) AS daek FROM par GROUP BY fordring_id),
            upd AS (
                UPDATE debitor_fordring x SET restgaeld = x.restgaeld - p.daek, aendret = now()
                  FROM pr_fordring p WHERE x.id = p.fordring_id
                RETURNING x.id),
            post AS (
                -- one dækning per indbetaling and fordring; restgæld before/after in the order covered
                INSERT INTO debitor_fordringspostering (kommune_id, fordring_id, type, beloeb, dato, restgaeld_foer,
                                                        restgaeld_efter, bruger_id, oprettet)
                SELECT p.kommune_id, p.fordring_id, 'daekning', p.daek, p.indbetalingsdato,
                       f.restgaeld - coalesce(sum(p.daek) OVER w - p.daek, 0),
                       f.restgaeld - sum(p.daek) OVER w, NULL, now()
                  FROM par p JOIN ford f ON f.id = p.fordring_id
                WINDOW w AS (PARTITION BY p.fordring_id ORDER BY p.ind_id)
                RETURNING id),
            pr_ind AS (SELECT ind_id, sum(daek) AS daek FROM par GROUP BY ind_id)
            UPDATE {I} i SET daekket = p.daek, overskud = i.beloeb - p.daek
              FROM pr_ind p WHERE i.id = p.ind_id
            RETURNING (SELECT count(*) FROM post), (SELECT count(*) FROM upd)""", {"ids": ids})
        row = cur.fetchone()
        res["daekninger"] = row[0] if row else 0
        cur.execute(f"""SELECT coalesce(sum(daekket), 0), coalesce(sum(overskud) FILTER (WHERE fejl = ''), 0),
                               count(*) FILTER (WHERE fejl <> '')
                          FROM {I} WHERE id = ANY(%s)""", [ids])
        res["daekket"], res["overskud"], res["uplaceret"] = cur.fetchone()
        _opgaver(kommune_id, ids)
    return res


def _opgaver(kommune_id: int, ids: list[int]) -> None:
    """A task per indbetaling with an overpayment (credit on the konto) or that could not be placed."""
    from cases.models import Opgave
    from cases.services import opgavepakke

    rows = list(Indbetaling.objects.filter(pk__in=ids).exclude(overskud=0, fejl="")
                .values_list("id", "debitorkonto_id", "debitorkonto__person_id", "beloeb", "overskud", "fejl",
                             "kontonr"))
    if not rows:
        return
    pakke = opgavepakke(kommune_id, *PAKKE)
    Opgave.objects.bulk_create([
        Opgave(kommune_id=kommune_id, opgavepakke=pakke, debitorkonto_id=konto, person_id=person,
               type="indbetaling-uplaceret" if fejl else "indbetaling-overskud", noegle=f"ind-{i}",
               titel=(f"Indbetaling {beloeb} kr. kan ikke placeres: {fejl}" if fejl
                      else f"Overskydende indbetaling {overskud} kr. står som kredit på debitorkonto {kontonr}")[:300],
               data={"indbetaling": i})
        for i, konto, person, beloeb, overskud, fejl, kontonr in rows], ignore_conflicts=True)


def kredit(debitorkonto_id: int) -> Decimal:
    """The konto's credit: overpayments received and not yet used."""
    from django.db.models import Sum

    return Indbetaling.objects.filter(debitorkonto_id=debitorkonto_id, fejl="").aggregate(
        s=Sum("overskud"))["s"] or Decimal(0)


__all__ = ["registrer", "kredit", "dt"]

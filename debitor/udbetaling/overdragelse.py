"""overdragelse-af-debitorkonto (issue 14 #65; seed 000: "Overfører debitorer som KY ikke har
rettigheder over længere"): a debitorkonto with restgæld is handed over once (``Overdragelse``,
unique per konto) when
- the debtor has moved: the CPR bopælskommune (person register, personer_stamdata) is another
  kommune -> a new konto there (kontonr ``OVD<old id>``, kilde KY) with a copy of each open
  fordring at its restgæld, and a task in the receiving kommune; or
- every open fordring has been sent to inddrivelse (debitor-send-krav) -> handed to inddrivelse.
Either way each open fordring of the old konto gets a nedregulering to 0: the saldo leaves the
kommune's books, the konto and its history stay. Set-based, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

_KAND = """
    SELECT dk.id, dk.kommune_id, dk.person_id, dk.kontonr, dk.ydelsestype, r.saldo,
           CASE WHEN s.kommunekode IS NOT NULL AND s.kommunekode <> dk.kommune_id
                     AND EXISTS (SELECT 1 FROM cases_kommune k WHERE k.kode = s.kommunekode) THEN 'flyttet'
                WHEN NOT EXISTS (SELECT 1 FROM debitor_fordring f
                                   LEFT JOIN udbetaling_inddrivelseskrav i ON i.fordring_id = f.id
                                  WHERE f.debitorkonto_id = dk.id AND f.restgaeld > 0
                                    AND (i.id IS NULL OR i.status <> 'sendt')) THEN 'inddrivelse' END AS aarsag,
           CASE WHEN s.kommunekode <> dk.kommune_id THEN s.kommunekode END AS til
      FROM debitor_debitorkonto dk
      CROSS JOIN LATERAL (SELECT sum(f.restgaeld) AS saldo FROM debitor_fordring f
                           WHERE f.debitorkonto_id = dk.id AND f.restgaeld > 0) r
      LEFT JOIN personer_stamdata s ON s.person_id = dk.person_id
      LEFT JOIN udbetaling_overdragelse o ON o.debitorkonto_id = dk.id
     WHERE dk.kommune_id = %(k)s AND r.saldo > 0 AND o.id IS NULL"""


def overdrag(kommune_id: int, as_of: dt.date, *, dry_run: bool = False) -> dict:
    p = {"k": kommune_id, "dato": as_of}
    with connection.cursor() as cur:
        if dry_run:
            cur.execute(f"SELECT aarsag, count(*) FROM ({_KAND}) x WHERE aarsag IS NOT NULL GROUP BY aarsag", p)
            return {"flyttet": 0, "inddrivelse": 0, **dict(cur.fetchall())}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO udbetaling_overdragelse (kommune_id, debitorkonto_id, aarsag, til_kommune_id, saldo, dato)
            SELECT kommune_id, id, aarsag, CASE WHEN aarsag = 'flyttet' THEN til END, saldo, %(dato)s
              FROM ({_KAND} FOR UPDATE OF dk) x WHERE aarsag IS NOT NULL
            ON CONFLICT (debitorkonto_id) DO NOTHING
            RETURNING id, debitorkonto_id, aarsag""", p)
        nye = cur.fetchall()
        if not nye:
            return {"flyttet": 0, "inddrivelse": 0}
        ids = [n[0] for n in nye]
        # the receiving kommune's konto and fordringer (at their restgæld)
        cur.execute("""
            WITH o AS (SELECT o.id, o.til_kommune_id, dk.id AS gammel, dk.person_id, dk.ydelsestype
                         FROM udbetaling_overdragelse o JOIN debitor_debitorkonto dk ON dk.id = o.debitorkonto_id
                        WHERE o.id = ANY(%(ids)s) AND o.aarsag = 'flyttet'),
            ny AS (INSERT INTO debitor_debitorkonto (kommune_id, kontonr, person_id, kilde, ydelsestype, oprettet, aendret)
                   SELECT til_kommune_id, 'OVD' || gammel, person_id, 'KY', ydelsestype, now(), now() FROM o
                   ON CONFLICT (kommune_id, kontonr) DO NOTHING
                   RETURNING id, kommune_id, kontonr)
            UPDATE udbetaling_overdragelse x SET ny_debitorkonto_id = ny.id
              FROM o JOIN ny ON ny.kommune_id = o.til_kommune_id AND ny.kontonr = 'OVD' || o.gammel
             WHERE x.id = o.id""", {"ids": ids})
        cur.execute("""
            INSERT INTO debitor_fordring (kommune_id, debitorkonto_id, fordring_id, fordringstype, hovedstol, restgaeld,
                                          periode_fra, periode_til, stiftelsesdato, oprettet, aendret)
            SELECT o.til_kommune_id, o.ny_debitorkonto_id, f.fordring_id, f.fordringstype, f.restgaeld, f.restgaeld,
                   f.periode_fra, f.periode_til, f.stiftelsesdato, now(), now()
              FROM udbetaling_overdragelse o JOIN debitor_fordring f ON f.debitorkonto_id = o.debitorkonto_id
             WHERE o.id = ANY(%(ids)s) AND o.ny_debitorkonto_id IS NOT NULL AND f.restgaeld > 0
            ON CONFLICT (kommune_id, fordring_id) DO NOTHING""", {"ids": ids})
        # the old konto's fordringer to 0, each by a nedregulering (history kept)
        cur.execute("""
            WITH f AS (SELECT f.id, f.kommune_id, f.restgaeld FROM debitor_fordring f
                         JOIN udbetaling_overdragelse o ON o.debitorkonto_id = f.debitorkonto_id
                        WHERE o.id = ANY(%(ids)s) AND f.restgaeld > 0),
            p AS (INSERT INTO debitor_fordringspostering (kommune_id, fordring_id, type, beloeb, dato, restgaeld_foer,
                                                          restgaeld_efter, bruger_id, oprettet)
                  SELECT kommune_id, id, 'nedregulering', restgaeld, %(dato)s, restgaeld, 0, NULL, now() FROM f)
            UPDATE debitor_fordring x SET restgaeld = 0, aendret = now() FROM f WHERE x.id = f.id""",
                    {"ids": ids, "dato": as_of})
    _opgaver(ids)
    return {"flyttet": sum(1 for n in nye if n[2] == "flyttet"), "inddrivelse": sum(1 for n in nye if n[2] == "inddrivelse")}


def _opgaver(ids: list[int]) -> None:
    """The receiving kommune is told by a task on its new konto."""
    from cases.models import Opgave
    from cases.services import opgavepakke
    from debitor.udbetaling.models import Overdragelse

    rows = (Overdragelse.objects.filter(pk__in=ids, ny_debitorkonto__isnull=False)
            .values_list("pk", "til_kommune_id", "ny_debitorkonto_id", "ny_debitorkonto__kontonr",
                         "ny_debitorkonto__person_id", "kommune_id", "saldo"))
    opgaver = []
    for oid, til, konto, kontonr, person, fra, saldo in rows:
        pakke = opgavepakke(til, "OVERDRAGNE-KONTI", "Overdragne debitorkonti")
        opgaver.append(Opgave(kommune_id=til, opgavepakke=pakke, type="overdragelse-af-debitorkonto",
                              noegle=f"overdragelse-{oid}", debitorkonto_id=konto, person_id=person,
                              titel=f"Debitorkonto {kontonr} overdraget fra kommune {fra:03d} med saldo {saldo} kr.",
                              data={"overdragelse": oid}))
    Opgave.objects.bulk_create(opgaver, ignore_conflicts=True)

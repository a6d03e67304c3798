"""Finansbilag (SF1590_A, issue 14 #24/#25): the day's money movements as double entry per the
kommune's kontoplan.

Every movement gives one debet and one kredit line of the same amount, so a bilag balances by
construction; the database checks it again (CHECK sum_debet = sum_kredit on the bilag and the
deferred trigger of migration 0002 comparing the lines with the bilag). A movement is booked once:
``Bogfoering`` (art, objekt_id) is unique, and a bilag claims its movements with
INSERT ... ON CONFLICT DO NOTHING RETURNING. An afvist bilag releases them for the next bilag.

Movements (docs/udbetaling.md, "Finansbilag"):
- udbetaling gennemført (on its udbetalingsdato): debet udgift:<kilde> (CPR), kredit nemkonto
- fordring stiftet (stiftelsesdato) in ky (not KMD Aktiv's migrated ones): debet debitorer (CPR), kredit indtaegt:<type>
- fordringspostering: dækning debet indbetalinger, afskrivning debet tab, nedregulering debet
  indtaegt:<type>; kredit debitorer (CPR)
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, transaction

from debitor.models import Fordringstype
from debitor.udbetaling.models import (BilagStatus, Bogfoering, Finansbilag, FinansbilagLinje, Finanskonto, Kilde)

# ky's default kontoplan (a kommune's Finanskonto rows override it). The numbers follow the
# kommunale budget- og regnskabssystem's hovedkonti where one is obvious; they are defaults to
# be replaced by each kommune's own plan (docs/udbetaling.md).
STANDARD_KONTOPLAN: dict[str, tuple[str, str]] = {
    "udgift:effektuering": ("5.46.61.1", "Kontanthjælp, udbetaling"),
    "udgift:kvikudbetaling": ("5.46.61.2", "Kontanthjælp, kvikudbetaling"),
    "udgift:underholdsbidrag": ("5.57.75.1", "Underholdsbidrag, udbetaling"),
    "udgift:apoe": ("8.52.19.1", "APØ, borgerens midler"),
    "nemkonto": ("8.22.05.1", "NemKonto, mellemregning"),
    "debitorer": ("8.32.23.1", "Debitorer, tilgodehavender"),
    "indbetalinger": ("8.22.05.2", "Indbetalinger, mellemregning"),
    "tab": ("5.46.61.9", "Tab på fordringer"),
    **{f"indtaegt:{t}": (f"5.46.61.{8 if t != Fordringstype.UNDERHOLDSBIDRAG else 7}", f"Tilbagebetaling, {label.lower()}")
       for t, label in Fordringstype.choices},
}
KONTONOEGLER = tuple(STANDARD_KONTOPLAN)


def kontoplan(kommune_id: int) -> dict[str, str]:
    plan = {k: v[0] for k, v in STANDARD_KONTOPLAN.items()}
    plan.update(Finanskonto.objects.filter(kommune_id=kommune_id).values_list("noegle", "konto"))
    return plan


B, L, BF = Finansbilag._meta.db_table, FinansbilagLinje._meta.db_table, Bogfoering._meta.db_table

# the day's unbooked movements: (art, id, debet-nøgle, kredit-nøgle, beløb, cpr, tekst)
_BEVAEGELSER = """
    SELECT 'udbetaling'::text AS art, u.id, 'udgift:' || u.kilde AS d, 'nemkonto' AS k, u.beloeb, u.cpr,
           left(u.posteringstekst, 60) AS tekst
      FROM udbetaling_udbetaling u
     WHERE u.kommune_id = %(k)s AND u.status = 'gennemfoert' AND u.udbetalingsdato <= %(dato)s
    UNION ALL
    SELECT 'fordring', f.id, 'debitorer', 'indtaegt:' || f.fordringstype, f.hovedstol, p.cpr,
           left('Fordring ' || f.fordring_id, 60)
      FROM debitor_fordring f
      JOIN debitor_debitorkonto dk ON dk.id = f.debitorkonto_id
      JOIN cases_person p ON p.id = dk.person_id
     WHERE f.kommune_id = %(k)s AND dk.kilde <> 'KMD_AKTIV' AND f.hovedstol > 0
       AND coalesce(f.stiftelsesdato, f.oprettet::date) <= %(dato)s
    UNION ALL
    SELECT 'postering', x.id,
           CASE x.type WHEN 'daekning' THEN 'indbetalinger' WHEN 'afskrivning' THEN 'tab'
                       ELSE 'indtaegt:' || f.fordringstype END,
           'debitorer', x.beloeb, p.cpr, left(initcap(x.type) || ' ' || f.fordring_id, 60)
      FROM debitor_fordringspostering x
      JOIN debitor_fordring f ON f.id = x.fordring_id
      JOIN debitor_debitorkonto dk ON dk.id = f.debitorkonto_id
      JOIN cases_person p ON p.id = dk.person_id
     WHERE x.kommune_id = %(k)s AND x.dato <= %(dato)s"""


def dan_finansbilag(kommune_id: int, dato: dt.date, *, dry_run: bool = False) -> Finansbilag | tuple[int, object] | None:
    """The kommune's bilag for ``dato``: every movement up to that day not yet in a bilag (an
    afvist bilag's movements included again). Returns the bilag (None when nothing to book); with
    ``dry_run`` (movements, sum) and nothing written."""
    from decimal import Decimal

    p = {"k": kommune_id, "dato": dato,
         "plan": json.dumps(kontoplan(kommune_id))}
    with connection.cursor() as cur:
        if dry_run:
            cur.execute(f"""SELECT count(*), coalesce(sum(m.beloeb), 0) FROM ({_BEVAEGELSER}) m
                            WHERE NOT EXISTS (SELECT 1 FROM {BF} b WHERE b.art = m.art AND b.objekt_id = m.id)""", p)
            n, s = cur.fetchone()
            return n, Decimal(s)
    with transaction.atomic():
        with connection.cursor() as cur:
            # one bilag at a time per kommune: the next number, and no two runs claiming at once
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('finansbilag'), %s)", [kommune_id])
            cur.execute(f"SELECT coalesce(max(nr), 0) + 1 FROM {B} WHERE kommune_id = %s AND bogfoeringsdato = %s",
                        [kommune_id, dato])
            nr = cur.fetchone()[0]
            cur.execute(f"""INSERT INTO {B} (kommune_id, bogfoeringsdato, nr, status, sum_debet, sum_kredit,
                                             afvist_aarsag, oprettet, status_tid)
                            VALUES (%s, %s, %s, 'klar', 0, 0, '', now(), now()) RETURNING id""",
                        [kommune_id, dato, nr])
            bilag_id = cur.fetchone()[0]
            p["bilag"] = bilag_id
            cur.execute(f"""
                WITH m AS ({_BEVAEGELSER}),
                claimed AS (
                    INSERT INTO {BF} (art, objekt_id, bilag_id) SELECT art, id, %(bilag)s FROM m
                    ON CONFLICT (art, objekt_id) DO NOTHING RETURNING art, objekt_id)
                INSERT INTO {L} (bilag_id, konto, debet, kredit, cpr, tekst)
                SELECT %(bilag)s, %(plan)s::jsonb ->> side.noegle, side.debet, side.kredit, m.cpr, m.tekst
                  FROM m JOIN claimed c ON c.art = m.art AND c.objekt_id = m.id
                  CROSS JOIN LATERAL (VALUES (m.d, m.beloeb, 0::numeric), (m.k, 0::numeric, m.beloeb))
                       AS side(noegle, debet, kredit)
                 ORDER BY m.art, m.id, side.kredit""", p)
            if cur.rowcount == 0:
                transaction.set_rollback(True)
                return None
            cur.execute(f"""UPDATE {B} SET (sum_debet, sum_kredit) =
                              (SELECT sum(debet), sum(kredit) FROM {L} WHERE bilag_id = %s) WHERE id = %s""",
                        [bilag_id, bilag_id])
    return Finansbilag.objects.get(pk=bilag_id)


def marker_kvittering(bilag: Finansbilag, bogfoert: bool, aarsag: str = "") -> None:
    """SF1590_A kvittering: bogført, or afvist — then a task and the movements released so the
    next run books them in a new bilag (with the kontoplan as corrected)."""
    from django.utils import timezone

    if bogfoert:
        Finansbilag.objects.filter(pk=bilag.pk).update(status=BilagStatus.BOGFOERT, status_tid=timezone.now())
        return
    Finansbilag.objects.filter(pk=bilag.pk).update(status=BilagStatus.AFVIST, afvist_aarsag=aarsag,
                                                   status_tid=timezone.now())
    Bogfoering.objects.filter(bilag=bilag).delete()
    opret_bilag_opgave(bilag, aarsag)


def opret_bilag_opgave(bilag: Finansbilag, aarsag: str) -> None:
    from cases.models import Opgave
    from cases.services import opgavepakke

    pakke = opgavepakke(bilag.kommune_id, "AFVISTE-BILAG", "Afviste finansbilag")
    Opgave.objects.bulk_create([Opgave(
        kommune_id=bilag.kommune_id, opgavepakke=pakke, type="afvist-finansbilag", noegle=f"bilag-{bilag.pk}",
        titel=f"Finansbilag {bilag.bogfoeringsdato:%d.%m.%Y} nr. {bilag.nr} afvist: {aarsag}"[:300],
        data={"finansbilag": bilag.pk})], ignore_conflicts=True)


__all__ = ["dan_finansbilag", "marker_kvittering", "kontoplan", "KONTONOEGLER", "Kilde"]

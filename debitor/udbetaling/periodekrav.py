"""opkraevning-af-periodekrav (issue 14 #56; seed 000: starts 'Opkrævning af periodekrav' by set
criteria and reminds the caseworker): for each afdragsordning running in the month of
as-of + ``varsel_dage`` (batchkonstant, default 10), the month's claim — the monthly amount, at most the konto's restgæld —
due on the month's first bank day, made once (unique per ordning and month), with a task
reminding the caseworker to send the opkrævning. Set-based: INSERT ... SELECT ... ON CONFLICT
DO NOTHING RETURNING, then one bulk insert of tasks."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from ky.core.bankdage import foerste_bankdag_fra

PAKKE = ("PERIODEKRAV", "Opkrævning af periodekrav")


def opkraev(kommune_id: int, as_of: dt.date, varsel_dage: int, *, dry_run: bool = False) -> int:
    from cases.models import Opgave
    from cases.services import opgavepakke

    # the month of as_of + varsel: the next month's claim is made varsel_dage before it begins, and a
    # running month's claim not yet made is made now
    periode = (as_of + dt.timedelta(days=varsel_dage)).replace(day=1)
    forfald = foerste_bankdag_fra(periode)
    p = {"k": kommune_id, "periode": periode, "forfald": forfald,
         "slut": (periode + dt.timedelta(days=32)).replace(day=1)}
    sel = """
        SELECT a.kommune_id, a.id, %(periode)s::date, %(forfald)s::date, least(a.maanedligt_beloeb, r.rest), now()
          FROM udbetaling_afdragsordning a
          CROSS JOIN LATERAL (SELECT coalesce(sum(f.restgaeld), 0) AS rest FROM debitor_fordring f
                               WHERE f.debitorkonto_id = a.debitorkonto_id) r
         WHERE a.kommune_id = %(k)s AND a.startdato < %(slut)s AND (a.slutdato IS NULL OR a.slutdato >= %(periode)s)
           AND r.rest > 0"""
    with connection.cursor() as cur:
        if dry_run:
            cur.execute(f"""SELECT count(*) FROM ({sel}) x WHERE NOT EXISTS (SELECT 1 FROM udbetaling_periodekrav k
                            WHERE k.afdragsordning_id = x.id AND k.periode = %(periode)s)""", p)
            return cur.fetchone()[0]
        cur.execute(f"""INSERT INTO udbetaling_periodekrav (kommune_id, afdragsordning_id, periode, forfaldsdato, beloeb,
                                                            oprettet)
                        {sel}
                        ON CONFLICT (afdragsordning_id, periode) DO NOTHING
                        RETURNING id, afdragsordning_id, beloeb""", p)
        nye = cur.fetchall()
        if not nye:
            return 0
        cur.execute("""SELECT a.id, dk.id, dk.kontonr, dk.person_id, dk.sag_id FROM udbetaling_afdragsordning a
                       JOIN debitor_debitorkonto dk ON dk.id = a.debitorkonto_id WHERE a.id = ANY(%s)""",
                    [[n[1] for n in nye]])
        konto = {r[0]: r[1:] for r in cur.fetchall()}
    pakke = opgavepakke(kommune_id, *PAKKE)
    Opgave.objects.bulk_create([
        Opgave(kommune_id=kommune_id, opgavepakke=pakke, type="opkraevning-af-periodekrav", noegle=f"periodekrav-{kid}",
               debitorkonto_id=konto[aid][0], person_id=konto[aid][2], sag_id=konto[aid][3], frist=forfald,
               titel=f"Send opkrævning: {beloeb} kr. for {periode:%m-%Y} på debitorkonto {konto[aid][1]} "
                     f"(forfald {forfald:%d.%m.%Y})", data={"periodekrav": kid})
        for kid, aid, beloeb in nye], ignore_conflicts=True)
    return len(nye)

"""debitor-send-krav (issue 14 #15; seed 000: "Når krav bliver ændret eller kreeret skal de sendes
til debitor"): every fordring with restgæld at or above the kommune's threshold (batchkonstant
``graense_kr``) that is ``forfalden_dage`` days past its stiftelsesdato and either never sent or
changed (restgæld) since it was sent goes to inddrivelse in one file per kommune (ky's own
layout, docs/formats/krav.md) through the exchange layer. Status, date and the restgæld sent
are kept on the fordring (``Inddrivelseskrav``), written in the transaction that journals the
file, before anything is uploaded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from debitor.udbetaling import formats
from debitor.udbetaling.filer import NEMKONTO  # noqa: F401 - the layer's arts are registered there
from debitor.udbetaling.models import Inddrivelseskrav
from integrations import exchange
from integrations.fixedwidth import encode_file
from integrations.sf2520.formats import SLUT, START

GAELDSSTYRELSEN = "GAELDSSTYRELSEN"
KRAV = exchange.registrer(exchange.Art(
    "KRAV", "Krav til inddrivelse", "ud", "KY_KRAV_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart=GAELDSSTYRELSEN, job="debitor-send-krav"))

_UDVALG = """
    SELECT f.id, p.cpr, dk.kontonr, f.fordring_id, f.fordringstype, f.restgaeld, f.stiftelsesdato,
           (k.id IS NOT NULL) AS aendret
      FROM debitor_fordring f
      JOIN debitor_debitorkonto dk ON dk.id = f.debitorkonto_id
      JOIN cases_person p ON p.id = dk.person_id
      LEFT JOIN udbetaling_inddrivelseskrav k ON k.fordring_id = f.id
     WHERE f.kommune_id = %(k)s AND f.restgaeld >= %(graense)s
       AND f.stiftelsesdato IS NOT NULL AND f.stiftelsesdato <= %(forfald)s
       AND (k.id IS NULL OR (k.status = 'sendt' AND k.restgaeld_sendt <> f.restgaeld))"""


def send_krav(kommune_id: int, as_of: dt.date, transport, *, graense_kr: int, forfalden_dage: int,
              dry_run: bool = False, log=None):
    p = {"k": kommune_id, "graense": Decimal(graense_kr), "forfald": as_of - dt.timedelta(days=forfalden_dage)}
    if dry_run:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*), count(*) FILTER (WHERE aendret) FROM ({_UDVALG}) x", p)
            return cur.fetchone()

    def byg():
        with connection.cursor() as cur:
            cur.execute(_UDVALG + " ORDER BY f.id FOR UPDATE OF f", p)
            rows = cur.fetchall()
        if not rows:
            return None
        total = sum((r[5] for r in rows), Decimal(0))

        def indhold(nr, now):
            lines = [START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                                  "loebenummer": nr, "afsender": "KY"})]
            lines += [formats.KRAV.write({"kommunekode": kommune_id, "cpr": cpr, "debitorkonto": konto,
                                          "fordring_id": fid, "fordringstype": typ, "restgaeld_oere": int(rest * 100),
                                          "stiftelsesdato": stift, "aendring": "A" if aendret else "N"})
                      for _, cpr, konto, fid, typ, rest, stift, aendret in rows]
            lines.append(SLUT.write({"kommunekode": kommune_id, "antal": len(rows), "sum_oere": int(total * 100)}))
            return encode_file(lines)

        def knyt(fil):
            Inddrivelseskrav.objects.bulk_create(
                [Inddrivelseskrav(kommune_id=kommune_id, fordring_id=r[0], sendt_dato=as_of, restgaeld_sendt=r[5],
                                  fil_id=fil.pk) for r in rows],
                update_conflicts=True, unique_fields=["fordring"],
                update_fields=["sendt_dato", "restgaeld_sendt", "fil_id"])
            with connection.cursor() as cur:  # count the times sent (a re-send of a changed claim)
                cur.execute("UPDATE udbetaling_inddrivelseskrav SET gange = gange + 1 WHERE fil_id = %s AND "
                            "fordring_id = ANY(%s)", [fil.pk, [r[0] for r in rows if r[7]]])

        return exchange.Udfil(indhold=indhold, antal=len(rows), sum_beloeb=total, knyt=knyt)

    return exchange.send(KRAV, kommune_id, dato=as_of, transport=transport, byg=byg, log=log)

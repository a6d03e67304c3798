"""Writes of SF2520/SF2530 modregning (contract sf2520.md)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection, transaction

from integrations.exchange import AfvistFil  # noqa: F401 - raised by modtag_svar (tests import it here)
from integrations.sf2520.models import Effektuering, Modregning, OpgaveAarsag
from ky.core.bankdage import sidste_bankdag_i_maaned

YDELSER_MED_MODREGNING = ("KTH", "UDH", "HTF")  # sf2520.md: kontanthjælp, uddannelseshjælp, HTF


def maaned_af(d: dt.date) -> tuple[dt.date, dt.date]:
    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


def sidste_bankdag(d: dt.date) -> dt.date:
    """The last bank day of ``d``'s month: kontanthjælp is paid in arrears on the month's last
    bank day (the shared calendar of ky.core.bankdage)."""
    return sidste_bankdag_i_maaned(d)


def _kr_sql(expr: str) -> str:
    """SQL giving ``expr`` (numeric) as a Danish amount without unit, "5.100,50" (as ky.core.beloeb.format_kr)."""
    return f"translate(to_char({expr}, 'FM999,999,999,990.00'), ',.', '.,')"


# the month's payouts as the bevillinger say now: one row per bevilget bevilling with an amount
# overlapping the month, pro rata by days (seed 001; sf2520.md, dan-effektueringskladder)
_MAAL = """
    maal AS (
        SELECT b.id AS bevilling_id, b.kommune_id, b.person_id, x.fra, x.til, x.dage, b.maanedligt_beloeb,
               round(b.maanedligt_beloeb * x.dage / %(dim)s, 2) AS brutto, NULL::text AS forklaring
        FROM cases_bevilling b
        CROSS JOIN LATERAL (SELECT greatest(b.bevilget_fra, %(start)s::date) AS fra,
                                   least(coalesce(b.bevilget_til, %(end)s::date), %(end)s::date) AS til) x0
        CROSS JOIN LATERAL (SELECT x0.fra, x0.til, (x0.til - x0.fra + 1) AS dage) x
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.maanedligt_beloeb IS NOT NULL
          AND b.bevilget_fra <= %(end)s AND (b.bevilget_til IS NULL OR b.bevilget_til >= %(start)s)
        UNION ALL
        -- issue 13 (ydelse.md): bevillinger without a maanedligt_beloeb are computed by the rules
        -- (cases.ydelse.services.fyld_maaned fills the temp table); brutto = the month's beloeb, its forklaring
        SELECT t.bevilling_id, b.kommune_id, b.person_id, t.fra, t.til, t.dage, t.beloeb, t.beloeb, t.forklaring
        FROM ydelse_maal_tmp t JOIN cases_bevilling b ON b.id = t.bevilling_id
    )"""
_FORKLARING = f"""coalesce(m.forklaring, format('%%s af %%s dage (%%s til %%s): %%s kr. × %%s / %%s = %%s kr.', m.dage,
                         %(dim)s, m.fra, m.til, {_kr_sql("m.maanedligt_beloeb")}, m.dage, %(dim)s,
                         {_kr_sql("m.brutto")}))"""
FJERNET_NOTE = "Effektueringen er fjernet: bevillingen udbetaler ikke længere i måneden."
AENDRET_NOTE = "Bevillingen er ændret efter korrektionen"


def dan_effektueringskladder(kommune_id: int, as_of: dt.date) -> dict:
    """One draft per bevilget bevilling with a maanedligt_beloeb for the month of ``as_of``,
    pro rata by days (days covered / days in month x amount, rounded once half up to øre),
    with a modregning = min(agreement's monthly amount, payout) for an agreement active in
    the month. Set-based: INSERT ... SELECT ... ON CONFLICT DO NOTHING.

    A re-run brings the month's drafts not yet final (kladde, afventer_godkendelse) up to date with
    the bevilling (docs/sf2520.md, "Stale drafts"): an uncorrected draft is recomputed in place (its
    modregning too) or, when its bevilling no longer pays the month, removed with its modregning (its
    task cancelled); a draft a caseworker corrected is never overwritten: when its bevilling changed
    it awaits approval with its task open, noted "Bevillingen er ændret efter korrektionen".
    Bevillinger without a maanedligt_beloeb are computed by the rules of cases.ydelse (issue 13): brutto is
    the month's beloeb and the forklaring its steps; one that cannot be computed is listed in ``fejl``
    [(bevilling_id, message)] and the rest are made.
    Returns counts {oprettet, modregninger, genberegnet, fjernet, markeret, nyt_markeret} and ``fejl``."""

    with transaction.atomic():  # the rule-based month lives in a temp table dropped at commit
        return _dan_effektueringskladder(kommune_id, as_of)


def _dan_effektueringskladder(kommune_id: int, as_of: dt.date) -> dict:
    from cases.models import Opgave
    from cases.opgavestatus import Event
    from cases.services import flyt_opgaver, opgavepakke
    from cases.ydelse.services import fyld_maaned

    start, end = maaned_af(as_of)
    _n, beregningsfejl = fyld_maaned(kommune_id, start)
    dim = end.day
    udbetalingsdato = sidste_bankdag(end)  # paid in arrears on the month's last bank day
    eff, mod = Effektuering._meta.db_table, Modregning._meta.db_table
    p = {"start": start, "end": end, "dim": dim, "udb": udbetalingsdato, "k": kommune_id}
    res = {"oprettet": 0, "modregninger": 0, "genberegnet": 0, "fjernet": 0, "markeret": 0, "nyt_markeret": 0,
           "fejl": beregningsfejl}
    with connection.cursor() as cur:
        # lock the month's open drafts first: a correction or approval in flight finishes before we
        # read them (the next statement's snapshot sees it), or waits for this run
        cur.execute(f"""SELECT id FROM {eff} WHERE kommune_id = %(k)s AND maaned = %(start)s
                        AND status IN ('kladde', 'afventer_godkendelse') ORDER BY id FOR UPDATE""", p)
        if cur.fetchone():
            cur.execute(f"""
                WITH {_MAAL}
                SELECT e.id, e.person_id, m.bevilling_id IS NULL AS betaler_ikke,
                       EXISTS (SELECT 1 FROM sf2520_beloebkorrektion k WHERE k.effektuering_id = e.id) AS korrigeret
                FROM {eff} e
                LEFT JOIN maal m ON m.bevilling_id = e.bevilling_id
                LEFT JOIN {mod} ml ON ml.effektuering_id = e.id
                LEFT JOIN sf2520_betalingsadministrationsaftale a ON a.id = ml.aftale_id
                WHERE e.kommune_id = %(k)s AND e.maaned = %(start)s AND e.status IN ('kladde', 'afventer_godkendelse')
                  AND (m.bevilling_id IS NULL  -- the bevilling no longer pays the month
                       OR (e.periode_fra, e.periode_til, e.dage, e.maanedligt_beloeb)
                          IS DISTINCT FROM (m.fra, m.til, m.dage, m.maanedligt_beloeb)  -- or pays otherwise
                       OR (ml.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sf2520_beloebkorrektion k
                                                             WHERE k.effektuering_id = e.id)
                           AND (a.status <> 'aktiv' OR a.gyldig_fra > %(end)s OR a.gyldig_til < %(start)s
                                OR ml.beloeb <> least(a.maanedligt_beloeb, m.brutto))))  -- stale modregning
            """, p)
            rows = cur.fetchall()
            fjern = [r[0] for r in rows if not r[3] and r[2]]
            genberegn = [r[0] for r in rows if not r[3] and not r[2]]
            marker = [(r[0], r[1]) for r in rows if r[3]]
            if fjern:  # their tasks are cancelled with a note, then drafts and modregninger go
                flyt_opgaver(Event.ANNULLER,
                             "o.kommune_id = %(k)s AND o.type = 'godkend-effektuering' AND o.noegle = ANY(%(noegler)s)",
                             {"k": kommune_id, "note": FJERNET_NOTE, "noegler": [f"eff-{i}" for i in fjern]},
                             extra_set="data = o.data || jsonb_build_object('note', %(note)s::text)")
                cur.execute(f"DELETE FROM {mod} WHERE effektuering_id = ANY(%(ids)s)", {"ids": fjern})
                cur.execute(f"DELETE FROM {eff} WHERE id = ANY(%(ids)s)", {"ids": fjern})
                res["fjernet"] = cur.rowcount
            if genberegn:  # recomputed in place; the modregning is made again below
                cur.execute(f"DELETE FROM {mod} WHERE effektuering_id = ANY(%(ids)s)", {"ids": genberegn})
                cur.execute(f"""
                    WITH {_MAAL}
                    UPDATE {eff} e SET periode_fra = m.fra, periode_til = m.til, dage = m.dage,
                           maanedligt_beloeb = m.maanedligt_beloeb, brutto = m.brutto, modregning = 0,
                           netto = m.brutto, forklaring = {_FORKLARING}
                    FROM maal m
                    WHERE e.id = ANY(%(ids)s) AND m.bevilling_id = e.bevilling_id
                """, {**p, "ids": genberegn})
                res["genberegnet"] = cur.rowcount
            if marker:  # corrected: kept as corrected, awaiting approval with an open task and a note
                ids = [i for i, _ in marker]
                cur.execute(f"""UPDATE {eff} SET status = 'afventer_godkendelse'
                                WHERE id = ANY(%(ids)s) AND status = 'kladde'""", {"ids": ids})
                res["markeret"], res["nyt_markeret"] = len(marker), cur.rowcount
                pakke = opgavepakke(kommune_id, "GODKEND-EFF", "Godkend effektueringer")
                Opgave.objects.bulk_create([
                    Opgave(kommune_id=kommune_id, opgavepakke=pakke, type="godkend-effektuering", person_id=person_id,
                           titel=f"Godkend effektuering for {start:%m-%Y}", noegle=f"eff-{eid}",
                           aarsag=OpgaveAarsag.BEVILLING_AENDRET, data={"effektuering": eid, "note": AENDRET_NOTE})
                    for eid, person_id in marker
                ], ignore_conflicts=True)
                cur.execute("""
                    UPDATE cases_opgave SET aarsag = %(aarsag)s, data = data || jsonb_build_object('note', %(note)s::text),
                           status = CASE WHEN status IN ('udfoert', 'annulleret') THEN 'aaben' ELSE status END,
                           afsluttet = CASE WHEN status IN ('udfoert', 'annulleret') THEN NULL ELSE afsluttet END,
                           afsluttet_af_id = CASE WHEN status IN ('udfoert', 'annulleret') THEN NULL
                                                  ELSE afsluttet_af_id END,
                           reserveret_af_id = CASE WHEN status IN ('udfoert', 'annulleret') THEN NULL
                                                   ELSE reserveret_af_id END,
                           reserveret_tid = CASE WHEN status IN ('udfoert', 'annulleret') THEN NULL
                                                 ELSE reserveret_tid END
                    WHERE kommune_id = %(k)s AND type = 'godkend-effektuering' AND noegle = ANY(%(noegler)s)
                      AND (aarsag <> %(aarsag)s OR NOT data ? 'note' OR status IN ('udfoert', 'annulleret'))
                """, {"k": kommune_id, "aarsag": OpgaveAarsag.BEVILLING_AENDRET, "note": AENDRET_NOTE,
                      "noegler": [f"eff-{i}" for i in ids]})
        cur.execute(f"""
            WITH {_MAAL}
            INSERT INTO {eff} (bevilling_id, kommune_id, person_id, maaned, periode_fra, periode_til, dage,
                               dage_i_maaned, maanedligt_beloeb, brutto, modregning, netto, status,
                               udbetalingsdato, forklaring, oprettet, forrige_id)
            SELECT m.bevilling_id, m.kommune_id, m.person_id, %(start)s, m.fra, m.til, m.dage, %(dim)s,
                   m.maanedligt_beloeb, m.brutto, 0, m.brutto, 'kladde', %(udb)s, {_FORKLARING}, now(),
                   (SELECT f.id FROM {eff} f WHERE f.bevilling_id = m.bevilling_id AND f.status = 'endelig'
                     AND f.maaned < %(start)s ORDER BY f.maaned DESC LIMIT 1)  -- the previous payout, for the screen
            FROM maal m
            ON CONFLICT (bevilling_id, maaned) DO NOTHING
        """, p)
        res["oprettet"] = cur.rowcount
        # modregning for drafts without one, one agreement per draft, each agreement once a month
        cur.execute(f"""
            WITH kandidat AS (
                SELECT DISTINCT ON (a.id) e.id AS eff_id, a.id AS aftale_id, e.brutto,
                       least(a.maanedligt_beloeb, e.brutto) AS beloeb
                FROM {eff} e
                JOIN cases_bevilling b ON b.id = e.bevilling_id AND b.ydelsestype = ANY(%(ydelser)s)
                JOIN cases_person p ON p.id = e.person_id
                JOIN sf2520_betalingsadministrationsaftale a
                  ON a.kommune_id = e.kommune_id AND a.cpr = p.cpr AND a.status = 'aktiv'
                 AND a.gyldig_fra <= %(end)s AND (a.gyldig_til IS NULL OR a.gyldig_til >= %(start)s)
                WHERE e.kommune_id = %(k)s AND e.maaned = %(start)s AND e.status IN ('kladde', 'afventer_godkendelse')
                  AND NOT EXISTS (SELECT 1 FROM {mod} m WHERE m.effektuering_id = e.id)
                ORDER BY a.id, e.id
            ), ny AS (
                INSERT INTO {mod} (effektuering_id, aftale_id, kommune_id, maaned, beloeb, modregnings_id)
                SELECT k.eff_id, k.aftale_id, %(k)s, %(start)s, k.beloeb, 'KY' || lpad(k.eff_id::text, 18, '0')
                FROM kandidat k
                ON CONFLICT DO NOTHING
                RETURNING effektuering_id, aftale_id, beloeb
            )
            UPDATE {eff} e SET modregning = ny.beloeb, netto = e.brutto - ny.beloeb,
                   forklaring = e.forklaring || format(E'\\nModregning (aftale %%s): mindste af aftalens %%s kr. og udbetalingen %%s kr. = %%s kr.',
                                                      a.aftale_id, {_kr_sql("a.maanedligt_beloeb")}, {_kr_sql("e.brutto")},
                                                      {_kr_sql("ny.beloeb")})
            FROM ny JOIN sf2520_betalingsadministrationsaftale a ON a.id = ny.aftale_id
            WHERE e.id = ny.effektuering_id
        """, {"start": start, "end": end, "k": kommune_id, "ydelser": list(YDELSER_MED_MODREGNING)})
        res["modregninger"] = cur.rowcount
    return res


def endeligjoer_effektueringer(kommune_id: int, as_of: dt.date, graense_procent: int) -> tuple[int, int]:
    """Drafts up to the month of ``as_of`` become final, except those whose netto differs from
    the same bevilling's previous final effektuering by more than ``graense_procent`` %: they
    await approval with a task in the kommune's opgavepakke "Godkend effektueringer".
    Returns (finalised, awaiting approval)."""
    from cases.models import Opgave
    from cases.services import opgavepakke

    _, end = maaned_af(as_of)
    eff = Effektuering._meta.db_table
    params = {"k": kommune_id, "end": end, "pct": graense_procent}
    with connection.cursor() as cur:
        cur.execute(f"""
            UPDATE {eff} e SET forrige_id = (
                SELECT f.id FROM {eff} f WHERE f.bevilling_id = e.bevilling_id AND f.status = 'endelig'
                   AND f.maaned < e.maaned ORDER BY f.maaned DESC LIMIT 1)
            WHERE e.kommune_id = %(k)s AND e.status = 'kladde' AND e.maaned <= %(end)s
        """, params)
        cur.execute(f"""
            UPDATE {eff} e SET status = 'afventer_godkendelse'
            FROM {eff} f
            WHERE e.kommune_id = %(k)s AND e.status = 'kladde' AND e.maaned <= %(end)s AND f.id = e.forrige_id
              AND abs(e.netto - f.netto) * 100 > %(pct)s * f.netto
            RETURNING e.id, e.person_id, e.maaned
        """, params)
        afventer = cur.fetchall()
        cur.execute(f"""
            UPDATE {eff} e SET status = 'endelig', endelig_tid = now()
            WHERE e.kommune_id = %(k)s AND e.status = 'kladde' AND e.maaned <= %(end)s
        """, params)
        endelige = cur.rowcount
    if afventer:
        pakke = opgavepakke(kommune_id, "GODKEND-EFF", "Godkend effektueringer")
        Opgave.objects.bulk_create([
            Opgave(kommune_id=kommune_id, opgavepakke=pakke, type="godkend-effektuering", person_id=person_id,
                   titel=f"Godkend effektuering for {maaned:%m-%Y}", noegle=f"eff-{eid}",
                   aarsag=OpgaveAarsag.NETTO_AFVIGELSE, data={"effektuering": eid})
            for eid, person_id, maaned in afventer
        ], ignore_conflicts=True)
    return endelige, len(afventer)


def naeste_loebenummer(kommune_id: int, art: str) -> int:
    """Next løbenummer of the kommune and file kind (the exchange layer's counter)."""
    from integrations.exchange import naeste_loebenummer as nr

    return nr(kommune_id, art)


def dt_decimal(oere: int):
    from decimal import Decimal

    return (Decimal(oere) / 100).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- sending (sf2520.md, Transport)
# Exactly once, by the exchange layer (integrations.exchange, docs/integrationer.md): the file is
# journalled (status ``sender``, its bytes, its SendersFileId, its modregninger linked) in a
# committed transaction BEFORE anything is uploaded; then data file -> ``uploadet`` -> trigger ->
# ``sendt``, and every later run first finishes files left in flight (docs/sf2520.md).
# A modregning is linked to exactly one file at a time, so it is never in two files that are
# both delivered, and never dropped: only an AFVIST receipt frees it for a new file.

def lever_fil(fil, transport, now=None):
    """Drive one journalled file to ``sendt`` (idempotent; safe to call again after any failure)."""
    from integrations import exchange

    return exchange.lever(fil, transport, now)


def fuldfoer_afsendelser(kommune_id: int, art: str, transport, log=None) -> list:
    """Finish the kommune's files of ``art`` that an earlier run left in flight."""
    from integrations import exchange

    return exchange.fuldfoer(art, kommune_id, transport, log)


def _unsent_modregninger(kommune_id: int):
    return Modregning.objects.filter(kommune_id=kommune_id, sendt_fil__isnull=True, beloeb__gt=0,
                                     effektuering__status="endelig")


def sf2520_fil(kommune_id: int, loebenr: int, now: dt.datetime, rows) -> tuple[bytes, int]:
    """The SF2520 data file (formats/sf2520.md) for ``rows`` of
    (id, cpr, aftale_id, udbetalingsdato, periode_fra, periode_til, beløb in kr., modregnings_id).
    Returns (ISO-8859-1 bytes, sum in øre)."""
    from integrations.fixedwidth import encode_file
    from integrations.sf2520 import formats

    total = 0
    lines = [formats.START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                                  "loebenummer": loebenr, "afsender": "KY"})]
    write = formats.SF2520_DETALJE.write
    for _id, cpr, aftale_id, udb, fra, til, beloeb, mid in rows:
        oere = int(beloeb * 100)
        total += oere
        lines.append(write({"kommunekode": kommune_id, "cpr": cpr, "aftale_id": aftale_id, "udbetalingsdato": udb,
                            "periode_fra": fra, "periode_til": til, "beloeb_oere": oere, "modregnings_id": mid}))
    lines.append(formats.SLUT.write({"kommunekode": kommune_id, "antal": len(rows), "sum_oere": total}))
    return encode_file(lines), total


_MODREGNING_FELTER = ("id", "aftale__cpr", "aftale__aftale_id", "effektuering__udbetalingsdato",
                      "effektuering__periode_fra", "effektuering__periode_til", "beloeb", "modregnings_id")


def _udfil(kommune_id: int, rows):
    """The exchange layer's Udfil for these modregning rows: bytes built with the løbenummer, the
    modregninger linked to the journalled file in its transaction."""
    from integrations.exchange import Udfil
    from integrations.sf2520.models import ModregningFil

    total = sum(int(r[6] * 100) for r in rows)
    ids = [r[0] for r in rows]

    def knyt(fil):
        Modregning.objects.filter(id__in=ids).update(sendt_fil=fil)
        ModregningFil.objects.bulk_create([ModregningFil(modregning_id=i, sendt_fil=fil) for i in ids])

    return Udfil(indhold=lambda nr, now: sf2520_fil(kommune_id, nr, now, rows)[0], antal=len(rows),
                 sum_beloeb=dt_decimal(total), knyt=knyt)


def send_modregninger(kommune_id: int, as_of: dt.date, transport, now=None, *, dry_run: bool = False, log=None):
    """Every finalised modregning not in a sent or accepted file -> one SF2520 data file + trigger.
    Files left in flight by an earlier run are finished first. Returns the new file (or None);
    with ``dry_run`` returns (antal, sum) of what would be sent and touches nothing."""
    from django.db.models import Count, Sum

    from integrations import exchange
    from integrations.sf2520.models import FilArt, SendtFil

    if dry_run:
        agg = _unsent_modregninger(kommune_id).aggregate(n=Count("id"), s=Sum("beloeb"))
        return agg["n"], agg["s"] or 0

    def byg():
        rows = list(_unsent_modregninger(kommune_id).select_for_update(of=("self",)).order_by("id")
                    .values_list(*_MODREGNING_FELTER))
        return _udfil(kommune_id, rows) if rows else None

    fil = exchange.send(FilArt.SF2520, kommune_id, dato=as_of, transport=transport, byg=byg, log=log, now=now)
    return SendtFil.objects.get(pk=fil.pk) if fil else None


def send_modregninger_igen(fil, transport, log=None):
    """send-igen of a rejected SF2520 file (integrationer.md): its modregninger that no later file
    has taken, in a new file with a new løbenummer (the new file ``erstatter`` the rejected one)."""
    from django.db import transaction
    from django.utils import timezone

    from integrations import exchange
    from integrations.sf2520.models import FilArt, SendtFil

    with transaction.atomic():
        rows = list(Modregning.objects.filter(kommune_id=fil.kommune_id, filer=fil, sendt_fil__isnull=True)
                    .select_for_update(of=("self",)).order_by("id").values_list(*_MODREGNING_FELTER))
        if not rows:
            raise exchange.Afvisning("Filens modregninger er allerede sendt igen i en ny fil.", "allerede_sendt_igen")
        u = _udfil(fil.kommune_id, rows)
        ny = exchange.journaliser(FilArt.SF2520, fil.kommune_id, dato=timezone.localdate(), indhold=u.indhold,
                                  antal=u.antal, sum_beloeb=u.sum_beloeb, erstatter=fil)
        u.knyt(ny)
    return SendtFil.objects.get(pk=exchange.lever(ny, transport).pk)


def send_forespoergsel(kommune_id: int, as_of: dt.date, transport, *, dry_run: bool = False, log=None):
    """One SF2530 request per kommune and day: CPRs with a bevilget KTH/UDH/HTF bevilling
    overlapping the calendar month after as-of's month. Returns the file (None when there is
    one already or no CPR); with ``dry_run`` returns the number of CPRs it would send."""
    from cases.models import Bevilling
    from integrations import exchange
    from integrations.fixedwidth import encode_file
    from integrations.sf2520 import formats
    from integrations.sf2520.models import FilArt, SendtFil

    if not dry_run:
        exchange.fuldfoer(FilArt.SF2530_FORESP, kommune_id, transport, log)
    if SendtFil.objects.filter(kommune_id=kommune_id, art=FilArt.SF2530_FORESP, koerselsdato=as_of).exists():
        return 0 if dry_run else None
    start, end = maaned_af(maaned_af(as_of)[1] + dt.timedelta(days=1))
    cprs = (Bevilling.objects.filter(kommune_id=kommune_id, status="bevilget", ydelsestype__in=YDELSER_MED_MODREGNING,
                                     bevilget_fra__lte=end).exclude(bevilget_til__lt=start)
            .order_by("person__cpr").values_list("person__cpr", flat=True).distinct())
    if dry_run:
        return cprs.count()

    def byg():
        rows = list(cprs)
        if not rows:
            return None

        def indhold(nr, now):
            lines = [formats.START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                                          "loebenummer": nr, "afsender": "KY"})]
            lines += [formats.SF2530_FORESP.write({"kommunekode": kommune_id, "cpr": c}) for c in rows]
            lines.append(formats.SLUT.write({"kommunekode": kommune_id, "antal": len(rows), "sum_oere": 0}))
            return encode_file(lines)

        # one request per kommune and kørselsdato (the journal's key): a concurrent run fails on it
        return exchange.Udfil(indhold=indhold, antal=len(rows), noegle=f"dag-{as_of:%Y%m%d}")

    fil = exchange.send(FilArt.SF2530_FORESP, kommune_id, dato=as_of, transport=transport, byg=byg)
    return SendtFil.objects.get(pk=fil.pk) if fil else None


# ---------------------------------------------------------------- receiving
# By the exchange layer: remote moves and deletions happen only AFTER the database work is
# committed: if they fail, the next run reads the same file again, which changes nothing twice.

def behandl_kvitteringer(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> tuple[int, int]:
    """Technical receipts IN/<file>.sftpreceipt of every file the exchange layer sent: ACCEPTERET ->
    kvitteret; AFVIST -> fejlet and (SF2520) its modregninger free to go again in a new file.
    A receipt for a file KY did not send is left alone."""
    from integrations import exchange

    return exchange.behandl_kvitteringer(kommune_id, transport, log, dry_run=dry_run)




def _valider_svar(name: str, data: bytes, kode: int | None):
    """A whole SF2530 answer file: layout, kommune in every record, aftale-id present and once, end count."""
    from integrations.fixedwidth import LayoutFejl, read_file
    from integrations.sf2520 import formats

    recs = read_file(data, formats.SF2530_SVAR_LAYOUTS)
    aftale_linje = {}
    for linje, r in recs:
        if r["kommunekode"] != kode:
            raise LayoutFejl(f"kommunekode {r['kommunekode']} passer ikke til filens {kode}", linje=linje,
                             felt="kommunekode")
        if r["posttype"] == "20":  # an agreement is named by its aftale-id, once per file
            if not r["aftale_id"]:
                raise LayoutFejl("aftale-id mangler", linje=linje, felt="aftale_id")
            if r["aftale_id"] in aftale_linje:
                raise LayoutFejl(f"aftale-id {r['aftale_id']} står også i linje {aftale_linje[r['aftale_id']]}",
                                 linje=linje, felt="aftale_id")
            aftale_linje[r["aftale_id"]] = linje
    detaljer = recs[1:-1]
    if recs[-1][1]["antal"] != len(detaljer):
        raise LayoutFejl(f"slutposten tæller {recs[-1][1]['antal']}, filen har {len(detaljer)} detaljeposter",
                         linje=recs[-1][0], felt="antal")
    return detaljer


def _gem_svar(name: str, kode: int, detaljer) -> dict:
    from decimal import Decimal

    from integrations.sf2520.models import AftaleStatus, Betalingsadministrationsaftale as A

    ophoer = [r["cpr"] for _, r in detaljer if r["posttype"] == "21"]
    ny = [A(aftale_id=r["aftale_id"], kommune_id=kode, cpr=r["cpr"], maanedligt_beloeb=Decimal(r["beloeb_oere"]) / 100,
            gyldig_fra=r["gyldig_fra"], gyldig_til=r["gyldig_til"],
            status=AftaleStatus.AKTIV if r["status"] == "A" else AftaleStatus.OPHOERT)
          for _, r in detaljer if r["posttype"] == "20"]
    findes = set(A.objects.filter(kommune_id=kode, aftale_id__in=[a.aftale_id for a in ny])
                 .values_list("aftale_id", flat=True))
    A.objects.bulk_create(ny, update_conflicts=True, unique_fields=["kommune", "aftale_id"],
                          update_fields=["cpr", "maanedligt_beloeb", "gyldig_fra", "gyldig_til", "status"])
    # a `21` record ends every agreement KY holds for that CPR (formats/sf2530.md)
    ophoert = (A.objects.filter(kommune_id=kode, cpr__in=ophoer).exclude(status=AftaleStatus.OPHOERT)
               .update(status=AftaleStatus.OPHOERT)) if ophoer else 0
    oprettet = len({a.aftale_id for a in ny} - findes)
    return {"antal": len(detaljer), "oprettet": oprettet, "opdateret": len(ny) - oprettet, "ophoert": ophoert}


def modtag_svar(kommune_id: int | None, as_of: dt.date, transport, log, *, dry_run: bool = False) -> dict:
    """SF2530 answer files, by the exchange layer: each file validated whole first (layout,
    kommune, end count). A broken file is moved to IN/fejlet/, nothing of this run is stored (the
    good files stay in IN/ for the next run) and the run fails naming file and line. Returns
    counts {filer, oprettet, opdateret, ophoert}; with ``dry_run`` nothing is stored or moved."""
    from integrations import exchange
    from integrations.sf2520.models import SVAR_ART

    res = {"filer": 0, "oprettet": 0, "opdateret": 0, "ophoert": 0}
    for m in exchange.modtag(SVAR_ART, transport, log, kommune_id=kommune_id, dry_run=dry_run,
                             valider=_valider_svar, gem=_gem_svar):
        r = m.resultat
        log(f"{m.filnavn}: {r['antal']} poster, {r['oprettet']} nye aftaler, {r['opdateret']} opdateret, "
            f"{r['ophoert']} ophørt" + (" (tørkørsel)" if dry_run else ""))
        res["filer"] += 1
        for key in ("oprettet", "opdateret", "ophoert"):
            res[key] += r[key]
    return res


def godkend_effektuering(user, eff: Effektuering) -> Effektuering:
    """A caseworker approves a draft awaiting approval: it becomes final and its task is done."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import Opgave
    from ky.core.api import Conflict

    with transaction.atomic():
        eff = Effektuering.objects.select_for_update().get(pk=eff.pk)
        if eff.status != "afventer_godkendelse":
            raise Conflict("Effektueringen afventer ikke godkendelse.", "ikke_afventer", "status")
        eff.status, eff.godkendt_af, eff.endelig_tid = "endelig", user, timezone.now()
        eff.save(update_fields=["status", "godkendt_af", "endelig_tid"])
        Opgave.objects.filter(kommune_id=eff.kommune_id, type="godkend-effektuering", noegle=f"eff-{eff.pk}",
                              status__in=("aaben", "reserveret")).update(
            status="udfoert", afsluttet=timezone.now(), afsluttet_af=user)
    return eff


def kontroller_opgave_afslutning(user, opgave) -> None:
    """A "godkend-effektuering" task closes by approving its effektuering (godkend_effektuering);
    closed any other way (cases task API: udført/annulleret) the effektuering would wait forever
    with no open task. Registered in cases.services.AFSLUTNING_KONTROL."""
    from ky.core.api import Conflict

    eid = (opgave.data or {}).get("effektuering")
    if Effektuering.objects.filter(pk=eid, status="afventer_godkendelse").exists():
        raise Conflict("Opgaven lukkes ved at godkende effektueringen.", "effektuering_afventer", "status")


def korriger_beloeb(user, eff: Effektuering, felt: str, ny, begrundelse: str) -> Effektuering:
    """Correct brutto or modregning on a draft (kladde/afventer) with a reason; kept in the audit."""
    from decimal import Decimal, ROUND_HALF_UP

    from django.db import transaction

    from integrations.sf2520.models import BeloebKorrektion
    from ky.core.api import Conflict, DomainError
    from ky.core.beloeb import UgyldigtBeloeb, parse_beloeb

    if felt not in ("brutto", "modregning"):
        raise DomainError("Kun brutto eller modregning kan rettes.", "felt", "felt")
    if not (begrundelse or "").strip():
        raise DomainError("Angiv en begrundelse.", "begrundelse", "begrundelse")
    if isinstance(ny, (Decimal, int)):
        if not Decimal(ny).is_finite():
            raise DomainError("Beløbet er ikke et tal.", "beloeb", "beloeb")
        ny = Decimal(ny).quantize(Decimal("0.01"), ROUND_HALF_UP)
    else:  # typed by a caseworker: Danish, "5.100,50" (ky.core.beloeb)
        try:
            ny = parse_beloeb(ny)
        except UgyldigtBeloeb as exc:
            raise DomainError(str(exc), "beloeb", "beloeb") from None
    if abs(ny) >= Decimal("10000000000"):  # max_digits=12, 2 decimals
        raise DomainError("Beløbet er for stort.", "beloeb", "beloeb")
    with transaction.atomic():
        eff = Effektuering.objects.select_for_update().get(pk=eff.pk)
        if eff.status == "endelig":
            raise Conflict("Effektueringen er endelig og kan ikke rettes.", "endelig", "status")
        brutto = ny if felt == "brutto" else eff.brutto
        modregning = min(ny, brutto) if felt == "modregning" else min(eff.modregning, brutto)
        if ny < 0 and felt == "brutto":
            raise DomainError("Beløbet må ikke være negativt.", "beloeb", "beloeb")
        if ny < 0 or (felt == "modregning" and ny > brutto):
            raise DomainError("Modregningen skal ligge mellem 0 og udbetalingen.", "beloeb", "beloeb")
        linje = Modregning.objects.filter(effektuering=eff).exists()
        if felt == "modregning" and ny != eff.modregning and not linje:
            # a withholding is reported to UDK under an agreement (Modregning); without one it never would be
            raise DomainError("Effektueringen har ingen betalingsadministrationsaftale at modregne for.",
                              "ingen_aftale", "felt")
        rettelser = [BeloebKorrektion(effektuering=eff, felt=felt, gammel=getattr(eff, felt), ny=ny,
                                      begrundelse=begrundelse.strip(), bruger=user)]
        if felt == "brutto" and modregning != eff.modregning:  # lowered with brutto: audited too
            rettelser.append(BeloebKorrektion(
                effektuering=eff, felt="modregning", gammel=eff.modregning, ny=modregning, bruger=user,
                begrundelse=f"{begrundelse.strip()} (modregningen kan ikke overstige udbetalingen)"))
        BeloebKorrektion.objects.bulk_create(rettelser)
        eff.brutto, eff.modregning, eff.netto = brutto, modregning, brutto - modregning
        eff.save(update_fields=["brutto", "modregning", "netto"])
        Modregning.objects.filter(effektuering=eff).update(beloeb=modregning)
    return eff

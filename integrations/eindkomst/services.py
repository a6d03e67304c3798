"""eIndkomst (SF0770_B, seed 000 #30 sf0770-b-indberet-eindkomst, #31 sf0770-b-modtag-kvitteringer).

Every payment ky made to a borger (debitor.udbetaling.Udbetaling, issue 14: kilde effektuering or
kvikudbetaling, status sendt or gennemført) is A-indkomst of its person in the month of its
udbetalingsdato; an effektuering counts with its brutto (the SF2520 modregning is withheld from
the borger's own income). Per person and month ky reports its A-indkomst and A-skat; when the
totals change (a payment reversed: afvist after it was sent; a late payment) a correction line
(art R) replaces the last live line. A-skat: ky holds no e-skattekort, so the tax withheld is
computed with the job's batchkonstant ``traekprocent`` (docs/formats/sf0770b.md, "A-skat").
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from integrations import exchange
from integrations.eindkomst import formats
from integrations.eindkomst.models import Indberetning, LinjeStatus
from integrations.fixedwidth import encode_file

AFVIST_PAKKE = ("AFVIST-EINDKOMST", "Afviste eIndkomst-linjer")
AFVIST_TYPE = "eindkomst-afvist"

# the person-months whose payments differ from what SKAT holds (the latest live line), except those
# with a rejected line whose task is still open (corrected first, then resent)
_AENDRINGER = """
    WITH betalt AS (
        SELECT u.cpr, date_trunc('month', u.udbetalingsdato)::date AS maaned,
               sum(CASE WHEN u.kilde = 'effektuering' THEN coalesce(e.brutto, u.beloeb) ELSE u.beloeb END) AS a_indkomst
        FROM udbetaling_udbetaling u
        LEFT JOIN sf2520_effektuering e ON u.kilde = 'effektuering' AND e.id = u.kilde_id
        WHERE u.kommune_id = %(k)s AND u.modtagertype = 'borger' AND u.cpr IS NOT NULL
          AND u.kilde IN ('effektuering', 'kvikudbetaling') AND u.status IN ('sendt', 'gennemfoert')
          AND u.udbetalingsdato <= %(d)s
        GROUP BY 1, 2
    ), levende AS (
        SELECT DISTINCT ON (cpr, maaned) id, cpr, maaned, a_indkomst
        FROM eindkomst_indberetning
        WHERE kommune_id = %(k)s AND status IN ('sendt', 'godkendt')
        ORDER BY cpr, maaned, id DESC
    )
    SELECT coalesce(b.cpr, l.cpr) AS cpr, coalesce(b.maaned, l.maaned) AS maaned,
           coalesce(b.a_indkomst, 0) AS a_indkomst, l.id AS forrige
    FROM betalt b FULL JOIN levende l ON l.cpr = b.cpr AND l.maaned = b.maaned
    WHERE (l.id IS NULL AND b.a_indkomst > 0 OR l.a_indkomst IS DISTINCT FROM coalesce(b.a_indkomst, 0))
      AND NOT EXISTS (SELECT 1 FROM eindkomst_indberetning r
                      JOIN cases_opgave o ON o.kommune_id = r.kommune_id AND o.type = 'eindkomst-afvist'
                                         AND o.noegle = 'eind-' || r.id AND o.status IN ('planlagt', 'aaben', 'reserveret')
                      WHERE r.kommune_id = %(k)s AND r.cpr = coalesce(b.cpr, l.cpr)
                        AND r.maaned = coalesce(b.maaned, l.maaned) AND r.status = 'afvist')
    ORDER BY 1, 2
"""


def a_skat(a_indkomst: Decimal, traekprocent: int) -> Decimal:
    """Tax withheld: trækprocent of the A-indkomst, rounded once half up to øre."""
    return (a_indkomst * traekprocent / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def aendringer(kommune_id: int, as_of: dt.date) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(_AENDRINGER, {"k": kommune_id, "d": as_of})
        return cur.fetchall()


def eindkomst_fil(kommune_id: int, nr: int, now: dt.datetime, linjer) -> bytes:
    """The SF0770B file for ``linjer`` of (linje_id, cpr, maaned, a_indkomst, a_skat, art, erstatter_id)."""
    write = formats.LINJE.write
    lines = [formats.START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                                  "loebenummer": nr, "afsender": "KY"})]
    total = 0
    for lid, cpr, maaned, ind, skat, art, erst in linjer:
        oere = int(ind * 100)
        total += oere
        lines.append(write({"kommunekode": kommune_id, "cpr": cpr, "periode": f"{maaned:%Y%m}", "a_indkomst_oere": oere,
                            "a_skat_oere": int(skat * 100), "art": art, "linje_id": lid, "erstatter_id": erst}))
    lines.append(formats.SLUT.write({"kommunekode": kommune_id, "antal": len(linjer), "sum_oere": total}))
    return encode_file(lines)


def indberet(kommune_id: int, as_of: dt.date, transport, *, traekprocent: int = 38, log=None, erstatter=None):
    """#30: one SF0770B file with a line per changed person-month (new: N; changed: R replacing the
    live line). The lines are created in the journal's transaction (exchange layer): exactly once."""
    def byg():
        with connection.cursor() as cur:  # one indberetning per kommune at a time
            cur.execute("SELECT pg_advisory_xact_lock(770, %s)", [kommune_id])
        rows = aendringer(kommune_id, as_of)
        if not rows:
            return None
        # the lines first (their ids are the linje-ids in the file), linked to the journal row in
        # the same transaction: never visible without their file
        objs = Indberetning.objects.bulk_create([
            Indberetning(kommune_id=kommune_id, cpr=cpr, maaned=maaned, a_indkomst=ind,
                         a_skat=a_skat(ind, traekprocent), art="R" if forrige else "N", forrige_id=forrige)
            for cpr, maaned, ind, forrige in rows])
        linjer = [(o.linje_id, o.cpr, o.maaned, o.a_indkomst, o.a_skat, o.art,
                   f"KY{o.forrige_id:018d}" if o.forrige_id else "") for o in objs]
        return exchange.Udfil(indhold=lambda nr, now: eindkomst_fil(kommune_id, nr, now, linjer), antal=len(rows),
                              sum_beloeb=sum(r[2] for r in rows),
                              knyt=lambda fil: Indberetning.objects.filter(id__in=[o.id for o in objs]).update(fil=fil))

    return exchange.send("SF0770B", kommune_id, dato=as_of, transport=transport, byg=byg, log=log, erstatter=erstatter)


# ---------------------------------------------------------------- #31 receipts
def _valider_kvittering(kommune_id_or_none):
    def valider(name: str, data: bytes, kode: int | None):
        """A whole receipt file: layout, kommune in every record, count; the business receipt (20)
        names a SF0770B file ky sent to SKAT for that kommune; every detailed line (30) a line of it."""
        from integrations.fixedwidth import LayoutFejl, read_file
        from integrations.models import Fil

        recs = read_file(data, formats.KVITTERING_LAYOUTS)
        fil, ids = None, {}
        for linje, r in recs:
            if r["kommunekode"] != kode:
                raise LayoutFejl(f"kommunekode {r['kommunekode']} passer ikke til filens {kode}", linje=linje,
                                 felt="kommunekode")
            if r["posttype"] == "20":
                if fil is not None:
                    raise LayoutFejl("mere end én forretningskvittering", linje=linje, felt="posttype")
                fil = Fil.objects.filter(retning="ud", art="SF0770B", kommune_id=kode, filnavn=r["filnavn"]).first()
                if fil is None:
                    raise LayoutFejl(f"KY har ikke sendt {r['filnavn']}", linje=linje, felt="filnavn")
                fil_rec = r
            elif r["posttype"] == "30":
                if fil is None:
                    raise LayoutFejl("detaljeret kvittering før forretningskvitteringen", linje=linje, felt="posttype")
                lid = r["linje_id"]
                if not (lid.startswith("KY") and lid[2:].isdigit()):
                    raise LayoutFejl(f"ukendt linje-id {lid!r}", linje=linje, felt="linje_id")
                ids[int(lid[2:])] = (linje, r)
        if fil is None:
            raise LayoutFejl("forretningskvittering mangler", linje=1, felt="posttype")
        if recs[-1][1]["antal"] != len(recs) - 2:
            raise LayoutFejl(f"slutposten tæller {recs[-1][1]['antal']}, filen har {len(recs) - 2} poster",
                             linje=recs[-1][0], felt="antal")
        kendte = set(Indberetning.objects.filter(fil=fil, id__in=list(ids)).values_list("id", flat=True))
        for i, (linje, r) in sorted(ids.items(), key=lambda x: x[1][0]):
            if i not in kendte:
                raise LayoutFejl(f"linje-id {r['linje_id']} er ikke i {fil.filnavn}", linje=linje, felt="linje_id")
        return fil, fil_rec, {i: r for i, (_, r) in ids.items()}
    return valider


def _gem_kvittering(name: str, kode: int, parsed) -> dict:
    """Business receipt G: the file kvitteret; A: fejlet, its lines no longer live (the next run
    sends them again). Detailed A: the line afvist and a task in "Afviste eIndkomst-linjer"; G: godkendt."""
    from django.utils import timezone

    from cases.models import Opgave, Person
    from cases.services import opgavepakke
    from integrations.models import FilStatus

    fil, fil_rec, linjer = parsed
    res = {"antal": 1 + len(linjer), "godkendt": 0, "afvist": 0, "fil_afvist": 0}
    if fil_rec["status"] == "A":
        exchange.marker_fejlet(fil, fil_rec["aarsag"] or "afvist af SKAT")
        res["fil_afvist"] = (Indberetning.objects.filter(fil=fil, status=LinjeStatus.SENDT)
                             .update(status=LinjeStatus.FIL_AFVIST, afvist_aarsag=fil_rec["aarsag"][:40]))
        return res
    if fil.status in (FilStatus.SENDT, FilStatus.UPLOADET, FilStatus.SENDER):
        type(fil).objects.filter(pk=fil.pk).update(status=FilStatus.KVITTERET, kvitteret=timezone.now(), tid=timezone.now())
    godkendt = [i for i, r in linjer.items() if r["status"] == "G"]
    afvist = {i: r["aarsag"] for i, r in linjer.items() if r["status"] == "A"}
    res["godkendt"] = Indberetning.objects.filter(id__in=godkendt, status=LinjeStatus.SENDT).update(
        status=LinjeStatus.GODKENDT)
    # lines the receipt does not name are accepted with the file (a business receipt G covers them)
    Indberetning.objects.filter(fil=fil, status=LinjeStatus.SENDT).exclude(id__in=list(afvist)).update(
        status=LinjeStatus.GODKENDT)
    if afvist:
        rows = list(Indberetning.objects.filter(id__in=list(afvist)).exclude(status=LinjeStatus.AFVIST))
        for o in rows:
            o.status, o.afvist_aarsag = LinjeStatus.AFVIST, afvist[o.id][:40]
        Indberetning.objects.bulk_update(rows, ["status", "afvist_aarsag"])
        personer = dict(Person.objects.filter(cpr__in=[o.cpr for o in rows]).values_list("cpr", "id"))
        pakke = opgavepakke(kode, *AFVIST_PAKKE)
        Opgave.objects.bulk_create([
            Opgave(kommune_id=kode, opgavepakke=pakke, type=AFVIST_TYPE, person_id=personer.get(o.cpr),
                   titel=f"eIndkomst for {o.maaned:%m-%Y} afvist: {o.afvist_aarsag}", noegle=f"eind-{o.id}",
                   data={"indberetning": o.id, "aarsag": o.afvist_aarsag})
            for o in rows], ignore_conflicts=True)
        res["afvist"] = len(rows)
    return res


def modtag_kvitteringer(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> dict:
    """#31: SKAT's business and detailed receipts, each file validated whole (exchange.modtag)."""
    tot = {"filer": 0, "godkendt": 0, "afvist": 0, "fil_afvist": 0}
    for m in exchange.modtag("SF0770B_KVIT", transport, log, kommune_id=kommune_id, dry_run=dry_run,
                             valider=_valider_kvittering(kommune_id), gem=_gem_kvittering):
        r = m.resultat
        log(f"{m.filnavn}: {r['godkendt']} linjer godkendt, {r['afvist']} afvist"
            + (f", hele filen afvist ({r['fil_afvist']} linjer indberettes igen)" if r["fil_afvist"] else "")
            + (" (tørkørsel)" if dry_run else ""))
        tot["filer"] += 1
        for key in ("godkendt", "afvist", "fil_afvist"):
            tot[key] += r[key]
    return tot

"""The payment files, through the ONE exchange layer (integrations.exchange, issue 17): journal
before upload, løbenummer per kommune and art, trigger, resume after a crash, receipts, resend.
This module only says what goes in each file and what a received file means.

- SF1590E (udbetaling.md): every ``klar`` NemKonto/standardcheck payment due by the next bank
  day, one file per kommune. The payments become ``sendt`` and are linked to the file in the
  SAME transaction that journals it, before anything is uploaded: a worker killed anywhere
  after that never puts them in a second file, and the layer finishes the upload.
- NEMKONTO_STATUS: validated whole (layout, kommune, count, every betalings-id known and sent),
  then applied set-based (services.anvend_status).
- INDBETALING: validated whole, then placed as dækninger (indbetaling.registrer).
- SF1590A finansbilag and its kvittering: ky's own layouts (docs/formats/sf1590a.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum

from debitor.udbetaling import formats, services, states
from debitor.udbetaling.models import BilagStatus, Finansbilag, Kilde, Maade, Status, Udbetaling
from integrations import exchange
from integrations.fixedwidth import LayoutFejl, encode_file, read_file
from integrations.sf2520.formats import SLUT, START
from ky.core.bankdage import foerste_bankdag_efter

NEMKONTO = getattr(settings, "KY_SFTP_NEMKONTO_AFSENDER", "NEMKONTO")
OEKONOMI = getattr(settings, "KY_SFTP_OEKONOMI_AFSENDER", "OEKONOMI")


def _frigiv_betalinger(fil) -> None:
    """An AFVIST technical receipt of an SF1590E file: nothing in it was paid, so its payments
    are ``klar`` again and go in the next file (never the same content resent as well)."""
    Udbetaling.objects.filter(fil_id=fil.pk, status=Status.SENDT).update(status=Status.KLAR, fil_id=None)


def _send_betalinger_igen(fil, transport, log=None):
    """send-igen of a failed SF1590E file: its payments (released by the receipt) in a new file."""
    ny = send_betalinger(fil.kommune_id, dt.date.today(), transport, log=log, alle=True)
    if ny is None:
        raise exchange.Afvisning("Filens betalinger er allerede sendt i en ny fil.", "allerede_sendt_igen")
    return ny


def _frigiv_bilag(fil) -> None:
    """An AFVIST technical receipt of an SF1590A file: its bilag go again in the next run."""
    Finansbilag.objects.filter(fil_id=fil.pk, status=BilagStatus.SENDT).update(status=BilagStatus.KLAR, fil_id=None)


SF1590E = exchange.registrer(exchange.Art(
    "SF1590E", "NemKonto-betalinger (SF1590_E)", "ud", "KY_SF1590E_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart=NEMKONTO, ved_afvisning=_frigiv_betalinger, send_igen=_send_betalinger_igen,
    afvist_tekst="betalingerne sendes igen i næste fil", job="sf1590-e-transfer-payment"))
NEMKONTO_STATUS = exchange.registrer(exchange.Art(
    "NEMKONTO_STATUS", "NemKonto-status", "ind", "NEMKONTO_STATUS_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart=NEMKONTO, job="nemkonto-collect-status"))
INDBETALING = exchange.registrer(exchange.Art(
    "INDBETALING", "Indbetalinger på fordringer", "ind", "INDBETALING_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart=NEMKONTO, job="debitor-indbetaling"))
SF1590A = exchange.registrer(exchange.Art(
    "SF1590A", "Finansbilag (SF1590_A)", "ud", "KY_SF1590A_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt",
    modpart=OEKONOMI, ved_afvisning=_frigiv_bilag, afvist_tekst="bilagene sendes igen ved næste kørsel",
    job="sf1590-a-send-finansbilag"))
SF1590A_KVITTERING = exchange.registrer(exchange.Art(
    "SF1590A_KVITTERING", "Finansbilag-kvittering", "ind",
    "SF1590A_KVITTERING_{kommune:03d}_{dato:%Y%m%d}_{loebenummer:06d}.txt", modpart=OEKONOMI,
    job="sf1590-a-modtag-finansbilag-kvittering"))


# ---------------------------------------------------------------- SF1590E out

def _betalinger(kommune_id: int, as_of: dt.date, *, kun_kvik: bool, alle: bool = False):
    """``klar`` payments that go by NemKonto (and standardcheck) due by the next bank day."""
    qs = Udbetaling.objects.filter(kommune_id=kommune_id, status=Status.KLAR,
                                   maade__in=(Maade.NEMKONTO, Maade.STANDARDCHECK))
    if not alle:
        qs = qs.filter(udbetalingsdato__lte=foerste_bankdag_efter(as_of))
    if kun_kvik:
        qs = qs.filter(kilde=Kilde.KVIKUDBETALING)
    return qs


def sf1590e_fil(kommune_id: int, loebenr: int, now: dt.datetime, rows) -> bytes:
    """The SF1590E file (udbetaling.md) for rows (id, cpr, beløb, udbetalingsdato, posteringstekst)."""
    write = formats.SF1590E_DETALJE.write
    total = 0
    lines = [START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                          "loebenummer": loebenr, "afsender": "KY"})]
    for uid, cpr, beloeb, dato, tekst in rows:
        oere = int(beloeb * 100)
        total += oere
        lines.append(write({"kommunekode": kommune_id, "cpr": cpr or "", "betalings_id": str(uid),
                            "beloeb_oere": oere, "udbetalingsdato": dato, "posteringstekst": tekst}))
    lines.append(SLUT.write({"kommunekode": kommune_id, "antal": len(rows), "sum_oere": total}))
    return encode_file(lines)


def send_betalinger(kommune_id: int, as_of: dt.date, transport, *, kun_kvik: bool = False, dry_run: bool = False,
                    log=None, alle: bool = False):
    """One SF1590E file of the kommune's due ``klar`` payments (only kvikudbetalinger with
    ``kun_kvik``). Returns the file or None; with ``dry_run`` (antal, sum) and nothing touched."""
    qs = _betalinger(kommune_id, as_of, kun_kvik=kun_kvik, alle=alle)
    if dry_run:
        agg = qs.aggregate(n=Count("id"), s=Sum("beloeb"))
        return agg["n"], agg["s"] or Decimal(0)

    def byg():
        rows = list(qs.select_for_update().order_by("id")
                    .values_list("id", "cpr", "beloeb", "udbetalingsdato", "posteringstekst"))
        if not rows:
            return None
        ids = [r[0] for r in rows]
        total = sum((r[2] for r in rows), Decimal(0))

        def knyt(fil):
            with connection.cursor() as cur:
                cur.execute(f"""UPDATE {services.T} SET status = {states.case_sql(states.Event.SEND)},
                                       fil_id = %s, status_tid = now()
                                 WHERE id = ANY(%s) AND status IN {states.from_sql(states.Event.SEND)}""", [fil.pk, ids])
                assert cur.rowcount == len(ids)  # locked above: all of them move

        return exchange.Udfil(indhold=lambda nr, now: sf1590e_fil(kommune_id, nr, now, rows), antal=len(rows),
                              sum_beloeb=total, knyt=knyt)

    return exchange.send(SF1590E, kommune_id, dato=as_of, transport=transport, byg=byg, log=log)


# ---------------------------------------------------------------- NEMKONTO_STATUS in

def _fil_kontrol(recs, kode: int) -> list:
    """Common checks of a received file: kommunekode on every record, end record count."""
    for linje, r in recs:
        if r["kommunekode"] != kode:
            raise LayoutFejl(f"kommunekode {r['kommunekode']:03d} passer ikke til filens {kode:03d}", linje=linje,
                             felt="kommunekode")
    detaljer = recs[1:-1]
    if recs[-1][1]["antal"] != len(detaljer):
        raise LayoutFejl(f"slutposten tæller {recs[-1][1]['antal']}, filen har {len(detaljer)} detaljeposter",
                         linje=recs[-1][0], felt="antal")
    return detaljer


def valider_status(filnavn: str, data: bytes, kode: int | None):
    """A NEMKONTO_STATUS file, whole: layout, kommune, count, betalings-id digits and once per file,
    then every id known in the kommune and sent (one query). Returns [(line, id, G/A, reason)]."""
    recs = read_file(data, formats.NEMKONTO_STATUS_LAYOUTS)
    poster, set_ = [], {}
    for linje, r in _fil_kontrol(recs, kode):
        bid = r["betalings_id"]
        if not bid.isdigit() or len(bid) > 18:
            raise LayoutFejl(f"ukendt betalings-id {bid!r}", linje=linje, felt="betalings_id")
        if bid in set_:
            raise LayoutFejl(f"betalings-id {bid} står også i linje {set_[bid]}", linje=linje, felt="betalings_id")
        set_[bid] = linje
        if r["status"] == "G" and r["aarsag"]:
            raise LayoutFejl("årsag skal være blank ved status G", linje=linje, felt="aarsag")
        poster.append((linje, int(bid), r["status"], r["aarsag"]))
    problemer = services.kontroller_status(kode, poster)
    if problemer:
        linje, tekst = problemer[0]
        more = f" (og {len(problemer) - 1} linjer mere)" if len(problemer) > 1 else ""
        raise LayoutFejl(tekst + more, linje=linje, felt="betalings_id")
    return poster


def modtag_status(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> dict:
    res = {"filer": 0, "gennemfoert": 0, "afvist": 0}

    def gem(filnavn, kode, poster):
        g, a = services.anvend_status(kode, poster)
        res["gennemfoert"] += g
        res["afvist"] += a
        log(f"{filnavn}: {len(poster)} statusposter, {g} gennemført, {a} afvist" + (" (tørkørsel)" if dry_run else ""))
        return {"antal": len(poster)}

    res["filer"] = len(exchange.modtag(NEMKONTO_STATUS, transport, log, kommune_id=kommune_id, dry_run=dry_run,
                                       valider=valider_status, gem=gem))
    return res


# ---------------------------------------------------------------- INDBETALING in

def valider_indbetaling(filnavn: str, data: bytes, kode: int | None):
    recs = read_file(data, formats.INDBETALING_LAYOUTS)
    poster = []
    for linje, r in _fil_kontrol(recs, kode):
        if r["beloeb_oere"] <= 0:
            raise LayoutFejl("beløbet skal være større end 0", linje=linje, felt="beloeb_oere")
        if not r["debitorkonto"]:
            raise LayoutFejl("debitorkonto mangler", linje=linje, felt="debitorkonto")
        poster.append({"linje": linje, **{k: r[k] for k in ("cpr", "debitorkonto", "beloeb_oere", "indbetalingsdato")}})
    return poster


def modtag_indbetalinger(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> dict:
    from debitor.udbetaling import indbetaling

    res = {"filer": 0, "indbetalinger": 0, "daekninger": 0, "overskud": Decimal(0), "uplaceret": 0}

    def gem(filnavn, kode, poster):
        r = indbetaling.registrer(kode, filnavn, poster)
        for k in ("indbetalinger", "daekninger", "overskud", "uplaceret"):
            res[k] += r[k]
        log(f"{filnavn}: {r['indbetalinger']} indbetalinger, {r['daekninger']} dækninger ({r['daekket']} kr.), "
            f"{r['overskud']} kr. i overskud, {r['uplaceret']} kan ikke placeres" + (" (tørkørsel)" if dry_run else ""))
        return {"antal": len(poster)}

    res["filer"] = len(exchange.modtag(INDBETALING, transport, log, kommune_id=kommune_id, dry_run=dry_run,
                                       valider=valider_indbetaling, gem=gem))
    return res


# ---------------------------------------------------------------- SF1590A finansbilag out, kvittering in

def sf1590a_fil(kommune_id: int, loebenr: int, now: dt.datetime, bilag: list[Finansbilag]) -> tuple[bytes, int]:
    lines = [START.write({"kommunekode": kommune_id, "dato": now.date(), "tid": f"{now:%H%M%S}",
                          "loebenummer": loebenr, "afsender": "KY"})]
    total = n = 0
    for b in bilag:
        linjer = list(b.linjer.all())
        d = sum(int(x.debet * 100) for x in linjer)
        k = sum(int(x.kredit * 100) for x in linjer)
        lines.append(formats.SF1590A_BILAG.write({"kommunekode": kommune_id, "bilag_id": f"KY{b.pk}",
                                                  "bogfoeringsdato": b.bogfoeringsdato, "antal_linjer": len(linjer),
                                                  "sum_debet_oere": d, "sum_kredit_oere": k}))
        for x in linjer:
            debet = x.debet > 0
            lines.append(formats.SF1590A_LINJE.write({
                "kommunekode": kommune_id, "bilag_id": f"KY{b.pk}", "konto": x.konto, "side": "D" if debet else "K",
                "beloeb_oere": int((x.debet if debet else x.kredit) * 100), "cpr": x.cpr or "", "tekst": x.tekst}))
        n += 1 + len(linjer)
        total += d
    lines.append(SLUT.write({"kommunekode": kommune_id, "antal": n, "sum_oere": total}))
    return encode_file(lines), total


def send_finansbilag(kommune_id: int, as_of: dt.date, transport, *, dry_run: bool = False, log=None):
    """Make the day's bilag (finans.dan_finansbilag) and send every ``klar`` bilag in one SF1590A file."""
    from debitor.udbetaling import finans

    if dry_run:
        n, s = finans.dan_finansbilag(kommune_id, as_of, dry_run=True)
        klar = Finansbilag.objects.filter(kommune_id=kommune_id, status=BilagStatus.KLAR).count()
        return n, s, klar
    finans.dan_finansbilag(kommune_id, as_of)

    def byg():
        bilag = list(Finansbilag.objects.select_for_update().filter(kommune_id=kommune_id, status=BilagStatus.KLAR)
                     .order_by("id"))
        if not bilag:
            return None
        ids = [b.pk for b in bilag]
        total = sum((b.sum_debet for b in bilag), Decimal(0))

        def knyt(fil):
            from django.utils import timezone

            Finansbilag.objects.filter(pk__in=ids).update(status=BilagStatus.SENDT, fil_id=fil.pk,
                                                          status_tid=timezone.now())

        return exchange.Udfil(indhold=lambda nr, now: sf1590a_fil(kommune_id, nr, now, bilag)[0],
                              antal=len(bilag), sum_beloeb=total, knyt=knyt)

    return exchange.send(SF1590A, kommune_id, dato=as_of, transport=transport, byg=byg, log=log)


def valider_kvittering(filnavn: str, data: bytes, kode: int | None):
    recs = read_file(data, formats.SF1590A_KVITTERING_LAYOUTS)
    poster = []
    for linje, r in _fil_kontrol(recs, kode):
        bid = r["bilag_id"]
        if not (bid.startswith("KY") and bid[2:].isdigit()):
            raise LayoutFejl(f"ukendt bilag-id {bid!r}", linje=linje, felt="bilag_id")
        poster.append((linje, int(bid[2:]), r["status"], r["aarsag"]))
    kendte = dict(Finansbilag.objects.filter(kommune_id=kode, pk__in=[p[1] for p in poster])
                  .values_list("pk", "status"))
    for linje, bid, st, _ in poster:
        if bid not in kendte:
            raise LayoutFejl(f"ukendt bilag-id KY{bid}", linje=linje, felt="bilag_id")
        if kendte[bid] not in (BilagStatus.SENDT, BilagStatus.BOGFOERT if st == "B" else BilagStatus.AFVIST):
            raise LayoutFejl(f"bilag KY{bid} har status {kendte[bid]}", linje=linje, felt="bilag_id")
    return poster


def modtag_kvitteringer(kommune_id: int | None, transport, log, *, dry_run: bool = False) -> dict:
    from debitor.udbetaling import finans

    res = {"filer": 0, "bogfoert": 0, "afvist": 0}

    def gem(filnavn, kode, poster):
        bilag = {b.pk: b for b in Finansbilag.objects.select_for_update().filter(pk__in=[p[1] for p in poster])}
        for _, bid, st, aarsag in poster:
            b = bilag[bid]
            if b.status != BilagStatus.SENDT:
                continue  # a repeat
            finans.marker_kvittering(b, st == "B", aarsag)
            res["bogfoert" if st == "B" else "afvist"] += 1
        return {"antal": len(poster)}

    res["filer"] = len(exchange.modtag(SF1590A_KVITTERING, transport, log, kommune_id=kommune_id, dry_run=dry_run,
                                       valider=valider_kvittering, gem=gem))
    log(f"{res['filer']} kvitteringsfiler: {res['bogfoert']} bilag bogført, {res['afvist']} afvist"
        + (" (tørkørsel)" if dry_run else ""))
    return res

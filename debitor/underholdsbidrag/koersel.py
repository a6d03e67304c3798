"""The weekly run (seed 004, 3.0.1 order): T/F and anmodninger registered, calculation,
payout (3.3) and claim (3.4), bookkeeping (3.5.1.1). Set-based: one read of due
bidrag, bulk_create / bulk_update for the writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from cases.models import Person
from debitor.models import Debitorkonto, Fordring, Fordringstype, Kilde

from . import beregning as b
from .models import (Afkraevning, Anmodning, Beregning, Bidrag, Bidragsperson, Meddelelse, Postering,
                     TillaegFradrag, Udbetaling, UBSag)
from .models import Kontoplan
from .services import FALLBACK_KONTO, _indtaegt_over_3x, satsperioder

BIDRAG_FIELDS = (
    "id", "bidragsart", "bpl_cpr", "forfaldsdato", "forrige_forfaldsdato", "forfaldsfrekvens", "fast_bidrag",
    "procentsats", "bp_id", "bp__cpr", "bp__foedselsdato", "bp__ab_kode", "bp__indtaegt", "bp__anmodning_kraeves",
    "bp__advis_631_givet", "bp__sag_id", "bp__sag__bb_cpr", "bp__sag__ratevis",
)


def ugekoersel(*, kommune_id: int, as_of: dt.date, koersel, ctx=None) -> dict:
    satser = satsperioder()
    slut_forfald = b.sidste_forfaldsdato(as_of)
    _, periode_slut = b.udbetalingsperiode(as_of)
    due = list(Bidrag.objects.filter(
        kommune_id=kommune_id, forfaldsdato__lte=slut_forfald, bp__statuskode=0, bp__sag__bb_statuskode=0,
    ).values(*BIDRAG_FIELDS))
    # anmodninger registered and not used (seed 004, 3.2.1/5)
    anm_rows = Anmodning.objects.filter(sag__kommune_id=kommune_id, brugt_af__isnull=True).values(
        "id", "bp_id", "bidragsart").order_by("forfaldsdato", "id")
    anmodninger: dict[tuple, list[int]] = defaultdict(list)
    for r in anm_rows:
        anmodninger[(r["bp_id"], r["bidragsart"])].append(r["id"])

    nye: list[Beregning] = []
    meddel: list[Meddelelse] = []
    opdater: list[Bidrag] = []
    brugte_anm: list[int] = []
    bp_631: set[int] = set()
    bp_markering_slet: set[int] = set()
    fejl = 0
    for r in due:
        art, forfald = r["bidragsart"], r["forfaldsdato"]
        over = _indtaegt_over_3x(r["bp__indtaegt"], satser, forfald)
        alder = b.alder_paa(r["bp__foedselsdato"], forfald)
        kraeves, adv = b.anmodning_kraeves(r["bp__ab_kode"], art, over, alder, r["bp__anmodning_kraeves"])
        maks = None
        if kraeves:
            if adv == "631" and not r["bp__advis_631_givet"] and r["bp_id"] not in bp_631:
                bp_631.add(r["bp_id"])
                meddel.append(_m(kommune_id, koersel, r, "631"))
            ledige = anmodninger.get((r["bp_id"], art), [])
            if not ledige:
                meddel.append(_m(kommune_id, koersel, r, "611"))
                continue
            maks = len(ledige)
        g = b.Bidragsgrundlag(art, forfald, r["forfaldsfrekvens"], r["bp__foedselsdato"], r["fast_bidrag"],
                              r["procentsats"], r["forrige_forfaldsdato"])
        try:
            res = b.beregn(g, satser, slut_forfald, maks=maks)
        except b.BeregningsFejl as exc:
            fejl += 1
            meddel.append(_m(kommune_id, koersel, r, "999", str(exc), art="fejl"))
            if ctx:
                ctx.error(f"bidrag {r['id']}", str(exc))
            continue
        if kraeves:
            antal = len({p.forfaldsdato for p in res.poster if p.type == "bidrag"}) or 1
            brugte_anm += anmodninger[(r["bp_id"], art)][:antal]
            bp_markering_slet.add(r["bp_id"])
        if over and art in b.NORMAL_ARTER:
            meddel.append(_m(kommune_id, koersel, r, "704"))
        for nr in res.advis:
            meddel.append(_m(kommune_id, koersel, r, nr))
        kode = b.bidragskode(r["bp__ab_kode"], art, over)
        ud, af = b.udbetales_afkraeves(kode)
        sidste_forfald_i_koersel = None
        for p in res.poster:
            udb_dato = b.udbetalingsdato(p.forfaldsdato, as_of)
            ratevis = ud and kode == "03" and r["bp__sag__ratevis"] and p.type == "bidrag"
            nye.append(_beregning(kommune_id, koersel, r, p, kode, udb_dato, ud and not ratevis, af))
            if ratevis:
                # seed 004, 3.2.3.2: six rates (broken period: as many as whole months)
                for rp in b.rateposter(p, p.brudt_maaneder):
                    nye.append(_beregning(kommune_id, koersel, r, rp, kode,
                                          b.udbetalingsdato(rp.forfaldsdato, as_of), True, False))
            sidste_forfald_i_koersel = p.forfaldsdato
        obj = Bidrag(id=r["id"], forfaldsdato=res.naeste_forfaldsdato, forfaldsfrekvens=res.forfaldsfrekvens,
                     forrige_forfaldsdato=_forrige(res, r))
        opdater.append(obj)

    # T/F registered (seed 004, 3.2.3.2): dated ones due in the period, undated go with this run
    tf_rows = list(TillaegFradrag.objects.filter(sag__kommune_id=kommune_id, koersel__isnull=True).filter(
        dato__isnull=True) | TillaegFradrag.objects.filter(sag__kommune_id=kommune_id, koersel__isnull=True,
                                                          dato__lte=slut_forfald))
    tf_ids = []
    if tf_rows:
        bps = {bp.id: bp for bp in Bidragsperson.objects.filter(id__in={t.bp_id for t in tf_rows}).select_related("sag")}
        for t in tf_rows:
            bp = bps[t.bp_id]
            if t.beloeb is None:
                continue
            kode = {1: "01", 2: "02", 3: "03"}.get(t.tf_kode // 10, "01")
            forfald = t.dato or b.udbetalingsperiode(as_of)[0]
            udb = b.udbetalingsdato(forfald, as_of) if t.dato else b.foerste_bankdag_fra(b.udbetalingsperiode(as_of)[0])
            r = {"bp__sag_id": bp.sag_id, "bp_id": bp.id, "id": None, "bpl_cpr": "", "bp__cpr": bp.cpr}
            post = b.Post("tf", t.bidragsart, t.fra_dato or forfald, t.til_dato or forfald, forfald, t.beloeb,
                          f"tillæg/fradrag kode {t.tf_kode}, beløbsmodtager {t.beloebsmodtager}: {t.beloeb:.2f}")
            nye.append(_beregning(kommune_id, koersel, r, post, kode, udb, t.beloebsmodtager == 1,
                                  t.beloebsmodtager == 0))
            tf_ids.append(t.id)

    created = copy_insert(Beregning, nye, BEREGNING_COPY_FIELDS)
    _opdater_bidrag(opdater)
    if brugte_anm:
        Anmodning.objects.filter(id__in=brugte_anm).update(brugt_af=koersel)
    if bp_631:
        Bidragsperson.objects.filter(id__in=bp_631).update(advis_631_givet=True)
    if bp_markering_slet:
        Bidragsperson.objects.filter(id__in=bp_markering_slet).update(anmodning_kraeves=False)
    if tf_ids:
        TillaegFradrag.objects.filter(id__in=tf_ids).update(koersel=koersel)

    udb = _udbetalinger(kommune_id, koersel, periode_slut, meddel)
    afk = _afkraevninger(kommune_id, koersel, periode_slut)
    post = _posteringer(kommune_id, koersel, periode_slut)
    Meddelelse.objects.bulk_create(meddel, batch_size=5000)
    return {"bidrag": len(due), "beregninger": created, "udbetalinger": udb, "afkraevninger": afk,
            "posteringer": post, "advis": len(meddel), "fejl": fejl}


BEREGNING_COPY_FIELDS = [
    "kommune", "sag", "bp", "bidrag", "bpl_cpr", "type", "bidragsart", "bidragskode", "periode_fra", "periode_til",
    "forfaldsdato", "udbetalingsdato", "beloeb", "udbetales", "afkraeves", "koersel", "forklaring"]


def copy_insert(model, objs: list, fields: list[str], ignore_conflicts: bool = True) -> int:
    """Set-based insert: COPY into a temp table, then one INSERT ... SELECT (ON CONFLICT DO NOTHING:
    a re-run never stores the same item twice). Returns the number of rows inserted."""
    if not objs:
        return 0
    from django.db import connection
    cols = [model._meta.get_field(f).column for f in fields]
    collist = ", ".join(cols)
    table = model._meta.db_table
    with connection.cursor() as c:
        c.execute(f"CREATE TEMP TABLE ub_copy AS SELECT {collist} FROM {table} WITH NO DATA")
        try:
            with c.cursor.copy(f"COPY ub_copy ({collist}) FROM STDIN") as cp:
                for o in objs:
                    cp.write_row([getattr(o, col) for col in cols])
            c.execute(f"INSERT INTO {table} ({collist}) SELECT {collist} FROM ub_copy"
                      + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""))
            n = c.rowcount
        finally:
            c.execute("DROP TABLE ub_copy")
    return n


def _opdater_bidrag(objs: list[Bidrag]) -> None:
    """One UPDATE ... FROM unnest(arrays) instead of bulk_update's CASE per row."""
    if not objs:
        return
    from django.db import connection
    with connection.cursor() as c:
        c.execute(
            f"UPDATE {Bidrag._meta.db_table} b SET forfaldsdato = v.f, forfaldsfrekvens = v.fr, "
            "forrige_forfaldsdato = v.ff FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::date[]) "
            "AS v(id, f, fr, ff) WHERE b.id = v.id",
            [[o.id for o in objs], [o.forfaldsdato for o in objs], [o.forfaldsfrekvens for o in objs],
             [o.forrige_forfaldsdato for o in objs]])


def _forrige(res, r):
    bid = [p.forfaldsdato for p in res.poster if p.type == "bidrag"]
    return bid[-1] if bid else r["forrige_forfaldsdato"]


def _m(kommune_id, koersel, r, nr, tekst=None, art="advis"):
    return Meddelelse(kommune_id=kommune_id, koersel=koersel, sag_id=r["bp__sag_id"], bp_id=r["bp_id"], nr=nr,
                      art=art, tekst=tekst or b.ADVIS_TEKST.get(nr, ""))


def _beregning(kommune_id, koersel, r, p: b.Post, kode, udb_dato, ud, af) -> Beregning:
    return Beregning(
        kommune_id=kommune_id, sag_id=r["bp__sag_id"], bp_id=r["bp_id"], bidrag_id=r["id"], bpl_cpr=r["bpl_cpr"],
        type=p.type, bidragsart=p.bidragsart, bidragskode=kode, periode_fra=p.periode_fra, periode_til=p.periode_til,
        forfaldsdato=p.forfaldsdato, udbetalingsdato=udb_dato, beloeb=p.beloeb, udbetales=ud, afkraeves=af,
        koersel=koersel, forklaring=f"{p.forklaring}; bidragskode {kode}; udbetalingsdato {udb_dato.isoformat()}")


def _udbetalinger(kommune_id, koersel, periode_slut, meddel) -> int:
    """seed 004, 3.3: per recipient and udbetalingsdato; kontant for the kommune, amount ≤ 0 or BB status 3."""
    qs = Beregning.objects.filter(kommune_id=kommune_id, udbetales=True, udbetalt_af__isnull=True,
                                  udbetalingsdato__lte=periode_slut)
    rows = list(qs.values("id", "sag_id", "udbetalingsdato", "beloeb", "type", "bidragsart", "forfaldsdato",
                          "sag__bb_cpr", "sag__udbetalingsform", "sag__bb_statuskode"))
    grupper = defaultdict(list)
    for r in rows:
        grupper[(r["sag_id"], r["udbetalingsdato"])].append(r)
    objs = []
    for (sag_id, dato), linjer in grupper.items():
        total = sum((x["beloeb"] for x in linjer), Decimal(0))
        first = linjer[0]
        form = first["sag__udbetalingsform"]
        if total <= 0:
            form = 0
            meddel.append(Meddelelse(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="620",
                                     tekst=b.ADVIS_TEKST["620"]))
        elif first["sag__bb_statuskode"] == 3:
            form = 0
            meddel.append(Meddelelse(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="626",
                                     tekst=b.ADVIS_TEKST["626"]))
        objs.append(Udbetaling(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, modtager=first["sag__bb_cpr"],
                               udbetalingsform=form, udbetalingsdato=dato, beloeb=total,
                               linjer=[_linje(x) for x in linjer]))
    Udbetaling.objects.bulk_create(objs, batch_size=5000)
    if rows:
        qs.update(udbetalt_af=koersel)  # same filter, same transaction: exactly the rows read
    return len(objs)


def _linje(x):
    return {"type": x["type"], "bidragsart": x["bidragsart"], "forfaldsdato": x["forfaldsdato"].isoformat(),
            "beloeb": f"{x['beloeb']:.2f}"}


def _afkraevninger(kommune_id, koersel, periode_slut) -> int:
    """seed 004, 3.4: per BPL and date; each positive one becomes a fordring on the BPL's debitorkonto."""
    qs = Beregning.objects.filter(kommune_id=kommune_id, afkraeves=True, afkraevet_af__isnull=True,
                                  udbetalingsdato__lte=periode_slut).exclude(bpl_cpr="")
    rows = list(qs.values("id", "sag_id", "bpl_cpr", "udbetalingsdato", "beloeb", "type", "bidragsart",
                          "forfaldsdato", "periode_fra", "periode_til"))
    if not rows:
        return 0
    grupper = defaultdict(list)
    for r in rows:
        grupper[(r["bpl_cpr"], r["udbetalingsdato"])].append(r)
    bpl_kommune = dict(UBSag.objects.filter(kommune_id=kommune_id, bidragspligtige__cpr__in={k[0] for k in grupper})
                       .values_list("bidragspligtige__cpr", "bidragspligtige__afkraevningskommune"))
    cprs = {k[0] for k in grupper}
    Person.objects.bulk_create([Person(cpr=c) for c in cprs], ignore_conflicts=True, batch_size=5000)
    personer = dict(Person.objects.filter(cpr__in=cprs).values_list("cpr", "id"))
    kontonr = {c: f"UB{c}" for c in cprs}
    Debitorkonto.objects.bulk_create(
        [Debitorkonto(kommune_id=kommune_id, kontonr=kontonr[c], person_id=personer[c], kilde=Kilde.UNDERHOLDSBIDRAG)
         for c in cprs], ignore_conflicts=True, batch_size=5000)
    konti = dict(Debitorkonto.objects.filter(kommune_id=kommune_id, kontonr__in=kontonr.values())
                 .values_list("kontonr", "id"))
    afk, fordringer = [], []
    for i, ((bpl, dato), linjer) in enumerate(grupper.items()):
        total = sum((x["beloeb"] for x in linjer), Decimal(0))
        a = Afkraevning(kommune_id=kommune_id, koersel=koersel, bpl=bpl, afkraevningskommune=bpl_kommune.get(bpl),
                        dato=dato, beloeb=total, linjer=[_linje(x) for x in linjer])
        afk.append(a)
        if total > 0:
            fordringer.append((a, Fordring(
                kommune_id=kommune_id, debitorkonto_id=konti[kontonr[bpl]], fordring_id=f"UB{koersel.pk}-{i + 1}",
                fordringstype=Fordringstype.UNDERHOLDSBIDRAG, hovedstol=total, restgaeld=total,
                periode_fra=min(x["periode_fra"] for x in linjer),
                periode_til=max(max(x["periode_til"] for x in linjer), min(x["periode_fra"] for x in linjer)),
                stiftelsesdato=dato)))
    Fordring.objects.bulk_create([fo for _, fo in fordringer], batch_size=5000)
    for a, fo in fordringer:
        a.fordring = fo
    Afkraevning.objects.bulk_create(afk, batch_size=5000)
    qs.update(afkraevet_af=koersel)
    return len(afk)


def konto_for(plan: list[tuple], gruppe: str, kode: str, art: int) -> str:
    """seed 004, 3.5.1.1 (contract): bidragskode before bidragsart, fallback 99999998-05."""
    for g, k, a, konto in plan:
        if g == gruppe and k == kode and a is None:
            return konto
    for g, k, a, konto in plan:
        if g == gruppe and k == kode and a == art:
            return konto
    for g, k, a, konto in plan:
        if g == gruppe and a == art and k is None:
            return konto
    return FALLBACK_KONTO


def _posteringer(kommune_id, koersel, periode_slut) -> int:
    """Double entry, summed per konto, posteringsdato and personnr (3.5.1.3). Our reading of 3.5.1.1/4:
    paid: D bidrag / K udbetaling; claimed: D tilgodehavende / K bidrag (paid) or mellemregning (not paid)."""
    plan = list(Kontoplan.objects.filter(kommune_id=kommune_id).values_list("kontogruppe", "bidragskode",
                                                                              "bidragsart", "konto"))
    rows = Beregning.objects.filter(kommune_id=kommune_id).filter(
        udbetalt_af=koersel) | Beregning.objects.filter(kommune_id=kommune_id, afkraevet_af=koersel)
    sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for r in rows.values("bidragskode", "bidragsart", "beloeb", "udbetalingsdato", "bp__cpr", "udbetalt_af_id",
                         "afkraevet_af_id", "udbetales", "afkraeves"):
        kode, art, bel, dato, cpr = r["bidragskode"], r["bidragsart"], r["beloeb"], r["udbetalingsdato"], r["bp__cpr"]

        def post(gruppe, debet, kredit):
            s = sums[(konto_for(plan, gruppe, kode, art), gruppe, dato, cpr)]
            s[0] += debet
            s[1] += kredit
        if r["udbetalt_af_id"] == koersel.pk:
            post("bidrag", bel, 0)
            post("udbetaling", 0, bel)
        if r["afkraevet_af_id"] == koersel.pk:
            post("tilgodehavende", bel, 0)
            post("bidrag" if r["udbetales"] or kode == "03" else "mellemregning", 0, bel)
    objs = [Postering(kommune_id=kommune_id, koersel=koersel, konto=k, kontogruppe=g, posteringsdato=d, personnr=c,
                      debet=v[0], kredit=v[1]) for (k, g, d, c), v in sums.items()]
    copy_insert(Postering, objs, ["kommune", "koersel", "konto", "kontogruppe", "debet", "kredit",
                                  "posteringsdato", "personnr"], ignore_conflicts=False)
    return len(objs)

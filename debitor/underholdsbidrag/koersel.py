"""The weekly run (seed 004, 3.0.1 order): T/F and anmodninger registered, calculation,
payout (3.3) and claim (3.4), bookkeeping (3.5.1.1). Set-based: one read of due
bidrag, bulk_create / bulk_update for the writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from cases.models import Person
from debitor.models import Debitorkonto, Fordring, Fordringstype, Kilde

from . import beregning as b
from .adresser import adresse_advis, adresser_til_uddata, advis_830, registerindsigt_adresse
from .models import (Adresse, Afkraevning, Anmodning, Anmodningsbrev, Beregning, Bidrag, Bidragsperson,
                     Bidragspligtig, Meddelelse, Registerindsigt, TillaegFradrag, Udbetaling, UBSag)
from . import kontering
from .kontering import konto_for  # noqa: F401  (seed 004, 3.5.1.1/3; kept importable from here)
from .services import _indtaegt_over_3x, satsperioder, slet_ubrugte_anmodninger, tekst_633
from .services import TILSLUTNING_FORM, TILSLUTNING_NAVN, passer_med_tilslutning, tilslutning_for

BIDRAG_FIELDS = (
    "id", "bidragsart", "bpl_cpr", "forfaldsdato", "forrige_forfaldsdato", "forfaldsfrekvens", "fast_bidrag",
    "procentsats", "bp_id", "bp__cpr", "bp__foedselsdato", "bp__ab_kode", "bp__indtaegt", "bp__anmodning_kraeves",
    "bp__advis_631_givet", "bp__sag_id", "bp__sag__bb_cpr", "bp__sag__ratevis", "bidragskode",
)


def _normalbidrag(due: list[dict]) -> dict[tuple, b.Normalbidrag]:
    """seed 004, 3.2.2: a percentage bidrag is computed from the sag's normalbidrag (art 11, 12,
    15) on the same BP, that BPL's first, else any BPL's. One query, only for percentage rows.
    Keys (bp_id, bpl_cpr) and (bp_id, None)."""
    bp_ids = {r["bp_id"] for r in due if r["bidragsart"] == 13 or r["procentsats"] is not None}
    out: dict[tuple, b.Normalbidrag] = {}
    if not bp_ids:
        return out
    for n in Bidrag.objects.filter(bp_id__in=bp_ids, bidragsart__in=b.NORMAL_ARTER, procentsats__isnull=True).values(
            "bp_id", "bpl_cpr", "bidragsart", "fast_bidrag", "forfaldsfrekvens").order_by("bp_id", "bidragsart", "id"):
        nb = b.Normalbidrag(n["bidragsart"], n["fast_bidrag"], n["forfaldsfrekvens"])
        out.setdefault((n["bp_id"], n["bpl_cpr"]), nb)
        out.setdefault((n["bp_id"], None), nb)
    return out


def ugekoersel(*, kommune_id: int, as_of: dt.date, koersel, ctx=None) -> dict:
    satser = satsperioder()
    slut_forfald = b.sidste_forfaldsdato(as_of)
    _, periode_slut = b.udbetalingsperiode(as_of)
    meddel: list[dict] = []
    # 3.0.1 1d: individ 240 (tilgodehavende) for BP without one
    Bidragsperson.objects.filter(sag__kommune_id=kommune_id, tilgodehavende_individ=False).update(
        tilgodehavende_individ=True)
    # 3.0.1 1g: kontrol af bidragsoplysninger (fejl 226)
    n226 = _kontrol_226(kommune_id, koersel, meddel)
    _brugeradvis(kommune_id, koersel, periode_slut, meddel)  # 3.0.1 1j, 3.2.1 Fremfind sager til advisering
    due = list(Bidrag.objects.filter(
        kommune_id=kommune_id, forfaldsdato__lte=slut_forfald, bp__statuskode=0, bp__sag__bb_statuskode=0,
    ).values(*BIDRAG_FIELDS))
    # anmodninger registered and not used (seed 004, 3.2.1/5)
    anm_rows = Anmodning.objects.filter(sag__kommune_id=kommune_id, brugt_af__isnull=True).values(
        "id", "bp_id", "bidragsart", "forfaldsdato").order_by("forfaldsdato", "id")
    anmodninger: dict[tuple, list[tuple[int, dt.date]]] = defaultdict(list)
    for r in anm_rows:
        anmodninger[(r["bp_id"], r["bidragsart"])].append((r["id"], r["forfaldsdato"]))
    anm_brugt: dict[tuple, int] = defaultdict(int)  # how many of a (bp, art)'s anmodninger this run used
    # (bp, art) -> (sag_id, [next forfaldsdato of each bidrag calculated with anmodning]) (3.2.2/4)
    anm_beregnet: dict[tuple, tuple[int, list]] = {}

    normal = _normalbidrag(due)
    periode_start, _ = b.udbetalingsperiode(as_of)
    givet_611 = set(Meddelelse.objects.filter(
        kommune_id=kommune_id, art="advis", nr="611", tekst__endswith=f"udbetalingsuge {periode_start.isoformat()})",
    ).values_list("bp_id", "tekst"))
    nye: list[dict] = []
    opdater: list[tuple] = []  # (id, forfaldsdato, forfaldsfrekvens, forrige_forfaldsdato, bidragskode)
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
            ledige = anmodninger.get((r["bp_id"], art), [])[anm_brugt[(r["bp_id"], art)]:]
            if not ledige:
                # one 611 per bidrag, forfaldsdato and payout week: a re-run of the week writes none
                tekst = (f"{b.ADVIS_TEKST['611']} (bidragsart {art}, forfaldsdato {forfald.isoformat()}, "
                         f"udbetalingsuge {periode_start.isoformat()})")
                if (r["bp_id"], tekst) not in givet_611:
                    givet_611.add((r["bp_id"], tekst))
                    meddel.append(_m(kommune_id, koersel, r, "611", tekst))
                continue
            maks = len(ledige)
        g = b.Bidragsgrundlag(art, forfald, r["forfaldsfrekvens"], r["bp__foedselsdato"], r["fast_bidrag"],
                              r["procentsats"], r["forrige_forfaldsdato"],
                              normal.get((r["bp_id"], r["bpl_cpr"])) or normal.get((r["bp_id"], None)))
        try:
            res = b.beregn(g, satser, slut_forfald, maks=maks)
        except b.BeregningsFejl as exc:
            fejl += 1
            meddel.append(_m(kommune_id, koersel, r, "999", str(exc), art="fejl"))
            if ctx:
                ctx.error(f"bidrag {r['id']}", str(exc))
            continue
        if kraeves:
            # seed 004, 3.2.2/4: one anmodning used per calculated period
            noegle = (r["bp_id"], art)
            antal = min(len({p.forfaldsdato for p in res.poster if p.type == "bidrag"}) or 1, len(ledige))
            brugte_anm += [i for i, _ in ledige[:antal]]
            anm_brugt[noegle] += antal
            anm_beregnet.setdefault(noegle, (r["bp__sag_id"], []))[1].append(res.naeste_forfaldsdato)
            bp_markering_slet.add(r["bp_id"])
        if over and art in b.NORMAL_ARTER:
            meddel.append(_m(kommune_id, koersel, r, "704"))
        for nr in res.advis:
            meddel.append(_m(kommune_id, koersel, r, nr))
        kode = b.bidragskode(r["bp__ab_kode"], art, over)
        if res.poster and r["bidragskode"] and r["bidragskode"] != kode:
            # seed 004, 3.2.3.1: bidragskode changed since the latest calculation
            meddel.append(_m(kommune_id, koersel, r, "634",
                             f"{b.ADVIS_TEKST['634']} ({r['bidragskode']} → {kode}, bidragsart {art})."))
        ud, af = b.udbetales_afkraeves(kode)
        for p in res.poster:
            udb_dato = b.udbetalingsdato(p.forfaldsdato, as_of)
            ratevis = ud and kode == "03" and r["bp__sag__ratevis"] and p.type == "bidrag"
            nye.append(_beregning(kommune_id, koersel, r, p, kode, udb_dato, ud and not ratevis, af))
            if ratevis:
                # seed 004, 3.2.3.2: six rates (broken period: as many as whole months)
                for rp in b.rateposter(p, p.brudt_maaneder):
                    nye.append(_beregning(kommune_id, koersel, r, rp, kode,
                                          b.udbetalingsdato(rp.forfaldsdato, as_of), True, False))
        opdater.append((r["id"], res.naeste_forfaldsdato, res.forfaldsfrekvens, _forrige(res, r),
                        kode if res.poster else r["bidragskode"]))

    # T/F registered (seed 004, 3.2.1 Fremfind T/F; 3.2.3.2)
    tf_ids = _tillaeg_fradrag(kommune_id, koersel, as_of, satser, slut_forfald, nye, meddel)
    # seed 004, 3.2.2/4: advis 632/605 from the addresses, for the bidrag calculated in this run
    adresse_advis(kommune_id, koersel, {n["bidrag_id"] for n in nye if n["type"] in ("bidrag", "efterregulering")},
                  periode_start, meddel)
    created = len(copy_rows(Beregning, nye))
    _opdater_bidrag(opdater)
    if brugte_anm:
        Anmodning.objects.filter(id__in=_ids(brugte_anm)).update(brugt_af=koersel)
    if bp_631:
        Bidragsperson.objects.filter(id__in=_ids(bp_631)).update(advis_631_givet=True)
    _slet_overskydende_anmodninger(kommune_id, koersel, as_of, anmodninger, anm_brugt, anm_beregnet, meddel)
    if bp_markering_slet:
        # seed 004, 3.2.2/4 Sletning af markering vedrørende anmodning kræves: after the calculation
        Bidragsperson.objects.filter(id__in=_ids(bp_markering_slet)).update(anmodning_kraeves=False)
    if tf_ids:
        TillaegFradrag.objects.filter(id__in=_ids(tf_ids)).update(koersel=koersel)

    _rater_til_inaktive(kommune_id, koersel, as_of, periode_slut, meddel)
    n219 = _afvis_219(kommune_id, koersel, periode_slut, slut_forfald, meddel)
    breve = _anmodningsbreve(kommune_id, koersel, as_of, satser, meddel, bp_631)

    udb = _udbetalinger(kommune_id, koersel, periode_slut, meddel)
    afk = _afkraevninger(kommune_id, koersel, periode_slut, meddel)
    advis_830(kommune_id, koersel, meddel)  # seed 004, 3.4.1: P-data bopælskommune ≠ afkrævningskommune
    adresser_til_uddata(koersel)  # seed 004, 3.3.1/3.4.1: address of each payout and claim
    post = _posteringer(kommune_id, koersel, periode_slut)
    _tilgodehavende(kommune_id, koersel, as_of, meddel)
    copy_rows(Meddelelse, meddel, conflict="")
    n_advis = len(meddel)
    meddel = []
    slettet = _oprydning(kommune_id, koersel, as_of, meddel)  # 3.1.1.6
    inaktiv_bp, inaktiv_bb = _automatisk_inaktivering(kommune_id, koersel, as_of, meddel)  # 3.1.1.5
    copy_rows(Meddelelse, meddel, conflict="")
    n_advis += len(meddel)
    n_indsigt = _registerindsigter(kommune_id, koersel, as_of)  # 3.0.1 10, 3.9.2
    return {"bidrag": len(due), "beregninger": created, "udbetalinger": udb, "afkraevninger": afk,
            "posteringer": post, "anmodningsbreve": breve, "registerindsigter": n_indsigt, "advis": n_advis,
            "fejl": fejl + n226 + n219,
            "slettet": slettet, "inaktiveret_bp": inaktiv_bp, "inaktiveret_bb": inaktiv_bb}


def copy_rows(model, rows: list, *, conflict: str = "DO NOTHING", returning: tuple[str, ...] = ()) -> list:
    """Set-based insert of model rows (dicts keyed by attname, or instances): COPY into a temp table,
    then one INSERT ... SELECT ... ON CONFLICT (a re-run never stores the same item twice). Every
    concrete field is written; missing ones get the field's default (auto_now/auto_now_add: now),
    so a column added to the model later needs no change here. Returns the RETURNING rows."""
    if not rows:
        return []
    from django.db import connection
    from django.utils import timezone
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # the default, "" for blank text, else None
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    from django.db import connections
    from django.db.models import JSONField
    conn = connections[model.objects.db]

    def ingen(v, _c):
        return v
    # plain values go to COPY as they are; only JSON needs Django's adaptation
    prep = [(f.attname, f.get_db_prep_save if isinstance(f, JSONField) else ingen, defaults[f.attname])
            for f in fields]
    out = []
    with connection.cursor() as c:
        c.execute(f"CREATE TEMP TABLE ub_copy AS SELECT {cols} FROM {table} WITH NO DATA")
        try:
            with c.cursor.copy(f"COPY ub_copy ({cols}) FROM STDIN") as cp:
                for r in rows:
                    if isinstance(r, dict):
                        get = r.get
                    else:  # an unsaved instance: auto_now fields are still None
                        def get(a, d, _r=r):
                            v = getattr(_r, a)
                            return d if v is None else v
                    cp.write_row([p(get(a, d), conn) for a, p, d in prep])
            ret = f" RETURNING {', '.join(returning)}" if returning else ""
            c.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM ub_copy"
                      + (f" ON CONFLICT {conflict}" if conflict else "") + ret)
            out = c.fetchall() if returning else [None] * c.rowcount
        finally:
            c.execute("DROP TABLE ub_copy")
    return out


def _ids(ids):
    """``field__in=_ids(ids)``: the ids as one array parameter, ``IN (SELECT unnest(array))`` (a hashed semi-join),
    instead of one query parameter per id (issue 21: IN lists of 70,000-100,000 values cost seconds each in
    building, splitting and planning the query)."""
    from django.db.models.expressions import RawSQL
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _opdater_bidrag(objs: list[tuple]) -> None:
    """One UPDATE ... FROM unnest(arrays) instead of bulk_update's CASE per row."""
    if not objs:
        return
    from django.db import connection
    with connection.cursor() as c:
        c.execute(
            f"UPDATE {Bidrag._meta.db_table} b SET forfaldsdato = v.f, forfaldsfrekvens = v.fr, "
            "forrige_forfaldsdato = v.ff, bidragskode = v.k "
            "FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::date[], %s::text[]) "
            "AS v(id, f, fr, ff, k) WHERE b.id = v.id",
            [list(x) for x in zip(*objs)])


def _forrige(res, r):
    bid = [p.forfaldsdato for p in res.poster if p.type == "bidrag"]
    return bid[-1] if bid else r["forrige_forfaldsdato"]


def _medd(*, koersel, art="advis", **kw) -> dict:
    """A Meddelelse row (attnames) for copy_rows."""
    return {"koersel_id": koersel.pk, "art": art, "sag_id": None, "bp_id": None, **kw}


def _m(kommune_id, koersel, r, nr, tekst=None, art="advis"):
    return _medd(kommune_id=kommune_id, koersel=koersel, sag_id=r["bp__sag_id"], bp_id=r["bp_id"], nr=nr,
                      art=art, tekst=tekst or b.ADVIS_TEKST.get(nr, ""))


def _beregning(kommune_id, koersel, r, p: b.Post, kode, udb_dato, ud, af, tf_id=None) -> dict:
    """A Beregning row (attnames) for copy_rows."""
    return dict(
        tillaeg_fradrag_id=tf_id, kommune_id=kommune_id, sag_id=r["bp__sag_id"], bp_id=r["bp_id"],
        bidrag_id=r["id"], bpl_cpr=r["bpl_cpr"], type=p.type, bidragsart=p.bidragsart, bidragskode=kode,
        periode_fra=p.periode_fra, periode_til=p.periode_til, forfaldsdato=p.forfaldsdato, udbetalingsdato=udb_dato,
        beloeb=p.beloeb, udbetales=ud, afkraeves=af, koersel_id=koersel.pk,
        forklaring=f"{p.forklaring}; bidragskode {kode}; udbetalingsdato {udb_dato.isoformat()}")


def _udbetalinger(kommune_id, koersel, periode_slut, meddel) -> int:
    """seed 004, 3.3.2: per recipient and udbetalingsdato. The recipient is the kommune for
    bidragskode 02 (only T/F 1x with det offentlige as beløbsmodtager get there, since 02-bidrag are
    claim-only), else BB. The form: see _udbetalingsform; a negative amount for a BP in the payout
    gives advis 620."""
    tilslutning = tilslutning_for(kommune_id)  # one row per kommune (3.11.2)
    qs = Beregning.objects.filter(kommune_id=kommune_id, udbetales=True, udbetalt_af__isnull=True,
                                  udbetalingsdato__lte=periode_slut)
    rows = list(qs.values("id", "sag_id", "bp_id", "udbetalingsdato", "beloeb", "type", "bidragsart", "forfaldsdato",
                          "bidragskode", "sag__bb_cpr", "sag__udbetalingsform", "sag__bb_statuskode"))
    grupper = defaultdict(list)
    for r in rows:
        modtager = "kommune" if r["bidragskode"] == "02" else r["sag__bb_cpr"]
        grupper[(r["sag_id"], modtager, r["udbetalingsdato"])].append(r)
    objs = []
    for (sag_id, modtager, dato), linjer in grupper.items():
        total = sum((x["beloeb"] for x in linjer), Decimal(0))
        pr_bp = defaultdict(Decimal)
        for x in linjer:
            pr_bp[x["bp_id"]] += x["beloeb"]
        first = linjer[0]
        # seed 004, 3.3.2: advis 620 when one or more BP have a negative amount in the payout (a
        # negative total always has one); a total of 0 without a negative BP is only paid kontant
        if any(v < 0 for v in pr_bp.values()):
            meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="620",
                                     tekst=b.ADVIS_TEKST["620"]))
        form, adv = _udbetalingsform(first["sag__udbetalingsform"], modtager == "kommune", total,
                                     first["sag__bb_statuskode"], tilslutning, dato)
        if adv:
            meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="626", tekst=adv))
        objs.append(dict(kommune_id=kommune_id, koersel_id=koersel.pk, sag_id=sag_id, modtager=modtager,
                         udbetalingsform=form, udbetalingsdato=dato, beloeb=total,
                         linjer=[_linje(x) for x in linjer]))
    copy_rows(Udbetaling, objs, conflict="")
    if rows:
        qs.update(udbetalt_af=koersel)  # same filter, same transaction: exactly the rows read
    return len(objs)


def _udbetalingsform(registreret, til_kommunen, total, bb_statuskode, tilslutning, dato) -> tuple[int, str | None]:
    """seed 004, 3.3.2 Bestemme udbetalingsform -> (form, advis 626 text or None). Kontant (no advis)
    for the kommune, a total <= 0 and BB statuskode 3 (BB flyttet). Otherwise the registered form;
    none registered: standardcheck when the kommune is connected to it on the udbetalingsdato, else
    kontant. A registered 1 (PBS) or 2 (standardcheck) the kommune is not connected to on the
    udbetalingsdato is paid kontant with advis 626."""
    if til_kommunen or total <= 0 or bb_statuskode == 3:
        return 0, None
    if registreret is None:
        return (2 if passer_med_tilslutning(2, tilslutning, dato) else 0), None
    if not passer_med_tilslutning(registreret, tilslutning, dato):
        navn = TILSLUTNING_NAVN[TILSLUTNING_FORM[registreret]]
        return 0, f"{b.ADVIS_TEKST['626']} (udbetalingsform {registreret}, {navn}, udbetalingsdato {dato.isoformat()})"
    return registreret, None


def _linje(x):
    return {"type": x["type"], "bidragsart": x["bidragsart"], "forfaldsdato": x["forfaldsdato"].isoformat(),
            "beloeb": f"{x['beloeb']:.2f}"}


def _afkraevninger(kommune_id, koersel, periode_slut, meddel) -> int:
    """seed 004, 3.4: per BPL, date and afkrævningskommune; each positive one becomes a fordring on the
    BPL's debitorkonto.
    Afkrævningskommune (3.4.2/4): the registered one, else the sagskommune (the Syddanmark rows
    are left out). Negative control (3.4.2): a negative sum per BP and forfaldsdato gives advis 630."""
    qs = Beregning.objects.filter(kommune_id=kommune_id, afkraeves=True, afkraevet_af__isnull=True,
                                  udbetalingsdato__lte=periode_slut).exclude(bpl_cpr="")
    rows = list(qs.values("id", "sag_id", "bp_id", "bpl_cpr", "udbetalingsdato", "beloeb", "type", "bidragsart",
                          "forfaldsdato", "periode_fra", "periode_til"))
    if not rows:
        return 0
    pr_bp = defaultdict(Decimal)
    for r in rows:
        pr_bp[(r["sag_id"], r["bp_id"], r["forfaldsdato"])] += r["beloeb"]
    for (sag_id, bp_id, _), v in pr_bp.items():
        if v < 0:
            meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="630",
                                     tekst=b.ADVIS_TEKST["630"]))
    # the BPL individ (and its afkrævningskommune) belongs to the sag: a BPL on two sager may have two
    bpl_kommune = {(sag_id, cpr): afk for sag_id, cpr, afk in Bidragspligtig.objects.filter(
        sag_id__in=_ids({r["sag_id"] for r in rows})).values_list("sag_id", "cpr", "afkraevningskommune")}
    grupper = defaultdict(list)
    for r in rows:
        afk = bpl_kommune.get((r["sag_id"], r["bpl_cpr"])) or kommune_id
        grupper[(r["bpl_cpr"], r["udbetalingsdato"], afk)].append(r)
    cprs = sorted({k[0] for k in grupper})
    kontonr = {c: f"UB{c}" for c in cprs}
    konti = _bpl_konti(kommune_id, cprs)
    afk, fordringer = [], []
    for i, ((bpl, dato, afk_kommune), linjer) in enumerate(grupper.items()):
        total = sum((x["beloeb"] for x in linjer), Decimal(0))
        fid = f"UB{koersel.pk}-{i + 1}"
        afk.append({"kommune_id": kommune_id, "koersel_id": koersel.pk, "bpl": bpl,
                    "afkraevningskommune": afk_kommune, "dato": dato, "beloeb": total,
                    "linjer": [_linje(x) for x in linjer], "fordring_id": fid if total > 0 else None})
        if total > 0:
            fra = min(x["periode_fra"] for x in linjer)
            fordringer.append({
                "kommune_id": kommune_id, "debitorkonto_id": konti[kontonr[bpl]], "fordring_id": fid,
                "fordringstype": Fordringstype.UNDERHOLDSBIDRAG, "hovedstol": total, "restgaeld": total,
                "periode_fra": fra, "periode_til": max(max(x["periode_til"] for x in linjer), fra),
                "stiftelsesdato": dato})
    fordring_pk = dict((fid, pk) for pk, fid in copy_rows(Fordring, fordringer, conflict="",
                                                          returning=("id", "fordring_id")))
    for a in afk:
        a["fordring_id"] = fordring_pk.get(a["fordring_id"])
    copy_rows(Afkraevning, afk, conflict="")
    qs.update(afkraevet_af=koersel)
    return len(afk)


def _bpl_konti(kommune_id, cprs: list[str]) -> dict[str, int]:
    """The BPL's person and debitorkonto 'UB<cpr>' (kilde UNDERHOLDSBIDRAG), made where missing; returns
    kontonr -> debitorkonto id. Set-based with the CPR numbers as one array parameter (issue 21: the former
    COPY + IN lists of 100,000 values spent seconds in building and splitting the queries)."""
    from django.db import connection
    person, konto = Person._meta.db_table, Debitorkonto._meta.db_table
    with connection.cursor() as c:
        c.execute(f"""
            INSERT INTO {person} (cpr, navn, oprettet, aendret)
            SELECT x, '', now(), now() FROM unnest(%s::text[]) x ORDER BY x
            ON CONFLICT (cpr) DO NOTHING""", [cprs])
        c.execute(f"""
            INSERT INTO {konto} (kommune_id, kontonr, person_id, sag_id, bevilling_id, kilde, kmd_aktiv_bevillingsnr,
                                 ydelsestype, oprettet, aendret)
            SELECT %s, 'UB' || x, p.id, NULL, NULL, %s, NULL, '', now(), now()
            FROM unnest(%s::text[]) x JOIN {person} p ON p.cpr = x ORDER BY x
            ON CONFLICT (kommune_id, kontonr) DO NOTHING""", [kommune_id, Kilde.UNDERHOLDSBIDRAG, cprs])
        c.execute(f"SELECT kontonr, id FROM {konto} WHERE kommune_id = %s AND kontonr = ANY(%s::text[])",
                  [kommune_id, [f"UB{x}" for x in cprs]])
        return dict(c.fetchall())


def _posteringer(kommune_id, koersel, periode_slut) -> int:
    """seed 004, 3.5.1.1 kontering per 3.5.1.1/4's table, summed per 3.5.1.3 (kontering.py)."""
    return kontering.bogfoer(kommune_id, koersel.pk)


# ---------------------------------------------------------------- 3.0.1 1g: fejl 226
def _kontrol_226(kommune_id, koersel, meddel) -> int:
    """seed 004, 3.1.1.3/4: a BP whose bidrag (per BPL) do not combine gets forfaldsdato 0 on all
    its bidrag and fejl 226. Only groups that can fail are read (more than one art, or art 13)."""
    from django.db import connection
    saer = tuple(sorted(b.SAERBIDRAG))
    with connection.cursor() as c:
        c.execute(f"""
            SELECT b.bp_id, bp.sag_id, array_agg(DISTINCT b.bidragsart)
            FROM {Bidrag._meta.db_table} b JOIN {Bidragsperson._meta.db_table} bp ON bp.id = b.bp_id
            WHERE b.kommune_id = %s AND NOT (b.bidragsart = ANY(%s))
            GROUP BY b.bp_id, bp.sag_id, b.bpl_cpr
            HAVING (count(*) > 1 OR bool_or(b.bidragsart = 13)) AND bool_or(b.forfaldsdato IS NOT NULL)""",
                  [kommune_id, list(saer)])
        rows = c.fetchall()
    fejl_bp = {}
    for bp_id, sag_id, arter in rows:
        if not b.kombination_ok(arter):
            fejl_bp[bp_id] = (sag_id, sorted(arter))
    if not fejl_bp:
        return 0
    Bidrag.objects.filter(bp_id__in=fejl_bp).update(forfaldsdato=None)
    from .services import FEJL
    for bp_id, (sag_id, arter) in fejl_bp.items():
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="226",
                                 art="fejl", tekst=f"{FEJL['226']} (bidragsarter {', '.join(map(str, arter))})"))
    return len(fejl_bp)


# ---------------------------------------------------------------- T/F (3.2.1, 3.2.3.2)
def _tillaeg_fradrag(kommune_id, koersel, as_of, satser, slut_forfald, nye, meddel) -> list[int]:
    """Undated T/F and T/F dated up to the largest forfaldsdato go with this run. Inactive BP:
    those are effected (advis 617), later-dated ones deleted (advis 618). Amount: the one entered,
    else computed from fra/til and the satser (3.2.3.2). Routing by T/F main type (1x–6x)."""
    rows = list(TillaegFradrag.objects.filter(sag__kommune_id=kommune_id, koersel__isnull=True).values(
        "id", "sag_id", "bp_id", "bp__cpr", "bp__statuskode", "sag__bb_statuskode", "tf_kode", "bidragsart",
        "beloeb", "dato", "fra_dato", "til_dato", "beloebsmodtager").order_by("id"))
    if not rows:
        return []
    periode_start = b.foerste_bankdag_fra(b.udbetalingsperiode(as_of)[0])
    # the first bidrag paid in the week per sag: undated T/F follow it (3.2.3.2 Udbetalingsdato)
    foerste: dict[int, tuple] = {}
    for x in nye:
        if x["type"] in ("bidrag", "rate") and x["udbetalingsdato"] <= b.udbetalingsperiode(as_of)[1]:
            cur = foerste.get(x["sag_id"])
            if cur is None or x["forfaldsdato"] < cur[0]:
                foerste[x["sag_id"]] = (x["forfaldsdato"], x["udbetalingsdato"])
    bp_ids = {r["bp_id"] for r in rows}
    bpl_by_art, bpl_any, pct13 = {}, {}, {}
    for bp_id, art, bpl, pct in Bidrag.objects.filter(bp_id__in=bp_ids).values_list(
            "bp_id", "bidragsart", "bpl_cpr", "procentsats").order_by("id"):
        bpl_by_art.setdefault((bp_id, art), bpl)
        bpl_any.setdefault(bp_id, bpl)
        if art == 13:
            pct13.setdefault(bp_id, pct)
    slet, brugt = [], []
    for t in rows:
        inaktiv = t["bp__statuskode"] != 0 or t["sag__bb_statuskode"] != 0
        r = {"bp__sag_id": t["sag_id"], "bp_id": t["bp_id"], "id": None, "bp__cpr": t["bp__cpr"],
             "bpl_cpr": bpl_by_art.get((t["bp_id"], t["bidragsart"])) or bpl_any.get(t["bp_id"], "")}
        if t["dato"] is not None and t["dato"] > slut_forfald:
            if inaktiv:
                slet.append(t["id"])
                meddel.append(_m(kommune_id, koersel, r, "618"))
            continue
        if t["dato"] is not None:
            forfald, udb = t["dato"], b.udbetalingsdato(t["dato"], as_of)
        elif t["sag_id"] in foerste:
            forfald, udb = foerste[t["sag_id"]]
        else:
            forfald, udb = b.udbetalingsperiode(as_of)[0], periode_start
        if t["beloeb"] is not None:
            beloeb = t["beloeb"]
            forkl = f"T/F kode {t['tf_kode']}, art {t['bidragsart']}: indberettet beløb {beloeb:.2f}"
        else:
            try:
                beloeb, _, forkl = b.beregn_tf(t["tf_kode"], t["bidragsart"], t["fra_dato"], t["til_dato"], satser,
                                               as_of, t["dato"], pct13.get(t["bp_id"]))
            except b.BeregningsFejl as exc:
                nr = "158" if "158" in str(exc) else "999"
                meddel.append(_m(kommune_id, koersel, r, nr, f"T/F afvist: {exc}", art="fejl"))
                slet.append(t["id"])
                continue
        kode, ud, af = b.tf_routing(t["tf_kode"], t["beloebsmodtager"])
        if af and not r["bpl_cpr"]:
            meddel.append(_m(kommune_id, koersel, r, "999", "T/F til afkrævning, men bidragspersonen har ingen BPL.",
                             art="fejl"))
            af = False
        forkl += f"; beløbsmodtager {'det offentlige' if t['beloebsmodtager'] == 0 else 'BB'}"
        post = b.Post("tf", t["bidragsart"], t["fra_dato"] or forfald, t["til_dato"] or forfald, forfald, beloeb,
                      forkl, beloeb)
        nye.append(_beregning(kommune_id, koersel, r, post, kode, udb, ud, af, tf_id=t["id"]))
        brugt.append(t["id"])
        if inaktiv:
            meddel.append(_m(kommune_id, koersel, r, "617"))
    if slet:
        TillaegFradrag.objects.filter(id__in=slet).delete()
    return brugt


def _rater_til_inaktive(kommune_id, koersel, as_of, periode_slut, meddel) -> int:
    """seed 004, 3.2.1/4 Fremfind sager med rateudbetaling: for an inactive BP or BB, or a sag whose
    rate marking is removed, rates not yet effected are paid on the first bank day of the coming
    payout week; advis 619 per BP. One UPDATE ... RETURNING."""
    from django.db import connection
    ber, bp, sag = Beregning._meta.db_table, Bidragsperson._meta.db_table, UBSag._meta.db_table
    dato = b.foerste_bankdag_fra(b.udbetalingsperiode(as_of)[0])
    with connection.cursor() as c:
        c.execute(f"""
            UPDATE {ber} r SET udbetalingsdato = %s,
                   forklaring = r.forklaring || '; fremrykket til ' || %s || ' (BP/BB inaktiv eller rater ophørt)'
            FROM {bp} p, {sag} s
            WHERE r.bp_id = p.id AND r.sag_id = s.id AND r.kommune_id = %s AND r.type = 'rate'
              AND r.udbetalt_af_id IS NULL AND r.udbetalingsdato > %s
              AND (p.statuskode <> 0 OR s.bb_statuskode <> 0 OR NOT s.ratevis)
            RETURNING r.sag_id, r.bp_id""", [dato, dato.isoformat(), kommune_id, periode_slut])
        rows = set(c.fetchall())
    for sag_id, bp_id in rows:
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="619",
                                 tekst=b.ADVIS_TEKST["619"]))
    return len(rows)


def _afvis_219(kommune_id, koersel, periode_slut, slut_forfald, meddel) -> int:
    """seed 004, 3.5.2.1: more than 50 future elements (T/F + rates) on a sag rejects the excess
    future T/F (the last registered) with fejl 219. One statement."""
    from django.db import connection
    from .services import FEJL
    tf, ber = TillaegFradrag._meta.db_table, Beregning._meta.db_table
    with connection.cursor() as c:
        c.execute(f"""
            WITH rater AS (SELECT sag_id, count(*) AS n FROM {ber}
                           WHERE kommune_id = %s AND type = 'rate' AND udbetalt_af_id IS NULL
                             AND udbetalingsdato > %s GROUP BY sag_id),
                 ftf AS (SELECT t.id, t.sag_id, t.bp_id,
                                row_number() OVER (PARTITION BY t.sag_id ORDER BY t.id) AS nr,
                                count(*) OVER (PARTITION BY t.sag_id) AS n
                         FROM {tf} t JOIN {UBSag._meta.db_table} s ON s.id = t.sag_id
                         WHERE s.kommune_id = %s AND t.koersel_id IS NULL AND t.dato > %s)
            DELETE FROM {tf} WHERE id IN (
                SELECT ftf.id FROM ftf LEFT JOIN rater ON rater.sag_id = ftf.sag_id
                WHERE ftf.nr > 50 - coalesce(rater.n, 0))
            RETURNING sag_id, bp_id""", [kommune_id, periode_slut, kommune_id, slut_forfald])
        rows = c.fetchall()
    for sag_id, bp_id in rows:
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="219",
                                 art="fejl", tekst=FEJL["219"]))
    return len(rows)


# ---------------------------------------------------------------- anmodninger after calculation (3.2.2/4)
def _slet_overskydende_anmodninger(kommune_id, koersel, as_of, anmodninger, anm_brugt, anm_beregnet,
                                   meddel) -> int:
    """seed 004, 3.2.2/4 Nedskrivning af antal modtagne anmodninger: after the calculation of a
    bidrag needing anmodning, each calculated period uses one anmodning; then the count is set to 1
    if the next forfaldsdato lies before the first day of the anmodningsuge (the fifth week from the
    production week, 3.2.1), else to 0. Our anmodninger are rows per forfaldsdato: the earliest
    unused one is kept (at most one), the rest are deleted with advis 633 per BP and bidragsart.
    One DELETE."""
    anmodningsuge = b.uge_mandag(as_of) + dt.timedelta(days=35)
    slet: list[int] = []
    for noegle, (sag_id, naeste) in anm_beregnet.items():
        rest = anmodninger[noegle][anm_brugt[noegle]:]
        datoer = [x for x in naeste if x is not None]
        behold = 1 if datoer and min(datoer) < anmodningsuge else 0
        overskud = rest[behold:]
        if not overskud:
            continue
        slet += [i for i, _ in overskud]
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=noegle[0], nr="633",
                            tekst=tekst_633(noegle[1], [d for _, d in overskud])))
    if slet:
        Anmodning.objects.filter(id__in=slet).delete()
    return len(slet)


# ---------------------------------------------------------------- anmodning letters (3.2.1)
def _anmodningsbreve(kommune_id, koersel, as_of, satser, meddel, bp_631) -> int:
    """seed 004, 3.2.1 Fremfind sager til anmodning: bidrag needing anmodning with a forfaldsdato in
    the fifth week from the production week get a letter; kommune as beløbsmodtager (bidragskode
    02) gets advis 612 instead; advis 631 the first time because the BP is 15."""
    from django.db.models import Q
    uge5 = b.uge_mandag(as_of) + dt.timedelta(days=35)
    uge5_slut = uge5 + dt.timedelta(days=6)
    # only rows where the anmodning table can say yes (seed 004, 3.2.1/5)
    kan = (Q(bp__ab_kode=8) | Q(bp__ab_kode__in=(0, 1, 2)) & ~Q(bidragsart=32) & (
        ~Q(bidragsart__in=b.NORMAL_ARTER) | Q(bp__anmodning_kraeves=True) | Q(bp__indtaegt__isnull=False)
        | Q(bp__foedselsdato__lte=uge5_slut - relativedelta(years=15))))
    rows = list(Bidrag.objects.filter(
        kan, kommune_id=kommune_id, bp__statuskode=0, bp__sag__bb_statuskode=0, forfaldsdato__lte=uge5_slut,
        forfaldsdato__gte=uge5 - relativedelta(months=12)).values(*BIDRAG_FIELDS))
    if not rows:
        return 0
    har = set(Anmodningsbrev.objects.filter(bidrag_id__in=_ids([r["id"] for r in rows]), forfaldsdato__gte=uge5)
              .values_list("bidrag_id", "forfaldsdato"))
    breve = []
    for r in rows:
        g = b.Bidragsgrundlag(r["bidragsart"], r["forfaldsdato"], r["forfaldsfrekvens"], r["bp__foedselsdato"],
                              r["fast_bidrag"], r["procentsats"])
        d = r["forfaldsdato"]
        for _ in range(60):
            if d is None or d > uge5_slut:
                break
            if d >= uge5 and (r["id"], d) not in har:
                over = _indtaegt_over_3x(r["bp__indtaegt"], satser, d)
                kraeves, adv = b.anmodning_kraeves(r["bp__ab_kode"], r["bidragsart"], over,
                                                   b.alder_paa(r["bp__foedselsdato"], d), r["bp__anmodning_kraeves"])
                if kraeves:
                    if b.bidragskode(r["bp__ab_kode"], r["bidragsart"], over) == "02":
                        meddel.append(_m(kommune_id, koersel, r, "612"))
                    else:
                        breve.append(Anmodningsbrev(kommune_id=kommune_id, koersel=koersel, sag_id=r["bp__sag_id"],
                                                    bp_id=r["bp_id"], bidrag_id=r["id"], bidragsart=r["bidragsart"],
                                                    bpl_cpr=r["bpl_cpr"], forfaldsdato=d))
                    if adv == "631" and not r["bp__advis_631_givet"] and r["bp_id"] not in bp_631:
                        bp_631.add(r["bp_id"])
                        meddel.append(_m(kommune_id, koersel, r, "631"))
            g.forfaldsfrekvens = r["forfaldsfrekvens"] if r["bidragsart"] != 32 else g.forfaldsfrekvens
            d, g.forfaldsfrekvens, _ = b.naeste_forfaldsdato(g, d)
    Anmodningsbrev.objects.bulk_create(breve, ignore_conflicts=True, batch_size=5000)
    if bp_631:
        Bidragsperson.objects.filter(id__in=_ids(bp_631)).update(advis_631_givet=True)
    return len(breve)


# ---------------------------------------------------------------- tilgodehavende (individ 240)
def _tilgodehavende(kommune_id, koersel, as_of, meddel) -> None:
    """seed 004, 3.5.1.2: the tilgodehavende moves with the run's kontering on the tilgodehavende
    accounts (kontering.py); advis 840 when a saldo it moved is now negative."""
    for sag_id, bp_id, tekst in kontering.ajourfoer_tilgodehavende(kommune_id, koersel.pk, as_of):
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="840",
                            tekst=tekst))


# ---------------------------------------------------------------- 3.1.1.6 oprydning
def _oprydning(kommune_id, koersel, as_of, meddel) -> int:
    """seed 004, 3.1.1.6: BB/BP inactive for 13 months are deleted (a BB with its whole sag), a BP
    only when both tilgodehavender are 0 and nothing was paid/claimed in the last 13 months; BPL
    no longer on any bidrag go too. Advis 601/800/801 (kept on the run after the sag is gone)."""
    from django.db.models import Exists, OuterRef, Q
    graense = as_of - relativedelta(months=13)
    kan_slettes = Q(statuskode__gt=0, inaktiv_siden__lte=graense, tilgodehavende_bb=0, tilgodehavende_off=0) & (
        Q(tilgodehavende_dato__isnull=True) | Q(tilgodehavende_dato__lt=graense))
    bp_kand = Bidragsperson.objects.filter(kan_slettes, sag__kommune_id=kommune_id)
    ikke_kand = Bidragsperson.objects.filter(sag_id=OuterRef("pk")).exclude(kan_slettes)
    sager = list(UBSag.objects.filter(kommune_id=kommune_id, bb_statuskode__gt=0, inaktiv_siden__lte=graense)
                 .filter(~Exists(ikke_kand)).values_list("id", "bb_cpr"))
    sag_ids = [i for i, _ in sager]
    # a BP goes alone only when another BP stays on its sag
    andre_bliver = Bidragsperson.objects.filter(sag_id=OuterRef("sag_id")).exclude(kan_slettes)
    bps = list(bp_kand.exclude(sag_id__in=sag_ids).filter(Exists(andre_bliver))
               .values_list("id", "sag_id", "cpr"))
    for sag_id, cpr in sager:
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, nr="601",
                                 tekst=f"{b.ADVIS_TEKST['601']} BB {cpr}, sag {sag_id}."))
    for _bp_id, sag_id, cpr in bps:
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="800",
                                 tekst=f"{b.ADVIS_TEKST['800']} BP {cpr}."))
    if sag_ids:
        UBSag.objects.filter(id__in=sag_ids).delete()
    if bps:
        Bidragsperson.objects.filter(id__in=[x[0] for x in bps]).delete()
        brugte = Bidrag.objects.filter(bp__sag_id=OuterRef("sag_id"), bpl_cpr=OuterRef("cpr"))
        bpl = list(Bidragspligtig.objects.filter(sag_id__in={x[1] for x in bps}).filter(~Exists(brugte))
                   .values_list("id", "sag_id", "cpr"))
        for _, sag_id, cpr in bpl:
            meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="801",
                                     tekst=f"{b.ADVIS_TEKST['801']} BPL {cpr}."))
        Bidragspligtig.objects.filter(id__in=[x[0] for x in bpl]).delete()
    return len(sager) + len(bps)


# ---------------------------------------------------------------- 3.1.1.5 automatisk inaktivering
def _automatisk_inaktivering(kommune_id, koersel, as_of, meddel) -> tuple[int, int]:
    """seed 004, 3.1.1.5: an active BP stays active while it was touched within the last month, has
    a tilgodehavende ≠ 0, a bidrag with forfaldsdato (or stopped but touched within the month) or a
    future dated T/F; otherwise statuskode 8. A BB without active BP gets statuskode 9. The unused
    anmodninger of a BP inactivated here are deleted (3.1.1.3/3, advis 633)."""
    from django.db.models import Exists, OuterRef, Q
    maaned = as_of - relativedelta(months=1)
    aktiv_bidrag = Bidrag.objects.filter(bp_id=OuterRef("pk")).filter(
        Q(forfaldsdato__isnull=False) | Q(virkningsdato__gte=maaned))
    fremtidig_tf = TillaegFradrag.objects.filter(bp_id=OuterRef("pk"), koersel__isnull=True, dato__isnull=False)
    bp_ids = list(Bidragsperson.objects.filter(sag__kommune_id=kommune_id, statuskode=0)
                  .exclude(virkningsdato__gte=maaned).filter(tilgodehavende_bb=0, tilgodehavende_off=0)
                  .filter(~Exists(aktiv_bidrag), ~Exists(fremtidig_tf)).values_list("id", flat=True))
    n_bp = Bidragsperson.objects.filter(id__in=bp_ids).update(statuskode=8, inaktiv_siden=as_of) if bp_ids else 0
    if bp_ids:
        # seed 004, 3.1.1.3/3: the inactivated BP's unused anmodninger go (advis 633)
        meddel += [_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, bp_id=bp_id, nr="633",
                         tekst=tekst_633(art, datoer))
                   for sag_id, bp_id, art, datoer in slet_ubrugte_anmodninger(bp_ids)]
    aktiv_bp = Bidragsperson.objects.filter(sag_id=OuterRef("pk"), statuskode=0)
    n_bb = (UBSag.objects.filter(kommune_id=kommune_id, bb_statuskode=0).filter(~Exists(aktiv_bp))
            .update(bb_statuskode=9, inaktiv_siden=as_of))
    return n_bp, n_bb


# ---------------------------------------------------------------- individ 211 (3.2.1, 3.0.1 1j)
def _brugeradvis(kommune_id, koersel, periode_slut, meddel) -> None:
    """Caseworker advis whose date falls in the payout period go on the advisliste (nr 211, the
    individ); the date then moves on by the frekvens, or becomes 0 (stamkort only)."""
    rows = list(UBSag.objects.filter(kommune_id=kommune_id, brugeradvis_tekst__isnull=False,
                                     brugeradvis_dato__lte=periode_slut)
                .values_list("id", "brugeradvis_tekst", "brugeradvis_dato", "brugeradvis_frekvens"))
    if not rows:
        return
    opdater = []
    for sag_id, tekst, dato, frek in rows:
        meddel.append(_medd(kommune_id=kommune_id, koersel=koersel, sag_id=sag_id, nr="211",
                                 tekst=f"Advis {dato.isoformat()}: {tekst}"))
        ny = None
        if frek in b.FREKVENS_MDR:
            ny = dato
            while ny <= periode_slut:
                ny = ny + relativedelta(months=b.FREKVENS_MDR[frek])
        opdater.append(UBSag(id=sag_id, brugeradvis_dato=ny))
    UBSag.objects.bulk_update(opdater, ["brugeradvis_dato"], batch_size=5000)


# ---------------------------------------------------------------- registerindsigt (3.1.1.1, 3.1.2/2, 3.9.2)
def _registerindsigter(kommune_id, koersel, as_of) -> int:
    """seed 004, 3.0.1 10 "Dannelse af registerindsigt": every pending request of the kommune is
    produced from the register as it stands after the run. Where the personnummer is BB, BP or BPL
    on a sag of the kommune, the registerindsigt shows that person's data on the sag; the other
    persons on the sag appear by role and name only (3.9.1: "For alle andre personnr. på sagen
    udskrives kun navn"). Not found: blank, "ingen oplysninger registreret" (3.1.2/2). A fixed
    number of queries, whatever the number of requests."""
    bestilte = list(Registerindsigt.objects.filter(kommune_id=kommune_id, dannet__isnull=True))
    if not bestilte:
        return 0
    cprs = {r.cpr for r in bestilte}
    sager = {s.id: s for s in UBSag.objects.filter(kommune_id=kommune_id).filter(
        Q(bb_cpr__in=cprs) | Q(bidragspersoner__cpr__in=cprs) | Q(bidragspligtige__cpr__in=cprs)).distinct()}
    bps = list(Bidragsperson.objects.filter(sag_id__in=sager).order_by("id"))
    bpls = list(Bidragspligtig.objects.filter(sag_id__in=sager).order_by("id"))
    bidrag = defaultdict(list)
    for x in Bidrag.objects.filter(bp__sag_id__in=sager).order_by("bidragsart", "id"):
        bidrag[x.bp_id].append(x)
    alle = {s.bb_cpr for s in sager.values()} | {p.cpr for p in bps} | {p.cpr for p in bpls}
    navne = dict(Person.objects.filter(cpr__in=alle).values_list("cpr", "navn"))
    # seed 004, 3.9.1: name and address of the requested personnummer only (the others: name only)
    adresser = {a.cpr: a for a in Adresse.objects.filter(cpr__in=cprs)}
    bp_paa = defaultdict(list)
    bpl_paa = defaultdict(list)
    sager_for_cpr = defaultdict(set)
    for s in sager.values():
        sager_for_cpr[s.bb_cpr].add(s.id)
    for p in bps:
        bp_paa[p.sag_id].append(p)
        sager_for_cpr[p.cpr].add(p.sag_id)
    for p in bpls:
        bpl_paa[p.sag_id].append(p)
        sager_for_cpr[p.cpr].add(p.sag_id)

    def bidrag_dict(x):
        return {"bidragsart": x.bidragsart, "forfaldsdato": _iso(x.forfaldsdato),
                "forfaldsfrekvens": x.forfaldsfrekvens, "fast_bidrag": _belob(x.fast_bidrag),
                "procentsats": _belob(x.procentsats)}

    def paa_sag(cpr, s):
        personer = [("BB", s.bb_cpr)] + [("BP", p.cpr) for p in bp_paa[s.id]] + [("BPL", p.cpr) for p in bpl_paa[s.id]]
        roller = [r for r, c in personer if c == cpr]
        out = {"sag": s.id, "omraade": s.omraade, "roller": roller,
               "oevrige": [{"rolle": r, "navn": navne.get(c, "")} for r, c in personer if c != cpr]}
        if "BB" in roller:
            out["bb"] = {"statuskode": s.bb_statuskode, "udbetalingsform": s.udbetalingsform, "regnr": s.regnr,
                         "kontonr": s.kontonr, "ratevis": s.ratevis}
        for p in bp_paa[s.id]:
            if p.cpr == cpr:
                out["bidragsperson"] = {
                    "statuskode": p.statuskode, "ab_kode": p.ab_kode, "indtaegt": _belob(p.indtaegt),
                    "tilgodehavende_bb": _belob(p.tilgodehavende_bb),
                    "tilgodehavende_off": _belob(p.tilgodehavende_off),
                    "bidrag": [bidrag_dict(x) for x in bidrag[p.id]]}
        for p in bpl_paa[s.id]:
            if p.cpr == cpr:
                out["bidragspligtig"] = {
                    "afkraevningskommune": p.afkraevningskommune, "diskretion": p.diskretion,
                    "bidrag": [bidrag_dict(x) for bp in bp_paa[s.id] for x in bidrag[bp.id] if x.bpl_cpr == cpr]}
        return out

    for r in bestilte:
        fundet = [paa_sag(r.cpr, sager[i]) for i in sorted(sager_for_cpr.get(r.cpr, ()))]
        r.blank = not fundet
        r.indhold = {"cpr": r.cpr, "navn": navne.get(r.cpr, ""), "sager": fundet}
        if r.blank:
            r.indhold["tekst"] = "Ingen oplysninger registreret."
        else:
            r.indhold["adresse"] = registerindsigt_adresse(adresser.get(r.cpr))
        r.koersel = koersel
        r.dannet = as_of
    Registerindsigt.objects.bulk_update(bestilte, ["blank", "indhold", "koersel", "dannet"], batch_size=2000)
    return len(bestilte)


def _iso(d):
    return d.isoformat() if d else None


def _belob(v):
    return None if v is None else f"{v:.2f}"

"""Writes of Underholdsbidrag – kreditor: satser, sager (BB/BP/bidrag/BPL), T/F,
anmodninger, kontoplan (seed 004, 3.1.1.x and 3.11.5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from dateutil.relativedelta import relativedelta
from django.db import transaction

from cases.cpr import foedselsdato  # noqa: F401 (re-exported; moved to cases.cpr, issue 19)
from ky.core.api import DomainError

from . import beregning as b
from .kontering import FALLBACK_KONTO, KONTOGRUPPER  # noqa: F401
from .models import (Anmodning, Bidrag, Bidragsperson, Bidragspligtig, Kontoplan, Meddelelse, Registerindsigt,
                     Sats, TillaegFradrag, Tilslutning, UBSag)

GYLDIGE_ARTER = {11, 12, 13, 14, 15, 19, 21, 29, 31, 32, 33, 34, 35, 36, 39}
INAKTIVERENDE_AB = {3, 4, 6, 7, 9}

# seed 004, 3.1.1.x: fejlnr with the seed's text
FEJL = {
    "109": "Bidragsart 32 er beregnet 3 gange eller frekvens er forskellig fra 3; bidraget/forfaldsdatoen kan ikke ændres.",
    "143": "Bidragsart, forfaldsdato og forfaldsfrekvens skal alle være udfyldt, når et af felterne er udfyldt.",
    "158": "Fra-dato skal være yngre end ældste satsdato, og til-dato højst kørselsdato + 1 år minus 1 dag.",
    "163": "Advis: ved oprettelse skal dato være udfyldt, og slettetegn (%) må ikke forekomme.",
    "169": "Ved bidragsart 21 eller 29 skal fast bidrag være udfyldt.",
    "170": "Individet eksisterer i forvejen på sagen.",
    "171": "Individet eksisterer ikke på sagen.",
    "173": "Individet der skal slettes eksisterer ikke på sagen.",
    "174": "Individet er aktivt og kan ikke slettes.",
    "175": "Oprettelse af en BB uden oprettelse af en BP afvises.",
    "177": "Sletning af den sidste BP på en sag uden sletning af BB afvises.",
    "178": "Genoptagelse af en inaktiv BB uden igangsætning af mindst en BP afvises.",
    "179": "Igangsætning af en inaktiv BP på en inaktiv sag uden igangsætning af BB afvises.",
    "180": "BPL-personnummeret findes ikke som BPL på mindst en BP.",
    "184": "Bidragspersonen på tillæg/fradrag eksisterer ikke på sagen.",
    "185": "Bidragspersonen på anmodningen eksisterer ikke på sagen.",
    "186": "Bidragspersonen på anmodningen er ikke aktiv.",
    "187": "Bidraget findes ikke på bidragspersonen med den anmodede forfaldsdato.",
    "188": "Områdenr. svarer ikke til sagens områdenr.",
    "189": "Maskinelt tillæg/fradrag overstiger primotilgodehavendet, eller bidragspersonen har intet primotilgodehavende.",
    "190": "Sagen eksisterer ikke, og der kan ikke oprettes en BB.",
    "192": "Bidragspersonen er inaktiv; tillæg/fradrag må ikke have dato.",
    "195": "Der er allerede en identisk anfordring af registerindsigt, som endnu ikke er dannet; dubletten afvises.",
    "193": "Bidragspersonen har tilgodehavende til BB eller det offentlige forskelligt fra nul og kan ikke slettes.",
    "196": "Bidraget kræver ikke anmodning.",
    "197": "BB er inaktiv; kun områdeflytning eller genoptagelse er tilladt.",
    "198": "Registreringsnr. og kontonr. må kun være udfyldt ved udbetalingsform 1 (bankoverførsel).",
    "279": "Igangsætning af en inaktiv BP afvises: BPL har et ugyldigt personnummer.",
    "218": "Der kan højst registreres 50 tillæg/fradrag pr. sag pr. kørsel.",
    "219": "Mere end 50 fremtidige tillæg/fradrag og rater på sagen; det overskydende tillæg/fradrag er afvist.",
    "222": "Der er allerede registreret en anmodning til bidraget med samme forfaldsdato.",
    "223": "Antallet af anmodninger på bidraget må ikke overstige 9.",
    "224": "Felt med slettetegn (%) ved oprettelse afvises.",
    "225": "Fast bidrag og procentsats må ikke forekomme på samme bidrag.",
    "226": "Bidragene på bidragspersonen passer ikke sammen; alle bidrag er sat til forfaldsdato 0.",
    "354": "Forfaldsdato skal udfyldes, når bidraget er registreret med 000000 i forfaldsdato.",
}
ADVIS = {
    "341": "Udbetalingsform ændret fra 1; registreringsnr. og kontonr. er slettet.",
    "370": "Udbetalingsform passer ikke sammen med kommunens tilslutning på brugerregisteret.",
    "373": "Aktiv BP oprettet på inaktiv BB; BP's statuskode er sat til 9.",
    "378": "Markering: anmodning kræves.",
    "600": "Sagen er flyttet til nyt områdenr.",
    "602": "BB slettet.",
    "802": "BP slettet.",
    "803": "BPL slettet.",
    "900": "Tillæg/fradrag registreret.",
    "901": "Anmodning registreret.",
}


class Fejlsamler:
    def __init__(self):
        self.fejl: list[dict] = []

    def add(self, kode: str, felt: str | None = None):
        self.fejl.append({"felt": felt, "kode": kode, "tekst": FEJL.get(kode, kode)})

    def ugyldig(self, felt: str, tekst: str):
        self.fejl.append({"felt": felt, "kode": "ugyldig", "tekst": tekst})

    def raise_if(self):
        if self.fejl:
            raise DomainError.many(self.fejl)


def advis(nr: str, tekst: str | None = None) -> dict:
    return {"nr": nr, "tekst": tekst or ADVIS.get(nr) or b.ADVIS_TEKST.get(nr, "")}


def bp_foedselsdato(cpr: str) -> dt.date | None:
    """The BP's birth date from the CPR (stdnum's century rule). Test CPRs with a
    century digit giving an age over 100 (e.g. the contract's 1505091234) are
    read as the century after: no bidragsperson is over 100."""
    d = foedselsdato(cpr)
    if d is not None and d < dt.date.today() - relativedelta(years=100):
        d = d + relativedelta(years=100)
    return d


def _dato(v, felt, f: Fejlsamler):
    if v in (None, ""):
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        f.ugyldig(felt, "Ugyldig dato.")
        return None


def _decimal(v, felt, f: Fejlsamler):
    if v in (None, ""):
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        f.ugyldig(felt, "Ugyldigt beløb.")
        return None
    if not d.is_finite() or abs(d) >= Decimal("1e10"):
        f.ugyldig(felt, "Ugyldigt beløb.")
        return None
    return b.rund(d)


def _int(v, felt, f: Fejlsamler, lo=0, hi=99, default=None):
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        f.ugyldig(felt, f"Skal være et heltal {lo}–{hi}.")
        return default
    return v


def _cpr(v, felt, f: Fejlsamler):
    if not isinstance(v, str) or len(v) != 10 or not v.isdigit() or foedselsdato(v) is None:
        f.ugyldig(felt, "Ugyldigt CPR-nummer.")
        return None
    return v


# ------------------------------------------------------------------ satser (3.11.5)
@transaction.atomic
def opret_sats(*, bidragsart, gyldig_fra, beloeb) -> Sats:
    f = Fejlsamler()
    art = _int(bidragsart, "bidragsart", f, 11, 39)
    fra = _dato(gyldig_fra, "gyldig_fra", f)
    bel = _decimal(beloeb, "beloeb", f)
    if fra is None and not f.fejl:
        f.ugyldig("gyldig_fra", "Fra-dato skal udfyldes.")
    if bel is None and not f.fejl:
        f.ugyldig("beloeb", "Beløb skal udfyldes.")
    if bel is not None and bel <= 0:
        f.ugyldig("beloeb", "Satsen skal være større end 0.")
    if art is not None and art not in GYLDIGE_ARTER:
        f.ugyldig("bidragsart", "Ukendt bidragsart.")
    f.raise_if()
    perioder = list(Sats.objects.select_for_update().filter(bidragsart=art).order_by("gyldig_fra"))
    if perioder and fra <= perioder[-1].gyldig_fra:
        raise DomainError("Ny satsperiode skal begynde efter den åbne periodes fra-dato.", felt="gyldig_fra")
    if perioder:
        aaben = perioder[-1]
        aaben.gyldig_til = fra - dt.timedelta(days=1)
        aaben.save(update_fields=["gyldig_til"])
    ny = Sats.objects.create(bidragsart=art, gyldig_fra=fra, gyldig_til=None, beloeb=bel)
    perioder.append(ny)
    for gammel in perioder[:-3]:
        gammel.delete()
    return ny


@transaction.atomic
def aendr_sats(sats: Sats, *, beloeb=None, gyldig_fra=None) -> Sats:
    """Only the open period may change; a new fra-dato also moves the last closed period's til."""
    if sats.gyldig_til is not None:
        raise DomainError("Kun den åbne satsperiode kan ændres.", kode="lukket")
    f = Fejlsamler()
    bel = _decimal(beloeb, "beloeb", f)
    fra = _dato(gyldig_fra, "gyldig_fra", f)
    if bel is not None and bel <= 0:
        f.ugyldig("beloeb", "Satsen skal være større end 0.")
    f.raise_if()
    if bel is not None:
        sats.beloeb = bel
    if fra is not None and fra != sats.gyldig_fra:
        forrige = Sats.objects.filter(bidragsart=sats.bidragsart, gyldig_fra__lt=sats.gyldig_fra).order_by("-gyldig_fra").first()
        if forrige and fra <= forrige.gyldig_fra:
            raise DomainError("Fra-dato skal ligge efter den lukkede periodes fra-dato.", felt="gyldig_fra")
        if forrige:
            forrige.gyldig_til = fra - dt.timedelta(days=1)
            forrige.save(update_fields=["gyldig_til"])
        sats.gyldig_fra = fra
    sats.save()
    return sats


def aendr_aaben_sats(data) -> Sats:
    """PATCH satser/ {bidragsart, beloeb?, gyldig_fra?}: the open period of the bidragsart (3.11.5)."""
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    f = Fejlsamler()
    art = _int(data.get("bidragsart"), "bidragsart", f, 11, 39)
    if art is None and not f.fejl:
        f.ugyldig("bidragsart", "Bidragsart skal udfyldes.")
    f.raise_if()
    s = Sats.objects.filter(bidragsart=art, gyldig_til__isnull=True).first()
    if s is None:
        raise DomainError("Ingen åben satsperiode for bidragsarten.", felt="bidragsart")
    return aendr_sats(s, beloeb=data.get("beloeb"), gyldig_fra=data.get("gyldig_fra"))


def satsperioder() -> list[b.SatsPeriode]:
    return [b.SatsPeriode(s.bidragsart, s.gyldig_fra, s.gyldig_til, s.beloeb) for s in Sats.objects.all()]


# ------------------------------------------------------------------ sager (3.1.1.0–3.1.1.4)
def _validate_bidrag(raw: dict, felt: str, f: Fejlsamler, eksisterende: Bidrag | None) -> dict | None:
    if not isinstance(raw, dict):
        f.ugyldig(felt, "Skal være et objekt.")
        return None
    if eksisterende is None and any(v == "%" for v in raw.values()):
        f.add("224", felt)
        return None
    art = raw.get("bidragsart")
    frek = raw.get("forfaldsfrekvens")
    if art is None or frek in (None, "") or "forfaldsdato" not in raw and eksisterende is None:
        f.add("143", felt)
        return None
    if isinstance(frek, bool) or not isinstance(frek, (str, int)):
        f.ugyldig(f"{felt}.forfaldsfrekvens", "Forfaldsfrekvens skal være M, K, H eller A (art 32: 0–3).")
        return None
    art = _int(art, f"{felt}.bidragsart", f, 11, 39)
    if art is not None and art not in GYLDIGE_ARTER:
        f.ugyldig(f"{felt}.bidragsart", "Ukendt bidragsart.")
    fast = _decimal(raw.get("fast_bidrag"), f"{felt}.fast_bidrag", f)
    pct = _decimal(raw.get("procentsats"), f"{felt}.procentsats", f)
    if art in (21, 29) and fast is None and not (eksisterende and eksisterende.fast_bidrag is not None
                                                  and "fast_bidrag" not in raw):
        f.add("169", f"{felt}.fast_bidrag")
    if fast is not None and pct is not None:
        f.add("225", felt)
    if fast is not None and fast < 0 or pct is not None and not (0 <= pct <= 100):
        f.ugyldig(felt, "Beløb/procentsats uden for det tilladte.")
    if art == 32:
        frek = str(frek)
        if frek not in ("0", "1", "2", "3"):
            frek = "3"  # seed 004, 3.1.1.3: art 32 frekvens = 3
    elif frek not in b.FREKVENS_MDR:
        f.ugyldig(f"{felt}.forfaldsfrekvens", "Forfaldsfrekvens skal være M, K, H eller A.")
    if art in (33, 34, 35, 36, 39) and fast is None and eksisterende is None:
        f.ugyldig(f"{felt}.fast_bidrag", "Særbidrag (33–36, 39) skal have fast bidrag.")
    bpl = _cpr(raw.get("bpl"), f"{felt}.bpl", f)
    forfald = _dato(raw.get("forfaldsdato"), f"{felt}.forfaldsdato", f) if "forfaldsdato" in raw else None
    if eksisterende is not None:
        if eksisterende.bidragsart == 32:
            if eksisterende.forfaldsfrekvens == "0":
                f.add("109", felt)
            elif eksisterende.forfaldsfrekvens != "3" and "forfaldsdato" in raw and forfald != eksisterende.forfaldsdato:
                f.add("109", f"{felt}.forfaldsdato")
        if eksisterende.forfaldsdato is None and forfald is None:
            f.add("354", f"{felt}.forfaldsdato")
    return {"bidragsart": art, "bpl_cpr": bpl, "forfaldsdato": forfald, "forfaldsfrekvens": frek,
            "fast_bidrag": fast, "procentsats": pct, "_har_forfald": "forfaldsdato" in raw}


def _validate_bb(raw, f: Fejlsamler, sag: UBSag | None) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        f.ugyldig("bb", "Skal være et objekt.")
        return {}
    out = {}
    if sag is None:
        out["bb_cpr"] = _cpr(raw.get("cpr"), "bb.cpr", f)
    elif "cpr" in raw and raw["cpr"] != sag.bb_cpr:
        f.add("171", "bb.cpr")
    if "statuskode" in raw:
        out["bb_statuskode"] = _int(raw["statuskode"], "bb.statuskode", f, 0, 9)
    if "udbetalingsform" in raw:
        out["udbetalingsform"] = _int(raw["udbetalingsform"], "bb.udbetalingsform", f, 0, 2)
    for k in ("regnr", "kontonr"):
        if k in raw:
            v = raw[k]
            if v not in (None, "") and (not isinstance(v, str) or not v.isdigit()):
                f.ugyldig(f"bb.{k}", "Skal være cifre.")
            out[k] = v or None
    if "ratevis" in raw:
        if not isinstance(raw["ratevis"], bool):
            f.ugyldig("bb.ratevis", "Skal være sand/falsk.")
        out["ratevis"] = bool(raw["ratevis"])
    return out


def _validate_brugeradvis(raw, f: Fejlsamler, sag: UBSag | None) -> dict | None:
    """seed 004, 3.1.1.2 Advisoplysninger (individ 211): the first time an oprettelse (dato required,
    no %: fejl 163), afterwards a change; % in both tekst and frekvens deletes the advis."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        f.ugyldig("brugeradvis", "Skal være et objekt.")
        return None
    findes = sag is not None and sag.brugeradvis_tekst is not None
    if findes and raw.get("tekst") == "%" and raw.get("frekvens") == "%":
        return {"brugeradvis_tekst": None, "brugeradvis_dato": None, "brugeradvis_frekvens": ""}
    if not findes and (raw.get("dato") in (None, "") or any(v == "%" for v in raw.values())):
        f.add("163", "brugeradvis.dato")
        return None
    out = {}
    if "tekst" in raw or not findes:
        tekst = raw.get("tekst")
        if not isinstance(tekst, str) or not tekst.strip() or len(tekst) > 200:
            f.ugyldig("brugeradvis.tekst", "Advistekst skal udfyldes (højst 200 tegn).")
        else:
            out["brugeradvis_tekst"] = tekst.strip()
    if "dato" in raw:
        out["brugeradvis_dato"] = _dato(raw.get("dato"), "brugeradvis.dato", f)
    if "frekvens" in raw:
        fr = raw.get("frekvens") or ""
        if fr not in ("", *b.FREKVENS_MDR):
            f.ugyldig("brugeradvis.frekvens", "Frekvens skal være M, K, H, A eller tom.")
        out["brugeradvis_frekvens"] = fr
    return out


def _liste(v, felt, f: Fejlsamler) -> list:
    """A JSON list (absent: empty); anything else is a fejl and counts as empty."""
    if v is None:
        return []
    if not isinstance(v, list):
        f.ugyldig(felt, "Skal være en liste.")
        return []
    return v


def _bidrag_noegle(rb) -> tuple | None:
    """seed 004, 3.1.1.0: a bidrag is identified by bidragsart and BPL (None when they are unusable)."""
    if not isinstance(rb, dict):
        return None
    art, bpl = rb.get("bidragsart"), rb.get("bpl")
    if isinstance(art, bool) or not isinstance(art, int) or not isinstance(bpl, str):
        return None
    return art, bpl


def _bpl_felter(raw: dict, felt: str, f: Fejlsamler) -> dict:
    dis = raw.get("diskretion", False)
    if not isinstance(dis, bool):
        f.ugyldig(f"{felt}.diskretion", "Skal være sand/falsk.")
    out = {"afkraevningskommune": _int(raw.get("afkraevningskommune"), f"{felt}.afkraevningskommune", f, 101, 999),
           "diskretion": bool(dis)}
    if "pnr_ugyldig" in raw:  # the P-data marking (3.1.1.8), kept unless named
        if not isinstance(raw["pnr_ugyldig"], bool):
            f.ugyldig(f"{felt}.pnr_ugyldig", "Skal være sand/falsk.")
        out["pnr_ugyldig"] = raw["pnr_ugyldig"] is True
    return out


def pnr_ugyldigt(cpr: str) -> bool:
    """seed 004, 3.1.1.3 (fejl 279): a personnummer our CPR rule rejects (cases.cpr: 10 digits, a real
    date, the century rule). The API validates every CPR on input, so such a BPL can only come from
    data loaded around it (conversion, bulk load); P-data's invalidation is the ``pnr_ugyldig`` mark."""
    from cases.cpr import InvalidCPR, normalize_cpr
    try:
        return normalize_cpr(cpr) != cpr
    except InvalidCPR:
        return True


def _check_bb_betaling(form, regnr, kontonr, f: Fejlsamler):
    if form == 1 and not (regnr and kontonr):
        f.ugyldig("bb.regnr", "Registreringsnr. og kontonr. skal udfyldes ved bankoverførsel.")
    if form != 1 and (regnr or kontonr):
        f.add("198", "bb.regnr")


def _bp_fields(raw: dict, felt: str, f: Fejlsamler, ny: bool) -> dict:
    out = {}
    if ny:
        out["cpr"] = _cpr(raw.get("cpr"), f"{felt}.cpr", f)
        if out["cpr"]:
            out["foedselsdato"] = bp_foedselsdato(out["cpr"])
    if "statuskode" in raw or ny:
        out["statuskode"] = _int(raw.get("statuskode", 0), f"{felt}.statuskode", f, 0, 9, 0)
    if "ab_kode" in raw or ny:
        out["ab_kode"] = _int(raw.get("ab_kode", 0), f"{felt}.ab_kode", f, 0, 9, 0)
    if "indtaegt" in raw:
        out["indtaegt"] = _decimal(raw.get("indtaegt"), f"{felt}.indtaegt", f)
    return out


@transaction.atomic
def opret_sag(*, user_kommuner, data: dict) -> tuple[UBSag, list[dict]]:
    f = Fejlsamler()
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    kommune = data.get("kommune")
    if not isinstance(kommune, int) or (user_kommuner is not None and kommune not in user_kommuner):
        raise DomainError(FEJL["190"], kode="190", felt="kommune")
    from ky.core.models import Kommune
    if not Kommune.objects.filter(pk=kommune).exists():
        raise DomainError(FEJL["190"], kode="190", felt="kommune")
    omraade = _int(data.get("omraade", 1), "omraade", f, 0, 9999, 1)
    bb = _validate_bb(data.get("bb"), f, None)
    if data.get("bb") is None:
        f.add("190", "bb")
    bps = data.get("bidragspersoner") or []
    if not isinstance(bps, list) or not bps:
        f.add("175", "bidragspersoner")
        bps = []
    f.raise_if()
    if UBSag.objects.filter(kommune_id=kommune, bb_cpr=bb["bb_cpr"]).exists():
        f.add("170", "bb.cpr")
    _check_bb_betaling(bb.get("udbetalingsform", 0), bb.get("regnr"), bb.get("kontonr"), f)
    meddel = []
    parsed_bps = []
    seen_bp = set()
    for i, raw in enumerate(bps):
        felt = f"bidragspersoner[{i}]"
        if not isinstance(raw, dict):
            f.ugyldig(felt, "Skal være et objekt.")
            continue
        fields = _bp_fields(raw, felt, f, ny=True)
        if fields.get("cpr") in seen_bp:
            f.add("170", f"{felt}.cpr")
        seen_bp.add(fields.get("cpr"))
        bidrag = []
        seen_b = set()
        for j, rb in enumerate(_liste(raw.get("bidrag"), f"{felt}.bidrag", f)):
            vb = _validate_bidrag(rb, f"{felt}.bidrag[{j}]", f, None)
            if vb:
                key = (vb["bidragsart"], vb["bpl_cpr"])
                if key in seen_b:
                    f.add("170", f"{felt}.bidrag[{j}]")
                seen_b.add(key)
                bidrag.append(vb)
        parsed_bps.append((fields, bidrag))
    bpl_paa_bp = {vb["bpl_cpr"] for _, bl in parsed_bps for vb in bl}
    bpls = _liste(data.get("bidragspligtige"), "bidragspligtige", f)
    parsed_bpl = {}
    for i, raw in enumerate(bpls):
        felt = f"bidragspligtige[{i}]"
        if not isinstance(raw, dict):
            f.ugyldig(felt, "Skal være et objekt.")
            continue
        c = _cpr(raw.get("cpr"), f"{felt}.cpr", f)
        if c and c not in bpl_paa_bp:
            f.add("180", f"{felt}.cpr")
        parsed_bpl[c] = _bpl_felter(raw, felt, f)
    badvis = _validate_brugeradvis(data.get("brugeradvis"), f, None) or {}
    f.raise_if()
    idag = dt.date.today()
    # seed 004, 3.1.1.2 Kontrol mod brugerregister: a form the kommune is not connected to gives
    # advis 370 and, on creation, standardcheck if the kommune has it, else kontant
    form = bb.get("udbetalingsform")
    tilslutning = tilslutning_for(kommune)
    if not passer_med_tilslutning(form, tilslutning, idag):
        ny_form = 2 if passer_med_tilslutning(2, tilslutning, idag) else 0
        meddel.append(_advis_370(form, f"udbetalingsform er sat til {ny_form} "
                                       f"({'standardcheck' if ny_form == 2 else 'kontant'})"))
        bb.update(udbetalingsform=ny_form, regnr=None, kontonr=None)
    sag = UBSag.objects.create(kommune_id=kommune, omraade=omraade, virkningsdato=idag,
                               inaktiv_siden=idag if bb.get("bb_statuskode") else None, **bb, **badvis)
    for fields, bidrag in parsed_bps:
        if sag.bb_statuskode > 0 and fields["statuskode"] == 0:
            fields["statuskode"] = 9
            meddel.append(advis("373"))
        bp = Bidragsperson.objects.create(sag=sag, virkningsdato=idag,
                                          inaktiv_siden=idag if fields["statuskode"] else None, **fields)
        Bidrag.objects.bulk_create([Bidrag(kommune_id=kommune, bp=bp, virkningsdato=idag, **_model_bidrag(vb))
                                    for vb in bidrag])
    for c in bpl_paa_bp:
        extra = parsed_bpl.get(c, {})
        Bidragspligtig.objects.create(sag=sag, cpr=c, **extra)
    from .adresser import advis_372
    a372 = advis_372(sag.bb_cpr)  # seed 004, 3.1.1.2 Oprettelse: BB i udlandet/Grønland/ukendt bopælskommune
    if a372:
        meddel.append(a372)
    _gem_advis(sag, meddel)
    return sag, meddel


def _model_bidrag(vb: dict) -> dict:
    return {k: v for k, v in vb.items() if not k.startswith("_")}


def _gem_advis(sag: UBSag, meddel: list[dict], bp=None):
    Meddelelse.objects.bulk_create([Meddelelse(kommune_id=sag.kommune_id, sag=sag, bp=bp, nr=m["nr"], tekst=m["tekst"])
                                    for m in meddel])


@transaction.atomic
def aendr_sag(sag: UBSag, data: dict) -> tuple[UBSag, list[dict]]:
    """PATCH: changes what it names. BP by cpr (new cpr = oprettelse, ``"slet": true`` = sletning);
    bidrag by bidragsart + bpl (forfaldsdato and forfaldsfrekvens "%" = sletning)."""
    f = Fejlsamler()
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    sag = UBSag.objects.select_for_update().get(pk=sag.pk)
    meddel = []
    aendrede = []
    bb = _validate_bb(data.get("bb"), f, sag)
    f.raise_if()
    ny_omraade = None
    if "omraade" in data:
        ny_omraade = _int(data["omraade"], "omraade", f, 0, 9999)
        f.raise_if()
    genoptag = sag.bb_statuskode > 0 and bb.get("bb_statuskode") == 0
    # seed 004, 3.1.1.2: an inactive BB takes only områdeflytning or genoptagelse (fejl 197); BP
    # transactions follow 3.1.1.3 (373, 179)
    if sag.bb_statuskode > 0 and bb and not genoptag:
        f.add("197", "bb.statuskode")
        f.raise_if()
    bp_by_cpr = {bp.cpr: bp for bp in sag.bidragspersoner.all()}
    bps = _liste(data.get("bidragspersoner"), "bidragspersoner", f)
    if genoptag and not any(isinstance(r, dict) and r.get("statuskode") == 0 for r in bps):
        f.add("178", "bb.statuskode")
    new_form = bb.get("udbetalingsform", sag.udbetalingsform)
    regnr, kontonr = bb.get("regnr", sag.regnr), bb.get("kontonr", sag.kontonr)
    if sag.udbetalingsform == 1 and new_form != 1 and "regnr" not in bb and "kontonr" not in bb:
        regnr = kontonr = None
        bb["regnr"] = bb["kontonr"] = None
        meddel.append(advis("341"))
    _check_bb_betaling(new_form, regnr, kontonr, f)
    bb_aktiv_efter = bb.get("bb_statuskode", sag.bb_statuskode) == 0
    ops = []  # deferred writes
    igangsat = []  # (felt, bp): inactive BP started again (fejl 279)
    slettede_bp = set()
    set_bp = set()
    for i, raw in enumerate(bps):
        felt = f"bidragspersoner[{i}]"
        if not isinstance(raw, dict):
            f.ugyldig(felt, "Skal være et objekt.")
            continue
        if not isinstance(raw.get("cpr"), str):
            f.ugyldig(f"{felt}.cpr", "Ugyldigt CPR-nummer.")
            continue
        if raw["cpr"] in set_bp:  # the same BP twice in one transaction
            f.add("170", f"{felt}.cpr")
            continue
        set_bp.add(raw["cpr"])
        bp = bp_by_cpr.get(raw.get("cpr"))
        if raw.get("slet"):
            if bp is None:
                f.add("173", f"{felt}.cpr")
            elif bp.statuskode == 0:
                f.add("174", f"{felt}.cpr")
            elif bp.tilgodehavende_bb or bp.tilgodehavende_off:
                f.add("193", f"{felt}.cpr")
            else:
                slettede_bp.add(bp.cpr)
                ops.append(("slet_bp", bp))
            continue
        fields = _bp_fields(raw, felt, f, ny=bp is None)
        if bp is not None:
            if (bp.statuskode > 0 and fields.get("statuskode") == 0 and sag.bb_statuskode > 0
                    and not genoptag):
                f.add("179", f"{felt}.statuskode")
            if bp.statuskode > 0 and fields.get("statuskode") == 0:
                igangsat.append((felt, bp))
            gl_ab, ny_ab = bp.ab_kode, fields.get("ab_kode", bp.ab_kode)
            if gl_ab in INAKTIVERENDE_AB and ny_ab in (0, 1, 2):
                fields["anmodning_kraeves"] = True
                meddel.append(advis("378"))
            elif gl_ab in (0, 1, 2) and ny_ab in INAKTIVERENDE_AB:
                fields["anmodning_kraeves"] = False
        elif not bb_aktiv_efter and fields.get("statuskode") == 0:
            fields["statuskode"] = 9
            meddel.append(advis("373"))
        eksist = {(x.bidragsart, x.bpl_cpr): x for x in bp.bidrag.all()} if bp else {}
        bidrag_ops = []
        set_bidrag = set()
        for j, rb in enumerate(_liste(raw.get("bidrag"), f"{felt}.bidrag", f)):
            bfelt = f"{felt}.bidrag[{j}]"
            key = _bidrag_noegle(rb)
            if key is not None and key in set_bidrag:  # the same bidrag twice in one transaction
                f.add("170", bfelt)
                continue
            set_bidrag.add(key)
            if isinstance(rb, dict) and rb.get("forfaldsdato") == "%" and rb.get("forfaldsfrekvens") == "%":
                x = eksist.get(key) if key else None
                if x is None:
                    f.add("173", bfelt)
                else:
                    bidrag_ops.append(("slet", x, None))
                continue
            x = eksist.get(key) if key else None
            vb = _validate_bidrag(rb, bfelt, f, x)
            if vb is None:
                continue
            if x is not None and x.forfaldsdato is None and vb["forfaldsdato"] is not None:
                # seed 004, 3.1.1.3/3: forfaldsdato 0 -> dato: anmodning kræves
                fields["anmodning_kraeves"] = True
                meddel.append(advis("378"))
            bidrag_ops.append(("gem", x, vb))
        ops.append(("bp", bp, fields, bidrag_ops))
        aendrede.append(felt)
    if slettede_bp and slettede_bp >= set(bp_by_cpr) and not data.get("slet"):
        f.add("177", "bidragspersoner")
    bpl_liste = _liste(data.get("bidragspligtige"), "bidragspligtige", f)
    bpl_nye = {}
    if bpl_liste:
        alle_bpl = set(Bidrag.objects.filter(bp__sag=sag).values_list("bpl_cpr", flat=True))
        for op in ops:
            if op[0] == "bp":
                alle_bpl |= {vb["bpl_cpr"] for kind, _, vb in op[3] if kind == "gem"}
        for i, raw in enumerate(bpl_liste):
            if not isinstance(raw, dict) or not isinstance(raw.get("cpr"), str) or raw["cpr"] not in alle_bpl:
                f.add("180", f"bidragspligtige[{i}].cpr")
                continue
            bpl_nye[raw["cpr"]] = _bpl_felter(raw, f"bidragspligtige[{i}]", f)
    badvis = _validate_brugeradvis(data.get("brugeradvis"), f, sag)
    _check_279(sag, igangsat, ops, bpl_nye, f)
    f.raise_if()
    # ---- writes
    idag = dt.date.today()
    # seed 004, 3.1.1.2: on a change the registered udbetalingsform is kept, still advis 370
    if "udbetalingsform" in bb and not passer_med_tilslutning(bb["udbetalingsform"],
                                                              tilslutning_for(sag.kommune_id), idag):
        meddel.insert(0, _advis_370(bb["udbetalingsform"], "den registrerede udbetalingsform bevares"))
    sag.virkningsdato = idag
    stoppede_bp = []  # active BP inactivated now: unused anmodninger go (3.1.1.3/3, advis 633)
    for k, v in (badvis or {}).items():
        setattr(sag, k, v)
        aendrede.append(f"brugeradvis.{k.removeprefix('brugeradvis_')}")
    if ny_omraade is not None and ny_omraade != sag.omraade:
        sag.omraade = ny_omraade
        meddel.append(advis("600"))
        aendrede.append("omraade")
    for k, v in bb.items():
        setattr(sag, k, v)
        aendrede.append(f"bb.{k}")
    for op in ops:
        if op[0] == "slet_bp":
            op[1].delete()
            meddel.append(advis("802"))
            continue
        _, bp, fields, bidrag_ops = op
        if bp is None:
            bp = Bidragsperson.objects.create(sag=sag, virkningsdato=idag,
                                              inaktiv_siden=idag if fields.get("statuskode") else None, **fields)
        else:
            gl_status = bp.statuskode
            for k, v in fields.items():
                setattr(bp, k, v)
            bp.virkningsdato = idag
            if bp.statuskode == 0:
                bp.inaktiv_siden = None
            elif gl_status == 0:
                bp.inaktiv_siden = idag
                stoppede_bp.append(bp.pk)
            bp.save()
        for kind, x, vb in bidrag_ops:
            if kind == "slet":
                x.delete()
            elif x is None:
                Bidrag.objects.create(kommune_id=sag.kommune_id, bp=bp, virkningsdato=idag, **_model_bidrag(vb))
            else:
                x.virkningsdato = idag
                for k, v in _model_bidrag(vb).items():
                    if k == "forfaldsdato" and not vb["_har_forfald"]:
                        continue
                    if k in ("fast_bidrag", "procentsats") and v is None:
                        continue
                    setattr(x, k, v)
                x.save()
    for cpr, felter in bpl_nye.items():
        Bidragspligtig.objects.update_or_create(sag=sag, cpr=cpr, defaults=felter)
    # BPL implied by bidrag
    brugte = set(Bidrag.objects.filter(bp__sag=sag).values_list("bpl_cpr", flat=True))
    har = set(sag.bidragspligtige.values_list("cpr", flat=True))
    Bidragspligtig.objects.bulk_create([Bidragspligtig(sag=sag, cpr=c) for c in brugte - har])
    n, _ = sag.bidragspligtige.exclude(cpr__in=brugte).delete()
    if n:
        meddel.append(advis("803"))
    # seed 004, 3.1.1.0: the last active BP going inactive makes BB inactive
    if sag.bb_statuskode == 0 and not sag.bidragspersoner.filter(statuskode=0).exists():
        sag.bb_statuskode = 9
    if sag.bb_statuskode == 0:
        sag.inaktiv_siden = None
    elif sag.inaktiv_siden is None:
        sag.inaktiv_siden = idag
    sag.aendrede_felter = aendrede
    sag.save()
    if stoppede_bp:
        # seed 004, 3.1.1.3/3: "Ved inaktivering af BP slettes overskydende anmodninger" (advis 633)
        meddel += [advis("633", tekst_633(art, datoer)) for _, _, art, datoer in slet_ubrugte_anmodninger(stoppede_bp)]
    _gem_advis(sag, meddel)
    return sag, meddel


def slet_ubrugte_anmodninger(bp_ids) -> list[tuple]:
    """seed 004, 3.1.1.3/3: every unused anmodning of the inactivated BP goes (users cannot delete
    anmodninger, 3.1.1.7). One DELETE ... RETURNING; [(sag_id, bp_id, bidragsart, [forfaldsdato])]
    per BP and bidragsart, for advis 633. Used by a caseworker's stop of a BP (aendr_sag) and by the
    run's automatic inactivation (3.1.1.5)."""
    from collections import defaultdict

    from django.db import connection
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {Anmodning._meta.db_table} WHERE brugt_af_id IS NULL AND bp_id = ANY(%s) "
                  "RETURNING sag_id, bp_id, bidragsart, forfaldsdato", [list(bp_ids)])
        rows = c.fetchall()
    grupper = defaultdict(list)
    for sag_id, bp_id, art, forfald in rows:
        grupper[(sag_id, bp_id, art)].append(forfald)
    return [(*k, sorted(v)) for k, v in sorted(grupper.items())]


def tekst_633(bidragsart, datoer) -> str:
    """Advis 633's text (seed 004, 3.2.2/4) with the bidragsart and the deleted anmodningers dates."""
    return (f"{b.ADVIS_TEKST['633']} (bidragsart {bidragsart}, forfaldsdato "
            f"{', '.join(d.isoformat() for d in sorted(datoer))}).")


def _check_279(sag: UBSag, igangsat: list, ops: list, bpl_nye: dict, f: Fejlsamler) -> None:
    """seed 004, 3.1.1.3: "Igangsætning af en inaktiv BP, hvor BPL har invalidt pnr." — fejl 279 when
    a BPL of the BP's bidrag (after this transaction) has a personnummer our CPR rule rejects or is
    marked invalid by P-data (``pnr_ugyldig``; a marking set or cleared in the same transaction counts)."""
    if not igangsat:
        return
    markeret = dict(sag.bidragspligtige.values_list("cpr", "pnr_ugyldig"))
    markeret.update({c: v["pnr_ugyldig"] for c, v in bpl_nye.items() if "pnr_ugyldig" in v})
    bidrag_ops = {op[1].pk: op[3] for op in ops if op[0] == "bp" and op[1] is not None}
    for felt, bp in igangsat:
        bpl = {x.bpl_cpr: x for x in bp.bidrag.all()}
        for kind, x, vb in bidrag_ops.get(bp.pk, []):
            if kind == "slet":
                bpl.pop(x.bpl_cpr, None)
            elif vb.get("bpl_cpr"):
                bpl[vb["bpl_cpr"]] = x
        if any(markeret.get(c) or pnr_ugyldigt(c) for c in bpl):
            f.add("279", f"{felt}.statuskode")


@transaction.atomic
def slet_sag(sag: UBSag) -> list[dict]:
    if sag.bb_statuskode == 0:
        raise DomainError(FEJL["174"], kode="174", felt="bb.statuskode")
    # seed 004, 3.1.1.3: a BP with tilgodehavende ≠ 0 cannot be deleted, so neither can its sag
    if sag.bidragspersoner.exclude(tilgodehavende_bb=0, tilgodehavende_off=0).exists():
        raise DomainError(FEJL["193"], kode="193", felt="bidragspersoner")
    sag.delete()
    return [advis("602")]


# ------------------------------------------------------------------ T/F and anmodninger (3.1.1.7)
FASTE_ARTER = {21, 29, 33, 34, 35, 36, 39}  # no sats: a T/F needs its amount


def _check_omraade(sag: UBSag, data: dict, f: Fejlsamler):
    """seed 004, 3.1.1.1: the transaction's områdenr. must be the sag's (fejl 188)."""
    if "omraade" in data:
        o = data["omraade"]
        if isinstance(o, bool) or not isinstance(o, int) or o != sag.omraade:
            f.add("188", "omraade")


@transaction.atomic
def registrer_tf(sag: UBSag, data: dict, *, as_of: dt.date) -> tuple[TillaegFradrag, list[dict]]:
    """seed 004, 3.1.1.7. ``maskinel: true`` marks a T/F from the debitor part or IFU: it carries
    no områdenr. and is validated against the BP's primotilgodehavende (fejl 189)."""
    f = Fejlsamler()
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    maskinel = data.get("maskinel", False)
    if not isinstance(maskinel, bool):
        f.ugyldig("maskinel", "Skal være sand/falsk.")
    if not maskinel:
        _check_omraade(sag, data, f)
    bp = sag.bidragspersoner.filter(cpr=data.get("bp")).first() if isinstance(data.get("bp"), str) else None
    if bp is None:
        f.add("184", "bp")
        f.raise_if()
    bp = Bidragsperson.objects.select_for_update().get(pk=bp.pk)
    tf_kode = _int(data.get("tf_kode"), "tf_kode", f, 10, 69)
    art = _int(data.get("bidragsart"), "bidragsart", f, 11, 39)
    if tf_kode is None and not f.fejl:
        f.ugyldig("tf_kode", "T/F-kode skal udfyldes (10–69).")
    if art is None and not f.fejl:
        f.ugyldig("bidragsart", "Bidragsart skal udfyldes.")
    if art is not None and art not in GYLDIGE_ARTER:
        f.ugyldig("bidragsart", "Ukendt bidragsart.")
    beloeb = _decimal(data.get("beloeb"), "beloeb", f)
    dato = _dato(data.get("dato"), "dato", f)
    fra = _dato(data.get("fra_dato"), "fra_dato", f)
    til = _dato(data.get("til_dato"), "til_dato", f)
    modtager = _int(data.get("beloebsmodtager", 1), "beloebsmodtager", f, 0, 1, 1)
    if bp.statuskode != 0 and dato is not None:
        f.add("192", "dato")
    # seed 004, 3.2.3.2 fejl 158: the oldest sats of the T/F's own art (13: art 11, 14/19: art 11);
    # an art without satser (fixed amounts only) has no such limit
    sats_art = 11 if art == 13 else b.SATS_ART.get(art, art)
    aeldste = Sats.objects.filter(bidragsart=sats_art).order_by("gyldig_fra").values_list(
        "gyldig_fra", flat=True).first()
    if fra is not None and aeldste is not None and fra <= aeldste:
        f.add("158", "fra_dato")
    if til is not None and til > as_of + relativedelta(years=1) - dt.timedelta(days=1):
        f.add("158", "til_dato")
    if fra and til and fra > til:
        f.ugyldig("til_dato", "Til-dato skal ligge efter fra-dato.")
    if beloeb is None and not f.fejl:
        # seed 004, 3.2.3.2: without an amount the T/F is computed from the period and the satser
        if art in FASTE_ARTER:
            f.ugyldig("beloeb", "Beløb skal udfyldes for denne bidragsart (ingen sats).")
        elif art != 31 and not (fra and til):
            f.ugyldig("fra_dato", "Fra-dato og til-dato skal udfyldes, når beløb ikke er udfyldt.")
        elif maskinel:
            f.ugyldig("beloeb", "Maskinelle tillæg/fradrag skal have beløb.")
    if sag.tillaeg_fradrag.filter(koersel__isnull=True).count() >= 50:
        f.add("218", None)
    if beloeb is None and not f.fejl:
        # seed 004, 3.2.3.2: a T/F without amount must be computable from the satser (else the
        # weekly run would reject it later without the caseworker seeing why)
        pct13 = next((x.procentsats for x in bp.bidrag.all() if x.bidragsart == 13), None)
        try:
            b.beregn_tf(tf_kode, art, fra, til, satsperioder(), as_of, dato, pct13)
        except b.BeregningsFejl as exc:
            if "158" in str(exc):
                f.add("158", "fra_dato")
            else:
                f.ugyldig("beloeb", str(exc))
    f.raise_if()
    if maskinel:
        # seed 004, 3.1.1.7: against the primotilgodehavende of the recipient; a BP without
        # individ 240 (not yet through a weekly run) rejects all; negatives always pass
        primo = bp.primo_off if modtager == 0 else bp.primo_bb
        if not bp.tilgodehavende_individ:
            f.add("189", "beloeb")
        elif beloeb > 0:
            godkendte = sum(TillaegFradrag.objects.filter(
                bp=bp, maskinel=True, koersel__isnull=True, beloebsmodtager=modtager, beloeb__gt=0,
            ).values_list("beloeb", flat=True), Decimal(0))
            if godkendte + beloeb > primo:
                f.add("189", "beloeb")
        f.raise_if()
    tf = TillaegFradrag.objects.create(sag=sag, bp=bp, tf_kode=tf_kode, bidragsart=art, beloeb=beloeb, dato=dato,
                                       fra_dato=fra, til_dato=til, beloebsmodtager=modtager, maskinel=maskinel)
    m = [advis("900")]
    _gem_advis(sag, m, bp)
    return tf, m


@transaction.atomic
def registrer_anmodning(sag: UBSag, data: dict, *, satser=None) -> tuple[Anmodning, list[dict]]:
    f = Fejlsamler()
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    _check_omraade(sag, data, f)
    bp = sag.bidragspersoner.filter(cpr=data.get("bp")).first() if isinstance(data.get("bp"), str) else None
    if bp is None:
        f.add("185", "bp")
        f.raise_if()
    if bp.statuskode != 0:
        f.add("186", "bp")
    art = _int(data.get("bidragsart"), "bidragsart", f, 11, 39)
    forfald = _dato(data.get("forfaldsdato"), "forfaldsdato", f)
    indtaegt = _decimal(data.get("indtaegt"), "indtaegt", f)
    f.raise_if()
    if forfald is None:
        f.add("187", "forfaldsdato")
        f.raise_if()
    bidrag = [x for x in bp.bidrag.all() if x.bidragsart == art and x.forfaldsdato]
    match = None
    for x in bidrag:
        frek_mdr = 1 if x.bidragsart == 32 else b.FREKVENS_MDR.get(x.forfaldsfrekvens, 1)
        for k in range(10):
            d = x.forfaldsdato + relativedelta(months=frek_mdr * k)
            # seed 004, 3.1.1.7: day 28/29/30 may differ up to 3 days
            if d == forfald or (forfald.day in (28, 29, 30) and abs((d - forfald).days) < 3):
                match = x
                break
        if match:
            break
    if match is None:
        f.add("187", "forfaldsdato")
        f.raise_if()
    if Anmodning.objects.filter(bp=bp, bidragsart=art, forfaldsdato=forfald).exists():
        f.add("222", "forfaldsdato")
    ind = indtaegt if indtaegt is not None else bp.indtaegt
    over = _indtaegt_over_3x(ind, satser or [], forfald)
    kraeves, _ = b.anmodning_kraeves(bp.ab_kode, art, over, b.alder_paa(bp.foedselsdato, forfald), bp.anmodning_kraeves)
    if not kraeves:
        f.add("196", "bidragsart")
    if Anmodning.objects.filter(bp=bp, bidragsart=art, brugt_af__isnull=True).count() >= 9:
        f.add("223", None)
    f.raise_if()
    a = Anmodning.objects.create(sag=sag, bp=bp, bidragsart=art, forfaldsdato=forfald, indtaegt=indtaegt)
    if indtaegt is not None:
        bp.indtaegt = indtaegt
        bp.save(update_fields=["indtaegt"])
    m = [advis("901")]
    _gem_advis(sag, m, bp)
    return a, m


@transaction.atomic
def bestil_registerindsigt(*, user, user_kommuner, data) -> tuple[Registerindsigt, list[dict]]:
    """seed 004, 3.1.1.1: a request for registerindsigt on a personnummer in a kommune, produced by
    the next weekly run (3.9.2). "Registerindsigt betragtes som ændring", but an unknown
    personnummer is not rejected: it gets a blank registerindsigt. An identical request (same
    kommune and personnummer) not yet produced is rejected as a duplicate, fejl 195."""
    from django.db import IntegrityError

    from cases.cpr import InvalidCPR, normalize_cpr
    from ky.core.models import Kommune
    f = Fejlsamler()
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    kommune = data.get("kommune")
    if isinstance(kommune, bool) or not isinstance(kommune, int) or (
            user_kommuner is not None and kommune not in user_kommuner) or not Kommune.objects.filter(
            pk=kommune).exists():
        f.ugyldig("kommune", "Ukendt kommune, eller kommunen er ikke din.")
    cpr = None
    try:
        cpr = normalize_cpr(data.get("cpr"))
    except InvalidCPR as exc:
        f.ugyldig("cpr", str(exc))
    f.raise_if()
    if Registerindsigt.objects.filter(kommune_id=kommune, cpr=cpr, dannet__isnull=True).exists():
        f.add("195", "cpr")
        f.raise_if()
    try:
        with transaction.atomic():
            r = Registerindsigt.objects.create(kommune_id=kommune, cpr=cpr,
                                               bestilt_af=user if getattr(user, "is_authenticated", False) else None)
    except IntegrityError:  # an identical request committed meanwhile
        f.add("195", "cpr")
        f.raise_if()
    return r, []


def _indtaegt_over_3x(indtaegt, satser, dato) -> bool:
    """Our reading: BP income compared with 3 × art 11's sats (as stored) valid on dato."""
    if indtaegt is None:
        return False
    try:
        return Decimal(indtaegt) > 3 * b.find_sats(satser, 11, dato).beloeb
    except b.BeregningsFejl:
        return False


# ------------------------------------------------------------------ kontoplan (3.5.1.1)
@transaction.atomic
def saet_kontoplan(kommune_id: int, rows) -> list[Kontoplan]:
    """seed 004, 3.5.1.1/2: the six kontogrupper; bidragskonti and tilgodehavende may be specified on
    bidragskode and bidragsart, afregningskonti on udbetalingsform, the others on nothing."""
    f = Fejlsamler()
    if not isinstance(rows, list):
        raise DomainError("Kontoplanen skal være en liste.")
    objs = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or not isinstance(r.get("konto"), str) or not r.get("konto") \
                or r.get("kontogruppe") not in KONTOGRUPPER:
            f.ugyldig(f"[{i}]", f"Kontogruppe skal være en af {', '.join(KONTOGRUPPER)} og konto udfyldt.")
            continue
        spec = KONTOGRUPPER[r["kontogruppe"]][2]
        kode = r.get("bidragskode")
        if kode not in (None, "01", "02", "03"):
            f.ugyldig(f"[{i}].bidragskode", "Bidragskode skal være 01, 02 eller 03.")
        art = _int(r.get("bidragsart"), f"[{i}].bidragsart", f, 11, 39)
        form = _int(r.get("udbetalingsform"), f"[{i}].udbetalingsform", f, 0, 2)
        for felt, v in (("bidragskode", kode), ("bidragsart", art), ("udbetalingsform", form)):
            if v is not None and felt not in spec:
                f.ugyldig(f"[{i}].{felt}", f"Konti i kontogruppe {r['kontogruppe']} kan ikke specificeres på "
                                           f"{felt} (3.5.1.1).")
        objs.append(Kontoplan(kommune_id=kommune_id, kontogruppe=r["kontogruppe"], bidragskode=kode,
                              bidragsart=art, udbetalingsform=form, konto=r["konto"][:20]))
    f.raise_if()
    Kontoplan.objects.filter(kommune_id=kommune_id).delete()
    return Kontoplan.objects.bulk_create(objs)


# ------------------------------------------------------------------ tilslutning (3.11.2, U691)
def _advis_370(form: int, udfald: str) -> dict:
    navn = TILSLUTNING_NAVN[TILSLUTNING_FORM[form]]
    return advis("370", f"{ADVIS['370']} Udbetalingsform {form} kræver tilslutning til {navn}; {udfald}.")


TILSLUTNING_FORM = {1: "pbs", 2: "standardcheck"}  # udbetalingsform -> the tilslutning it needs
TILSLUTNING_NAVN = {"pbs": "PBS-overførsel", "standardcheck": "standardcheck"}


def tilslutning_for(kommune_id: int) -> Tilslutning | None:
    return Tilslutning.objects.filter(kommune_id=kommune_id).first()


def passer_med_tilslutning(form: int | None, tilslutning: Tilslutning | None, dato: dt.date) -> bool:
    """seed 004, 3.1.1.2 / 3.3.2: 1 bankoverførsel needs PBS-overførsel, 2 standardcheck needs
    standardcheck; 0 kontant and an unregistered form always fit."""
    behov = TILSLUTNING_FORM.get(form)
    return behov is None or (tilslutning is not None and tilslutning.tilsluttet(behov, dato))


@transaction.atomic
def saet_tilslutning(kommune_id: int, data, *, erstat: bool, idag: dt.date | None = None) -> Tilslutning:
    """seed 004, 3.11.2: faggruppe creates or changes a kommune's tilslutning. Ja/Nej per form
    (JSON true/false); on creation every form not given is Nej; Nej -> Ja: start = d.d., slut =
    999999 (null); Ja -> Nej: slut = d.d. ``erstat`` (PUT): a form not given is Nej; else (PATCH) kept."""
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel.")
    f = Fejlsamler()
    for form in Tilslutning.FORMER:
        if form in data and not isinstance(data[form], bool):
            f.ugyldig(form, "Tilslutning skal være sand (Ja) eller falsk (Nej).")
    f.raise_if()
    idag = idag or dt.date.today()
    # get_or_create copes with two first writes at once; then lock the row
    ny = Tilslutning.objects.get_or_create(kommune_id=kommune_id)[1]
    t = Tilslutning.objects.select_for_update().get(kommune_id=kommune_id)
    for form in Tilslutning.FORMER:
        if form not in data and not erstat and not ny:
            continue
        ja = data.get(form, False)
        if ja and not t.tilsluttet(form, idag):
            setattr(t, f"{form}_start", idag)
            setattr(t, f"{form}_slut", None)
        elif not ja and t.tilsluttet(form, idag):
            setattr(t, f"{form}_slut", idag)
    t.save()
    return t


# ------------------------------------------------------------------ nyt personnummer (P-data, seed 004 3.1.1.8 621)
def cpr_skift(gammel: str, ny: str) -> dict:
    """A person's new CPR number (the person register's ny_cpr event): the sager's BB, the BPs, the bidrag's
    and sager's BPL and the adresseringsgrundlag follow the new number. Journals of earlier runs (payouts,
    claims, postings, calculations) keep the number they were made with. A move that would make two of a
    unique kind (the new number already BB/BP/BPL on the same sag) is not made and is reported in
    ``konflikter`` for the caseworker (advis 621 is written by the register all the same)."""
    from django.db import IntegrityError

    from .models import Adresse, Bidrag, Bidragsperson, Bidragspligtig, UBSag

    out: dict = {"konflikter": []}
    ny_foedt = foedselsdato(ny)
    for navn, qs, felt, extra in (
        ("ub_sag", UBSag.objects.filter(bb_cpr=gammel), "bb_cpr", {}),
        ("bidragsperson", Bidragsperson.objects.filter(cpr=gammel), "cpr", {"foedselsdato": ny_foedt} if ny_foedt else {}),
        ("bidrag", Bidrag.objects.filter(bpl_cpr=gammel), "bpl_cpr", {}),
        ("bidragspligtig", Bidragspligtig.objects.filter(cpr=gammel), "cpr", {}),
    ):
        n = 0
        for pk in list(qs.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    n += qs.model.objects.filter(pk=pk).update(**{felt: ny}, **extra)
            except IntegrityError:
                out["konflikter"].append(f"{navn} {pk}")
        out[navn] = n
    if not Adresse.objects.filter(cpr=ny).exists():
        out["adresse"] = Adresse.objects.filter(cpr=gammel).update(cpr=ny)
    return out

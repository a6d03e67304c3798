"""Pure calculation of underholdsbidrag (seed 004, 3.2.1–3.2.3); no database.

Every amount is computed exactly as Decimal and rounded once, ROUND_HALF_UP, to
øre. Every result carries ``forklaring``: the sats period used, months/days and
the formula with its numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import calendar

from ky.core.bankdage import er_bankdag, foerste_bankdag_efter, foerste_bankdag_fra, helligdage  # noqa: F401 (part of this module's API)

OERE = Decimal("0.01")
FREKVENS_MDR = {"M": 1, "K": 3, "H": 6, "A": 12}
# seed 004, 3.2.2: art 14 and 19 use art 11's sats
SATS_ART = {14: 11, 19: 11}
HALVAARS_ARTER = {11, 12, 14, 15, 19}  # sats per half year (14/19 via art 11)
MAANEDS_ARTER = {32}  # sats per month
ENGANGS_ARTER = {31}  # sats once
NORMAL_ARTER = {11, 12, 15}
# seed 004, 3.2.2/5: age limit (broken period, next forfaldsdato)
ALDERSGRAENSE = {11: 18, 12: 18, 13: 18, 15: 18, 14: 24}

ADVIS_TEKST = {
    "611": "Bidrag kræver anmodning, men ingen anmodning er registreret.",
    "616": "Bidragsperson fylder 24 år inden næste forfaldsdato; uddannelsesbidrag stoppet.",
    "612": "Kommunen er beløbsmodtager; der udskrives ikke anmodning.",
    "617": "Tillæg/fradrag til inaktiv bidragsperson effektueres i kommende udbetalingsuge.",
    "618": "Fremtidigt tillæg/fradrag til inaktiv bidragsperson er slettet.",
    "619": "Rater til inaktiv bidragsperson/BB eller ophørt ratevis udbetaling udbetales i kommende udbetalingsuge.",
    "620": "Negativt beløb for en eller flere bidragspersoner i udbetalingen; et totalbeløb ≤ 0 udbetales kontant.",
    "626": "Kommunen er ikke tilsluttet den registrerede udbetalingsform – udbetales kontant.",
    "630": "Negativ afkrævning: summen for bidragspersonen på forfaldsdatoen er negativ.",
    "631": "Bidragspersonen er fyldt 15 år – anmodning kræves fremover.",
    "601": "BB slettet (oprydning efter 13 måneders inaktivitet).",
    "800": "BP slettet (oprydning efter 13 måneders inaktivitet).",
    "801": "BPL slettet (oprydning).",
    "704": "Barnets indtægt overstiger 3 gange normalbidrag.",
    "634": "Bidragskoden er ændret i forhold til seneste beregning",
    "633": "Overskydende anmodninger er slettet",  # seed 004, 3.2.2/4 and 3.1.1.3/3
}


class BeregningsFejl(Exception):
    pass


def rund(beloeb: Decimal) -> Decimal:
    return Decimal(beloeb).quantize(OERE, rounding=ROUND_HALF_UP)


def fmt(beloeb: Decimal) -> str:
    return f"{rund(beloeb):.2f}"


# ---------------------------------------------------------------- bank days
# contract "Udbetalingsdato"; seed 004, 3.3.2 — the calendar itself is shared: ky.core.bankdage


def uge_mandag(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def udbetalingsperiode(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """Week W+1 (Monday..Sunday) for a run in production week W."""
    start = uge_mandag(as_of) + dt.timedelta(days=7)
    return start, start + dt.timedelta(days=6)


def udbetalingsdato(forfaldsdato: dt.date, as_of: dt.date) -> dt.date:
    """First bank day after forfaldsdato; a past forfaldsdato gives the first bank day of W+1."""
    start, _ = udbetalingsperiode(as_of)
    return max(foerste_bankdag_efter(forfaldsdato), foerste_bankdag_fra(start))


def sidste_forfaldsdato(as_of: dt.date) -> dt.date:
    """Largest forfaldsdato whose udbetalingsdato falls in week W+1 (seed 004, 3.2.1)."""
    start, slut = udbetalingsperiode(as_of)
    d = slut
    while foerste_bankdag_efter(d) > slut:
        d -= dt.timedelta(days=1)
    return d


# ---------------------------------------------------------------- sats
@dataclass(frozen=True)
class SatsPeriode:
    bidragsart: int
    gyldig_fra: dt.date
    gyldig_til: dt.date | None
    beloeb: Decimal

    def gaelder(self, d: dt.date) -> bool:
        return self.gyldig_fra <= d and (self.gyldig_til is None or d <= self.gyldig_til)

    def tekst(self) -> str:
        til = self.gyldig_til.isoformat() if self.gyldig_til else "…"
        return f"sats art {self.bidragsart} {self.gyldig_fra.isoformat()}–{til}: {self.beloeb:.2f}"


def find_sats(satser: list[SatsPeriode], bidragsart: int, dato: dt.date) -> SatsPeriode:
    art = SATS_ART.get(bidragsart, bidragsart)
    for s in satser:
        if s.bidragsart == art and s.gaelder(dato):
            return s
    raise BeregningsFejl(f"Ingen sats for bidragsart {art} på {dato.isoformat()}.")


def sats_enhed_mdr(bidragsart: int) -> int | None:
    """Months the sats covers: 6 (half year), 1 (month) or None (once)."""
    if bidragsart in HALVAARS_ARTER:
        return 6
    if bidragsart in MAANEDS_ARTER:
        return 1
    if bidragsart in ENGANGS_ARTER:
        return None
    raise BeregningsFejl(f"Bidragsart {bidragsart} kan ikke beregnes efter sats; fast bidrag kræves.")


def maanedssats(sats: SatsPeriode) -> Decimal:
    enhed = sats_enhed_mdr(sats.bidragsart)
    return sats.beloeb / enhed if enhed else sats.beloeb


# ---------------------------------------------------------------- items
@dataclass
class Post:
    type: str  # bidrag, efterregulering, rate, tf
    bidragsart: int
    periode_fra: dt.date
    periode_til: dt.date
    forfaldsdato: dt.date
    beloeb: Decimal
    forklaring: str
    raa: Decimal = Decimal(0)  # unrounded amount (for tests/reconciliation)
    brudt_maaneder: int | None = None  # whole months of a broken period at 18 (rates)


@dataclass(frozen=True)
class Normalbidrag:
    """The sag's normalbidrag (art 11, 12 or 15) a percentage bidrag is computed from
    (seed 004, 3.2.2: "på grundlag af normalbidraget på den pågældende sag")."""
    bidragsart: int
    fast_bidrag: Decimal | None = None
    forfaldsfrekvens: str = "H"


@dataclass
class Bidragsgrundlag:
    bidragsart: int
    forfaldsdato: dt.date | None
    forfaldsfrekvens: str  # M/K/H/A, or for art 32 the counter "3".."0"
    foedselsdato: dt.date | None = None
    fast_bidrag: Decimal | None = None
    procentsats: Decimal | None = None
    forrige_forfaldsdato: dt.date | None = None
    normalbidrag: Normalbidrag | None = None  # percentage bidrag only; None: art 11's sats


@dataclass
class Resultat:
    poster: list[Post] = field(default_factory=list)
    naeste_forfaldsdato: dt.date | None = None
    forfaldsfrekvens: str = ""
    advis: list[str] = field(default_factory=list)


def plus_mdr(d: dt.date, n: int) -> dt.date:
    """d + n months, the day clipped to the month's end (dateutil's relativedelta, faster)."""
    aar, md = divmod(d.month - 1 + n, 12)
    aar += d.year
    return dt.date(aar, md + 1, min(d.day, calendar.monthrange(aar, md + 1)[1]))


def aarsdag(foedselsdato: dt.date, aar: int) -> dt.date:
    """The birthday in a year; 29 February is 28 February in other years (as relativedelta)."""
    return plus_mdr(foedselsdato, 12 * (aar - foedselsdato.year))


def alder_dag(foedselsdato: dt.date, aar: int) -> dt.date:
    return aarsdag(foedselsdato, foedselsdato.year + aar)


def hele_maaneder(fra: dt.date, til: dt.date) -> int:
    n = 0
    while plus_mdr(fra, n + 1) <= til:
        n += 1
    return n


def brudt_andel(forfald: dt.date, foedselsdag: dt.date) -> tuple[int, int]:
    """seed 004, 3.2.2/3: whole months from forfald and days of the broken month (of 30)."""
    n = hele_maaneder(forfald, foedselsdag)
    sidste = plus_mdr(forfald, n)
    if sidste.month == foedselsdag.month and sidste.year == foedselsdag.year:
        dage = foedselsdag.day - sidste.day
    else:
        dage = 30 - sidste.day + foedselsdag.day
    return n, dage


def _grundbeloeb(g: Bidragsgrundlag, forfald: dt.date, satser: list[SatsPeriode],
                 frekvens_mdr: int | None) -> tuple[Decimal, Decimal | None, str]:
    """(amount for one period, monthly amount or None, explanation). Unrounded."""
    if g.fast_bidrag is not None:
        return Decimal(g.fast_bidrag), None, f"fast bidrag {Decimal(g.fast_bidrag):.2f}"
    if g.bidragsart == 13 or g.procentsats is not None:
        # seed 004, 3.2.2: procentdel = the sag's normalbidrag × procentsats / 100
        pct = Decimal(g.procentsats or 0)
        nb = g.normalbidrag
        if nb is not None and nb.fast_bidrag is not None:
            # a fixed normalbidrag: its amount per month, scaled to this bidrag's frequency;
            # no broken period at 18 (a fixed normalbidrag has none, 3.2.2/4 "samme andel")
            nb_mdr = FREKVENS_MDR.get(nb.forfaldsfrekvens, 1)
            fast = Decimal(nb.fast_bidrag)
            beloeb = fast / nb_mdr * frekvens_mdr * pct / 100
            return beloeb, None, (f"normalbidrag art {nb.bidragsart} fast bidrag {fast:.2f} "
                                  f"({nb.forfaldsfrekvens}); {fast:.2f}/{nb_mdr} × {frekvens_mdr} mdr × {pct}/100")
        art = nb.bidragsart if nb is not None else 11
        sats = find_sats(satser, art, forfald)
        mdr = sats.beloeb / 6 * pct / 100
        beloeb = mdr * frekvens_mdr
        grundlag = (f"normalbidrag art {art}" if nb is not None
                    else "intet normalbidrag på sagen: art 11")
        return beloeb, mdr, (f"{grundlag}, {sats.tekst()}; {sats.beloeb:.2f}/6 × {frekvens_mdr} mdr × {pct}/100")
    sats = find_sats(satser, g.bidragsart, forfald)
    enhed = sats_enhed_mdr(SATS_ART.get(g.bidragsart, g.bidragsart))
    if enhed is None:
        return sats.beloeb, None, f"{sats.tekst()}; engangsbeløb"
    if enhed == 1:
        return sats.beloeb, sats.beloeb, f"{sats.tekst()}; månedsbeløb"
    mdr = sats.beloeb / 6
    return mdr * frekvens_mdr, mdr, f"{sats.tekst()}; {sats.beloeb:.2f} × {frekvens_mdr}/6"


def efterregulering(g: Bidragsgrundlag, forrige: dt.date | None, forfald: dt.date,
                    satser: list[SatsPeriode]) -> Post | None:
    """seed 004, 3.2.2 Efterregulering: whole months from the sats change date to
    forfald × (new − old monthly sats), × procentsats/100 for percentage bidrag."""
    if forrige is None or g.fast_bidrag is not None or g.forfaldsfrekvens == "M" or g.bidragsart == 32:
        return None
    if g.bidragsart == 13 or g.procentsats is not None:
        # seed 004, 3.2.2: efterregulering of the sag's normalbidrag × procentsats (none when it is fixed)
        if g.normalbidrag is not None and g.normalbidrag.fast_bidrag is not None:
            return None
        art = g.normalbidrag.bidragsart if g.normalbidrag is not None else 11
    else:
        art = SATS_ART.get(g.bidragsart, g.bidragsart)
    if art not in HALVAARS_ARTER:
        return None
    skift = [s for s in satser if s.bidragsart == art and forrige < s.gyldig_fra <= forfald]
    if not skift:
        return None
    ny = max(skift, key=lambda s: s.gyldig_fra)
    try:
        gl = find_sats(satser, art, ny.gyldig_fra - dt.timedelta(days=1))
    except BeregningsFejl:
        return None
    n = hele_maaneder(ny.gyldig_fra, forfald)
    if n == 0:
        return None
    raa = n * (ny.beloeb / 6 - gl.beloeb / 6)
    forkl = (f"efterregulering: satsskift {ny.gyldig_fra.isoformat()}, {n} hele mdr til {forfald.isoformat()}; "
             f"{n} × {fmt(ny.beloeb / 6)} − {n} × {fmt(gl.beloeb / 6)}")
    if g.bidragsart == 13 or g.procentsats is not None:
        pct = Decimal(g.procentsats or 0)
        raa = raa * pct / 100
        forkl += f"; × {pct}/100"
    return Post("efterregulering", g.bidragsart, ny.gyldig_fra, forfald, forfald, rund(raa),
                forkl + f" = {fmt(raa)}", raa)


def naeste_forfaldsdato(g: Bidragsgrundlag, forfald: dt.date) -> tuple[dt.date | None, str, list[str]]:
    """seed 004, 3.2.2/5. Returns (next forfaldsdato or None, new frekvens, advis)."""
    if g.bidragsart == 32:
        taeller = int(g.forfaldsfrekvens or 0) - 1
        return (plus_mdr(forfald, 1) if taeller > 0 else None), str(max(taeller, 0)), []
    naeste = plus_mdr(forfald, FREKVENS_MDR[g.forfaldsfrekvens])
    graense = ALDERSGRAENSE.get(g.bidragsart)
    if graense and g.foedselsdato:
        dag = alder_dag(g.foedselsdato, graense)
        if dag <= naeste:
            if g.bidragsart == 14:
                return None, g.forfaldsfrekvens, ["616"]
            if g.forfaldsfrekvens == "M" or g.fast_bidrag is not None:
                return None, g.forfaldsfrekvens, []
            return dag, g.forfaldsfrekvens, []
    return naeste, g.forfaldsfrekvens, []


def beregn_en(g: Bidragsgrundlag, forfald: dt.date, satser: list[SatsPeriode]) -> Resultat:
    """One calculation at one forfaldsdato."""
    res = Resultat(forfaldsfrekvens=g.forfaldsfrekvens)
    graense = ALDERSGRAENSE.get(g.bidragsart)
    foedselsdag = alder_dag(g.foedselsdato, graense) if (graense and g.foedselsdato) else None
    er = efterregulering(g, g.forrige_forfaldsdato, forfald, satser)
    if er:
        res.poster.append(er)
    if foedselsdag and forfald >= foedselsdag:
        # at the 18th (24th) birthday only a due efterregulering, then stop
        res.naeste_forfaldsdato = None
        return res
    if g.bidragsart == 32:
        frekvens_mdr = 1
    else:
        frekvens_mdr = FREKVENS_MDR.get(g.forfaldsfrekvens)
        if frekvens_mdr is None:
            raise BeregningsFejl(f"Ugyldig forfaldsfrekvens {g.forfaldsfrekvens!r}.")
    naeste, ny_frekvens, advis = naeste_forfaldsdato(g, forfald)
    res.advis += advis
    beloeb, mdr, forkl = _grundbeloeb(g, forfald, satser, frekvens_mdr)
    periode_til = (naeste or plus_mdr(forfald, frekvens_mdr)) - dt.timedelta(days=1)
    if (foedselsdag and g.fast_bidrag is None and g.forfaldsfrekvens != "M" and mdr is not None
            and foedselsdag <= plus_mdr(forfald, frekvens_mdr)):
        # seed 004, 3.2.2/3: broken period at 18 (24): 1/6 per whole month + days/180
        n, dage = brudt_andel(forfald, foedselsdag)
        halvaar = mdr * 6
        beloeb = halvaar * n / 6 + halvaar * dage / 180
        forkl += (f"; brudt periode til {foedselsdag.isoformat()}: {n} hele mdr, {dage} dage; "
                  f"{fmt(halvaar)} × {n}/6 + {fmt(halvaar)} × {dage}/180")
        periode_til = foedselsdag - dt.timedelta(days=1)
        brudt = n
    else:
        brudt = None
    res.poster.append(Post("bidrag", g.bidragsart, forfald, periode_til, forfald, rund(beloeb),
                           f"{forkl} = {fmt(beloeb)}", beloeb, brudt))
    res.naeste_forfaldsdato = naeste
    res.forfaldsfrekvens = ny_frekvens
    return res


def beregn(g: Bidragsgrundlag, satser: list[SatsPeriode], til_forfald: dt.date,
           maks: int | None = None) -> Resultat:
    """Repeat while the next forfaldsdato is inside the run's period (seed 004, 3.2.2/5);
    ``maks`` limits the repetitions (bidrag needing anmodning: the number registered)."""
    samlet = Resultat(naeste_forfaldsdato=g.forfaldsdato, forfaldsfrekvens=g.forfaldsfrekvens)
    forfald = g.forfaldsdato
    forrige = g.forrige_forfaldsdato
    frekvens = g.forfaldsfrekvens
    antal = 0
    while forfald is not None and forfald <= til_forfald and (maks is None or antal < maks):
        antal += 1
        step = Bidragsgrundlag(g.bidragsart, forfald, frekvens, g.foedselsdato, g.fast_bidrag,
                               g.procentsats, forrige, g.normalbidrag)
        r = beregn_en(step, forfald, satser)
        samlet.poster += r.poster
        samlet.advis += r.advis
        forrige, forfald, frekvens = forfald, r.naeste_forfaldsdato, r.forfaldsfrekvens
    samlet.naeste_forfaldsdato = forfald
    samlet.forfaldsfrekvens = frekvens
    return samlet


# ---------------------------------------------------------------- decision tables
def bidragskode(ab_kode: int, bidragsart: int, indtaegt_over_3x: bool) -> str:
    """seed 004, 3.2.3.1/2 (contract's reading)."""
    if ab_kode in (3, 4, 6, 7, 9, 5):
        return "02"
    if ab_kode == 8:
        return "01"
    if bidragsart in NORMAL_ARTER:
        return "01" if indtaegt_over_3x else "03"
    if bidragsart == 32:
        return "03"
    return "01"


def udbetales_afkraeves(kode: str) -> tuple[bool, bool]:
    """seed 004, 3.2.3.1/3: 01 claimed only; 02 claimed only; 03 paid to BB and claimed."""
    return {"01": (False, True), "02": (False, True), "03": (True, True)}[kode]


def anmodning_kraeves(ab_kode: int, bidragsart: int, indtaegt_over_3x: bool, alder: int,
                      markeret: bool) -> tuple[bool, str | None]:
    """seed 004, 3.2.1/5. Returns (needed, advis nr or None); advis 631 the caller
    writes only the first time."""
    if ab_kode in (3, 4, 6, 7, 9, 5):
        return False, None
    if ab_kode == 8:
        return True, None
    if bidragsart in NORMAL_ARTER:
        if markeret or indtaegt_over_3x:
            return True, None
        if alder >= 15:
            return True, "631"
        return False, None
    if bidragsart == 32:
        return False, None
    return True, None


def alder_paa(foedselsdato: dt.date, dato: dt.date) -> int:
    alder = dato.year - foedselsdato.year
    return alder - 1 if dato < aarsdag(foedselsdato, dato.year) else alder


# seed 004, 3.1.1.3/4 (our reading of the garbled table): per BP and BPL the løbende bidrag
# may be one of these combinations; særbidrag (31, 33–36, 39) combine with anything.
SAERBIDRAG = {31, 33, 34, 35, 36, 39}
GYLDIGE_KOMBINATIONER = (
    [frozenset({a}) for a in (11, 12, 14, 19, 15, 21, 29, 32)]
    + [frozenset({a, 13}) for a in (11, 12, 14, 15)]
    + [frozenset({21, 32}), frozenset({29, 32})]
)


def kombination_ok(arter) -> bool:
    """False means fejl 226: all bidrag of the BP get forfaldsdato 0."""
    loebende = frozenset(a for a in arter if a not in SAERBIDRAG)
    return not loebende or loebende in GYLDIGE_KOMBINATIONER


# ---------------------------------------------------------------- rates
def rater(beloeb: Decimal, antal: int = 6) -> list[Decimal]:
    """seed 004, 3.2.3.2: equal rates rounded down to øre, remainder on the last."""
    beloeb = rund(beloeb)
    if antal <= 1:
        return [beloeb]
    lige = (beloeb / antal).quantize(OERE, rounding=ROUND_DOWN)
    return [lige] * (antal - 1) + [beloeb - lige * (antal - 1)]


def rateposter(post: Post, brudt_maaneder: int | None = None) -> list[Post]:
    """Split a bidrag into rates (bidragskode 03, ratevis): six, or for a broken period
    as many as its whole months (none: one rate); rate i falls due i months after the
    forfaldsdato. A rate keeps its bidrag's period, so the rates of bidrag whose rate months
    overlap (monthly or quarterly bidrag) stay distinct items."""
    antal = 6 if brudt_maaneder is None else max(brudt_maaneder, 1)
    out = []
    for i, b in enumerate(rater(post.beloeb, antal)):
        d = plus_mdr(post.forfaldsdato, i)
        out.append(Post("rate", post.bidragsart, post.periode_fra, post.periode_til, d, b,
                        f"rate {i + 1}/{antal} af {post.beloeb:.2f} (bidrag forfaldsdato "
                        f"{post.forfaldsdato.isoformat()}): {b:.2f}", b))
    return out


# ---------------------------------------------------------------- tillæg/fradrag (3.2.3.2)
def tf_fra(d: dt.date) -> dt.date:
    """seed 004, 3.2.3.2: a fra-dato on the 31st becomes the 1st of the next month."""
    return d + dt.timedelta(days=1) if d.day == 31 else d


def tf_til_dag(d: dt.date) -> int:
    """seed 004, 3.2.3.2: a til-dato on 28/29 February or the 31st counts as the 30th."""
    if d.day == 31 or (d.month == 2 and d.day in (28, 29)):
        return 30
    return d.day


def tf_dage(fra: dt.date, til: dt.date) -> int:
    """seed 004, 3.2.3.2: whole months of 30 days + the days of the broken month, first and last
    day included (a 30-day-month count)."""
    fra = tf_fra(fra)
    return (til.year - fra.year) * 360 + (til.month - fra.month) * 30 + (tf_til_dag(til) - fra.day) + 1


def tf_routing(tf_kode: int, beloebsmodtager: int) -> tuple[str, bool, bool]:
    """seed 004, 3.2.3.2: (bidragskode, udbetales, afkræves) per T/F main type.
    1x payout of ikke forskudsvise (02 when the public is recipient, else 01); 2x claim likewise;
    3x payout and claim, 03; 4x a conto fradrag, payout, 03; 5x/6x bookkeeping only."""
    typ = tf_kode // 10
    kode_modtager = "02" if beloebsmodtager == 0 else "01"
    return {1: (kode_modtager, True, False), 2: (kode_modtager, False, True), 3: ("03", True, True),
            4: ("03", True, False), 5: (kode_modtager, False, False), 6: (kode_modtager, False, False)}[typ]


def beregn_tf(tf_kode: int, bidragsart: int, fra: dt.date | None, til: dt.date | None,
              satser: list[SatsPeriode], koerselsdato: dt.date, dato: dt.date | None = None,
              procentsats: Decimal | None = None) -> tuple[Decimal, Decimal, str]:
    """seed 004, 3.2.3.2 Tillæg/fradrag uden indberettet T/F-beløb: the period's length in 30-day
    months, split at every sats change; per part sats/180 × days (art 32: sats/30 × days, the sats
    being monthly; art 31: the sats once, looked up on the kørselsdato when fra/til are given).
    Returns (rounded amount, exact amount, forklaring). A 4x (fradrag) is negative."""
    fortegn = -1 if tf_kode // 10 == 4 else 1
    art = 11 if bidragsart == 13 else SATS_ART.get(bidragsart, bidragsart)
    if art in ENGANGS_ARTER:
        opslag = koerselsdato if (fra and til) else (dato or koerselsdato)
        s = find_sats(satser, art, opslag)
        raa = s.beloeb * fortegn
        return rund(raa), raa, f"T/F kode {tf_kode}: {s.tekst()}; 1 × sats = {fmt(raa)}"
    if art not in HALVAARS_ARTER and art not in MAANEDS_ARTER:
        raise BeregningsFejl(f"T/F for bidragsart {bidragsart} kræver et indberettet beløb.")
    if fra is None or til is None:
        raise BeregningsFejl("T/F uden beløb kræver fra-dato og til-dato.")
    if bidragsart == 13 and procentsats is None:
        raise BeregningsFejl("T/F for bidragsart 13 uden beløb kræver en procentsats på bidragspersonens art 13.")
    deler = 30 if art in MAANEDS_ARTER else 180
    perioder = sorted((s for s in satser if s.bidragsart == art), key=lambda s: s.gyldig_fra)
    if not perioder or tf_fra(fra) < perioder[0].gyldig_fra:
        raise BeregningsFejl(f"Fra-dato {fra.isoformat()} ligger før ældste satsperiode (fejl 158).")
    dele, raa, dage_i_alt = [], Decimal(0), 0
    for s in perioder:
        d_fra = max(fra, s.gyldig_fra)
        d_til = til if s.gyldig_til is None else min(til, s.gyldig_til)
        if d_fra > d_til:
            continue
        dage = tf_dage(d_fra, d_til)
        if dage <= 0:
            continue
        dage_i_alt += dage
        del_beloeb = s.beloeb / deler * dage
        raa += del_beloeb
        dele.append(f"{s.tekst()}: {s.beloeb:.2f}/{deler} × {dage} dage = {fmt(del_beloeb)}")
    if dage_i_alt != tf_dage(fra, til):
        raise BeregningsFejl(f"Ingen sats for hele perioden {fra.isoformat()}–{til.isoformat()}.")
    forkl = (f"T/F kode {tf_kode}, art {bidragsart}, periode {fra.isoformat()}–{til.isoformat()} "
             f"= {dage_i_alt} dage (måneder à 30 dage); " + "; ".join(dele))
    if bidragsart == 13:
        raa = raa * Decimal(procentsats) / 100
        forkl += f"; × {procentsats}/100"
    raa *= fortegn
    if fortegn < 0:
        forkl += "; fradrag (4x): negativt"
    return rund(raa), raa, f"{forkl} = {fmt(raa)}"

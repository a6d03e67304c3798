"""The month's computation of a bevilling (issue 13, contract ydelse.md). ONE pure function, ``beregn``:

    sats (by day: age from CPR, forsørger, gift/samlevende, hjemmeboende, opholdskrav; the regelsæt in force)
    → minus indtægtsfradrag (the month's income, arbejdsindtægt after the fribeløb)
    → minus sanktioner/nedsættelser (225-timers-reglen only while it is in force)
    → særlig støtte (§ 34) where granted, capped by kontanthjælpsloftet while it is in force
    = the month's beløb, Decimal, rounded ONCE half up to øre.

Part months: the days of the month the bevilling covers are split into segments wherever a rule, a rate or
a fact changes (the 30th birthday, a child's 18th, a sats period, the reform on 2025-07-01); each segment
pays its rate × its days / days in the month. Every figure carries a ``forklaring`` step {trin, regel,
parameter, beloeb}. A bevilling with an explicit ``maanedligt_beloeb`` is a fixed amount decided by the
caseworker (prorated by days as before) and its computation says so as its one step.

The inputs are plain data (``Grundlag``), so the same function serves the API, the sag screen and the
batch (``selectors.grundlag_for`` loads them for one bevilling, ``selectors.grundlag_batch`` for many in a
fixed number of queries per chunk).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cases.ydelse.fakta import PersonFakta

OERE = Decimal("0.01")
NUL = Decimal(0)
REGEL_YDELSER = ("KTH", "UDH", "HTF")  # computed by rules; the others need a maanedligt_beloeb


class BeregningsFejl(Exception):
    """The month cannot be computed (a Danish message naming the field)."""

    def __init__(self, tekst: str, felt: str = "maaned"):
        super().__init__(tekst)
        self.tekst, self.felt = tekst, felt


def kr(x: Decimal) -> str:
    """5.100,50 (ky.core.beloeb's Danish form) for forklaring texts."""
    q = Decimal(x).quantize(OERE, rounding=ROUND_HALF_UP)
    s = f"{abs(q):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return ("-" if q < 0 else "") + s


def s2(x: Decimal) -> str:
    """API form of an amount: a string with two decimals (display of an intermediate figure)."""
    return str(Decimal(x).quantize(OERE, rounding=ROUND_HALF_UP))


def maaned_graenser(maaned: dt.date) -> tuple[dt.date, dt.date, int]:
    start = maaned.replace(day=1)
    dim = calendar.monthrange(start.year, start.month)[1]
    return start, start.replace(day=dim), dim


# --- dated data -----------------------------------------------------------------------------------------

@dataclass
class Satstabel:
    """All satser and regler, by key, sorted by gyldig_fra (a few hundred rows: loaded once per run)."""

    satser: dict[tuple[str, str], list[tuple]] = field(default_factory=dict)  # (fra, til, beloeb, id, kilde)
    regler: dict[str, list[tuple]] = field(default_factory=dict)  # (fra, til, vaerdi, kilde)
    _cache: dict = field(default_factory=dict, repr=False)  # lookups are pure: memoised for a batch

    @classmethod
    def fra_rows(cls, sats_rows, regel_rows) -> Satstabel:
        t = cls()
        for ytype, kat, fra, til, beloeb, sid, kilde in sats_rows:
            t.satser.setdefault((ytype, kat), []).append((fra, til, Decimal(beloeb), sid, kilde))
        for noegle, vaerdi, fra, til, kilde in regel_rows:
            t.regler.setdefault(noegle, []).append((fra, til, vaerdi, kilde))
        for v in (*t.satser.values(), *t.regler.values()):
            v.sort(key=lambda r: r[0])
        return t

    def sats(self, ytype: str, kat: str, d: dt.date):
        """(beloeb, id, kilde) in force on d, or raise BeregningsFejl."""
        key = ("s", ytype, kat, d)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._sats(ytype, kat, d)
        return hit

    def _sats(self, ytype: str, kat: str, d: dt.date):
        for fra, til, beloeb, sid, kilde in self.satser.get((ytype, kat), ()):
            if fra <= d and (til is None or d <= til):
                return beloeb, sid, kilde
        raise BeregningsFejl(f"Der er ingen sats i kraft for {ytype} '{kat}' den {d:%d-%m-%Y}.", "maaned")

    def regel(self, noegle: str, d: dt.date) -> str | None:
        key = ("r", noegle, d)
        if key not in self._cache:
            self._cache[key] = self._regel(noegle, d)
        return self._cache[key]

    def _regel(self, noegle: str, d: dt.date) -> str | None:
        for fra, til, vaerdi, _k in self.regler.get(noegle, ()):
            if fra <= d and (til is None or d <= til):
                return vaerdi
        return None

    def skift_i(self, start: dt.date, slut: dt.date) -> set[dt.date]:
        """Every date in (start, slut] on which some sats or regel starts or stops applying."""
        key = ("k", start, slut)
        if key not in self._cache:
            self._cache[key] = frozenset(self._skift_i(start, slut))
        return set(self._cache[key])

    def _skift_i(self, start: dt.date, slut: dt.date) -> set[dt.date]:
        out = set()
        for rows in (*self.satser.values(), *self.regler.values()):
            for fra, til, *_ in rows:
                for d in (fra, til + dt.timedelta(days=1) if til else None):
                    if d is not None and start < d <= slut:
                        out.add(d)
        return out


@dataclass
class Grundlag:
    """Everything one bevilling's month needs, as plain data."""

    bevilling_id: int
    ydelsestype: str
    bevilget_fra: dt.date
    bevilget_til: dt.date | None
    maanedligt_beloeb: Decimal | None
    status: str
    fakta: PersonFakta
    indtaegter: list[tuple] = field(default_factory=list)  # (art, beloeb, kilde)
    sanktioner: list[tuple] = field(default_factory=list)  # (id, art, fra, til, beloeb, begrundelse)
    saerlig_stoette: list[tuple] = field(default_factory=list)  # (fra, til, beloeb)


# --- the rules ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Led:
    """One rate of a segment: (ydelsestype of the sats table, kategori, the law's paragraph)."""

    ytype: str
    kategori: str
    regel: str


def satsled(g: Grundlag, regelsaet: str, d: dt.date) -> tuple[list[Led], list[str], str]:
    """The rates (main rate first, then tillæg) that apply on day d, notes for the forklaring, and the
    loft paragraph (§ 25 b stk.) the main rate belongs to."""
    f, yt = g.fakta, g.ydelsestype
    alder = f.alder(d)
    forsoerger = f.forsoerger(d)
    noter = []
    if regelsaet == "reform_2025":
        # lov nr. 1655/2024: one ydelse, kontanthjælp (LAS §§ 16-18); UDH and HTF lapsed on 2025-07-01
        if yt != "KTH":
            noter.append(f"{yt} er bortfaldet pr. 1.7.2025 og beregnes som kontanthjælp (lov nr. 1655/2024)")
        if not f.opholdskrav_opfyldt:
            hoved = Led("KTH", "mindstesats", "LAS § 16 (mindstesats: opholds- og beskæftigelseskrav ikke opfyldt)")
        elif alder >= 30:
            hoved = Led("KTH", "forhoejet_sats", "LAS § 16 (forhøjet sats: fyldt 30 år)")
        elif f.hjemmeboende and not forsoerger:
            hoved = Led("KTH", "hjemmeboende", "LAS § 16 (sats for hjemmeboende under 30 år)")
        else:
            hoved = Led("KTH", "grundsats", "LAS § 16 (grundsats: under 30 år)")
        led = [hoved]
        if forsoerger:
            led.append(Led("KTH", "tillaeg_boern", "LAS § 17 (børnetillæg)"))
        if not f.gift_samlevende and forsoerger and hoved.kategori in ("mindstesats", "grundsats"):
            led.append(Led("KTH", "tillaeg_enlig_forsoerger", "LAS § 17 (tillæg til enlige forsørgere)"))
        if not f.gift_samlevende and not forsoerger and hoved.kategori in ("grundsats", "forhoejet_sats"):
            led.append(Led("KTH", "tillaeg_enlig_ikke_forsoerger", "LAS § 17 (tillæg til enlige ikke-forsørgere)"))
        return led, noter, ""
    if regelsaet != "las_foer_reform":
        raise BeregningsFejl(f"Der er intet regelsæt i kraft den {d:%d-%m-%Y}.", "maaned")
    # before the reform: LAS §§ 22-25
    if alder >= 30:
        sats_yt = "HTF" if yt == "HTF" else "KTH"
        if yt == "UDH":
            noter.append("fyldt 30 år: uddannelseshjælp afløses af kontanthjælp efter § 25, stk. 2")
        if forsoerger:
            return [Led(sats_yt, "over30_forsoerger", "LAS § 25, stk. 2, nr. 1 (fyldt 30 år, forsørger)")], noter, "25b1"
        return [Led(sats_yt, "over30_ikke_forsoerger", "LAS § 25, stk. 2, nr. 2 (fyldt 30 år, andre)")], noter, "25b1"
    par = {"KTH": ("LAS § 25, stk. 3", "25b2"), "UDH": ("LAS § 23, stk. 2", "25b3"), "HTF": ("LAS § 22", "")}[yt]
    if forsoerger and not f.gift_samlevende:
        return [Led(yt, "under30_enlig_forsoerger", f"{par[0]}, nr. 1 (enlig forsørger under 30 år)")], noter, par[1]
    if forsoerger:
        return [Led(yt, "under30_forsoerger", f"{par[0]}, nr. 2 (forsørger under 30 år, gift/samlevende)")], noter, par[1]
    if f.hjemmeboende:
        return [Led(yt, "under30_hjemmeboende", f"{par[0]} (under 30 år, hjemmeboende)")], noter, par[1]
    return [Led(yt, "under30_udeboende", f"{par[0]} (under 30 år, udeboende)")], noter, par[1]


def _dage(a: dt.date, b: dt.date) -> int:
    return (b - a).days + 1


def _overlap(a0, a1, b0, b1):
    s, e = max(a0, b0), min(a1, b1 or a1)
    return (s, e) if s <= e else None


def beregn(g: Grundlag, maaned: dt.date, tabel: Satstabel) -> dict:
    """The month's computation as ydelse.md's shape (amounts as strings with two decimals)."""
    start, slut, dim = maaned_graenser(maaned)
    trin: list[dict] = []

    def step(regel: str, parameter: str, beloeb: Decimal):
        trin.append({"trin": len(trin) + 1, "regel": regel, "parameter": parameter, "beloeb": s2(beloeb)})

    periode = _overlap(start, slut, g.bevilget_fra, g.bevilget_til) if g.status == "bevilget" else None
    res = {"bevilling": g.bevilling_id, "maaned": f"{start:%Y-%m}", "dage": 0, "sats": "0.00", "fradrag": [],
           "beloeb": "0.00", "forklaring": trin}
    if periode is None:
        grund = (f"bevillingen har status {g.status}" if g.status != "bevilget"
                 else "bevillingen dækker ingen dage i måneden")
        step("Ingen udbetaling", grund, NUL)
        return res
    fra, til = periode
    dage = _dage(fra, til)
    res["dage"] = dage
    if g.maanedligt_beloeb is not None:
        # ydelse.md: a fixed amount decided by the caseworker (or migrated) stays fixed: its one step
        beloeb = (g.maanedligt_beloeb * dage / dim).quantize(OERE, rounding=ROUND_HALF_UP)
        res["sats"] = s2(g.maanedligt_beloeb)
        step("Fast beløb besluttet af sagsbehandler (bevillingens månedlige beløb)",
             f"{kr(g.maanedligt_beloeb)} kr. × {dage}/{dim} dage ({fra:%d-%m-%Y} til {til:%d-%m-%Y})", beloeb)
        res["beloeb"] = s2(beloeb)
        return res
    if g.ydelsestype not in REGEL_YDELSER:
        raise BeregningsFejl(f"Ydelsestypen {g.ydelsestype} beregnes ikke efter regler; bevillingen skal have et "
                             "månedligt beløb.", "ydelsestype")
    f = g.fakta
    # segment boundaries: rates/rules changing, the 30th birthday, children turning 18
    skift = tabel.skift_i(fra, til)
    for d in (f.fylder(30), *(_fylder_barn(b) for b in f.boern_foedt), *(b for b in f.boern_foedt)):
        if fra < d <= til:
            skift.add(d)
    grænser = [fra, *sorted(skift), til + dt.timedelta(days=1)]
    sats_total = NUL
    hoved_sats = NUL
    loft_stk = ""
    dag_hjaelp: list[tuple[dt.date, dt.date, Decimal]] = []  # per segment: the rates' sum per month
    for a, b_excl in zip(grænser, grænser[1:]):
        b = b_excl - dt.timedelta(days=1)
        regelsaet = tabel.regel("regelsaet", a)
        led, noter, loft_stk = satsled(g, regelsaet, a)
        n = _dage(a, b)
        seg_sum = NUL
        for note in noter:
            step("Regelsæt", note, NUL)
        for i, l in enumerate(led):
            sats, sid, _kilde = tabel.sats(l.ytype, l.kategori, a)
            del_beloeb = sats * n / dim
            seg_sum += sats
            sats_total += del_beloeb
            if i == 0:
                hoved_sats = sats
            step(("Sats: " if i == 0 else "Tillæg: ") + l.regel,
                 f"{l.ytype} {l.kategori} {kr(sats)} kr./md. (sats-id {sid}) × {n}/{dim} dage "
                 f"({a:%d-%m-%Y} til {b:%d-%m-%Y}), alder {f.alder(a)} år, regelsæt {regelsaet}", del_beloeb)
        dag_hjaelp.append((a, b, seg_sum))
    if f.noter:
        step("Personoplysninger", "; ".join(f.noter), NUL)
    res["sats"] = s2(hoved_sats)

    # indtægtsfradrag (LAS § 30): the month's income, arbejdsindtægt after the fribeløb
    fradrag_total = NUL
    loen = sum((Decimal(b) for art, b, _k in g.indtaegter if art == "loen"), NUL)
    anden = sum((Decimal(b) for art, b, _k in g.indtaegter if art == "anden"), NUL)
    boligstoette = sum((Decimal(b) for art, b, _k in g.indtaegter if art == "boligstoette"), NUL)
    if loen:
        fribeloeb, sid, _k = tabel.sats("PARAM", "fribeloeb_arbejdsindtaegt", fra)
        x = max(loen - fribeloeb, NUL)
        fradrag_total += x
        tekst = f"arbejdsindtægt {kr(loen)} kr. − fribeløb {kr(fribeloeb)} kr. (sats-id {sid}) = {kr(x)} kr."
        res["fradrag"].append({"art": "loen", "beloeb": s2(x), "forklaring": tekst})
        step("Indtægtsfradrag: LAS § 30, stk. 2 (arbejdsindtægt efter fribeløb)", tekst, -x)
    if anden:
        fradrag_total += anden
        tekst = f"anden indtægt {kr(anden)} kr. fradrages fuldt"
        res["fradrag"].append({"art": "anden", "beloeb": s2(anden), "forklaring": tekst})
        step("Indtægtsfradrag: LAS § 30, stk. 1 (anden indtægt)", tekst, -anden)

    # sanktioner and nedsættelser
    sanktion_total = NUL
    for sid_, art, s_fra, s_til, s_beloeb, _begr in sorted(g.sanktioner, key=lambda s: s[2]):
        ov = _overlap(fra, til, s_fra, s_til)
        if ov is None:
            continue
        n = _dage(*ov)
        if art == "nedsaettelse_225" and tabel.regel("225_timer", ov[0]) != "i_kraft":
            step("Nedsættelse efter 225-timers-reglen (LAS § 13 f)",
                 f"sanktion {sid_}: reglen er ikke i kraft {ov[0]:%d-%m-%Y} (ophævet pr. 1.7.2025)", NUL)
            continue
        if s_beloeb is not None:
            x = Decimal(s_beloeb) * n / dim
            param = f"sanktion {sid_}: {kr(s_beloeb)} kr./md. × {n}/{dim} dage"
        elif art == "nedsaettelse_225" and not f.gift_samlevende:
            kat = "nedsaettelse_225_ugift_over30" if f.alder(ov[0]) >= 30 else "nedsaettelse_225_ugift_under30"
            sats, psid, _k = tabel.sats("PARAM", kat, ov[0])
            x = sats * n / dim
            param = f"sanktion {sid_}: ugift, {kat} {kr(sats)} kr./md. (sats-id {psid}) × {n}/{dim} dage"
        else:  # the hjælp for the sanctioned days lapses (gift under 225-timers-reglen: the whole hjælp)
            x = sum((sats * _dage(max(a, ov[0]), min(b, ov[1])) / dim
                     for a, b, sats in dag_hjaelp if max(a, ov[0]) <= min(b, ov[1])), NUL)
            param = f"sanktion {sid_}: hjælpen for {n} dage ({ov[0]:%d-%m-%Y} til {ov[1]:%d-%m-%Y}) bortfalder"
        sanktion_total += x
        regel = {"sanktion": "Sanktion (LAS §§ 36-40)", "skaerpet": "Skærpet rådighedssanktion (LAS § 40 a)",
                 "nedsaettelse_225": "Nedsættelse efter 225-timers-reglen (LAS § 13 f)"}[art]
        step(regel, param, -x)

    hjaelp = max(sats_total - fradrag_total - sanktion_total, NUL)
    step("Hjælp efter fradrag og sanktioner", f"{kr(sats_total)} − {kr(fradrag_total)} − {kr(sanktion_total)} "
         "(ikke under 0)", hjaelp)

    # særlig støtte (§ 34) where granted, capped by kontanthjælpsloftet while it is in force
    bevilget_saes = NUL
    for s_fra, s_til, s_beloeb in g.saerlig_stoette:
        ov = _overlap(fra, til, s_fra, s_til)
        if ov:
            bevilget_saes += Decimal(s_beloeb) * _dage(*ov) / dim
    saes = bevilget_saes
    if tabel.regel("kontanthjaelpsloft", fra) == "i_kraft" and loft_stk:
        d = til
        boern = f.boern_under(d)
        civil = "gift" if f.gift_samlevende else "enlig"
        if boern == 0:
            kat = f"loft_{loft_stk}_{civil}_ikke_forsoerger"
        else:
            kat = f"loft_{loft_stk}_{civil}_forsoerger_{1 if boern == 1 else 2}"
        loft, lsid, _k = tabel.sats("PARAM", kat, fra)
        loft_m = loft * dage / dim
        raadighed = max(loft_m - hjaelp - boligstoette, NUL)
        saes = min(bevilget_saes, raadighed)
        res["loft"] = {"kategori": kat, "loft": s2(loft_m), "forventet_hjaelpsbeloeb": s2(hjaelp),
                       "boligstoette": s2(boligstoette), "raadighed": s2(raadighed), "naaet": bevilget_saes > raadighed}
        step("Kontanthjælpsloft (LAS § 25 b)",
             f"{kat} {kr(loft)} kr./md. (sats-id {lsid}) × {dage}/{dim}; forventet hjælpsbeløb {kr(hjaelp)} kr., "
             f"boligstøtte {kr(boligstoette)} kr.: plads til {kr(raadighed)} kr. særlig støtte", raadighed)
    if bevilget_saes or g.saerlig_stoette:
        res["saerlig_stoette"] = {"bevilget": s2(bevilget_saes), "beloeb": s2(saes)}
        if bevilget_saes:
            loft_tekst = (" begrænset af loftet" if "loft" in res and saes < bevilget_saes
                          else ("" if "loft" in res else "; kontanthjælpsloftet er ikke i kraft"))
            step("Særlig støtte (LAS § 34)", f"bevilget {kr(bevilget_saes)} kr.{loft_tekst}", saes)
    beloeb = (hjaelp + saes).quantize(OERE, rounding=ROUND_HALF_UP)
    step("Månedens beløb", "afrundet én gang til øre (mellemregninger vises afrundet)", beloeb)
    res["beloeb"] = s2(beloeb)
    return res


def _fylder_barn(foedt: dt.date) -> dt.date:
    try:
        return foedt.replace(year=foedt.year + 18)
    except ValueError:
        return dt.date(foedt.year + 18, 3, 1)


def forklaring_tekst(res: dict) -> str:
    """The forklaring as text lines for an effektuering (dan-effektueringskladder copies it)."""
    return "\n".join(f"{t['trin']}. {t['regel']}: {t['parameter']} = {kr(Decimal(t['beloeb']))} kr."
                     for t in res["forklaring"])

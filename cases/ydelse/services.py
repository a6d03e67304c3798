"""Writes of ydelsen: satser (faggruppe), income, sanktioner; the month's computation for a batch
(dan-effektueringskladder). Bad input raises DomainError with Danish messages naming the field; nothing is
stored then (each function is one transaction)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import Bevilling, Person
from cases.ydelse import beregning, selectors
from cases.ydelse.models import Indtaegt, IndtaegtArt, Sanktion, SanktionArt, Sats, SatsYdelsestype
from ky.api import DomainError
from ky.scoping import user_kommune_codes


class Fejl:
    def __init__(self):
        self.fejl: list[dict] = []

    def add(self, felt, tekst, kode="ugyldig"):
        self.fejl.append({"felt": felt, "kode": kode, "tekst": tekst})

    def raise_if(self):
        if self.fejl:
            raise DomainError.many(self.fejl)


def _dato(v, felt, f: Fejl, kraevet=True):
    if v in (None, ""):
        if kraevet:
            f.add(felt, "Datoen skal udfyldes.", "mangler")
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        f.add(felt, "Ugyldig dato (ÅÅÅÅ-MM-DD).")
        return None


def _beloeb(v, felt, f: Fejl, kraevet=True):
    if v in (None, ""):
        if kraevet:
            f.add(felt, "Beløbet skal udfyldes.", "mangler")
        return None
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        f.add(felt, "Beløbet er ikke et tal (fx \"1234.50\").")
        return None
    if not d.is_finite() or d != d.quantize(Decimal("0.01")):
        f.add(felt, "Beløbet må højst have to decimaler.")
        return None
    if d < 0:
        f.add(felt, "Beløbet må ikke være negativt.")
        return None
    if abs(d) >= Decimal("1e10"):
        f.add(felt, "Beløbet er for stort.")
        return None
    return d


def parse_maaned(v, felt="maaned") -> dt.date:
    """'YYYY-MM' -> the month's first day, or DomainError."""
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}", v.strip()):
        raise DomainError("Måneden skal angives som ÅÅÅÅ-MM.", felt=felt)
    y, m = map(int, v.strip().split("-"))
    if not 1 <= m <= 12 or y < 1900:
        raise DomainError("Måneden skal angives som ÅÅÅÅ-MM.", felt=felt)
    return dt.date(y, m, 1)


def _dict(data) -> dict:
    if not isinstance(data, dict):
        raise DomainError("Ugyldig forespørgsel: forventede et JSON-objekt.")
    return data


def _overlap_sats(ytype, kat, fra, til, exclude=None) -> bool:
    qs = Sats.objects.filter(ydelsestype=ytype, kategori=kat).exclude(gyldig_til__lt=fra)
    if til is not None:
        qs = qs.filter(gyldig_fra__lte=til)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


# --- satser ---------------------------------------------------------------------------------------------

@transaction.atomic
def opret_sats(data) -> Sats:
    d, f = _dict(data), Fejl()
    ytype = d.get("ydelsestype")
    if ytype not in SatsYdelsestype.values:
        f.add("ydelsestype", f"Ukendt ydelsestype: {ytype!r} (gyldige: {', '.join(SatsYdelsestype.values)}).")
    kat = d.get("kategori")
    if not isinstance(kat, str) or not re.fullmatch(r"[a-z0-9_]{1,60}", kat or ""):
        f.add("kategori", "Kategorien skal udfyldes med små bogstaver, tal og _ (fx over30_forsoerger).")
    fra = _dato(d.get("gyldig_fra"), "gyldig_fra", f)
    til = _dato(d.get("gyldig_til"), "gyldig_til", f, kraevet=False)
    beloeb = _beloeb(d.get("beloeb"), "beloeb", f)
    kilde = d.get("kilde")
    if not isinstance(kilde, str) or not kilde.strip():
        f.add("kilde", "Kilden skal udfyldes (hvor satsen er hentet fra, og hvornår).", "mangler")
    if fra and til and til < fra:
        f.add("gyldig_til", "Til-datoen ligger før fra-datoen.")
    f.raise_if()
    if _overlap_sats(ytype, kat, fra, til):
        raise DomainError(f"Perioden overlapper en anden sats for {ytype} '{kat}'.", kode="overlap",
                          felt="gyldig_fra")
    try:
        with transaction.atomic():
            return Sats.objects.create(ydelsestype=ytype, kategori=kat, gyldig_fra=fra, gyldig_til=til,
                                       beloeb=beloeb, kilde=kilde.strip())
    except IntegrityError:  # a concurrent insert: the exclusion constraint decides
        raise DomainError(f"Perioden overlapper en anden sats for {ytype} '{kat}'.", kode="overlap",
                          felt="gyldig_fra") from None


@transaction.atomic
def aendr_sats(sats: Sats, data) -> Sats:
    d, f = _dict(data), Fejl()
    unknown = set(d) - {"gyldig_fra", "gyldig_til", "beloeb", "kilde"}
    for k in sorted(unknown):
        f.add(k, "Feltet kan ikke ændres (opret en ny sats i stedet).", "skrivebeskyttet")
    fra = _dato(d["gyldig_fra"], "gyldig_fra", f) if "gyldig_fra" in d else sats.gyldig_fra
    til = _dato(d["gyldig_til"], "gyldig_til", f, kraevet=False) if "gyldig_til" in d else sats.gyldig_til
    beloeb = _beloeb(d["beloeb"], "beloeb", f) if "beloeb" in d else sats.beloeb
    kilde = d.get("kilde", sats.kilde)
    if not isinstance(kilde, str) or not kilde.strip():
        f.add("kilde", "Kilden skal udfyldes.", "mangler")
    if fra and til and til < fra:
        f.add("gyldig_til", "Til-datoen ligger før fra-datoen.")
    f.raise_if()
    if _overlap_sats(sats.ydelsestype, sats.kategori, fra, til, exclude=sats.pk):
        raise DomainError(f"Perioden overlapper en anden sats for {sats.ydelsestype} '{sats.kategori}'.",
                          kode="overlap", felt="gyldig_fra")
    sats.gyldig_fra, sats.gyldig_til, sats.beloeb, sats.kilde = fra, til, beloeb, kilde.strip()
    try:
        with transaction.atomic():
            sats.save()
    except IntegrityError:
        raise DomainError("Perioden overlapper en anden sats.", kode="overlap", felt="gyldig_fra") from None
    return sats


# --- income ---------------------------------------------------------------------------------------------

def lukket_maaned(person_id: int, maaned: dt.date) -> bool:
    """A month is closed for a person when one of his/her effektueringer of that month is final."""
    from integrations.sf2520.models import Effektuering

    return Effektuering.objects.filter(person_id=person_id, maaned=maaned, status="endelig").exists()


@transaction.atomic
def opret_indtaegt(user, data) -> Indtaegt:
    d, f = _dict(data), Fejl()
    person = None
    try:
        cpr = normalize_cpr(d.get("person"))
    except InvalidCPR as exc:
        f.add("person", str(exc))
        cpr = None
    maaned = None
    try:
        maaned = parse_maaned(d.get("maaned"))
    except DomainError as exc:
        f.fejl.extend(exc.fejl)
    art = d.get("art")
    if art not in IndtaegtArt.values:
        f.add("art", f"Ukendt art: {art!r} (gyldige: {', '.join(IndtaegtArt.values)}).")
    beloeb = _beloeb(d.get("beloeb"), "beloeb", f)
    kilde = d.get("kilde", "")
    if not isinstance(kilde, str) or len(kilde) > 100:
        f.add("kilde", "Kilden skal være en tekst på højst 100 tegn.")
    f.raise_if()
    codes = user_kommune_codes(user)
    bev = Bevilling.objects.filter(person__cpr=cpr)
    if codes is not None:
        bev = bev.filter(kommune_id__in=codes)
    kommune_id = bev.order_by("id").values_list("kommune_id", flat=True).first()
    if kommune_id is None:
        raise DomainError("Personen har ingen bevilling i dine kommuner.", kode="ukendt", felt="person")
    person = Person.objects.get(cpr=cpr)
    if lukket_maaned(person.pk, maaned):
        raise DomainError(f"Måneden {maaned:%Y-%m} er lukket: udbetalingen er endelig.", kode="lukket",
                          felt="maaned")
    return Indtaegt.objects.create(kommune_id=kommune_id, person=person, maaned=maaned, art=art, beloeb=beloeb,
                                   kilde=kilde)


# --- sanktioner -----------------------------------------------------------------------------------------

@transaction.atomic
def opret_sanktion(user, data) -> Sanktion:
    d, f = _dict(data), Fejl()
    bevilling = None
    try:
        bevilling = Bevilling.objects.for_user(user).get(pk=int(d.get("bevilling")))
    except (TypeError, ValueError, Bevilling.DoesNotExist):
        f.add("bevilling", "Ukendt bevilling.", "ukendt")
    art = d.get("art")
    if art not in SanktionArt.values:
        f.add("art", f"Ukendt art: {art!r} (gyldige: {', '.join(SanktionArt.values)}).")
    fra = _dato(d.get("fra"), "fra", f)
    til = _dato(d.get("til"), "til", f)
    beloeb = _beloeb(d.get("beloeb"), "beloeb", f, kraevet=False)
    begrundelse = d.get("begrundelse")
    if not isinstance(begrundelse, str) or not begrundelse.strip():
        f.add("begrundelse", "Begrundelsen skal udfyldes.", "mangler")
    if fra and til and til < fra:
        f.add("til", "Til-datoen ligger før fra-datoen.")
    f.raise_if()
    if Sanktion.objects.filter(bevilling=bevilling, fra__lte=til, til__gte=fra).exists():
        raise DomainError("Sanktionen overlapper en anden sanktion på bevillingen.", kode="overlap", felt="fra")
    try:
        with transaction.atomic():
            return Sanktion.objects.create(bevilling=bevilling, kommune_id=bevilling.kommune_id, art=art, fra=fra,
                                           til=til, beloeb=beloeb, begrundelse=begrundelse.strip())
    except IntegrityError:
        raise DomainError("Sanktionen overlapper en anden sanktion på bevillingen.", kode="overlap",
                          felt="fra") from None


@transaction.atomic
def slet_sanktion(user, sanktion: Sanktion) -> None:
    if lukket_maaned(sanktion.bevilling.person_id, sanktion.fra.replace(day=1)):
        raise DomainError("Sanktionen ligger i en lukket måned og kan ikke slettes.", kode="lukket")
    sanktion.delete()


# --- the batch: dan-effektueringskladder -----------------------------------------------------------------

TMP = "ydelse_maal_tmp"


def fyld_maaned(kommune_id: int, maaned: dt.date) -> tuple[int, list[tuple[int, str]]]:
    """Compute the month of every rule-based bevilling of the kommune (no maanedligt_beloeb) with the one
    ``beregning.beregn`` and COPY the results into the temp table ``ydelse_maal_tmp`` (bevilling_id, fra,
    til, dage, beloeb, forklaring), which dan-effektueringskladder reads next to the fixed amounts. Chunked
    (flat memory). Returns (rows, [(bevilling_id, Danish message)] for bevillinger it could not compute)."""
    start, slut, _ = beregning.maaned_graenser(maaned)
    fejl: list[tuple[int, str]] = []
    n = 0
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TMP}")
        cur.execute(f"""CREATE TEMP TABLE {TMP} (bevilling_id bigint PRIMARY KEY, fra date, til date, dage int,
                        beloeb numeric(12,2), forklaring text) ON COMMIT DROP""")
        for chunk in selectors.beregn_chunks(kommune_id, maaned):  # computed first: no query during a COPY
            rows = []
            for _k, _p, g, res, exc in chunk:
                if exc is not None:
                    fejl.append((g.bevilling_id, exc.tekst))
                elif res["dage"]:
                    rows.append((g.bevilling_id, max(g.bevilget_fra, start), min(g.bevilget_til or slut, slut),
                                 res["dage"], res["beloeb"], beregning.forklaring_tekst(res)))
            with cur.copy(f"COPY {TMP} (bevilling_id, fra, til, dage, beloeb, forklaring) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            n += len(rows)
        cur.execute(f"ANALYZE {TMP}")
    return n, fejl

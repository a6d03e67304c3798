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
from ky.core.api import DomainError
from ky.core.db import copy_rows
from ky.core.scoping import user_kommune_codes


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
            copy_rows(cur, TMP, ("bevilling_id", "fra", "til", "dage", "beloeb", "forklaring"), rows, analyze=False)
            n += len(rows)
        cur.execute(f"ANALYZE {TMP}")
    return n, fejl


# --- the follow-up jobs of seed 000 ----------------------------------------------------------------------

def foedselsdato_sql(cpr: str) -> str:
    """SQL: the birth date of a CPR number (digits 1-6 and the century rule of digit 7, as cases/cpr.py)."""
    yy = f"substr({cpr}, 5, 2)::int"
    d7 = f"substr({cpr}, 7, 1)::int"
    aar = (f"(CASE WHEN {d7} <= 3 THEN 1900 WHEN {d7} IN (4, 9) THEN CASE WHEN {yy} <= 36 THEN 2000 ELSE 1900 END "
           f"ELSE CASE WHEN {yy} <= 57 THEN 2000 ELSE 1800 END END + {yy})")
    return f"make_date({aar}, substr({cpr}, 3, 2)::int, substr({cpr}, 1, 2)::int)"


def fylder_sql(foedt: str, aar: int) -> str:
    """SQL: the date one born on ``foedt`` turns ``aar`` (29 February: 1 March, as fakta.PersonFakta.fylder)."""
    return f"((({foedt}) - 1 + make_interval(years => {int(aar)}))::date + 1)"


def opret_opgaver(kommune_id: int, opgavetype: str, candidates_sql: str, params: dict, *,
                  dry_run: bool = False) -> dict:
    """cases.services.opret_batch_opgaver with a reason: ``candidates_sql`` selects kommune_id, titel, sag_id,
    person_id, frist, noegle, data, aarsag. Placed by the kommune's fordelingsnøgler or the type's default
    package; idempotent by (kommune, type, noegle)."""
    from cases.services import _counts, _sql, fordeling_lateral, standardpakke

    params = {**params, "type": opgavetype}
    if dry_run:
        row, _ = _sql(f"""WITH c AS ({candidates_sql})
            SELECT count(*), count(*) FILTER (WHERE EXISTS (
                SELECT 1 FROM cases_opgave o WHERE o.kommune_id = c.kommune_id AND o.type = %(type)s
                                              AND o.noegle = c.noegle)) FROM c""", params)
        return _counts(created=row[0] - row[1], skipped=row[1])
    params["pakke"] = standardpakke(kommune_id, opgavetype).pk
    row, _ = _sql(f"""WITH c AS ({candidates_sql}),
        ins AS (
            INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, sag_id, person_id,
                                      frist, noegle, data, oprettet)
            SELECT c.kommune_id, COALESCE(fn.opgavepakke_id, %(pakke)s), %(type)s, c.titel, 'aaben', c.aarsag,
                   c.sag_id, c.person_id, c.frist, c.noegle, c.data, now()
            FROM c
            LEFT JOIN cases_sag s ON s.id = c.sag_id
            LEFT JOIN cases_person p ON p.id = c.person_id
            {fordeling_lateral("c.kommune_id", "%(type)s", "s.ydelsestype", "s.team", "p.cpr")}
            ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO NOTHING
            RETURNING 1)
        SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM ins)""", params)
    return _counts(created=row[1], skipped=row[0] - row[1])


def naeste_maaned(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def borgers_alder(kommune_id: int, as_of: dt.date, alder: int, *, dry_run=False) -> dict:
    """#3 borgers-alder (seed 000): a task for every bevilget KTH/UDH/HTF bevilling whose borger turns
    ``alder`` (30) in the NEXT month — before the month the sats changes, frist the last day before it. The
    new sats is applied by the computation itself from the birthday (beregning.py splits the month)."""
    fd = foedselsdato_sql("p.cpr")
    start = naeste_maaned(as_of)
    candidates = f"""
        SELECT b.kommune_id, 'Borger fylder ' || %(alder)s || ' år ' || to_char(x.dag, 'DD-MM-YYYY')
                   || ': satsen ændres' AS titel,
               b.sag_id, b.person_id, (%(start)s::date - 1) AS frist,
               b.id::text || ':' || to_char(x.dag, 'YYYY-MM-DD') AS noegle,
               jsonb_build_object('bevilling', b.id, 'fylder', to_char(x.dag, 'YYYY-MM-DD'), 'alder', %(alder)s,
                                  'fast_beloeb', b.maanedligt_beloeb IS NOT NULL) AS data,
               'fylder-' || %(alder)s AS aarsag
        FROM cases_bevilling b JOIN cases_person p ON p.id = b.person_id
        CROSS JOIN LATERAL (SELECT {fylder_sql(fd, alder)} AS dag) x
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.ydelsestype IN ('KTH', 'UDH', 'HTF')
          AND x.dag >= %(start)s AND x.dag < (%(start)s::date + interval '1 month')
          AND b.bevilget_fra <= x.dag AND (b.bevilget_til IS NULL OR b.bevilget_til >= x.dag)"""
    return opret_opgaver(kommune_id, "borgers-alder", candidates,
                         {"k": kommune_id, "start": start, "alder": alder}, dry_run=dry_run)


def start_indtaegtregistrering(kommune_id: int, as_of: dt.date, frist_dag: int, *, dry_run=False) -> dict:
    """#37 (seed 000): a monthly income-registration task per borger on flekslønstilskud (a bevilget FLEKS
    bevilling paying in the month of ``as_of``), frist day ``frist_dag`` of the next month."""
    start, slut, _ = beregning.maaned_graenser(as_of)
    frist = naeste_maaned(as_of).replace(day=frist_dag)
    candidates = """
        SELECT DISTINCT ON (b.person_id) b.kommune_id,
               'Registrér indtægt for ' || to_char(%(start)s::date, 'MM-YYYY') AS titel, b.sag_id, b.person_id,
               %(frist)s::date AS frist, b.person_id::text || ':' || to_char(%(start)s::date, 'YYYY-MM') AS noegle,
               jsonb_build_object('bevilling', b.id, 'maaned', to_char(%(start)s::date, 'YYYY-MM')) AS data,
               'maanedlig-indtaegt' AS aarsag
        FROM cases_bevilling b
        WHERE b.kommune_id = %(k)s AND b.status = 'bevilget' AND b.ydelsestype = 'FLEKS'
          AND b.bevilget_fra <= %(slut)s AND (b.bevilget_til IS NULL OR b.bevilget_til >= %(start)s)
        ORDER BY b.person_id, b.id"""
    return opret_opgaver(kommune_id, "start-indtaegtregistrering", candidates,
                         {"k": kommune_id, "start": start, "slut": slut, "frist": frist}, dry_run=dry_run)


def skaerpet_sanktion_opfoelgning(kommune_id: int, as_of: dt.date, maaneder: int, frist_dage: int, *,
                                  dry_run=False) -> dict:
    """#63 (seed 000): a reminder task per skærpet rådighedssanktion in force within the last ``maaneder``
    months (periode_maaneder), frist ``frist_dage`` after the run."""
    candidates = """
        SELECT s.kommune_id, 'Opfølgning på skærpet sanktion ' || to_char(s.fra, 'DD-MM-YYYY') || ' til '
                   || to_char(s.til, 'DD-MM-YYYY') AS titel, b.sag_id, b.person_id,
               (%(d)s::date + %(frist)s::int) AS frist, s.id::text AS noegle,
               jsonb_build_object('sanktion', s.id, 'bevilling', b.id, 'begrundelse', s.begrundelse) AS data,
               'skaerpet-sanktion' AS aarsag
        FROM ydelse_sanktion s JOIN cases_bevilling b ON b.id = s.bevilling_id
        WHERE s.kommune_id = %(k)s AND s.art = 'skaerpet' AND s.fra <= %(d)s
          AND s.til >= (%(d)s::date - make_interval(months => %(m)s::int))::date"""
    return opret_opgaver(kommune_id, "skaerpetsanktion-opfoelgning", candidates,
                         {"k": kommune_id, "d": as_of, "m": maaneder, "frist": frist_dage}, dry_run=dry_run)


def beregn_loftsindplaceringer(kommune_id: int, as_of: dt.date, *, dry_run=False) -> dict:
    """#58 khl-beregn-loftsindplacering-for-kommende-maaned: for the coming month, every rule-based bevilling's
    place under kontanthjælpsloftet (its § 25 b kategori and loft, or 'ikke_omfattet' when no loft is in
    force) and its "forventet hjælpsbeløb", from the one computation. Upserted per (bevilling, måned); linked to
    the previous month's row; ``aendret`` when the kategori or loft differs from it (a first placement under a
    loft counts as a change). Per-item errors for bevillinger the rules cannot compute."""
    from cases.ydelse.models import Loftsindplacering

    maaned = naeste_maaned(as_of)
    rows, fejl = [], []
    for chunk in selectors.beregn_chunks(kommune_id, maaned):
        for kid, pid, g, res, exc in chunk:
            if exc is not None:
                fejl.append((g.bevilling_id, exc.tekst))
                continue
            if not res["dage"]:
                continue
            loft = res.get("loft")
            rows.append((g.bevilling_id, kid, pid, loft["kategori"] if loft else "ikke_omfattet",
                         loft["loft"] if loft else None,
                         loft["forventet_hjaelpsbeloeb"] if loft else _hjaelp(res),
                         (res.get("saerlig_stoette") or {}).get("beloeb", "0.00")))
    res = {"created": 0, "updated": 0, "aendret": 0, "fejl": fejl, "maaned": maaned}
    if dry_run:
        eksisterer = set(Loftsindplacering.objects.filter(kommune_id=kommune_id, maaned=maaned)
                         .values_list("bevilling_id", flat=True))
        res["created"] = sum(1 for r in rows if r[0] not in eksisterer)
        res["updated"] = len(rows) - res["created"]
        return res
    tbl = Loftsindplacering._meta.db_table
    with connection.cursor() as cur:
        cur.execute("""CREATE TEMP TABLE ydelse_loft_tmp (bevilling_id bigint, kommune_id int, person_id bigint,
                       kategori text, loft numeric(12,2), forventet numeric(12,2), saes numeric(12,2))
                       ON COMMIT DROP""")
        copy_rows(cur, "ydelse_loft_tmp", ("bevilling_id", "kommune_id", "person_id", "kategori", "loft", "forventet",
                                           "saes"), rows)
        cur.execute(f"""
            WITH t AS (
                SELECT t.*, f.id AS forrige_id, f.kategori AS f_kategori, f.loft AS f_loft
                FROM ydelse_loft_tmp t
                LEFT JOIN LATERAL (SELECT id, kategori, loft FROM {tbl} x WHERE x.bevilling_id = t.bevilling_id
                                   AND x.maaned < %(m)s ORDER BY x.maaned DESC LIMIT 1) f ON true
            )
            INSERT INTO {tbl} (bevilling_id, kommune_id, person_id, maaned, kategori, loft, forventet_hjaelpsbeloeb,
                               saerlig_stoette, forrige_id, aendret, oprettet)
            SELECT bevilling_id, kommune_id, person_id, %(m)s, kategori, loft, forventet, saes, forrige_id,
                   CASE WHEN forrige_id IS NULL THEN kategori <> 'ikke_omfattet'
                        ELSE (kategori, loft) IS DISTINCT FROM (f_kategori, f_loft) END, now()
            FROM t
            ON CONFLICT (bevilling_id, maaned) DO UPDATE SET
                kategori = EXCLUDED.kategori, loft = EXCLUDED.loft,
                forventet_hjaelpsbeloeb = EXCLUDED.forventet_hjaelpsbeloeb, saerlig_stoette = EXCLUDED.saerlig_stoette,
                forrige_id = EXCLUDED.forrige_id, aendret = EXCLUDED.aendret
            RETURNING (xmax = 0) AS ny, aendret""", {"m": maaned})
        out = cur.fetchall()
        cur.execute("DROP TABLE ydelse_loft_tmp")
    res["created"] = sum(1 for ny, _a in out if ny)
    res["updated"] = len(out) - res["created"]
    res["aendret"] = sum(1 for _n, a in out if a)
    return res


def _hjaelp(res: dict) -> str:
    """The 'Hjælp efter fradrag og sanktioner' figure of a result (the forventet hjælpsbeløb)."""
    for t in res["forklaring"]:
        if t["regel"] == "Hjælp efter fradrag og sanktioner":
            return t["beloeb"]
    return res["beloeb"]


def dan_loftsinformation(kommune_id: int, as_of: dt.date, *, dry_run=False) -> int:
    """#64 dan-loftsinformation: one Loftsinformation per loftsindplacering that differs from the previous
    month's in kategori, loft, forventet hjælpsbeløb or særlig støtte (or has none before), not yet collected.
    Set-based INSERT ... SELECT ... ON CONFLICT DO NOTHING."""
    from cases.ydelse.models import Loftsindplacering, Loftsinformation

    li, info = Loftsindplacering._meta.db_table, Loftsinformation._meta.db_table
    where = f"""FROM {li} l LEFT JOIN {li} f ON f.id = l.forrige_id
        WHERE l.kommune_id = %(k)s
          AND (f.id IS NULL OR (l.kategori, l.loft, l.forventet_hjaelpsbeloeb, l.saerlig_stoette)
               IS DISTINCT FROM (f.kategori, f.loft, f.forventet_hjaelpsbeloeb, f.saerlig_stoette))
          AND NOT EXISTS (SELECT 1 FROM {info} i WHERE i.loftsindplacering_id = l.id)"""
    with connection.cursor() as cur:
        if dry_run:
            cur.execute(f"SELECT count(*) {where}", {"k": kommune_id})
            return cur.fetchone()[0]
        cur.execute(f"""INSERT INTO {info} (loftsindplacering_id, kommune_id, dannet_dato)
                        SELECT l.id, l.kommune_id, %(d)s {where}
                        ON CONFLICT (loftsindplacering_id) DO NOTHING""", {"k": kommune_id, "d": as_of})
        return cur.rowcount


def dan_saes_anvisninger(kommune_id: int, as_of: dt.date, *, dry_run=False) -> dict:
    """#69 dan-saes-anvisninger: the coming month's særlig støtte (§ 34) per bevilling with a grant, after the
    loft while it is in force, from the one computation (its forklaring kept). Upserted per (bevilling, måned)."""
    from cases.ydelse.models import SaerligStoette, SaesAnvisning

    maaned = naeste_maaned(as_of)
    start, slut, _ = beregning.maaned_graenser(maaned)
    ids = list(SaerligStoette.objects.filter(kommune_id=kommune_id, fra__lte=slut).exclude(til__lt=start)
               .values_list("bevilling_id", flat=True).distinct())
    nye, fejl = [], []
    for chunk in selectors.beregn_chunks(kommune_id, maaned, bevilling_ids=ids, kun_regel=False):
        for kid, _pid, g, res, exc in chunk:
            if exc is not None:
                fejl.append((g.bevilling_id, exc.tekst))
            elif res.get("saerlig_stoette"):
                s = res["saerlig_stoette"]
                steps = [t for t in res["forklaring"] if t["regel"].startswith(("Kontanthjælpsloft", "Særlig"))]
                nye.append(SaesAnvisning(bevilling_id=g.bevilling_id, kommune_id=kid, maaned=maaned,
                                         bevilget=Decimal(s["bevilget"]), beloeb=Decimal(s["beloeb"]),
                                         forklaring=steps))
    res = {"created": 0, "updated": 0, "fejl": fejl, "maaned": maaned}
    findes = set(SaesAnvisning.objects.filter(kommune_id=kommune_id, maaned=maaned)
                 .values_list("bevilling_id", flat=True))
    res["created"] = sum(1 for a in nye if a.bevilling_id not in findes)
    res["updated"] = len(nye) - res["created"]
    if not dry_run and nye:
        SaesAnvisning.objects.bulk_create(nye, update_conflicts=True, unique_fields=["bevilling", "maaned"],
                                          update_fields=["bevilget", "beloeb", "forklaring"])
    return res


KATEGORI_TEKST = {"ikke_omfattet": "Du er ikke omfattet af kontanthjælpsloftet"}


def _kategori_tekst(kat: str) -> str:
    if kat in KATEGORI_TEKST:
        return KATEGORI_TEKST[kat]
    parts = kat.split("_")  # loft_25b1_enlig_forsoerger_1
    civil = "gift/samlevende" if "gift" in parts else "enlig"
    if "ikke" in parts:
        return f"{civil}, ikke forsørger (LAS § 25 b, stk. {parts[1][-1]})"
    n = parts[-1]
    return f"{civil}, forsørger, {'1 barn' if n == '1' else '2 eller flere børn'} (LAS § 25 b, stk. {parts[1][-1]})"


def send_afgoerelsesbreve(kommune_id: int, as_of: dt.date, *, koersel=None, dry_run=False) -> dict:
    """#57 khl-send-afgoerelsesbrev: a letter whenever a borger's loftsindplacering changes (``aendret``),
    once per loftsindplacering: an Afgoerelsesbrev row, rendered through the document platform (breve,
    issue 16) when it is installed, else kept as ``afventer_brevplatform``."""
    from django.apps import apps

    from cases.ydelse.models import Afgoerelsesbrev, Loftsindplacering

    qs = (Loftsindplacering.objects.filter(kommune_id=kommune_id, aendret=True, brev__isnull=True)
          .select_related("person", "bevilling", "forrige").order_by("id"))
    rows = list(qs)
    res = {"created": len(rows), "klar": 0, "fejlet": 0, "afventer": 0}
    if dry_run or not rows:
        return res
    breve = []
    for li in rows:
        data = {"maaned": li.maaned.isoformat(), "kategori": li.kategori, "kategori_tekst": _kategori_tekst(li.kategori),
                "loft": str(li.loft) if li.loft is not None else "", "forventet_hjaelpsbeloeb": str(li.forventet_hjaelpsbeloeb),
                "forrige_kategori_tekst": _kategori_tekst(li.forrige.kategori) if li.forrige else ""}
        breve.append((li, data))
    brevmap = {}
    if apps.is_installed("cases.breve"):
        from cases.breve import services as brevservice

        r = brevservice.opret_breve([brevservice.NytBrev(
            type="khl-afgoerelsesbrev", kommune_id=kommune_id, data=data, sag_id=li.bevilling.sag_id,
            cpr=li.person.cpr, noegle=f"loft:{li.pk}") for li, data in breve], koersel=koersel, as_of=as_of)
        brevmap = {b.noegle: b for b in r.breve}
    out = []
    for li, data in breve:
        b = brevmap.get(f"loft:{li.pk}")
        status = b.status if b is not None else "afventer_brevplatform"
        res["klar" if status == "klar" else "fejlet" if status == "fejlet" else "afventer"] += 1
        out.append(Afgoerelsesbrev(loftsindplacering=li, kommune_id=kommune_id, person_id=li.person_id,
                                   titel="Afgørelse om kontanthjælpsloftet",
                                   tekst=f"{data['kategori_tekst']} fra {li.maaned:%m-%Y}; forventet hjælp "
                                         f"{data['forventet_hjaelpsbeloeb']} kr.", status=status,
                                   brev_id=b.pk if b is not None else None))
    Afgoerelsesbrev.objects.bulk_create(out, ignore_conflicts=True)
    return res

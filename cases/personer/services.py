"""Writes of the person register: CPR events (contract personer.md) and their consequences.

``modtag_haendelser(raw, kilde)`` is the one entry for a batch of events (API and the cpr-haendelse job):
validated whole (a bad or contradicting event refuses the whole batch, naming the event; nothing stored),
then applied set-based through a temporary table: events for a CPR without a subscription are skipped and
counted, a known ``haendelse_id`` is skipped (idempotent), the register is updated (last event per field
wins, older-than-register events do not overwrite), every change is written to the history, and the
consequences follow (docs/personer.md, "What an event sets in motion")."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db import connection, transaction

from ky.core.api import DomainError

from .models import Civilstand, HaendelseType, RelationType

OPGAVETYPE = "cpr-haendelse"
TYPER = set(HaendelseType.values)
STATUS_TYPER = ("doed", "udrejst", "indrejst", "forsvundet", "ny_cpr")
STOP_TYPER = ("doed", "udrejst", "forsvundet")  # payments after the date stop, caseworker gets a task
ADRESSE_FELTER = ("vejnavn", "husnr", "etage", "side", "postnr", "by", "kommunekode", "vejkode", "co")
_TEKST_MAKS = {"vejnavn": 40, "husnr": 4, "etage": 2, "side": 4, "by": 40, "co": 60}
_TAL = {"postnr": (1, 9999), "kommunekode": (1, 999), "vejkode": (1, 9999)}
_LAND = re.compile(r"^[A-Z]{2}$")
_CPR = re.compile(r"^\d{6}-?\d{4}$")

AARSAGER = {
    "doed": "Borgeren er død (CPR)",
    "udrejst": "Borgeren er udrejst (CPR)",
    "forsvundet": "Borgeren er forsvundet (CPR)",
    "fraflyttet": "Borgeren er flyttet til en anden kommune (CPR)",
    "forsoerger": "Forsørgerstatus ændret (CPR-relation)",
    "ny_cpr": "Nyt CPR-nummer: kontrollér sagen",
}


# --- validation --------------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _cpr_foedt(digits: str) -> dt.date | None:
    """Birth date of a CPR (10 digits), None when invalid: a real date by the century rule of the 7th digit
    (as cases.cpr / python-stdnum: 0-3 1900s; 4, 9 2000-2036 else 1900s; 5-8 2000-2057 else 1800s). Done by
    hand because it runs once per event (stdnum's validation costs ~100 µs)."""
    if len(digits) != 10 or not digits.isdigit():
        return None
    yy, s7 = int(digits[4:6]), digits[6]
    if s7 in "0123":
        century = 1900
    elif s7 in "49":
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return dt.date(century + yy, int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None


def _dato(v) -> dt.date | None:
    if not isinstance(v, str) or len(v) != 10:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        return None


def _cpr_af(v) -> tuple[str | None, dt.date | None]:
    if not isinstance(v, str) or not _CPR.match(v.strip()):
        return None, None
    d = v.strip().replace("-", "")
    foedt = _cpr_foedt(d)
    return (d, foedt) if foedt else (None, None)


def valider_haendelser(raw) -> list[tuple]:
    """The batch as rows (ord, haendelse_id, cpr, type, dato, data, foedt), or DomainError naming every
    bad event (kode ``ugyldig``) and every contradiction with the CPR facts (kode ``modstrid``)."""
    if not isinstance(raw, list):
        raise DomainError("Angiv en liste af hændelser.", "ugyldig", None)
    fejl: list[dict] = []
    rows: list[tuple] = []
    seen: set[str] = set()

    def bad(i, felt, tekst, kode="ugyldig"):
        fejl.append({"felt": f"[{i}]" + (f".{felt}" if felt else ""), "kode": kode, "tekst": tekst})

    for i, ev in enumerate(raw):
        if len(fejl) > 100:
            break
        if not isinstance(ev, dict):
            bad(i, None, "Hændelsen skal være et objekt.")
            continue
        hid = ev.get("haendelse_id")
        if not isinstance(hid, str) or not hid.strip() or len(hid) > 64:
            bad(i, "haendelse_id", "haendelse_id skal være tekst på 1–64 tegn.")
            continue
        hid = hid.strip()
        navn = f"Hændelse {hid}"
        if hid in seen:
            bad(i, "haendelse_id", f"{navn} står flere gange i samme levering.")
            continue
        seen.add(hid)
        cpr, foedt = _cpr_af(ev.get("cpr"))
        if cpr is None:
            bad(i, "cpr", f"{navn}: ugyldigt CPR-nummer.")
        typ = ev.get("type")
        if typ not in TYPER:
            bad(i, "type", f"{navn}: ukendt type {typ!r} (tilladt: {', '.join(sorted(TYPER))}).")
        dato = _dato(ev.get("dato"))
        if dato is None:
            bad(i, "dato", f"{navn}: dato skal være en gyldig dato (ÅÅÅÅ-MM-DD).")
        data = ev.get("data", {})
        if data is None:
            data = {}
        if not isinstance(data, dict):
            bad(i, "data", f"{navn}: data skal være et objekt.")
            continue
        if cpr is None or typ not in TYPER or dato is None:
            continue
        if dato < foedt:
            bad(i, "dato", f"{navn} ({typ}) er dateret {dato} – før borgerens fødsel {foedt}.", "modstrid")
            continue
        clean = _valider_data(i, navn, typ, cpr, foedt, dato, data, bad)
        if clean is not None:
            rows.append((i, hid, cpr, typ, dato, clean, foedt))
    if fejl:
        raise DomainError.many(fejl)
    return rows


def _valider_data(i, navn, typ, cpr, foedt, dato, data, bad) -> dict | None:
    n_fejl = [0]

    def err(felt, tekst, kode="ugyldig"):
        n_fejl[0] += 1
        bad(i, f"data.{felt}", f"{navn}: {tekst}", kode)

    out: dict = {}
    if typ == "navn":
        v = data.get("navn")
        if not isinstance(v, str) or not v.strip() or len(v) > 200:
            err("navn", "navn skal være tekst på 1–200 tegn.")
        else:
            out["navn"] = v.strip()
    elif typ == "adresse":
        ukendte = set(data) - set(ADRESSE_FELTER)
        if ukendte:
            err("", f"ukendte adressefelter: {', '.join(sorted(ukendte))}.")
        for f, maks in _TEKST_MAKS.items():
            v = data.get(f)
            if v in (None, ""):
                out[f] = ""
            elif not isinstance(v, str) or len(v.strip()) > maks:
                err(f, f"{f} skal være tekst på højst {maks} tegn.")
            else:
                out[f] = v.strip()
        for f, (lo, hi) in _TAL.items():
            v = data.get(f)
            if v is None:
                out[f] = None
            elif isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                err(f, f"{f} skal være et heltal {lo}–{hi} eller null.")
            else:
                out[f] = v
        if out.get("vejkode") is not None and out.get("kommunekode") is None:
            err("vejkode", "vejkode kræver kommunekode (vejkoden gælder i kommunen).")
    elif typ == "civilstand":
        v = data.get("civilstand")
        if v not in Civilstand.values:
            err("civilstand", f"civilstand skal være en af {', '.join(Civilstand.values)}.")
        else:
            out["civilstand"] = v
    elif typ == "relation":
        rtype = data.get("type")
        if rtype not in RelationType.values:
            err("type", f"relationstype skal være en af {', '.join(RelationType.values)}.")
        rcpr, rfoedt = _cpr_af(data.get("cpr"))
        if rcpr is None:
            err("cpr", "relationens CPR-nummer er ugyldigt.")
        ophoert = data.get("ophoert", False)
        if not isinstance(ophoert, bool):
            err("ophoert", "ophoert skal være sand/falsk.")
        if n_fejl[0]:
            return None
        if rcpr == cpr:
            err("cpr", "en relation til borgeren selv er i modstrid med CPR.", "modstrid")
        elif rtype == "barn" and rfoedt < foedt:
            err("cpr", f"barnet ({rfoedt}) er født før forælderen ({foedt}).", "modstrid")
        elif rtype == "forælder" and rfoedt > foedt:
            err("cpr", f"forælderen ({rfoedt}) er født efter barnet ({foedt}).", "modstrid")
        out = {"type": rtype, "cpr": rcpr, "ophoert": ophoert}
    elif typ in ("udrejst", "indrejst"):
        v = data.get("land", "ZZ" if typ == "udrejst" else "DK")
        if not isinstance(v, str) or not _LAND.match(v.upper()):
            err("land", "land skal være en landekode på 2 bogstaver (ISO 3166).")
        else:
            out["land"] = v.upper()
        if typ == "udrejst" and out.get("land") == "DK":
            err("land", "udrejst til Danmark er i modstrid med sig selv.", "modstrid")
    elif typ == "ny_cpr":
        ny, _ = _cpr_af(data.get("ny_cpr"))
        if ny is None:
            err("ny_cpr", "det nye CPR-nummer er ugyldigt.")
        elif ny == cpr:
            err("ny_cpr", "det nye CPR-nummer er det samme som det gamle.", "modstrid")
        else:
            out["ny_cpr"] = ny
        aarsag = data.get("aarsag", "")
        if aarsag not in ("", "dobbelt"):
            err("aarsag", "aarsag skal være tom eller 'dobbelt' (tidligere dobbeltnummer).")
        elif aarsag:
            out["aarsag"] = aarsag
    elif typ == "ophold":
        fra = _dato(data.get("fra")) if data.get("fra") is not None else dato
        til = _dato(data.get("til")) if data.get("til") is not None else None
        land = data.get("land")
        if fra is None:
            err("fra", "fra skal være en gyldig dato.")
        if data.get("til") is not None and til is None:
            err("til", "til skal være en gyldig dato eller null.")
        if not isinstance(land, str) or not _LAND.match(land.upper()):
            err("land", "land skal være en landekode på 2 bogstaver (ISO 3166).")
        if n_fejl[0]:
            return None
        if til is not None and til < fra:
            err("til", f"opholdet slutter ({til}) før det begynder ({fra}).", "modstrid")
        elif fra < foedt:
            err("fra", f"opholdet begynder ({fra}) før borgerens fødsel ({foedt}).", "modstrid")
        out = {"fra": fra.isoformat(), "til": til.isoformat() if til else None, "land": land.upper()}
    return None if n_fejl[0] else out


# --- applying ------------------------------------------------------------------------------------------

_TMP = "personer_ph"


def _copy_text(v) -> str:
    if v is None:
        return r"\N"
    if isinstance(v, dict):
        v = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    s = str(v)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return s


def _load(cur, rows: list[tuple]) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {_TMP}")
    cur.execute(f"""CREATE TEMP TABLE {_TMP} (
        ord integer, haendelse_id text, cpr text, type text, dato date, data jsonb, foedt date,
        person_id bigint, rk integer, gl_kk integer)""")
    with cur.cursor.copy(f"COPY {_TMP} (ord, haendelse_id, cpr, type, dato, data, foedt) FROM STDIN") as cp:
        buf, size = [], 0
        for r in rows:
            line = "\t".join(_copy_text(v) for v in r) + "\n"
            buf.append(line)
            size += len(line)
            if size > 1 << 20:
                cp.write("".join(buf).encode())
                buf, size = [], 0
        if buf:
            cp.write("".join(buf).encode())


def _one(cur, sql, params=None):
    cur.execute(sql, params or {})
    return cur.fetchone()


def _adr_text(get) -> str:
    """SQL text of an address (history); ``get(f)`` gives the SQL of field f as text."""
    return ("concat_ws(' ', nullif(concat_ws(' ', " + ", ".join(get(f) for f in ("vejnavn", "husnr", "etage", "side"))
            + "), ''), nullif(concat_ws(' ', " + get("postnr") + ", " + get("by") + "), ''), "
            + "'(kommune ' || coalesce(" + get("kommunekode") + ", '–') || ', vejkode ' || coalesce("
            + get("vejkode") + ", '–') || ')', nullif('c/o ' || " + get("co") + ", 'c/o '))")


def modtag_haendelser(raw, *, kilde: str = "api", bruger=None, as_of: dt.date | None = None) -> dict:
    """Validate and apply a batch of CPR events, all or nothing (see the module docstring). Returns counts
    {modtaget, behandlet, allerede_kendt, uden_abonnement, opgaver, advis, stoppede_bevillinger, krav, ...}."""
    rows = valider_haendelser(raw)
    return anvend(rows, kilde=kilde, bruger=bruger, as_of=as_of, modtaget=len(raw))


@transaction.atomic
def anvend(rows: list[tuple], *, kilde: str, bruger=None, as_of: dt.date | None = None,
           modtaget: int | None = None) -> dict:
    from django.utils import timezone

    as_of = as_of or timezone.localdate()
    res = {"modtaget": len(rows) if modtaget is None else modtaget, "behandlet": 0, "allerede_kendt": 0,
           "uden_abonnement": 0, "opgaver": 0, "advis": 0, "stoppede_bevillinger": 0, "krav": 0,
           "historik": 0, "ny_cpr_flyttet": 0}
    if not rows:
        return res
    with connection.cursor() as cur:
        _load(cur, rows)
        cur.execute(f"CREATE INDEX ON {_TMP} (cpr)")
        cur.execute(f"ANALYZE {_TMP}")
        # subscribed persons only (personer.md: events for a CPR without a subscription are not stored)
        cur.execute(f"""UPDATE {_TMP} h SET person_id = p.id FROM cases_person p
                        WHERE p.cpr = h.cpr AND EXISTS (SELECT 1 FROM cases_abonnement a
                                                        WHERE a.person_id = p.id AND a.type = 'cpr')""")
        cur.execute(f"DELETE FROM {_TMP} WHERE person_id IS NULL")
        res["uden_abonnement"] = cur.rowcount
        cur.execute(f"DELETE FROM {_TMP} h USING personer_cprhaendelse k WHERE k.haendelse_id = h.haendelse_id")
        res["allerede_kendt"] = cur.rowcount
        n = _one(cur, f"SELECT count(*) FROM {_TMP}")[0]
        res["behandlet"] = n
        if not n:
            return res
        cur.execute(f"CREATE INDEX ON {_TMP} (person_id)")
        cur.execute(f"ANALYZE {_TMP}")
        _modstrid(cur)
        # the rank of an event among its person's events of the same kind (by date, then batch order)
        cur.execute(f"""UPDATE {_TMP} h SET rk = x.rk FROM (
                          SELECT ord, row_number() OVER (PARTITION BY person_id,
                                 CASE WHEN type IN ('udrejst', 'indrejst') THEN 'graense' ELSE type END
                                 ORDER BY dato, ord) AS rk FROM {_TMP}) x WHERE x.ord = h.ord""")
        cur.execute(f"""INSERT INTO personer_stamdata (person_id, foedselsdato, vejnavn, husnr, etage, side, postnr,
                            by, kommunekode, vejkode, co, adresse_fra, civilstand, civilstand_dato, statsborgerskab,
                            status, status_dato, ny_cpr, digital_post_fritaget, aendret)
                        SELECT DISTINCT ON (person_id) person_id, foedt, '', '', '', '', NULL, '', NULL, NULL, '',
                               NULL, '', NULL, 'DK', 'aktiv', NULL, NULL, false, now()
                        FROM {_TMP} ORDER BY person_id
                        ON CONFLICT (person_id) DO NOTHING""")
        # the bopælskommune before each address event (for advis 625/607 and the fraflytning task)
        cur.execute(f"""UPDATE {_TMP} h SET gl_kk = CASE WHEN x.rk = 1 THEN s.kommunekode ELSE x.forrige END
                        FROM (SELECT ord, person_id, rk, lag((data->>'kommunekode')::int) OVER (
                                     PARTITION BY person_id ORDER BY dato, ord) AS forrige
                              FROM {_TMP} WHERE type = 'adresse') x
                        JOIN personer_stamdata s ON s.person_id = x.person_id
                        WHERE h.ord = x.ord""")
        forsoerger_foer = _forsoergere(cur, as_of)
        res["historik"] = _anvend_register(cur, kilde, bruger)
        cur.execute(f"""INSERT INTO personer_cprhaendelse (haendelse_id, cpr, type, dato, data, kilde, modtaget)
                        SELECT haendelse_id, cpr, type, dato, data, %(kilde)s, now() FROM {_TMP} ORDER BY ord""",
                    {"kilde": kilde[:120]})
        # consequences
        from . import konsekvenser

        res.update(konsekvenser.anvend(cur, as_of, forsoerger_foer, res))
    return res


def _modstrid(cur) -> None:
    """Contradictions only the register can see: a second, different date of death; a new number for a
    number already replaced by another. Refuse the whole batch naming the event."""
    cur.execute(f"""
        SELECT h.ord, h.haendelse_id, h.type, CASE
                 WHEN h.type = 'doed' AND s.status = 'doed' AND s.status_dato <> h.dato
                   THEN 'borgeren er allerede registreret død ' || s.status_dato
                 WHEN h.type = 'doed' AND h.mn <> h.mx THEN 'leveringen har to forskellige dødsdatoer for borgeren'
                 WHEN h.type = 'ny_cpr' AND s.status = 'ny_cpr' AND s.ny_cpr <> h.data->>'ny_cpr'
                   THEN 'borgeren har allerede fået nyt CPR-nummer ' || s.ny_cpr
               END
        FROM (SELECT ord, haendelse_id, type, person_id, dato, data,
                     min(dato) FILTER (WHERE type = 'doed') OVER (PARTITION BY person_id) AS mn,
                     max(dato) FILTER (WHERE type = 'doed') OVER (PARTITION BY person_id) AS mx
              FROM {_TMP} WHERE type IN ('doed', 'ny_cpr')) h
        LEFT JOIN personer_stamdata s ON s.person_id = h.person_id ORDER BY h.ord""")
    fejl = [{"felt": f"[{o}]", "kode": "modstrid", "tekst": f"Hændelse {hid} ({t}) er i modstrid med registeret: {why}."}
            for o, hid, t, why in cur.fetchall() if why]
    if fejl:
        raise DomainError.many(fejl)


def _forsoergere(cur, as_of: dt.date) -> dict[int, bool]:
    """For persons with a barn relation event in the batch: forsørger (a child under 18 by the open barn
    relations) on the event's date — called before and after applying (the difference gives a task)."""
    cur.execute(f"""
        SELECT h.person_id, bool_or(r.id IS NOT NULL)
        FROM (SELECT DISTINCT person_id, max(dato) OVER (PARTITION BY person_id) AS dato FROM {_TMP}
              WHERE type = 'relation' AND data->>'type' = 'barn') h
        LEFT JOIN personer_relation r ON r.person_id = h.person_id AND r.type = 'barn' AND r.til IS NULL
             AND personer_foedt(r.cpr) > (h.dato - interval '18 years')::date AND personer_foedt(r.cpr) <= h.dato
        GROUP BY h.person_id""")
    return dict(cur.fetchall())


def _historik(cur, felt: str, types: tuple, ny: str, gammel: str, join: str, kilde: str, bruger_id) -> int:
    """History rows of one field: the first event's old value is the register's, later ones' the previous
    event's (lag); only real changes are written."""
    cur.execute(f"""
        INSERT INTO personer_historik (person_id, felt, gammel, ny, dato, tidspunkt, kilde, haendelse_id, bruger_id)
        SELECT person_id, %(felt)s, coalesce(gl, ''), coalesce(ny, ''), dato, now(),
               %(kilde)s || ' ' || haendelse_id, haendelse_id, %(bruger)s
        FROM (SELECT h.person_id, h.dato, h.haendelse_id, {ny} AS ny,
                     CASE WHEN row_number() OVER w = 1 THEN {gammel} ELSE lag({ny}) OVER w END AS gl
              FROM {_TMP} h {join} WHERE h.type = ANY(%(types)s)
              WINDOW w AS (PARTITION BY h.person_id ORDER BY h.dato, h.ord)) x
        WHERE gl IS DISTINCT FROM ny""", {"felt": felt, "types": list(types), "kilde": kilde[:60],
                                          "bruger": bruger_id})
    return cur.rowcount


def _sidste(types: str) -> str:
    return (f"(SELECT DISTINCT ON (person_id) * FROM {_TMP} WHERE type IN ({types}) "
            "ORDER BY person_id, dato DESC, ord DESC)")


def _anvend_register(cur, kilde: str, bruger) -> int:
    bid = getattr(bruger, "pk", None)
    kilde = f"CPR-hændelse ({kilde})"
    stam = "JOIN personer_stamdata s ON s.person_id = h.person_id"
    n = 0
    # navn (cases.Person.navn)
    n += _historik(cur, "navn", ("navn",), "h.data->>'navn'", "p.navn", "JOIN cases_person p ON p.id = h.person_id",
                   kilde, bid)
    cur.execute(f"""UPDATE cases_person p SET navn = x.data->>'navn', aendret = now() FROM {_sidste("'navn'")} x
                    WHERE p.id = x.person_id AND p.navn IS DISTINCT FROM x.data->>'navn'""")
    # adresse
    n += _historik(cur, "adresse", ("adresse",), _adr_text(lambda f: f"(h.data->>'{f}')"),
                   _adr_text(lambda f: f"(s.{f})::text"), stam, kilde, bid)
    sets = ", ".join(f"{f} = coalesce(x.data->>'{f}', '')" for f in _TEKST_MAKS) + ", " + ", ".join(
        f"{f} = (x.data->>'{f}')::int" for f in _TAL)
    cur.execute(f"""UPDATE personer_stamdata s SET {sets}, adresse_fra = x.dato, aendret = now()
                    FROM {_sidste("'adresse'")} x
                    WHERE s.person_id = x.person_id AND (s.adresse_fra IS NULL OR s.adresse_fra <= x.dato)""")
    # civilstand
    n += _historik(cur, "civilstand", ("civilstand",), "h.data->>'civilstand'", "s.civilstand", stam, kilde, bid)
    cur.execute(f"""UPDATE personer_stamdata s SET civilstand = x.data->>'civilstand', civilstand_dato = x.dato,
                           aendret = now() FROM {_sidste("'civilstand'")} x
                    WHERE s.person_id = x.person_id AND (s.civilstand_dato IS NULL OR s.civilstand_dato <= x.dato)""")
    # status (doed, udrejst, indrejst -> aktiv, forsvundet, ny_cpr)
    st_types = ", ".join(f"'{t}'" for t in STATUS_TYPER)
    ny_status = "CASE h.type WHEN 'indrejst' THEN 'aktiv' ELSE h.type END"
    n += _historik(cur, "status", STATUS_TYPER, f"{ny_status} || ' ' || h.dato", "s.status || coalesce(' ' || s.status_dato, '')",
                   stam, kilde, bid)
    cur.execute(f"""UPDATE personer_stamdata s SET status = CASE x.type WHEN 'indrejst' THEN 'aktiv' ELSE x.type END,
                           status_dato = x.dato, ny_cpr = CASE WHEN x.type = 'ny_cpr' THEN x.data->>'ny_cpr' END,
                           aendret = now()
                    FROM {_sidste(st_types)} x
                    WHERE s.person_id = x.person_id AND (s.status_dato IS NULL OR s.status_dato <= x.dato)""")
    # relationer: the last event per (person, type, cpr) decides
    n += _historik(cur, "relation", ("relation",),
                   "CASE WHEN (h.data->>'ophoert')::bool THEN '' ELSE (h.data->>'type') || ' ' || (h.data->>'cpr') END",
                   "(SELECT r.type || ' ' || r.cpr FROM personer_relation r WHERE r.person_id = h.person_id "
                   "AND r.type = h.data->>'type' AND r.cpr = h.data->>'cpr' AND r.til IS NULL LIMIT 1)", "", kilde, bid)
    sidste_rel = (f"(SELECT DISTINCT ON (person_id, data->>'type', data->>'cpr') person_id, dato, data->>'type' AS rt, "
                  f"data->>'cpr' AS rc, (data->>'ophoert')::bool AS slut FROM {_TMP} WHERE type = 'relation' "
                  "ORDER BY person_id, data->>'type', data->>'cpr', dato DESC, ord DESC)")
    cur.execute(f"""UPDATE personer_relation r SET til = greatest(x.dato, r.fra) FROM {sidste_rel} x
                    WHERE x.slut AND r.person_id = x.person_id AND r.type = x.rt AND r.cpr = x.rc AND r.til IS NULL""")
    cur.execute(f"""INSERT INTO personer_relation (person_id, type, cpr, fra, til)
                    SELECT person_id, rt, rc, dato, NULL FROM {sidste_rel} x WHERE NOT x.slut
                    ON CONFLICT (person_id, type, cpr) WHERE til IS NULL DO NOTHING""")
    # ophold: explicit periods
    n += _historik(cur, "ophold", ("ophold",),
                   "(h.data->>'land') || ' ' || (h.data->>'fra') || ' – ' || coalesce(h.data->>'til', '')", "''", "",
                   kilde, bid)
    cur.execute(f"""INSERT INTO personer_ophold (person_id, fra, til, land)
                    SELECT DISTINCT ON (person_id, data->>'fra', data->>'land') person_id, (data->>'fra')::date,
                           (data->>'til')::date, data->>'land'
                    FROM {_TMP} WHERE type = 'ophold'
                    ORDER BY person_id, data->>'fra', data->>'land', dato DESC, ord DESC
                    ON CONFLICT (person_id, fra, land) DO UPDATE SET til = EXCLUDED.til""")
    # ophold: crossing the border (udrejst/indrejst) closes the open period and opens one in the new land,
    # round by round (a person's second crossing in the same batch after its first)
    runder = _one(cur, f"SELECT coalesce(max(rk), 0) FROM {_TMP} WHERE type IN ('udrejst', 'indrejst')")[0]
    for rk in range(1, runder + 1):
        p = {"rk": rk}
        cur.execute(f"""UPDATE personer_ophold o SET til = greatest(h.dato - 1, o.fra) FROM {_TMP} h
                        WHERE h.type IN ('udrejst', 'indrejst') AND h.rk = %(rk)s AND o.person_id = h.person_id
                          AND o.til IS NULL AND o.fra <= h.dato""", p)
        cur.execute(f"""INSERT INTO personer_ophold (person_id, fra, til, land)
                        SELECT person_id, dato, NULL, data->>'land' FROM {_TMP}
                        WHERE type IN ('udrejst', 'indrejst') AND rk = %(rk)s
                        ON CONFLICT (person_id, fra, land) DO UPDATE SET til = NULL""", p)
    return n


# --- subscriptions ---------------------------------------------------------------------------------------

def abonner(kommune_id: int, cprs, navne: dict | None = None) -> int:
    """Make sure the kommune follows these CPRs (cases.Person + cases.Abonnement type cpr), in bulk; returns
    the number of new subscriptions. Invalid CPRs are ignored."""
    from cases.models import Abonnement, Person

    navne = navne or {}
    gyldige = sorted({c for c in cprs if _cpr_foedt(c)})
    if not gyldige:
        return 0
    Person.objects.bulk_create([Person(cpr=c, navn=navne.get(c, "")) for c in gyldige], ignore_conflicts=True,
                               batch_size=5000)
    ids = list(Person.objects.filter(cpr__in=gyldige).values_list("id", flat=True))
    before = Abonnement.objects.filter(kommune_id=kommune_id, type="cpr", person_id__in=ids).count()
    Abonnement.objects.bulk_create([Abonnement(kommune_id=kommune_id, person_id=i, type="cpr") for i in ids],
                                   ignore_conflicts=True, batch_size=5000)
    return len(ids) - before


def kr(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

"""Import of the KMD Aktiv debitorkonto file (contract formats/kmd-aktiv-debitorkonti.md, mi32.md, seed 002).

Streaming and set-based: Python only checks the header and passes the file's bytes through (CRLF and
a lone CR made LF, BOM dropped, SHA-256 computed on the way) to one COPY into a TEMP table of raw
lines numbered as in the file. Everything else is SQL on that table: splitting into fields (quoted
fields too; a broken quote rejects only its line), every row rule of the format with line, field and
Danish message, duplicate fordring_id, debitorkonti whose lines disagree, the upserts of personer,
debitorkonti and fordringer, and the routing of each debitorkonto (sagstilknytning / sagsoprettelse /
manual MI 32 task). PostgreSQL checks the UTF-8 (the whole file is rejected when it is not). Python's
memory does not grow with the file, only with the number of error messages.

Restgæld and KY's posteringer (decided here, mi32.md is silent): KMD Aktiv does not know the
dækninger, afskrivninger and nedreguleringer registered in KY, so a fordring's restgæld in KY is the
file's restgæld minus the sum of KY's posteringer on it (never below 0). Re-importing the same file
therefore changes nothing, and a new restgæld from KMD Aktiv is still reduced by KY's posteringer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import psycopg
from django.db import DataError, connection, transaction
from django.utils import timezone

from cases.models import OPEN_STATUSES, SagStatus, Ydelsestype
from debitor.models import (
    MI32_OPGAVETYPE, MI32_PAKKE_KODE, MI32_PAKKE_NAVN, Fordringstype, ImportStatus, KmdAktivImport, Mi32Aarsag,
)

HEADER = ["kommunekode", "debitorkonto", "cpr", "kmd_aktiv_bevillingsnr", "ydelsestype", "fordring_id",
          "fordringstype", "hovedstol", "restgaeld", "periode_fra", "periode_til", "stiftelsesdato"]
MANUELLE_YDELSESTYPER = ("SAES", "MANUEL")
CHUNK = 1 << 20
BOM = b"\xef\xbb\xbf"
# COPY reads each line as one CSV value: delimiter and quote are control characters that no valid
# line contains (replaced by SUB, so such a line still fails its field rules, line by line)
_COPY_DELIM, _COPY_QUOTE = b"\x1f", b"\x1e"
_NO_COPY_CTRL = bytes.maketrans(_COPY_DELIM + _COPY_QUOTE, b"\x1a\x1a")
UTF8_REJECTED = "Filen er ikke gyldig UTF-8. Hele filen er afvist, og intet er gemt."


class FileRejected(Exception):
    """The file cannot be read as a whole: nothing is stored (mi32.md)."""

    def __init__(self, message: str, line: int | None = None, field_name: str | None = None):
        super().__init__(message)
        self.error = {"line": line, "field": field_name, "message": message}


class _DryRun(Exception):
    pass


@dataclass
class Result:
    kommune: int
    dry_run: bool
    rows: int = 0
    debitorkonti: int = 0
    fordringer_created: int = 0
    fordringer_updated: int = 0
    sagstilknytning: int = 0
    sagsoprettelse: int = 0
    manual: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "kommune": self.kommune, "dry_run": self.dry_run, "rows": self.rows, "debitorkonti": self.debitorkonti,
            "fordringer_created": self.fordringer_created, "fordringer_updated": self.fordringer_updated,
            "sagstilknytning": self.sagstilknytning, "sagsoprettelse": self.sagsoprettelse, "manual": self.manual,
            "rejected": self.rejected, "errors": sorted(self.errors, key=lambda e: (e["line"] or 0)),
        }


# --- reading the file: the header in Python, the lines streamed raw into COPY -----------------------

def _read_header(binary, digest) -> bytes:
    """Check the header line; return the bytes after it (the rest of what was read)."""
    data = binary.read(CHUNK)
    digest.update(data)
    while b"\n" not in data and b"\r" not in data:
        more = binary.read(CHUNK)
        if not more:
            break
        digest.update(more)
        data += more
    if data.startswith(BOM):
        data = data[len(BOM):]
    if not data.strip():
        raise FileRejected("Filen er tom; første linje skal være overskriften.", 1)
    end = min((i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0), default=len(data))
    try:
        header = data[:end].decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise FileRejected(UTF8_REJECTED, 1) from None
    if header != ";".join(HEADER):
        raise FileRejected("Første linje skal være overskriften præcis: " + ";".join(HEADER) + ".", 1)
    rest = data[end:]
    return rest[2:] if rest.startswith(b"\r\n") else rest[1:]


def _copy_lines(binary, raw_cursor, digest) -> None:
    """Stream the file into kmd_raw(line, raw); the header is line 1, so the first data line is 2."""
    raw_cursor.execute("""
        CREATE TEMP TABLE kmd_raw (line integer GENERATED ALWAYS AS IDENTITY (START WITH 2), raw text)
        ON COMMIT DROP""")
    chunk = _read_header(binary, digest)
    newlines, last, carry = 0, b"\n", b""
    try:
        with raw_cursor.copy(
                "COPY kmd_raw (raw) FROM STDIN (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e', ENCODING 'UTF8')"
        ) as copy:
            while True:
                if carry:
                    chunk, carry = carry + chunk, b""
                if chunk.endswith(b"\r"):  # may be the first half of a CRLF split between chunks
                    chunk, carry = chunk[:-1], b"\r"
                if b"\r" in chunk:  # CRLF, and a lone CR as a line break (as Python's csv module reads it)
                    chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                if b"\x00" in chunk:
                    line = newlines + 2 + chunk[:chunk.find(b"\x00")].count(b"\n")
                    raise FileRejected("Filen indeholder et NUL-tegn og kan ikke læses som tekst. Hele filen er "
                                       "afvist, og intet er gemt.", line)
                if _COPY_DELIM in chunk or _COPY_QUOTE in chunk:
                    chunk = chunk.translate(_NO_COPY_CTRL)
                if chunk:
                    newlines += chunk.count(b"\n")
                    last = chunk[-1:]
                    copy.write(chunk)
                chunk = binary.read(CHUNK)
                if not chunk:
                    if carry:
                        newlines, last = newlines + 1, b"\n"
                        copy.write(b"\n")
                    break
                digest.update(chunk)
    except psycopg.errors.CharacterNotInRepertoire as exc:
        # CONTEXT: COPY kmd_raw, line N  (N counts from the first data line, i.e. file line N + 1)
        tail = (exc.diag.context or "").rsplit("line ", 1)
        digits = "".join(ch for ch in (tail[1] if len(tail) == 2 else "").split(",")[0] if ch.isdigit())
        raise FileRejected(UTF8_REJECTED, int(digits) + 1 if digits else None) from None
    expected = newlines + (0 if last == b"\n" else 1)
    raw_cursor.execute("SELECT count(*) FROM kmd_raw")
    if raw_cursor.fetchone()[0] != expected:  # an unquoted "\." line ends a CSV COPY early
        raise FileRejected("Filen indeholder en linje med kun '\\.' og kan ikke læses. Hele filen er afvist, "
                           "og intet er gemt.")


# --- the row rules, set-based (formats/kmd-aktiv-debitorkonti.md) -----------------------------------
# Cheap string functions instead of regular expressions where a pattern is simple; every expression
# is total (no cast is evaluated on a value that could make it fail).

_DIGITS = "0123456789"
_KONTO_TEGN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"


def _valid_ymd(y: str, m: str, d: str) -> str:
    return (f"(({y}) BETWEEN 1 AND 9999 AND CASE WHEN ({m}) IN (1, 3, 5, 7, 8, 10, 12) THEN ({d}) BETWEEN 1 AND 31 "
            f"WHEN ({m}) IN (4, 6, 9, 11) THEN ({d}) BETWEEN 1 AND 30 "
            f"WHEN ({m}) = 2 THEN ({d}) BETWEEN 1 AND CASE WHEN (mod({y}, 4) = 0 AND mod({y}, 100) <> 0) "
            f"OR mod({y}, 400) = 0 THEN 29 ELSE 28 END ELSE false END)")


def _date_fmt(c: str) -> str:  # ^[0-9]{4}-[0-9]{2}-[0-9]{2}$
    return (f"(length({c}) = 10 AND substr({c}, 5, 1) = '-' AND substr({c}, 8, 1) = '-' "
            f"AND translate({c}, '{_DIGITS}', '') = '--')")


def _date(c: str) -> str:
    ok = _valid_ymd(f"substr({c}, 1, 4)::int", f"substr({c}, 6, 2)::int", f"substr({c}, 9, 2)::int")
    return f"CASE WHEN {_date_fmt(c)} THEN CASE WHEN {ok} THEN {c}::date END END"


def _beloeb_fmt(c: str) -> str:  # ^[0-9]{1,12},[0-9]{2}$
    return (f"(length({c}) BETWEEN 4 AND 15 AND substr({c}, length({c}) - 2, 1) = ',' "
            f"AND translate({c}, '{_DIGITS}', '') = ',')")


def _cpr_state(c: str) -> str:
    """0 valid, 1 wrong format, 2 no valid birth date (cases.cpr.normalize_cpr: stdnum's century rule,
    not in the future)."""
    d = f"replace({c}, '-', '')"
    dd, mm, yy, d7 = (f"substr({d}, 1, 2)::int", f"substr({d}, 3, 2)::int", f"substr({d}, 5, 2)::int",
                      f"substr({d}, 7, 1)")
    year = (f"(CASE WHEN {d7} IN ('5', '6', '7', '8') AND {yy} >= 58 THEN 1800 "
            f"WHEN {d7} IN ('0', '1', '2', '3') OR ({d7} IN ('4', '9') AND {yy} >= 37) THEN 1900 ELSE 2000 END + {yy})")
    return (f"CASE WHEN (length({c}) = 10 AND translate({c}, '{_DIGITS}', '') = '') "
            f"OR (length({c}) = 11 AND substr({c}, 7, 1) = '-' AND translate({c}, '{_DIGITS}', '') = '-') "
            f"THEN CASE WHEN {_valid_ymd(year, mm, dd)} THEN CASE WHEN make_date({year}, {mm}, {dd}) <= %(today)s "
            f"THEN 0 ELSE 2 END ELSE 2 END ELSE 1 END")


def _beloeb_msg(c: str, name: str) -> str:
    return (f"CASE WHEN left({c}, 1) = '-' AND {_beloeb_fmt(f'substr({c}, 2)')} "
            f"THEN '{name}|{name} må ikke være negativ.' "
            f"WHEN NOT {_beloeb_fmt(c)} THEN '{name}|{name} skal være et beløb med komma og 2 decimaler uden "
            f"tusindtalsseparator, fx 1234,50 (fik ''' || {c} || ''').' END")


def _date_msg(c: str, v: str, name: str) -> str:
    return (f"CASE WHEN NOT {_date_fmt(c)} THEN '{name}|{name} skal være en dato på formen ÅÅÅÅ-MM-DD (fik ''' "
            f"|| {c} || ''').' WHEN {v} IS NULL THEN '{name}|{name} er ikke en gyldig dato (''' || {c} || ''').' END")


_LINE_RULES = ",\n".join([
    f"CASE WHEN NOT (length(c2) BETWEEN 1 AND 20 AND translate(c2, '{_KONTO_TEGN}', '') = '') "
    "THEN 'debitorkonto|debitorkonto skal være 1–20 tegn af A-Z, 0-9 og bindestreg.' END",
    "CASE cpr_st WHEN 1 THEN 'cpr|CPR-nummer skal være 10 cifre (DDMMÅÅSSSS eller DDMMÅÅ-SSSS).' "
    "WHEN 2 THEN 'cpr|CPR-nummeret indeholder ikke en gyldig fødselsdato.' END",
    f"CASE WHEN NOT (c4 = '' OR (length(c4) <= 20 AND translate(c4, '{_DIGITS}', '') = '')) "
    "THEN 'kmd_aktiv_bevillingsnr|kmd_aktiv_bevillingsnr skal være 1–20 cifre eller tomt.' END",
    "CASE WHEN NOT c5 = ANY(%(ydelsestyper)s) THEN 'ydelsestype|Ukendt ydelsestype ''' || c5 || '''.' END",
    f"CASE WHEN NOT (length(c6) BETWEEN 1 AND 30 AND translate(c6, '{_KONTO_TEGN}', '') = '') "
    "THEN 'fordring_id|fordring_id skal være 1–30 tegn af A-Z, 0-9 og bindestreg.' END",
    "CASE WHEN NOT c7 = ANY(%(fordringstyper)s) THEN 'fordringstype|Ukendt fordringstype ''' || c7 || "
    f"'''; tilladt er {', '.join(Fordringstype.values)}.' END",
    _beloeb_msg("c8", "hovedstol"),
    _beloeb_msg("c9", "restgaeld"),
    "CASE WHEN rg > hs THEN 'restgaeld|restgaeld må ikke være større end hovedstol.' END",
    _date_msg("c10", "pf", "periode_fra"),
    _date_msg("c11", "pt", "periode_til"),
    "CASE WHEN pf > pt THEN 'periode_til|periode_fra skal ligge før eller samme dag som periode_til.' END",
    _date_msg("c12", "sd", "stiftelsesdato"),
    "CASE WHEN sd > %(today)s THEN 'stiftelsesdato|stiftelsesdato må ikke ligge i fremtiden.' END",
])

# Fast path: a plain line (12 fields, this kommune, known codes, the rest of the right characters and
# lengths) is checked with plain casts and the rules between fields only; any other line takes the full
# expressions, which give the messages. Cheap tests, measured: a cast and its round trip back to text (which
# proves the exact format) costs a fraction of a short regular expression, and PostgreSQL's regular
# expressions cost several µs on a whole line. The casts are optimistic: a value shaped like a date, an amount
# or a CPR that does not cast (2025-02-30, a CPR born 31 February) makes the statement fail, and _check runs it
# again without the fast path. A clean file, the normal case, pays only for the cheap tests.


def _rt_date(c: str) -> str:  # exactly YYYY-MM-DD (DateStyle ISO is set by _check)
    return f"(length({c}) = 10 AND substr({c}, 5, 1) = '-' AND {c}::date::text = {c})"


def _rt_beloeb(c: str) -> str:  # digits, a comma, 2 decimals; no sign, no leading zero
    return (f"(length({c}) BETWEEN 4 AND 15 AND substr({c}, length({c}) - 2, 1) = ',' AND left({c}, 1) <> '-' "
            f"AND replace({c}, ',', '.')::numeric(14, 2)::text = replace({c}, ',', '.'))")


FAST = (f"(nf = 12 AND f1 = %(kommune)s AND length(f2) <= 20 AND f2 ~ '^[-A-Z0-9]+$' "
        # 10 digits with a 7th digit 0-3 (born 19YY: never in the future); the birth date is cast below
        f"AND length(f3) = 10 AND substr(f3, 7, 1) BETWEEN '0' AND '3' AND lpad(f3::bigint::text, 10, '0') = f3 "
        f"AND (f4 = '' OR (length(f4) <= 18 AND left(f4, 1) BETWEEN '1' AND '9' AND f4::bigint::text = f4)) "
        f"AND f5 = ANY(%(ydelsestyper)s) AND length(f6) <= 30 AND f6 ~ '^[-A-Z0-9]+$' "
        f"AND f7 = ANY(%(fordringstyper)s) AND {_rt_beloeb('f8')} AND {_rt_beloeb('f9')} "
        f"AND {_rt_date('f10')} AND {_rt_date('f11')} AND {_rt_date('f12')})")
_FAST_CPR = ("CASE WHEN make_date(1900 + substr(c3, 5, 2)::int, substr(c3, 3, 2)::int, substr(c3, 1, 2)::int) "
             "IS NOT NULL THEN 0 END")

# one pass over the raw lines: split (a quoted line by a regular expression), trim, check, convert.
# errs holds 'field|message' per broken rule, in the order of the format's fields.
_TRIM = ", ".join(f"CASE WHEN fast THEN f{i} ELSE btrim(f{i}, E' \\t\\n\\r\\x0b\\f') END AS c{i}"
                  for i in range(1, 13))
_FIELDS = ", ".join(f"f[{i}] AS f{i}" for i in range(1, 13))
CHECK_SQL = f"""
CREATE TEMP TABLE kmd_checked ON COMMIT DROP AS
SELECT line, nf = 12 AND c1 <> %(kommune)s AS anden_kommune, c1 AS kommunekode,
    CASE WHEN fast THEN array_remove(ARRAY[
             CASE WHEN rg > hs THEN 'restgaeld|restgaeld må ikke være større end hovedstol.' END,
             CASE WHEN pf > pt THEN 'periode_til|periode_fra skal ligge før eller samme dag som periode_til.' END,
             CASE WHEN sd > %(today)s THEN 'stiftelsesdato|stiftelsesdato må ikke ligge i fremtiden.' END], NULL)
         WHEN nf IS NULL THEN ARRAY['|Linjen kan ikke deles i felter: et felt i anførselstegn (") er ikke '
                                    'afsluttet korrekt (et anførselstegn inde i et felt skal skrives to gange).']
         WHEN nf <> 12 THEN ARRAY['|Linjen har ' || nf || ' felter; der skal være 12 adskilt af semikolon.']
         ELSE array_remove(ARRAY[{_LINE_RULES}], NULL) END AS errs,
    NULL::boolean AS afvist,
    c2 AS kontonr, replace(c3, '-', '') AS cpr, nullif(c4, '') AS bevnr, c5 AS ydelsestype, c6 AS fordring_id,
    c7 AS fordringstype, hs AS hovedstol, rg AS restgaeld, pf AS periode_fra, pt AS periode_til,
    sd AS stiftelsesdato
FROM (
    SELECT *, CASE WHEN fast THEN {_FAST_CPR} ELSE {_cpr_state("c3")} END AS cpr_st,
        CASE WHEN fast OR {_beloeb_fmt("c8")} THEN replace(c8, ',', '.')::numeric(14, 2) END AS hs,
        CASE WHEN fast OR {_beloeb_fmt("c9")} THEN replace(c9, ',', '.')::numeric(14, 2) END AS rg,
        CASE WHEN fast THEN c10::date ELSE {_date("c10")} END AS pf,
        CASE WHEN fast THEN c11::date ELSE {_date("c11")} END AS pt,
        CASE WHEN fast THEN c12::date ELSE {_date("c12")} END AS sd
    FROM (
        SELECT line, nf, fast, {_TRIM}
        FROM (
            SELECT *, {{fast}} AS fast
            FROM (
            SELECT line, raw, cardinality(f) AS nf, {_FIELDS}
            FROM (
                SELECT line, raw, CASE
                    WHEN strpos(raw, '"') = 0 THEN string_to_array(raw, ';')
                    WHEN raw ~ '^("([^"]|"")*"|[^;"]*)(;("([^"]|"")*"|[^;"]*))*$' THEN ARRAY(
                        SELECT CASE WHEN left(m[1], 1) = '"'
                                    THEN replace(substr(m[1], 2, length(m[1]) - 2), '""', '"') ELSE m[1] END
                        FROM regexp_matches(';' || raw, ';("(?:[^"]|"")*"|[^;"]*)', 'g') WITH ORDINALITY AS r(m, i)
                        ORDER BY i)
                    END AS f
                FROM kmd_raw WHERE raw IS NOT NULL
                OFFSET 0) s0
            OFFSET 0) s01
            OFFSET 0) s1
        OFFSET 0) s2
    OFFSET 0) s3
"""


def check_sql(*, fast: bool) -> str:
    return CHECK_SQL.replace("{fast}", f"coalesce({FAST}, false)" if fast else "false")


# a line that goes on to the upserts: no rule broken (_check marks those afvist too) and not rejected for the
# file's other reasons. A plain column, so the planner estimates it from the statistics (an expression like
# cardinality(errs) = 0 gets a fixed 0.5 % guess, and the joins below were planned for 150 lines of 30,000)
GOOD = "afvist IS NULL"


def _check(cur, kommune: int, result: Result, today: dt.date):
    # no JIT: compiling these large expressions costs seconds and gains nothing
    cur.execute("SET LOCAL work_mem = '256MB'; SET LOCAL jit = off; SET LOCAL DateStyle = 'ISO'")
    params = {"kommune": f"{kommune:03d}", "today": today, "ydelsestyper": list(Ydelsestype.values),
              "fordringstyper": list(Fordringstype.values)}
    try:
        with transaction.atomic():  # a savepoint: the optimistic casts of the fast path may fail (see FAST)
            cur.execute(check_sql(fast=True), params)
    except DataError:
        cur.execute(check_sql(fast=False), params)
    cur.execute("SELECT count(*), count(*) FILTER (WHERE cardinality(errs) > 0), "
                "min(line) FILTER (WHERE anden_kommune) FROM kmd_checked")
    result.rows, result.rejected, wrong = cur.fetchone()
    if result.rejected:
        cur.execute("UPDATE kmd_checked SET afvist = true WHERE cardinality(errs) > 0")
    cur.execute("ANALYZE kmd_checked")  # temp tables have no statistics otherwise: the joins below need them
    if wrong:
        cur.execute("SELECT kommunekode FROM kmd_checked WHERE line = %s", [wrong])
        raise FileRejected(
            f"Filen indeholder kommunekode '{cur.fetchone()[0]}', men importen er for kommune {kommune:03d}. "
            "Hele filen er afvist, og intet er gemt.", wrong, "kommunekode")
    if result.rejected:
        cur.execute("""
            SELECT c.line, u.e FROM kmd_checked c, unnest(c.errs) WITH ORDINALITY AS u(e, i)
            WHERE cardinality(c.errs) > 0 ORDER BY c.line, u.i""")
        for line, e in cur:
            felt, message = e.split("|", 1)
            result.errors.append({"line": line, "field": felt or None, "message": message})


def _reject_in_sql(cur, result: Result):
    kommune = result.kommune
    # the same fordring_id twice in one file: the second (and later) line is rejected (format spec)
    cur.execute(f"""
        WITH d AS (SELECT fordring_id FROM kmd_checked WHERE {GOOD} GROUP BY fordring_id HAVING count(*) > 1),
             r AS (SELECT c.line, c.fordring_id,
                          row_number() OVER (PARTITION BY c.fordring_id ORDER BY c.line) AS rn
                   FROM kmd_checked c JOIN d USING (fordring_id) WHERE cardinality(c.errs) = 0)
        UPDATE kmd_checked s SET afvist = true FROM r WHERE r.line = s.line AND r.rn > 1
        RETURNING s.line, s.fordring_id""")
    for line, fid in cur.fetchall():
        result.rejected += 1
        result.errors.append({"line": line, "field": "fordring_id",
                              "message": f"fordring_id {fid} står mere end én gang i filen; linjen er afvist."})
    # the import owns only KMD Aktiv's rows: a fordring_id of another source's debitorkonto (e.g. an
    # underholdsbidrag claim) is rejected, not moved onto a KMD Aktiv konto (checked only when there are any)
    cur.execute("""SELECT EXISTS (SELECT 1 FROM debitor_fordring f JOIN debitor_debitorkonto d ON d.id = f.debitorkonto_id
                   WHERE f.kommune_id = %s AND d.kilde <> 'KMD_AKTIV')""", [kommune])
    if cur.fetchone()[0]:
        cur.execute(f"""
            UPDATE kmd_checked s SET afvist = true
            FROM debitor_fordring f JOIN debitor_debitorkonto d ON d.id = f.debitorkonto_id
            WHERE f.kommune_id = %s AND d.kilde <> 'KMD_AKTIV' AND s.fordring_id = f.fordring_id AND {GOOD}
            RETURNING s.line, s.fordring_id""", [kommune])
        for line, fid in cur.fetchall():
            result.rejected += 1
            result.errors.append({"line": line, "field": "fordring_id", "message": (
                f"fordring_id {fid} findes allerede i KY på en debitorkonto fra en anden kilde end KMD Aktiv; "
                "linjen er afvist.")})
    # one row per debitorkonto; one whose lines disagree on cpr, bevillingsnr or ydelsestype, or whose number
    # is another source's debitorkonto: all its lines rejected
    cur.execute(f"""
        CREATE TEMP TABLE kmd_konti ON COMMIT DROP AS
        SELECT kontonr, min(cpr) AS cpr, nullif(min(coalesce(bevnr, '')), '') AS bevnr,
               min(ydelsestype) AS ydelsestype, min(cpr) <> max(cpr) AS cpr_bad,
               min(coalesce(bevnr, '')) <> max(coalesce(bevnr, '')) AS bevnr_bad,
               min(ydelsestype) <> max(ydelsestype) AS ydelsestype_bad, false AS kilde_bad
        FROM kmd_checked WHERE {GOOD} GROUP BY kontonr""")
    cur.execute("ANALYZE kmd_konti")
    cur.execute("""
        UPDATE kmd_konti k SET kilde_bad = true FROM debitor_debitorkonto d
        WHERE d.kommune_id = %s AND d.kilde <> 'KMD_AKTIV' AND d.kontonr = k.kontonr""", [kommune])
    cur.execute(f"""
        UPDATE kmd_checked s SET afvist = true FROM kmd_konti k
        WHERE k.kontonr = s.kontonr AND (k.cpr_bad OR k.bevnr_bad OR k.ydelsestype_bad OR k.kilde_bad) AND {GOOD}
        RETURNING s.line, s.kontonr, k.cpr_bad, k.bevnr_bad, k.ydelsestype_bad, k.kilde_bad""")
    for line, konto, c, b, _y, kilde in cur.fetchall():
        result.rejected += 1
        if kilde:
            result.errors.append({"line": line, "field": "debitorkonto", "message": (
                f"Debitorkonto {konto} findes allerede i KY fra en anden kilde end KMD Aktiv; linjen er afvist.")})
            continue
        felt = "cpr" if c else ("kmd_aktiv_bevillingsnr" if b else "ydelsestype")
        result.errors.append({"line": line, "field": felt, "message": (
            f"Debitorkonto {konto} har forskellige værdier i {felt} på sine linjer; "
            "alle kontoens linjer er afvist.")})
    cur.execute("DELETE FROM kmd_konti WHERE cpr_bad OR bevnr_bad OR ydelsestype_bad OR kilde_bad")
    # autovacuum never analyzes temporary tables: every one is analyzed here once it is filled (issue 21)
    cur.execute("ANALYZE kmd_konti")
    cur.execute("ANALYZE kmd_checked")
    cur.execute("SELECT count(*) FROM kmd_konti")
    result.debitorkonti = cur.fetchone()[0]


def _route(cur, kommune: int):
    """mi32.md: the route of every debitorkonto of the file without a sag (new, or known but not attached):
    sagstilknytning, sagsoprettelse or a manual MI 32 task (aarsag). Decided before the debitorkonti are written,
    so a new konto is inserted attached, not inserted and then updated."""
    cur.execute("""
        INSERT INTO cases_person (cpr, navn, oprettet, aendret)
        SELECT DISTINCT cpr, '', now(), now() FROM kmd_konti ORDER BY cpr
        ON CONFLICT (cpr) DO NOTHING""")
    A = Mi32Aarsag
    cur.execute(f"""
        CREATE TEMP TABLE kmd_route ON COMMIT DROP AS
        SELECT k.kontonr, p.id AS person_id, d.id AS konto_id, m.bevilling_id, m.bev_sag_id,
            CASE WHEN k.ydelsestype IN ('SAES', 'MANUEL') THEN '{A.MANUEL_YDELSESTYPE}'
                 WHEN k.bevnr IS NULL THEN '{A.MANGLER_BEVILLINGSNR}'
                 WHEN m.n_match = 1 THEN NULL
                 WHEN m.n_match > 1 THEN '{A.FLERE_BEVILLINGER}'
                 WHEN m.n_nr > 0 THEN '{A.CPR_AFVIGER}'
                 WHEN k.bevnr IN (SELECT kmd_aktiv_bevillingsnr FROM cases_bevilling
                                  WHERE kommune_id <> %(k)s AND kmd_aktiv_bevillingsnr IS NOT NULL)
                      THEN '{A.ANDEN_KOMMUNE}'
                 ELSE '{A.UKENDT_BEVILLINGSNR}' END AS aarsag
        FROM kmd_konti k
        JOIN cases_person p ON p.cpr = k.cpr
        LEFT JOIN debitor_debitorkonto d ON d.kommune_id = %(k)s AND d.kontonr = k.kontonr
        LEFT JOIN LATERAL (
            SELECT count(*) AS n_nr, count(*) FILTER (WHERE b.person_id = p.id) AS n_match,
                   min(b.id) FILTER (WHERE b.person_id = p.id) AS bevilling_id,
                   min(b.sag_id) FILTER (WHERE b.person_id = p.id) AS bev_sag_id
            FROM cases_bevilling b WHERE b.kommune_id = %(k)s AND b.kmd_aktiv_bevillingsnr = k.bevnr
        ) m ON k.bevnr IS NOT NULL
        WHERE d.id IS NULL OR d.sag_id IS NULL""", {"k": kommune})
    cur.execute("ANALYZE kmd_route")


def _sagsoprettelse(cur, kommune: int):
    """One new sag per matched bevilling without one (mi32.md: kommune, CPR, ydelsestype, startdato =
    bevilget_fra), in three statements: the bevillinger locked, the sager inserted with ids drawn first, the
    bevillinger pointed at them."""
    cur.execute("""
        SELECT count(*) FROM (
            SELECT 1 FROM cases_bevilling
            WHERE id IN (SELECT bevilling_id FROM kmd_route WHERE aarsag IS NULL AND bev_sag_id IS NULL)
            ORDER BY id FOR UPDATE) l""")
    cur.execute("""
        CREATE TEMP TABLE kmd_ny_sag ON COMMIT DROP AS
        SELECT b.id AS bevilling_id, b.person_id, b.ydelsestype, b.bevilget_fra,
               nextval(pg_get_serial_sequence('cases_sag', 'id')) AS sag_id
        FROM cases_bevilling b
        WHERE b.id IN (SELECT bevilling_id FROM kmd_route WHERE aarsag IS NULL AND bev_sag_id IS NULL)
          AND b.sag_id IS NULL  -- given a sag meanwhile: that one is used
        ORDER BY b.id""")
    cur.execute("ANALYZE kmd_ny_sag")
    cur.execute("""
        INSERT INTO cases_sag (id, kommune_id, person_id, ydelsestype, status, startdato, kle_nummer, team,
                               markeret_til_sletning, oprettet, aendret)
        SELECT sag_id, %s, person_id, ydelsestype, %s, bevilget_fra, '', '', false, now(), now()
        FROM kmd_ny_sag ORDER BY sag_id""", [kommune, SagStatus.AKTIV])
    cur.execute("""
        UPDATE cases_bevilling b SET sag_id = n.sag_id, aendret = now()
        FROM kmd_ny_sag n WHERE b.id = n.bevilling_id""")


def _write_konti(cur, kommune: int):
    # known debitorkonti whose person, bevillingsnr or ydelsestype changed in KMD Aktiv
    cur.execute("""
        UPDATE debitor_debitorkonto d SET person_id = p.id, kmd_aktiv_bevillingsnr = k.bevnr,
                                          ydelsestype = k.ydelsestype, aendret = now()
        FROM kmd_konti k JOIN cases_person p ON p.cpr = k.cpr
        WHERE d.kommune_id = %s AND d.kontonr = k.kontonr
          AND (d.person_id, d.kmd_aktiv_bevillingsnr, d.ydelsestype) IS DISTINCT FROM (p.id, k.bevnr, k.ydelsestype)""",
                [kommune])
    # known, unattached debitorkonti that now attach. A caseworker may attach one of these meanwhile
    # (debitor.services.tilknyt locks the task, then the konto): lock the open tasks first, in the same order,
    # and attach only a konto that still has no sag
    cur.execute("SELECT EXISTS (SELECT 1 FROM cases_opgave WHERE kommune_id = %s AND type = %s AND status = ANY(%s))",
                [kommune, MI32_OPGAVETYPE, list(OPEN_STATUSES)])
    if cur.fetchone()[0]:
        cur.execute("""
            SELECT o.id FROM cases_opgave o
            WHERE o.kommune_id = %s AND o.type = %s AND o.status = ANY(%s)
              AND o.noegle = ANY(ARRAY(SELECT kontonr FROM kmd_route WHERE aarsag IS NULL AND konto_id IS NOT NULL))
            ORDER BY o.id FOR UPDATE""", [kommune, MI32_OPGAVETYPE, list(OPEN_STATUSES)])
    cur.execute("""
        UPDATE debitor_debitorkonto d SET bevilling_id = r.bevilling_id, sag_id = b.sag_id, aendret = now()
        FROM kmd_route r JOIN cases_bevilling b ON b.id = r.bevilling_id
        WHERE d.id = r.konto_id AND r.aarsag IS NULL AND d.sag_id IS NULL""")
    attached = cur.rowcount
    cur.execute("SELECT count(*) FROM kmd_route WHERE aarsag IS NULL AND konto_id IS NOT NULL")
    if cur.fetchone()[0] != attached:  # attached by a caseworker meanwhile: neither counted nor given a task
        cur.execute("""
            DELETE FROM kmd_route r USING debitor_debitorkonto d
            WHERE d.id = r.konto_id AND r.aarsag IS NULL AND d.bevilling_id IS DISTINCT FROM r.bevilling_id""")
    # new debitorkonti, attached when their route says so (with a plain INSERT: imports of a kommune are
    # serialised by import_file's advisory lock)
    cur.execute("""
        INSERT INTO debitor_debitorkonto (kommune_id, kontonr, person_id, kilde, kmd_aktiv_bevillingsnr,
                                          ydelsestype, bevilling_id, sag_id, oprettet, aendret)
        SELECT %s, k.kontonr, r.person_id, 'KMD_AKTIV', k.bevnr, k.ydelsestype, b.id, b.sag_id, now(), now()
        FROM kmd_konti k JOIN kmd_route r ON r.kontonr = k.kontonr
        LEFT JOIN cases_bevilling b ON b.id = r.bevilling_id AND r.aarsag IS NULL
        WHERE r.konto_id IS NULL
        ORDER BY k.kontonr""", [kommune])
    # the fordringer join the debitorkonti next: a table that was empty at its last ANALYZE would be planned as
    # empty (a nested loop over 333,000 rows per line); the sample costs a fraction of a second
    cur.execute("ANALYZE debitor_debitorkonto")


def _write_fordringer(cur, kommune: int, result: Result):
    # KY's posteringer per fordring of this kommune (few): restgæld = the file's restgæld minus them (module doc)
    cur.execute("""
        CREATE TEMP TABLE kmd_poster ON COMMIT DROP AS
        SELECT f.fordring_id, sum(p.beloeb) AS beloeb
        FROM debitor_fordringspostering p JOIN debitor_fordring f ON f.id = p.fordring_id
        WHERE p.kommune_id = %s GROUP BY f.fordring_id""", [kommune])
    cur.execute("ANALYZE kmd_poster")
    rows = f"""
        SELECT d.id AS debitorkonto_id, s.fordring_id, s.fordringstype, s.hovedstol,
               greatest(s.restgaeld - coalesce(kp.beloeb, 0), 0) AS restgaeld, s.periode_fra, s.periode_til,
               s.stiftelsesdato
        FROM kmd_checked s JOIN debitor_debitorkonto d ON d.kommune_id = %(k)s AND d.kontonr = s.kontonr
        LEFT JOIN kmd_poster kp ON kp.fordring_id = s.fordring_id
        WHERE {GOOD}"""
    # one upsert on the unique key (kommune_id, fordring_id): each line's check is an index probe whatever the
    # statistics say. (Issue 21: the former NOT EXISTS anti-join was planned against a table that was empty at
    # plan time as a nested loop over a sequential scan, which re-read every page the INSERT itself had written:
    # quadratic, hours for 1,000,000 lines.) A row is counted as created when the upsert inserted it (xmax = 0)
    # and as updated when it changed a known fordring; an unchanged one is not returned.
    cur.execute(f"""
        WITH w AS (
            INSERT INTO debitor_fordring AS f (kommune_id, debitorkonto_id, fordring_id, fordringstype, hovedstol,
                                               restgaeld, periode_fra, periode_til, stiftelsesdato, oprettet, aendret)
            SELECT %(k)s, debitorkonto_id, fordring_id, fordringstype, hovedstol, restgaeld, periode_fra, periode_til,
                   stiftelsesdato, now(), now()
            FROM ({rows}) x
            ON CONFLICT (kommune_id, fordring_id) DO UPDATE SET
                debitorkonto_id = excluded.debitorkonto_id, fordringstype = excluded.fordringstype,
                hovedstol = excluded.hovedstol, restgaeld = excluded.restgaeld, periode_fra = excluded.periode_fra,
                periode_til = excluded.periode_til, stiftelsesdato = excluded.stiftelsesdato, aendret = now()
            WHERE (f.debitorkonto_id, f.fordringstype, f.hovedstol, f.restgaeld, f.periode_fra, f.periode_til,
                   f.stiftelsesdato)
                  IS DISTINCT FROM (excluded.debitorkonto_id, excluded.fordringstype, excluded.hovedstol,
                                    excluded.restgaeld, excluded.periode_fra, excluded.periode_til,
                                    excluded.stiftelsesdato)
            RETURNING f.xmax = 0 AS ny)
        SELECT count(*) FILTER (WHERE ny), count(*) FILTER (WHERE NOT ny) FROM w""", {"k": kommune})
    result.fordringer_created, result.fordringer_updated = cur.fetchone()


def _tasks(cur, kommune: int, result: Result, now):
    """Counts of the three routes; an attached konto's earlier MI 32 task closed; the manual ones' tasks."""
    from cases.opgavestatus import Event
    from cases.services import flyt_opgaver

    # through cases' task mover (the transition table); an array, so the plan is an index lookup per konto
    flyt_opgaver(Event.UDFOER, """o.kommune_id = %(k)s AND o.type = %(t)s
        AND o.noegle = ANY(ARRAY(SELECT kontonr FROM kmd_route WHERE aarsag IS NULL AND konto_id IS NOT NULL))""",
                 {"k": kommune, "t": MI32_OPGAVETYPE}, afsluttet=now,
                 extra_set="sag_id = (SELECT d.sag_id FROM debitor_debitorkonto d WHERE d.id = o.debitorkonto_id)")
    cur.execute("""
        SELECT count(*) FILTER (WHERE aarsag IS NULL AND bev_sag_id IS NOT NULL),
               count(*) FILTER (WHERE aarsag IS NULL AND bev_sag_id IS NULL),
               count(*) FILTER (WHERE aarsag IS NOT NULL) FROM kmd_route""")
    result.sagstilknytning, result.sagsoprettelse, result.manual = cur.fetchone()
    if result.manual:
        from cases.services import opgavepakke

        from debitor import klik

        pakke = opgavepakke(kommune, MI32_PAKKE_KODE, MI32_PAKKE_NAVN)
        today = timezone.localdate(now)  # seed 002: a task's frist is 15 days, never after the KLIK deadline
        frist = klik.task_frist(today, klik.klik_for(pakke, today).deadline)
        # one task per debitorkonto (noegle = kontonr); an open task follows a changed reason
        params = {"k": kommune, "p": pakke.pk, "t": MI32_OPGAVETYPE, "now": now, "open": list(OPEN_STATUSES),
                  "frist": frist}
        cur.execute("""
            UPDATE cases_opgave o SET aarsag = r.aarsag, person_id = r.person_id
            FROM kmd_route r
            WHERE r.aarsag IS NOT NULL AND r.konto_id IS NOT NULL AND o.kommune_id = %(k)s AND o.type = %(t)s
              AND o.noegle = r.kontonr AND o.status = ANY(%(open)s)
              AND (o.aarsag, o.person_id) IS DISTINCT FROM (r.aarsag, r.person_id)""", params)
        # the kontos without a task yet: ON CONFLICT on the task's unique key (kommune, type, noegle), an index
        # probe per konto; not an anti-join against the table being written (issue 21, see _write_fordringer)
        cur.execute("""
            INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, person_id,
                                      debitorkonto_id, noegle, data, oprettet, frist)
            SELECT %(k)s, %(p)s, %(t)s, 'Tilknyt debitorkonto ' || r.kontonr, 'aaben', r.aarsag, r.person_id,
                   d.id, r.kontonr, '{}'::jsonb, %(now)s, %(frist)s
            FROM kmd_route r JOIN debitor_debitorkonto d ON d.kommune_id = %(k)s AND d.kontonr = r.kontonr
            WHERE r.aarsag IS NOT NULL
            ORDER BY r.kontonr
            ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO NOTHING""", params)


def import_file(binary, *, kommune: int, dry_run: bool = False, user=None, filename: str = "",
                today: dt.date | None = None) -> tuple[dict, bool]:
    """Import a binary file object. Returns (summary, accepted). ``accepted`` is False when the
    file was rejected whole (nothing stored but the import record)."""
    summary, accepted, _ = import_file_record(binary, kommune=kommune, dry_run=dry_run, user=user,
                                              filename=filename, today=today)
    return summary, accepted


def import_file_record(binary, *, kommune: int, dry_run: bool = False, user=None, filename: str = "",
                       today: dt.date | None = None) -> tuple[dict, bool, KmdAktivImport]:
    """import_file, also returning the KmdAktivImport record (the batch run links to it)."""
    today = today or timezone.localdate()
    digest = hashlib.sha256()
    result = Result(kommune=kommune, dry_run=dry_run)
    accepted = True
    try:
        with transaction.atomic():
            with connection.cursor() as cur:  # one import of a kommune at a time (see _write_konti)
                cur.execute("SELECT pg_advisory_xact_lock(hashtext('kmd_aktiv_import'), %s)", [kommune])
            with connection.connection.cursor() as raw_cursor:
                _copy_lines(binary, raw_cursor, digest)
            with connection.cursor() as cur:
                _check(cur, kommune, result, today)
                _reject_in_sql(cur, result)
                _route(cur, kommune)
                _sagsoprettelse(cur, kommune)
                _write_konti(cur, kommune)
                _write_fordringer(cur, kommune, result)
                _tasks(cur, kommune, result, timezone.now())
                cur.execute("DROP TABLE IF EXISTS kmd_raw, kmd_checked, kmd_konti, kmd_route, kmd_ny_sag, kmd_poster")
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except FileRejected as exc:
        accepted = False
        for chunk in iter(lambda: binary.read(CHUNK), b""):  # the hash is of the whole file
            digest.update(chunk)
        result = Result(kommune=kommune, dry_run=dry_run, rows=result.rows, rejected=result.rows,
                        errors=[exc.error])
    summary = result.summary()
    status = (ImportStatus.AFVIST if not accepted else
              ImportStatus.PROEVEKOERSEL if dry_run else ImportStatus.GENNEMFOERT)
    record = KmdAktivImport.objects.create(
        kommune_id=kommune, bruger=user if (user is not None and user.is_authenticated) else None,
        filnavn=filename[:255], sha256=digest.hexdigest(), dry_run=dry_run, status=status,
        resume={k: v for k, v in summary.items() if k != "errors"}, fejl=summary["errors"][:10000],
    )
    return summary, accepted, record

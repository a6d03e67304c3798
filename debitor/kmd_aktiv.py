"""Import of the KMD Aktiv debitorkonto file (contract formats/kmd-aktiv-debitorkonti.md, mi32.md, seed 002).

Streaming: the file is read line by line (csv over a strict UTF-8 text wrapper), every line is
validated in Python and the valid ones are streamed with one COPY into a TEMP staging table. All
the rest is set-based SQL on that table: duplicate fordring_id, debitorkonti whose lines disagree,
upserts of personer, debitorkonti and fordringer, and the routing of each debitorkonto
(sagstilknytning / sagsoprettelse / manual MI 32 task). Memory does not grow with the file except
for the list of error messages.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import OPEN_STATUSES, Bevilling, Sag, SagStatus, Ydelsestype
from debitor.models import (
    MI32_OPGAVETYPE, MI32_PAKKE_KODE, MI32_PAKKE_NAVN, Fordringstype, ImportStatus, KmdAktivImport, Mi32Aarsag,
)

HEADER = ["kommunekode", "debitorkonto", "cpr", "kmd_aktiv_bevillingsnr", "ydelsestype", "fordring_id",
          "fordringstype", "hovedstol", "restgaeld", "periode_fra", "periode_til", "stiftelsesdato"]

_KONTO = re.compile(r"^[A-Z0-9-]{1,20}$")
_FORDRING_ID = re.compile(r"^[A-Z0-9-]{1,30}$")
_BEVNR = re.compile(r"^\d{1,20}$")
_BELOEB = re.compile(r"^\d{1,12},\d{2}$")
_DATO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YDELSESTYPER = set(Ydelsestype.values)
_FORDRINGSTYPER = set(Fordringstype.values)
MANUELLE_YDELSESTYPER = ("SAES", "MANUEL")


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


# --- line validation (formats/kmd-aktiv-debitorkonti.md) ------------------------------------------

def _beloeb(value: str, name: str, errors: list) -> Decimal | None:
    if value.startswith("-") and _BELOEB.match(value[1:]):
        errors.append((name, f"{name} må ikke være negativ."))
        return None
    if not _BELOEB.match(value):
        errors.append((name, f"{name} skal være et beløb med komma og 2 decimaler uden tusindtalsseparator, "
                             f"fx 1234,50 (fik '{value}')."))
        return None
    return Decimal(value.replace(",", "."))


def _dato(value: str, name: str, errors: list) -> dt.date | None:
    if not _DATO.match(value):
        errors.append((name, f"{name} skal være en dato på formen ÅÅÅÅ-MM-DD (fik '{value}')."))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append((name, f"{name} er ikke en gyldig dato ('{value}')."))
        return None


def validate_line(row: list[str], kommune_txt: str, today: dt.date):
    """(values for the staging table, []) or (None, [(field, message), ...]). Raises FileRejected
    for another kommune's line."""
    if len(row) != len(HEADER):
        return None, [(None, f"Linjen har {len(row)} felter; der skal være {len(HEADER)} adskilt af semikolon.")]
    (kommunekode, konto, cpr, bevnr, ydelsestype, fordring_id, fordringstype, hovedstol, restgaeld,
     periode_fra, periode_til, stiftelsesdato) = (v.strip() for v in row)
    if kommunekode != kommune_txt:
        raise FileRejected(
            f"Filen indeholder kommunekode '{kommunekode}', men importen er for kommune {kommune_txt}. "
            "Hele filen er afvist, og intet er gemt.", field_name="kommunekode")
    errors: list = []
    if not _KONTO.match(konto):
        errors.append(("debitorkonto", "debitorkonto skal være 1–20 tegn af A-Z, 0-9 og bindestreg."))
    try:
        cpr = normalize_cpr(cpr)
    except InvalidCPR as exc:
        errors.append(("cpr", str(exc)))
    if bevnr and not _BEVNR.match(bevnr):
        errors.append(("kmd_aktiv_bevillingsnr", "kmd_aktiv_bevillingsnr skal være 1–20 cifre eller tomt."))
    if ydelsestype not in _YDELSESTYPER:
        errors.append(("ydelsestype", f"Ukendt ydelsestype '{ydelsestype}'."))
    if not _FORDRING_ID.match(fordring_id):
        errors.append(("fordring_id", "fordring_id skal være 1–30 tegn af A-Z, 0-9 og bindestreg."))
    if fordringstype not in _FORDRINGSTYPER:
        errors.append(("fordringstype", f"Ukendt fordringstype '{fordringstype}'; tilladt er "
                                        + ", ".join(Fordringstype.values) + "."))
    hs = _beloeb(hovedstol, "hovedstol", errors)
    rg = _beloeb(restgaeld, "restgaeld", errors)
    if hs is not None and rg is not None and rg > hs:
        errors.append(("restgaeld", "restgaeld må ikke være større end hovedstol."))
    pf = _dato(periode_fra, "periode_fra", errors)
    pt = _dato(periode_til, "periode_til", errors)
    if pf and pt and pf > pt:
        errors.append(("periode_til", "periode_fra skal ligge før eller samme dag som periode_til."))
    sd = _dato(stiftelsesdato, "stiftelsesdato", errors)
    if sd and sd > today:
        errors.append(("stiftelsesdato", "stiftelsesdato må ikke ligge i fremtiden."))
    if errors:
        return None, errors
    return (konto, cpr, bevnr or None, ydelsestype, fordring_id, fordringstype, str(hs), str(rg),
            periode_fra, periode_til, stiftelsesdato), []


# --- the import --------------------------------------------------------------------------------------

def sha256_of(fh) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
    fh.seek(0)
    return h.hexdigest()


STAGE_COLUMNS = ("line", "kontonr", "cpr", "bevnr", "ydelsestype", "fordring_id", "fordringstype", "hovedstol",
                 "restgaeld", "periode_fra", "periode_til", "stiftelsesdato")


def _stream_into_staging(binary, kommune: int, result: Result, raw_cursor, today: dt.date):
    raw_cursor.execute("""
        CREATE TEMP TABLE kmd_stage (
            line integer NOT NULL, kontonr text NOT NULL, cpr text NOT NULL, bevnr text,
            ydelsestype text NOT NULL, fordring_id text NOT NULL, fordringstype text NOT NULL,
            hovedstol numeric(14,2) NOT NULL, restgaeld numeric(14,2) NOT NULL, periode_fra date NOT NULL,
            periode_til date NOT NULL, stiftelsesdato date NOT NULL, ok boolean NOT NULL DEFAULT true
        ) ON COMMIT DROP""")
    kommune_txt = f"{kommune:03d}"
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text, delimiter=";", quotechar='"', doublequote=True, strict=True)
    line = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise FileRejected("Filen er tom; første linje skal være overskriften.", 1) from None
        if header != HEADER:
            raise FileRejected("Første linje skal være overskriften præcis: " + ";".join(HEADER) + ".", 1)
        with raw_cursor.copy(f"COPY kmd_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in reader:
                line = reader.line_num
                if not row or row == [""]:
                    continue  # an empty line (e.g. at the end) is no fordring
                result.rows += 1
                values, errors = validate_line(row, kommune_txt, today)
                if errors:
                    result.rejected += 1
                    result.errors.extend({"line": line, "field": f, "message": m} for f, m in errors)
                    continue
                copy.write_row((line, *values))
    except FileRejected as exc:
        if exc.error["line"] is None:
            exc.error["line"] = line
        raise
    except UnicodeDecodeError:
        raise FileRejected("Filen er ikke gyldig UTF-8. Hele filen er afvist, og intet er gemt.",
                           reader.line_num + 1) from None
    except csv.Error as exc:
        raise FileRejected(f"Filen kan ikke læses som semikolonsepareret tekst: {exc}.", reader.line_num) from None
    finally:
        text.detach()


def _reject_in_sql(cur, result: Result):
    # same fordring_id twice in one file: the second (and later) line is rejected (format spec)
    cur.execute("""
        WITH d AS (
            SELECT line, fordring_id, row_number() OVER (PARTITION BY fordring_id ORDER BY line) AS rn
            FROM kmd_stage)
        UPDATE kmd_stage s SET ok = false FROM d WHERE d.line = s.line AND d.rn > 1
        RETURNING s.line, s.fordring_id""")
    for line, fid in cur.fetchall():
        result.rejected += 1
        result.errors.append({"line": line, "field": "fordring_id",
                              "message": f"fordring_id {fid} står mere end én gang i filen; linjen er afvist."})
    # a debitorkonto whose lines disagree on cpr, bevillingsnr or ydelsestype: every line rejected
    cur.execute("""
        WITH bad AS (
            SELECT kontonr, count(DISTINCT cpr) > 1 AS cpr, count(DISTINCT coalesce(bevnr, '')) > 1 AS bevnr,
                   count(DISTINCT ydelsestype) > 1 AS ydelsestype
            FROM kmd_stage WHERE ok GROUP BY kontonr
            HAVING count(DISTINCT cpr) > 1 OR count(DISTINCT coalesce(bevnr, '')) > 1
                OR count(DISTINCT ydelsestype) > 1)
        UPDATE kmd_stage s SET ok = false FROM bad WHERE bad.kontonr = s.kontonr AND s.ok
        RETURNING s.line, s.kontonr, bad.cpr, bad.bevnr, bad.ydelsestype""")
    for line, konto, c, b, y in cur.fetchall():
        result.rejected += 1
        felt = "cpr" if c else ("kmd_aktiv_bevillingsnr" if b else "ydelsestype")
        result.errors.append({"line": line, "field": felt, "message": (
            f"Debitorkonto {konto} har forskellige værdier i {felt} på sine linjer; "
            "alle kontoens linjer er afvist.")})


def _upsert(cur, kommune: int, result: Result):
    cur.execute("""
        CREATE TEMP TABLE kmd_konti ON COMMIT DROP AS
        SELECT DISTINCT ON (kontonr) kontonr, cpr, bevnr, ydelsestype FROM kmd_stage WHERE ok
        ORDER BY kontonr, line""")
    result.debitorkonti = cur.rowcount
    cur.execute("""
        INSERT INTO cases_person (cpr, navn, oprettet, aendret)
        SELECT DISTINCT cpr, '', now(), now() FROM kmd_konti ORDER BY cpr
        ON CONFLICT (cpr) DO NOTHING""")
    cur.execute("""
        INSERT INTO debitor_debitorkonto (kommune_id, kontonr, person_id, kilde, kmd_aktiv_bevillingsnr,
                                          ydelsestype, oprettet, aendret)
        SELECT %s, k.kontonr, p.id, 'KMD_AKTIV', k.bevnr, k.ydelsestype, now(), now()
        FROM kmd_konti k JOIN cases_person p ON p.cpr = k.cpr
        ON CONFLICT (kommune_id, kontonr) DO UPDATE SET
            person_id = EXCLUDED.person_id, kmd_aktiv_bevillingsnr = EXCLUDED.kmd_aktiv_bevillingsnr,
            ydelsestype = EXCLUDED.ydelsestype, aendret = now()
        WHERE (debitor_debitorkonto.person_id, debitor_debitorkonto.kmd_aktiv_bevillingsnr,
               debitor_debitorkonto.ydelsestype)
          IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.kmd_aktiv_bevillingsnr, EXCLUDED.ydelsestype)""",
                [kommune])
    # xmax = 0 on the returned row means it was inserted, otherwise updated; unchanged rows are not returned
    cur.execute("""
        WITH up AS (
            INSERT INTO debitor_fordring (kommune_id, debitorkonto_id, fordring_id, fordringstype, hovedstol,
                                          restgaeld, periode_fra, periode_til, stiftelsesdato, oprettet, aendret)
            SELECT %s, d.id, s.fordring_id, s.fordringstype, s.hovedstol, s.restgaeld, s.periode_fra,
                   s.periode_til, s.stiftelsesdato, now(), now()
            FROM kmd_stage s JOIN debitor_debitorkonto d ON d.kommune_id = %s AND d.kontonr = s.kontonr
            WHERE s.ok
            ON CONFLICT (kommune_id, fordring_id) DO UPDATE SET
                debitorkonto_id = EXCLUDED.debitorkonto_id, fordringstype = EXCLUDED.fordringstype,
                hovedstol = EXCLUDED.hovedstol, restgaeld = EXCLUDED.restgaeld, periode_fra = EXCLUDED.periode_fra,
                periode_til = EXCLUDED.periode_til, stiftelsesdato = EXCLUDED.stiftelsesdato, aendret = now()
            WHERE (debitor_fordring.debitorkonto_id, debitor_fordring.fordringstype, debitor_fordring.hovedstol,
                   debitor_fordring.restgaeld, debitor_fordring.periode_fra, debitor_fordring.periode_til,
                   debitor_fordring.stiftelsesdato)
              IS DISTINCT FROM (EXCLUDED.debitorkonto_id, EXCLUDED.fordringstype, EXCLUDED.hovedstol,
                   EXCLUDED.restgaeld, EXCLUDED.periode_fra, EXCLUDED.periode_til, EXCLUDED.stiftelsesdato)
            RETURNING (xmax = 0) AS created)
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up""", [kommune, kommune])
    result.fordringer_created, result.fordringer_updated = cur.fetchone()


def _route(cur, kommune: int, result: Result, now):
    """mi32.md: sagstilknytning, sagsoprettelse or a manual task, per debitorkonto not yet attached."""
    A = Mi32Aarsag
    cur.execute(f"""
        CREATE TEMP TABLE kmd_route ON COMMIT DROP AS
        SELECT d.id AS konto_id, d.person_id, k.kontonr, m.bevilling_id, m.bev_sag_id,
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
        JOIN debitor_debitorkonto d ON d.kommune_id = %(k)s AND d.kontonr = k.kontonr
        LEFT JOIN LATERAL (
            SELECT count(*) AS n_nr, count(*) FILTER (WHERE b.person_id = d.person_id) AS n_match,
                   min(b.id) FILTER (WHERE b.person_id = d.person_id) AS bevilling_id,
                   min(b.sag_id) FILTER (WHERE b.person_id = d.person_id) AS bev_sag_id
            FROM cases_bevilling b WHERE b.kommune_id = %(k)s AND b.kmd_aktiv_bevillingsnr = k.bevnr
        ) m ON k.bevnr IS NOT NULL
        WHERE d.sag_id IS NULL""", {"k": kommune})
    # sagsoprettelse: one new sag per bevilling without one (kommune, CPR, ydelsestype, startdato = bevilget_fra)
    cur.execute("""
        SELECT b.id, b.person_id, b.ydelsestype, b.bevilget_fra FROM cases_bevilling b
        WHERE b.id IN (SELECT bevilling_id FROM kmd_route WHERE aarsag IS NULL AND bev_sag_id IS NULL)
        ORDER BY b.id FOR UPDATE""")
    while True:
        chunk = cur.fetchmany(5000)
        if not chunk:
            break
        sager = Sag.objects.bulk_create([
            Sag(kommune_id=kommune, person_id=person_id, ydelsestype=ydelsestype, status=SagStatus.AKTIV,
                startdato=fra) for _, person_id, ydelsestype, fra in chunk])
        Bevilling.objects.bulk_update(
            [Bevilling(pk=row[0], sag_id=s.pk) for row, s in zip(chunk, sager)], ["sag"], batch_size=5000)
    cur.execute("""
        UPDATE debitor_debitorkonto d SET bevilling_id = r.bevilling_id, sag_id = b.sag_id, aendret = now()
        FROM kmd_route r JOIN cases_bevilling b ON b.id = r.bevilling_id
        WHERE d.id = r.konto_id AND r.aarsag IS NULL""")
    # a konto that now attaches automatically closes its earlier MI 32 task
    cur.execute("""
        UPDATE cases_opgave o SET status = 'udfoert', afsluttet = %s, sag_id = d.sag_id
        FROM kmd_route r JOIN debitor_debitorkonto d ON d.id = r.konto_id
        WHERE r.aarsag IS NULL AND o.kommune_id = %s AND o.type = %s AND o.noegle = r.kontonr
          AND o.status = ANY(%s)""", [now, kommune, MI32_OPGAVETYPE, list(OPEN_STATUSES)])
    cur.execute("""
        SELECT count(*) FILTER (WHERE aarsag IS NULL AND bev_sag_id IS NOT NULL),
               count(*) FILTER (WHERE aarsag IS NULL AND bev_sag_id IS NULL),
               count(*) FILTER (WHERE aarsag IS NOT NULL) FROM kmd_route""")
    result.sagstilknytning, result.sagsoprettelse, result.manual = cur.fetchone()
    if result.manual:
        from cases.services import opgavepakke

        pakke = opgavepakke(kommune, MI32_PAKKE_KODE, MI32_PAKKE_NAVN)
        # one task per debitorkonto (noegle = kontonr); an open task follows a changed reason
        cur.execute("""
            INSERT INTO cases_opgave (kommune_id, opgavepakke_id, type, titel, status, aarsag, person_id,
                                      debitorkonto_id, noegle, data, oprettet)
            SELECT %(k)s, %(p)s, %(t)s, 'Tilknyt debitorkonto ' || r.kontonr, 'aaben', r.aarsag, r.person_id,
                   r.konto_id, r.kontonr, '{}'::jsonb, %(now)s
            FROM kmd_route r WHERE r.aarsag IS NOT NULL ORDER BY r.kontonr
            ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO UPDATE
                SET aarsag = EXCLUDED.aarsag, person_id = EXCLUDED.person_id
                WHERE cases_opgave.status = ANY(%(open)s) AND (cases_opgave.aarsag, cases_opgave.person_id)
                      IS DISTINCT FROM (EXCLUDED.aarsag, EXCLUDED.person_id)""",
                    {"k": kommune, "p": pakke.pk, "t": MI32_OPGAVETYPE, "now": now, "open": list(OPEN_STATUSES)})


def import_file(binary, *, kommune: int, dry_run: bool = False, user=None, filename: str = "",
                today: dt.date | None = None) -> tuple[dict, bool]:
    """Import a binary file object. Returns (summary, accepted). ``accepted`` is False when the
    file was rejected whole (nothing stored but the import record)."""
    today = today or timezone.localdate()
    digest = sha256_of(binary)
    result = Result(kommune=kommune, dry_run=dry_run)
    accepted = True
    try:
        with transaction.atomic():
            connection.ensure_connection()
            raw_cursor = connection.connection.cursor()
            _stream_into_staging(binary, kommune, result, raw_cursor, today)
            with connection.cursor() as cur:
                _reject_in_sql(cur, result)
                _upsert(cur, kommune, result)
                _route(cur, kommune, result, timezone.now())
                cur.execute("DROP TABLE IF EXISTS kmd_stage, kmd_konti, kmd_route")
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except FileRejected as exc:
        accepted = False
        result = Result(kommune=kommune, dry_run=dry_run, rows=result.rows, rejected=result.rows,
                        errors=[exc.error])
    summary = result.summary()
    status = (ImportStatus.AFVIST if not accepted else
              ImportStatus.PROEVEKOERSEL if dry_run else ImportStatus.GENNEMFOERT)
    KmdAktivImport.objects.create(
        kommune_id=kommune, bruger=user if (user is not None and user.is_authenticated) else None,
        filnavn=filename[:255], sha256=digest, dry_run=dry_run, status=status,
        resume={k: v for k, v in summary.items() if k != "errors"}, fejl=summary["errors"][:10000],
    )
    return summary, accepted

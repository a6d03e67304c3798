"""Reference: the former line-by-line Python validator of the KMD Aktiv import (before the
set-based SQL validation). The tests compare the SQL validation with it, message for message."""

import datetime as dt
import re
from decimal import Decimal

from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import Ydelsestype
from debitor.kmd_aktiv import HEADER, FileRejected
from debitor.models import Fordringstype

_KONTO = re.compile(r"^[A-Z0-9-]{1,20}$")
_FORDRING_ID = re.compile(r"^[A-Z0-9-]{1,30}$")
_BEVNR = re.compile(r"^\d{1,20}$")
_BELOEB = re.compile(r"^\d{1,12},\d{2}$")
_DATO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YDELSESTYPER = set(Ydelsestype.values)
_FORDRINGSTYPER = set(Fordringstype.values)


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

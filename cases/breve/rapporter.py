"""Reports a user can order (seed 000, nr. 66 fasterapporter; docs/breve.md "Rapporter").

Each report is a ``Dokumenttype`` of art ``rapport`` with ``parametre`` (validate the order) and ``lav``
(compute the rows, one aggregate query). Registered in ``breve/dokumenttyper.py``."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.apps import apps
from django.db import connection

from ky.core.api import DomainError


def _rows(sql: str, params) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]


def ingen_parametre(p: dict) -> dict:
    if p:
        raise DomainError(f"Rapporten tager ingen parametre (fik {', '.join(sorted(p))}).", "ugyldig", "parametre")
    return {}


# --- caseload per sagsbehandler --------------------------------------------------------------------

def lav_sagsbelastning(kommune_id: int, p: dict, as_of: dt.date) -> dict:
    rows = _rows("""
        SELECT COALESCE(NULLIF(trim(u.first_name || ' ' || u.last_name), ''), u.username, '(ingen sagsbehandler)') AS navn,
               count(*) FILTER (WHERE s.status = 'aktiv') AS aktive,
               count(*) FILTER (WHERE s.status = 'lukket') AS lukkede,
               count(*) FILTER (WHERE s.status = 'aktiv' AND s.startdato > %(d)s::date - 30) AS nye_30_dage,
               (SELECT count(*) FROM cases_opgave o WHERE o.kommune_id = %(k)s AND o.reserveret_af_id = u.id
                  AND o.status = 'reserveret') AS reserverede_opgaver
        FROM cases_sag s LEFT JOIN cases_user u ON u.id = s.sagsbehandler_id
        WHERE s.kommune_id = %(k)s
        GROUP BY u.id, u.first_name, u.last_name, u.username
        ORDER BY aktive DESC, navn""", {"k": kommune_id, "d": as_of})
    s = {"aktive": sum(r["aktive"] for r in rows), "lukkede": sum(r["lukkede"] for r in rows),
         "nye_30_dage": sum(r["nye_30_dage"] for r in rows),
         "reserverede_opgaver": sum(r["reserverede_opgaver"] for r in rows), "navn": "I alt"}
    return {"rows": rows, "sum": s, "forklaring": f"Sager i kommunen fordelt på sagsbehandler pr. {as_of:%d.%m.%Y}."}


# --- payments per month ----------------------------------------------------------------------------

_MAANED = re.compile(r"^(\d{4})-(\d{2})$")


def _maaned(v, felt: str) -> dt.date:
    m = _MAANED.match(str(v or ""))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise DomainError(f"{felt} skal være en måned som ÅÅÅÅ-MM, fx 2026-01.", "ugyldig", f"parametre.{felt}")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def parametre_udbetalinger(p: dict) -> dict:
    ukendte = set(p) - {"fra", "til"}
    if ukendte:
        raise DomainError(f"Ukendte parametre: {', '.join(sorted(ukendte))}.", "ugyldig", "parametre")
    out = {}
    if "fra" in p:
        out["fra"] = f"{_maaned(p['fra'], 'fra'):%Y-%m}"
    if "til" in p:
        out["til"] = f"{_maaned(p['til'], 'til'):%Y-%m}"
    if "fra" in out and "til" in out:
        fra, til = _maaned(out["fra"], "fra"), _maaned(out["til"], "til")
        if fra > til:
            raise DomainError("fra skal ligge før til.", "ugyldig", "parametre.til")
        if (til.year - fra.year) * 12 + til.month - fra.month >= 36:
            raise DomainError("Rapporten dækker højst 36 måneder.", "for_mange", "parametre.til")
    return out


def _periode(p: dict, as_of: dt.date) -> tuple[dt.date, dt.date]:
    til = _maaned(p["til"], "til") if "til" in p else as_of.replace(day=1)
    if "fra" in p:
        fra = _maaned(p["fra"], "fra")
    else:
        fra = dt.date(til.year - 1 + (til.month) // 12, til.month % 12 + 1, 1)  # 12 months up to til
    slut = dt.date(til.year + til.month // 12, til.month % 12 + 1, 1)
    return fra, slut


def lav_udbetalinger(kommune_id: int, p: dict, as_of: dt.date) -> dict:
    """Payments per month: the payment register (issue 14's ``Udbetaling``) when installed, else
    underholdsbidrag's payouts (the only payments ky made before it)."""
    fra, slut = _periode(p, as_of)
    try:
        model = apps.get_model("udbetaling", "Udbetaling")
        tabel, kilde = model._meta.db_table, "kilde"
    except LookupError:
        tabel, kilde = "underholdsbidrag_udbetaling", "'underholdsbidrag'"
    rows = _rows(f"""
        SELECT to_char(date_trunc('month', udbetalingsdato), 'YYYY-MM') AS maaned, {kilde} AS kilde,
               count(*) AS antal, sum(beloeb) AS beloeb
        FROM {tabel} WHERE kommune_id = %(k)s AND udbetalingsdato >= %(fra)s AND udbetalingsdato < %(slut)s
        GROUP BY 1, 2 ORDER BY 1, 2""", {"k": kommune_id, "fra": fra, "slut": slut})
    total = sum((r["beloeb"] for r in rows), Decimal("0"))
    return {"rows": rows, "sum": {"maaned": "I alt", "antal": sum(r["antal"] for r in rows), "beloeb": total},
            "forklaring": f"Udbetalinger med udbetalingsdato fra {fra:%d.%m.%Y} til og med "
                          f"{slut - dt.timedelta(days=1):%d.%m.%Y}, pr. måned og kilde ({tabel})."}


# --- tasks overdue per package ---------------------------------------------------------------------

def lav_opgaver_overskredet(kommune_id: int, p: dict, as_of: dt.date) -> dict:
    rows = _rows("""
        SELECT COALESCE(pk.navn, '(uden pakke)') AS pakke,
               count(*) AS aabne,
               count(*) FILTER (WHERE o.frist < %(d)s) AS overskredet,
               min(o.frist) FILTER (WHERE o.frist < %(d)s) AS aeldste_frist
        FROM cases_opgave o LEFT JOIN cases_opgavepakke pk ON pk.id = o.opgavepakke_id
        WHERE o.kommune_id = %(k)s AND o.status IN ('aaben', 'reserveret')
        GROUP BY pk.id, pk.navn
        HAVING count(*) FILTER (WHERE o.frist < %(d)s) > 0
        ORDER BY overskredet DESC, pakke""", {"k": kommune_id, "d": as_of})
    return {"rows": rows, "sum": {"pakke": "I alt", "aabne": sum(r["aabne"] for r in rows),
                                  "overskredet": sum(r["overskredet"] for r in rows)},
            "forklaring": f"Åbne opgaver med frist før {as_of:%d.%m.%Y}, pr. opgavepakke."}

"""Writes of udbetalinger (contract udbetaling.md, issue 14).

Sources become ``klar`` udbetalinger by set-based INSERT ... SELECT ... ON CONFLICT on the key
(kilde, kilde_id, forsoeg): a re-run creates nothing twice, and the partial unique index
``udbetaling_en_gang`` makes sure at most one payment of a kilde is ever not afvist — a resend
(``send_igen``) is a caseworker's new attempt after the first came back afvist.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone

from debitor.udbetaling import states
from debitor.udbetaling.models import (
    AFVIST_OPGAVETYPE, AFVIST_PAKKE, Kilde, Kvikudbetaling, Maade, Modtagertype, OpgaveAarsag, Status, Udbetaling,
)
from ky.core.api import Conflict, DomainError

T = Udbetaling._meta.db_table
MAX_BELOEB = Decimal("1000000000000")  # max_digits=14, 2 decimals

_INSERT_COLS = ("kommune_id, cpr, person_id, sag_id, bevilling_id, modtagertype, maade, beloeb, udbetalingsdato, "
                "kilde, kilde_id, forsoeg, posteringstekst, status, status_tid, afvist_aarsag, oprettet")


# ---------------------------------------------------------------- sources

def dan_fra_effektueringer(kommune_id: int, *, dry_run: bool = False) -> tuple[int, list[tuple[str, str]]]:
    """Every finalised effektuering with a positive netto (brutto less the SF2520 modregning) becomes
    one udbetaling to the borger on the effektuering's udbetalingsdato (sf2520.md). An effektuering
    whose bevilling has been refused, shelved or ended before the period is a per-item error (the
    rest goes on). Returns (created, errors [(item, message)])."""
    closed = ("(b.status IN ('afslag', 'henlagt') OR (b.bevilget_til IS NOT NULL AND b.bevilget_til < e.periode_fra))")
    base = """
        FROM sf2520_effektuering e
        JOIN cases_bevilling b ON b.id = e.bevilling_id
        JOIN cases_person p ON p.id = e.person_id
        WHERE e.kommune_id = %(k)s AND e.status = 'endelig' AND e.netto > 0"""
    with connection.cursor() as cur:
        cur.execute(f"""SELECT e.id, b.id, b.status FROM sf2520_effektuering e JOIN cases_bevilling b ON b.id = e.bevilling_id
                        WHERE e.kommune_id = %(k)s AND e.status = 'endelig' AND e.netto > 0 AND {closed}
                          AND NOT EXISTS (SELECT 1 FROM {T} u WHERE u.kilde = 'effektuering' AND u.kilde_id = e.id)
                        ORDER BY e.id""", {"k": kommune_id})
        fejl = [(f"effektuering {eid}", f"bevilling {bid} er lukket ({st}); udbetales ikke")
                for eid, bid, st in cur.fetchall()]
        if dry_run:
            cur.execute(f"""SELECT count(*) {base} AND NOT {closed}
                            AND NOT EXISTS (SELECT 1 FROM {T} u WHERE u.kilde = 'effektuering' AND u.kilde_id = e.id)""",
                        {"k": kommune_id})
            return cur.fetchone()[0], fejl
        cur.execute(f"""
            INSERT INTO {T} ({_INSERT_COLS})
            SELECT e.kommune_id, p.cpr, e.person_id, b.sag_id, e.bevilling_id, 'borger', 'nemkonto', e.netto,
                   e.udbetalingsdato, 'effektuering', e.id, 1,
                   left(format('%%s %%s-%%s', b.ydelsestype, to_char(e.periode_fra, 'DD.MM'),
                               to_char(e.periode_til, 'DD.MM.YYYY')), 40),
                   'klar', now(), '', now()
            {base} AND NOT {closed}
            ON CONFLICT (kilde, kilde_id, forsoeg) DO NOTHING""", {"k": kommune_id})
        return cur.rowcount, fejl


# seed 004, 3.3.2: udbetalingsform 0 kontant, 1 bank (PBS, today NemKonto), 2 standardcheck
UB_MAADE = {0: Maade.KONTANT, 1: Maade.NEMKONTO, 2: Maade.STANDARDCHECK}


def dan_fra_underholdsbidrag(kommune_id: int, *, dry_run: bool = False) -> tuple[int, list[tuple[str, str]]]:
    """The underholdsbidrag run's payouts (seed 004, 3.3.2: per recipient and udbetalingsdato, form
    decided by the run) become udbetalinger: form 1 NemKonto, 2 standardcheck, 0 kontant; the
    kommune as recipient (bidragskode 02) has no CPR. A payout of 0 kr. or less (advis 620) or to a
    BB without a valid CPR is a per-item error and pays nothing."""
    src = "underholdsbidrag_udbetaling"
    with connection.cursor() as cur:
        cur.execute(f"""SELECT x.id, x.beloeb, x.modtager FROM {src} x
                        WHERE x.kommune_id = %(k)s AND (x.beloeb <= 0 OR (x.modtager <> 'kommune' AND x.modtager !~ '^[0-9]{{10}}$'))
                          AND NOT EXISTS (SELECT 1 FROM {T} u WHERE u.kilde = 'underholdsbidrag' AND u.kilde_id = x.id)
                        ORDER BY x.id""", {"k": kommune_id})
        fejl = [(f"underholdsbidrag-udbetaling {i}",
                 f"beløbet {b} kr. er ikke positivt; udbetales ikke (advis 620)" if b <= 0
                 else f"modtagerens CPR-nummer mangler eller er ugyldigt ({m!r}); udbetales ikke")
                for i, b, m in cur.fetchall()]
        good = "x.kommune_id = %(k)s AND x.beloeb > 0 AND (x.modtager = 'kommune' OR x.modtager ~ '^[0-9]{10}$')"
        if dry_run:
            cur.execute(f"""SELECT count(*) FROM {src} x WHERE {good}
                            AND NOT EXISTS (SELECT 1 FROM {T} u WHERE u.kilde = 'underholdsbidrag' AND u.kilde_id = x.id)""",
                        {"k": kommune_id})
            return cur.fetchone()[0], fejl
        cur.execute(f"""
            INSERT INTO {T} ({_INSERT_COLS})
            SELECT x.kommune_id, CASE WHEN x.modtager = 'kommune' THEN NULL ELSE x.modtager END, p.id, NULL, NULL,
                   CASE WHEN x.modtager = 'kommune' THEN 'kommune' ELSE 'borger' END,
                   CASE x.udbetalingsform WHEN 1 THEN 'nemkonto' WHEN 2 THEN 'standardcheck' ELSE 'kontant' END,
                   x.beloeb, x.udbetalingsdato, 'underholdsbidrag', x.id, 1,
                   'Underholdsbidrag ' || to_char(x.udbetalingsdato, 'DD.MM.YYYY'), 'klar', now(), '', now()
            FROM {src} x LEFT JOIN cases_person p ON p.cpr = x.modtager
            WHERE {good}
            ON CONFLICT (kilde, kilde_id, forsoeg) DO NOTHING""", {"k": kommune_id})
        return cur.rowcount, fejl


def _beloeb(value) -> Decimal:
    from ky.core.beloeb import UgyldigtBeloeb, parse_beloeb

    if isinstance(value, str):
        try:
            v = parse_beloeb(value)
        except UgyldigtBeloeb as exc:
            raise DomainError(str(exc), "beloeb", "beloeb") from None
    else:
        try:
            v = Decimal(value)
        except (InvalidOperation, ValueError, TypeError):
            raise DomainError("Beløbet er ikke et gyldigt tal.", "beloeb", "beloeb") from None
    if not v.is_finite():
        raise DomainError("Beløbet er ikke et gyldigt tal.", "beloeb", "beloeb")
    v = v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)  # rounded once, half up to øre
    if v <= 0:
        raise DomainError("Beløbet skal være større end 0.", "beloeb", "beloeb")
    if v >= MAX_BELOEB:
        raise DomainError("Beløbet er for stort.", "beloeb", "beloeb")
    return v


@transaction.atomic
def opret_kvikudbetaling(user, *, bevilling, beloeb, begrundelse: str, today: dt.date | None = None) -> Udbetaling:
    """A caseworker's same-day payment on an open bevilling (udbetaling.md): sent by
    ``sf1590-e-transfer-payment-arbejdstid`` within half an hour in working hours."""
    from cases.models import Bevilling, BevillingStatus

    today = today or timezone.localdate()
    beloeb = _beloeb(beloeb)
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise DomainError("Angiv en begrundelse.", "begrundelse", "begrundelse")
    b = Bevilling.objects.for_user(user).select_related("person").filter(pk=getattr(bevilling, "pk", bevilling)).first()
    if b is None:
        raise DomainError("Bevillingen findes ikke.", "ukendt_bevilling", "bevilling")
    if b.status != BevillingStatus.BEVILGET or b.bevilget_fra > today or (b.bevilget_til and b.bevilget_til < today):
        raise DomainError("Bevillingen er ikke åben i dag; der kan ikke kvikudbetales på den.", "bevilling_lukket",
                          "bevilling")
    kvik = Kvikudbetaling.objects.create(kommune_id=b.kommune_id, bevilling=b, beloeb=beloeb, begrundelse=begrundelse,
                                         bruger=user)
    return Udbetaling.objects.create(
        kommune_id=b.kommune_id, cpr=b.person.cpr, person_id=b.person_id, sag_id=b.sag_id, bevilling=b,
        modtagertype=Modtagertype.BORGER, maade=Maade.NEMKONTO, beloeb=beloeb, udbetalingsdato=today,
        kilde=Kilde.KVIKUDBETALING, kilde_id=kvik.pk, posteringstekst=f"Kvikudbetaling {b.ydelsestype}"[:40],
        oprettet_af=user)


# ---------------------------------------------------------------- status changes (states.py)

def skift(u: Udbetaling, event: str, **fields) -> Udbetaling:
    """Move one (locked) udbetaling by ``event``; Conflict when the table does not allow it."""
    ny = states.target(event, u.status)
    if ny is None:
        raise Conflict(f"Udbetalingen er {u.get_status_display().lower()} og kan ikke det.", "status", "status")
    u.status, u.status_tid = ny, timezone.now()
    for k, v in fields.items():
        setattr(u, k, v)
    u.save(update_fields=["status", "status_tid", *fields])
    return u


def opret_afvist_opgaver(kommune_id: int, ids: list[int]) -> int:
    """One task per afvist udbetaling in the kommune's opgavepakke "Afviste udbetalinger" (idempotent
    by noegle)."""
    from cases.models import Opgave
    from cases.services import opgavepakke

    if not ids:
        return 0
    pakke = opgavepakke(kommune_id, *AFVIST_PAKKE)
    rows = Udbetaling.objects.filter(pk__in=ids).values_list("id", "person_id", "sag_id", "beloeb", "afvist_aarsag",
                                                             "udbetalingsdato")
    made = Opgave.objects.bulk_create([
        Opgave(kommune_id=kommune_id, opgavepakke=pakke, type=AFVIST_OPGAVETYPE, person_id=person_id, sag_id=sag_id,
               titel=f"Afvist udbetaling {beloeb} kr. ({dato:%d.%m.%Y}): {aarsag or 'ingen årsag'}"[:300],
               aarsag=OpgaveAarsag.AFVIST_NEMKONTO, noegle=f"udb-{uid}", data={"udbetaling": uid})
        for uid, person_id, sag_id, beloeb, aarsag, dato in rows], ignore_conflicts=True)
    return len(made)


@transaction.atomic
def send_igen(user, udbetaling: Udbetaling, *, udbetalingsdato: dt.date | None = None,
              today: dt.date | None = None) -> Udbetaling:
    """After correction (e.g. the borger has registered a NemKonto), an afvist udbetaling is paid
    again as a NEW udbetaling with the same kilde (forsøg + 1); its task is done. The partial unique
    index stops a second live payment of the kilde whatever happens concurrently."""
    from cases.models import Opgave, OpgaveStatus

    today = today or timezone.localdate()
    u = Udbetaling.objects.for_user(user).select_for_update().get(pk=udbetaling.pk)
    if u.status != Status.AFVIST:
        raise Conflict("Kun en afvist udbetaling kan sendes igen.", "ikke_afvist", "status")
    if Udbetaling.objects.filter(forrige=u).exists():
        raise Conflict("Udbetalingen er allerede sendt igen.", "sendt_igen", "status")
    dato = udbetalingsdato or today
    if dato < today:
        raise DomainError("Udbetalingsdatoen kan ikke ligge før i dag.", "udbetalingsdato", "udbetalingsdato")
    ny = Udbetaling.objects.create(
        kommune_id=u.kommune_id, cpr=u.cpr, person_id=u.person_id, sag_id=u.sag_id, bevilling_id=u.bevilling_id,
        modtagertype=u.modtagertype, maade=u.maade, beloeb=u.beloeb, udbetalingsdato=dato, kilde=u.kilde,
        kilde_id=u.kilde_id, forsoeg=u.forsoeg + 1, forrige=u, posteringstekst=u.posteringstekst, oprettet_af=user)
    Opgave.objects.filter(kommune_id=u.kommune_id, type=AFVIST_OPGAVETYPE, noegle=f"udb-{u.pk}",
                          status__in=(OpgaveStatus.AABEN, OpgaveStatus.RESERVERET)).update(
        status=OpgaveStatus.UDFOERT, afsluttet=timezone.now(), afsluttet_af=user,
        data={"udbetaling": u.pk, "genudbetaling": ny.pk})
    return ny


@transaction.atomic
def registrer_kontant(user, udbetaling: Udbetaling) -> Udbetaling:
    """A kontant payment (seed 004, 3.3.2 kontantliste) paid out at the kommune's kasse."""
    u = Udbetaling.objects.for_user(user).select_for_update().get(pk=udbetaling.pk)
    if u.maade != Maade.KONTANT:
        raise DomainError("Kun kontante udbetalinger udbetales i kassen.", "ikke_kontant", "maade")
    return skift(u, states.Event.UDBETAL_KONTANT)


def kontroller_opgave_afslutning(user, opgave) -> None:
    """An "afvist-udbetaling" task is closed by resending its udbetaling (send_igen), not by a plain
    status change, which would leave the payment afvist with no task (as sf2520's approval tasks).
    Registered in cases.services.AFSLUTNING_KONTROL."""
    uid = (opgave.data or {}).get("udbetaling")
    if uid and not Udbetaling.objects.filter(forrige_id=uid).exists():
        raise DomainError("Opgaven løses ved at sende udbetalingen igen.", "ikke_sendt_igen", "status")


# ---------------------------------------------------------------- NemKonto status (set-based)

STATUS_EVENT = {"G": states.Event.GENNEMFOER, "A": states.Event.AFVIS}


def kontroller_status(kommune_id: int, poster: list[tuple[int, int, str, str]]) -> list[tuple[int, str]]:
    """The problems of a NemKonto status file's records [(line, betalings-id, G/A, reason)] against
    the kommune's udbetalinger, in one query: an unknown betalings-id, one never sent, or one
    already ended otherwise. A record repeating a payment's end state (a file delivered twice) is
    fine. Returns [(line, message)]."""
    if not poster:
        return []
    # allowed: a status the record's event moves, or the event's end state already (a repeat)
    tilladt = {k: [*states.from_states(e), *{str(v) for v in states.TRANSITIONS[e].values()}]
               for k, e in STATUS_EVENT.items()}
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT s.linje, s.id, s.st, u.status
            FROM unnest(%s::int[], %s::bigint[], %s::text[]) AS s(linje, id, st)
            LEFT JOIN {T} u ON u.id = s.id AND u.kommune_id = %s
            WHERE u.id IS NULL OR NOT (u.status = ANY(CASE s.st WHEN 'G' THEN %s::text[] ELSE %s::text[] END))
            ORDER BY s.linje""",
                    [[p[0] for p in poster], [p[1] for p in poster], [p[2] for p in poster], kommune_id,
                     tilladt["G"], tilladt["A"]])
        out = []
        for linje, bid, _st, status in cur.fetchall():
            if status is None:
                out.append((linje, f"ukendt betalings-id {bid}"))
            elif status == Status.KLAR:
                out.append((linje, f"betaling {bid} er ikke sendt"))
            else:
                out.append((linje, f"betaling {bid} har allerede status {status}"))
        return out


def anvend_status(kommune_id: int, poster: list[tuple[int, int, str, str]]) -> tuple[int, int]:
    """Apply checked status records: G -> gennemført, A -> afvist with the reason and a task in
    "Afviste udbetalinger". Set-based, by the state table; records repeating an end state change
    nothing. Returns (gennemført, afvist)."""
    if not poster:
        return 0, 0
    g, a = states.Event.GENNEMFOER, states.Event.AFVIS
    with connection.cursor() as cur:
        cur.execute(f"""
            UPDATE {T} u
               SET status = CASE s.st WHEN 'G' THEN {states.case_sql(g, 'u.status')}
                                      ELSE {states.case_sql(a, 'u.status')} END,
                   afvist_aarsag = CASE s.st WHEN 'A' THEN left(s.aarsag, 30) ELSE '' END,
                   status_tid = now()
              FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS s(id, st, aarsag)
             WHERE u.id = s.id AND u.kommune_id = %s
               AND ((s.st = 'G' AND u.status IN {states.from_sql(g)}) OR (s.st = 'A' AND u.status IN {states.from_sql(a)}))
            RETURNING u.id, u.status""",
                    [[p[1] for p in poster], [p[2] for p in poster], [p[3] for p in poster], kommune_id])
        rows = cur.fetchall()
    afviste = [i for i, st in rows if st == Status.AFVIST]
    opret_afvist_opgaver(kommune_id, afviste)
    return len(rows) - len(afviste), len(afviste)

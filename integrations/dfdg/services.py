"""Writes of DFDG FristService (seed 003; contract dfdg-frister.md).

Every status change goes through ``_overgang`` (per row) or the daily job's
set-based SQL, and both take the target status from ``states.TRANSITIONS``.
Every status a frist gets is written to its history (FristStatusaendring).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases.services import check_kommune
from integrations.dfdg import states
from integrations.dfdg.models import (
    LUKKEDE, Booking, Frist, FristStatus, FristStatusaendring, Fravaer, RequestId, Samtaletype,
)
from integrations.dfdg.states import Event
from ky.api import Conflict, DomainError
from ky.scoping import user_kommune_codes

# seed 003, CreateFrist: fejlkode 8301
KODE_8301 = "8301"
TEKST_8301 = "Fristen kan ikke oprettes på grund af borgers fravær og fritagelser"

#: "aktivt fravær 75 'Kontaktforløb er hos a-kassen'" (checked against today)
FRAVAER_AKASSE = 75
#: absences that block CreateFrist when their period contains fristdato (seed 003, CreateFrist)
FRAVAER_BLOKERER_OPRET = (56, 57, 10, 47, 76)
#: absences that block a change of fristdato (seed 003, UpdateFrist)
FRAVAER_BLOKERER_AENDRING = (10, 47, 76)
#: absences that close the citizen's frister when registered (seed 003, "Automatisk opdatering af frister")
FRAVAER_LUKKER = (75, 56, 57)

REQUEST_ID_MAX = 46


class RequestIdSeen(DomainError):
    """x-requestId seen before: 412, nothing changed (contract, "Every write accepts ...")."""

    status_code = 412

    def __init__(self, request_id: str):
        super().__init__(f"Forespørgslen med x-requestId {request_id!r} er allerede modtaget; intet er ændret.",
                         "request_id_genbrugt", None)


def check_request_id(request_id: str | None) -> str | None:
    if request_id is None:
        return None
    if not request_id or len(request_id) > REQUEST_ID_MAX:
        raise DomainError(f"x-requestId skal være 1-{REQUEST_ID_MAX} tegn.", "request_id", "x-requestId")
    if RequestId.objects.filter(request_id=request_id).exists():
        raise RequestIdSeen(request_id)
    return request_id


def _remember_request_id(request_id: str | None, user) -> None:
    """Store the id in the caller's transaction; a concurrent twin waits on the unique index and gets 412."""
    if request_id is not None:
        RequestId.objects.create(request_id=request_id, bruger=getattr(user, "username", "") or "")


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(getattr(exc, "__cause__", None), "diag", None)
    return getattr(diag, "constraint_name", None)


class _Retry(Exception):
    pass


def idempotent(func):
    """Run a write service in one transaction with an optional ``request_id`` stored in it.

    A write losing a race on the partial unique index ``en_aaben_frist`` (a concurrent create committed
    first) is retried as a whole, so it closes the other frist per the rules; after 3 tries it is a 409.
    """

    @functools.wraps(func)
    def wrapper(user, *args, request_id: str | None = None, **kwargs):
        request_id = check_request_id(request_id)
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    _remember_request_id(request_id, user)
                    return func(user, *args, **kwargs)
            except IntegrityError as exc:
                name = _constraint_name(exc)
                if name and name.startswith("dfdg_requestid"):
                    raise RequestIdSeen(request_id) from None
                if name != "en_aaben_frist":
                    raise
        raise Conflict("En anden frist for borgeren og samtaletypen blev oprettet samtidig. Prøv igen.",
                       "samtidig_oprettelse")

    return wrapper


# --- state changes -----------------------------------------------------------------------------

def _overgang(frister, event: str, aarsag: str, now: dt.datetime) -> list[Frist]:
    """Move each frist per ``TRANSITIONS[event]`` (frister that cannot take the event are left) and log it."""
    changed = []
    for frist in frister:
        new = states.target(event, frist.status)
        if new is None:
            continue
        frist.status = new
        frist.aendret = now
        changed.append(frist)
    if changed:
        Frist.objects.bulk_update(changed, ["status", "aendret"])
        FristStatusaendring.objects.bulk_create(
            [FristStatusaendring(frist=f, status=f.status, tidspunkt=now, aarsag=aarsag) for f in changed]
        )
    return changed


def _aabne(cpr: str, samtaletype: int | None = None):
    qs = Frist.objects.filter(cpr=cpr).exclude(status__in=LUKKEDE)
    if samtaletype is not None:
        qs = qs.filter(samtaletype=samtaletype)
    return qs.select_for_update().order_by("id")


def _fravaer_indeholder(cpr: str, typer, dato: dt.date) -> bool:
    return Fravaer.objects.filter(cpr=cpr, fravaerstype__in=typer, fra__lte=dato).exclude(til__lt=dato).exists()


def _forhindringer(cpr: str, samtaletype: int, fristdato: dt.date, today: dt.date) -> tuple[bool, int | None]:
    """One round trip for CreateFrist: (8301 absence exists, id of the first booking of the samtaletype after today).

    seed 003, CreateFrist: an active absence 75 today, or 56/57/10/47/76 whose period contains fristdato.
    Raw SQL because it is on the hot path."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM dfdg_fravaer WHERE cpr = %s AND (
                    (fravaerstype = %s AND fra <= %s AND (til IS NULL OR til >= %s))
                    OR (fravaerstype = ANY(%s) AND fra <= %s AND (til IS NULL OR til >= %s)))
            ), (
                SELECT id FROM dfdg_booking WHERE cpr = %s AND samtaletype = %s AND moededato > %s
                ORDER BY moededato, id LIMIT 1
            )""",
            [cpr, FRAVAER_AKASSE, today, today, list(FRAVAER_BLOKERER_OPRET), fristdato, fristdato,
             cpr, samtaletype, today],
        )
        blokeret, booking_id = cur.fetchone()
    return bool(blokeret), booking_id


def _kommune_id(user, kommune) -> int:
    """The kommune's code; one of a kommune-bound user's own kommuner needs no query (they exist)."""
    codes = user_kommune_codes(user)
    if codes is not None and kommune in codes:
        return kommune
    return check_kommune(user, kommune).pk


# --- CreateFrist / UpdateFrist -----------------------------------------------------------------

@idempotent
def opret_frist(user, *, kommune, cpr: str, samtaletype: int, fristdato: dt.date,
                fristaktiveringsdato: dt.date | None = None) -> Frist:
    today = timezone.localdate()
    if samtaletype not in Samtaletype.values:
        raise DomainError("Samtaletypen skal være 4, 7 eller 17.", "samtaletype", "samtaletype")
    if fristaktiveringsdato is not None and fristaktiveringsdato <= today:
        raise DomainError("Fristaktiveringsdato skal ligge efter dags dato.", "fristaktiveringsdato",
                          "fristaktiveringsdato")
    kommune_id = _kommune_id(user, kommune)
    blokeret, booking_id = _forhindringer(cpr, samtaletype, fristdato, today)
    if blokeret:
        raise DomainError(TEKST_8301, KODE_8301)

    # seed 003, CreateFrist: status is computed, never given
    if booking_id is not None:
        status, fristaktiveringsdato = FristStatus.INDFRIET, today
    elif fristaktiveringsdato is None:
        status, fristaktiveringsdato = FristStatus.AKTIV, today
    else:
        status = FristStatus.IKKE_AKTIVERET

    now = timezone.now()
    closed = ",".join(str(int(x)) for x in LUKKEDE)
    with connection.cursor() as cur:
        # the earlier not-closed frist of the CPR and samtaletype is closed in the same transaction
        # (per TRANSITIONS[LUK]), with its history row; one statement on the hot path
        cur.execute(
            f"""WITH changed AS (
                    UPDATE dfdg_frist SET status = {states.case_sql(Event.LUK)}, aendret = %s
                    WHERE cpr = %s AND samtaletype = %s AND status NOT IN ({closed}) RETURNING id, status)
                INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag)
                SELECT id, status, %s, %s FROM changed""",
            [now, cpr, samtaletype, now, "Lukket ved oprettelse af ny frist"],
        )
        cur.execute(
            """WITH ny AS (
                    INSERT INTO dfdg_frist (kommune_id, cpr, samtaletype, fristdato, fristaktiveringsdato, status,
                                            booking_id, oprettet, aendret)
                    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id, status),
                h AS (INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag)
                      SELECT id, status, %s, %s FROM ny)
                SELECT id FROM ny""",
            [kommune_id, cpr, samtaletype, fristdato, fristaktiveringsdato, int(status), booking_id, now, now,
             now, "Oprettet"],
        )
        frist_id = cur.fetchone()[0]
    return Frist(id=frist_id, kommune_id=kommune_id, cpr=cpr, samtaletype=samtaletype, fristdato=fristdato,
                 fristaktiveringsdato=fristaktiveringsdato, status=int(status), booking_id=booking_id, oprettet=now,
                 aendret=now)


@idempotent
def opdater_frist(user, frist: Frist, **changes) -> Frist:
    """UpdateFrist (seed 003): only the fields given in ``changes`` (fristdato, fristaktiveringsdato, status)."""
    frist = Frist.objects.select_for_update().get(pk=frist.pk)
    if frist.lukket:
        raise DomainError("En lukket frist kan ikke ændres.", "frist_lukket", "status")
    today = timezone.localdate()
    now = timezone.now()
    wanted = changes.get("status")
    if wanted is not None and wanted != frist.status and not states.explicit_allowed(frist.status, wanted):
        raise DomainError(
            f"Status kan ikke ændres fra {frist.status} ({frist.status_tekst}) til {wanted}. "
            "Tilladt: Ikke aktiveret, Aktiv og Overskredet til 4; Indfriet til 5.",
            "status_overgang", "status",
        )
    if wanted == frist.status:
        raise DomainError(f"Fristen har allerede status {frist.status} ({frist.status_tekst}).", "status_overgang",
                          "status")
    lukker = wanted is not None

    fields = []
    ny_fristdato = changes.get("fristdato")
    if ny_fristdato is not None and ny_fristdato != frist.fristdato:
        # seed 003, UpdateFrist: 8301 when absence 10/47/76 contains the new fristdato; closing is always allowed
        if not lukker and _fravaer_indeholder(frist.cpr, FRAVAER_BLOKERER_AENDRING, ny_fristdato):
            raise DomainError(TEKST_8301, KODE_8301)
        frist.fristdato = ny_fristdato
        fields.append("fristdato")

    aktivering = changes.get("fristaktiveringsdato")
    aktiver = False
    if aktivering is not None and aktivering != frist.fristaktiveringsdato and not lukker:
        if frist.status != FristStatus.IKKE_AKTIVERET:
            raise DomainError("Fristaktiveringsdato kan kun ændres på en ikke aktiveret frist.",
                              "fristaktiveringsdato", "fristaktiveringsdato")
        if aktivering < today:
            raise DomainError("Fristaktiveringsdato kan ikke ligge før dags dato.", "fristaktiveringsdato",
                              "fristaktiveringsdato")
        frist.fristaktiveringsdato = aktivering
        fields.append("fristaktiveringsdato")
        # seed 003, UpdateFrist: fristaktiveringsdato set to today turns Ikke aktiveret into Aktiv
        aktiver = aktivering == today

    if fields:
        frist.aendret = now
        frist.save(update_fields=[*fields, "aendret"])
    if lukker:
        _overgang([frist], Event.LUK, "Lukket af jobcenter", now)
    elif aktiver:
        _overgang([frist], Event.AKTIVER, "Aktiveret (fristaktiveringsdato er dags dato)", now)
    return frist


# --- automatic rules ---------------------------------------------------------------------------

@idempotent
def registrer_fravaer(user, *, cpr: str, fravaerstype: int, fra: dt.date, til: dt.date | None = None) -> Fravaer:
    if til is not None and til < fra:
        raise DomainError("Til-dato kan ikke ligge før fra-dato.", "periode", "til")
    fravaer = Fravaer.objects.create(cpr=cpr, fravaerstype=fravaerstype, fra=fra, til=til)
    if fravaerstype in FRAVAER_LUKKER:
        # seed 003: absence 75, 56 or 57 closes the citizen's frister
        _overgang(list(_aabne(cpr)), Event.LUK, f"Lukket ved registrering af fravær {fravaerstype}", timezone.now())
    return fravaer


@idempotent
def registrer_booking(user, *, cpr: str, samtaletype: int, moededato: dt.date) -> Booking:
    if samtaletype not in Samtaletype.values:
        raise DomainError("Samtaletypen skal være 4, 7 eller 17.", "samtaletype", "samtaletype")
    booking = Booking.objects.create(cpr=cpr, samtaletype=samtaletype, moededato=moededato)
    # seed 003: a booking indfrier the not-closed frist of that samtaletype
    frister = list(_aabne(cpr, samtaletype))
    for frist in frister:
        frist.booking = booking
    if frister:
        Frist.objects.bulk_update(frister, ["booking"])
    _overgang(frister, Event.INDFRI, "Indfriet ved booking", timezone.now())
    return booking


@idempotent
def cpr_skift(user, *, gammel_cpr: str, ny_cpr: str) -> dict:
    """Move every frist (with its history), booking and absence of ``gammel_cpr`` to ``ny_cpr``."""
    if gammel_cpr == ny_cpr:
        raise DomainError("Nyt og gammelt CPR-nummer er ens.", "cpr_ens", "ny_cpr")
    now = timezone.now()
    gamle = list(_aabne(gammel_cpr))
    nye = {f.samtaletype: f for f in _aabne(ny_cpr)}
    # both CPRs may have a not-closed frist of a samtaletype: the older is closed as on CreateFrist
    aeldre = []
    for frist in gamle:
        other = nye.get(frist.samtaletype)
        if other is not None:
            aeldre.append(frist if (frist.oprettet, frist.pk) < (other.oprettet, other.pk) else other)
    _overgang(aeldre, Event.LUK, "Lukket ved CPR-skift (borgeren havde to frister)", now)
    try:
        with transaction.atomic():
            frister = Frist.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr, aendret=now)
            bookinger = Booking.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr)
            fravaer = Fravaer.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr)
    except IntegrityError:
        raise Conflict("En frist blev oprettet samtidig på det nye CPR-nummer. Prøv igen.", "samtidig_oprettelse")
    return {"gammel_cpr": gammel_cpr, "ny_cpr": ny_cpr, "frister": frister, "bookinger": bookinger, "fravaer": fravaer}


# --- daily job ---------------------------------------------------------------------------------

def _insert_history_sql(changed_cte: str, aarsag_param: str = "%s") -> str:
    return (f"{changed_cte} INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag) "
            f"SELECT id, status, %s, {aarsag_param} FROM changed ORDER BY id")


def opdater_frister(as_of: dt.date) -> dict[str, int]:
    """The daily job (seed 003, "Automatisk opdatering af frister"), set-based: one statement per rule."""
    now = timezone.now()
    counts = {}
    closed = ",".join(str(int(s)) for s in LUKKEDE)
    with transaction.atomic(), connection.cursor() as cur:
        # 1. booking's mødedato reached: Indfriet, then closed (Administrativt lukket); both in the history
        indfri_from = ",".join(map(str, states.from_states(Event.INDFRI)))
        cur.execute(
            f"""
            WITH cand AS (
                SELECT f.id, f.status AS old FROM dfdg_frist f JOIN dfdg_booking b ON b.id = f.booking_id
                WHERE f.status NOT IN ({closed}) AND b.moededato <= %s FOR UPDATE OF f
            ), indfriet AS (
                SELECT id, {states.case_sql(Event.INDFRI, 'old')} AS status FROM cand WHERE old IN ({indfri_from})
            ), changed AS (
                UPDATE dfdg_frist f SET status = {states.case_sql(Event.MOEDE_NAAET, 'COALESCE(i.status, c.old)')},
                       aendret = %s
                FROM cand c LEFT JOIN indfriet i ON i.id = c.id
                WHERE f.id = c.id RETURNING f.id, f.status
            )
            INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag)
            SELECT id, status, %s, aarsag FROM (
                SELECT id, status, 1 AS seq, 'Mødedato nået (indfriet)' AS aarsag FROM indfriet
                UNION ALL
                SELECT id, status, 2 AS seq, 'Mødedato nået: administrativt lukket' FROM changed
            ) x ORDER BY id, seq
            """,
            [as_of, now, now],
        )
        counts["lukket_efter_moede"] = _count(cur, "dfdg_friststatusaendring", now, "Mødedato nået: administrativt lukket")

        # 2. Ikke aktiveret with fristaktiveringsdato <= D -> Aktiv
        cur.execute(
            _insert_history_sql(
                f"""WITH changed AS (
                    UPDATE dfdg_frist SET status = {states.case_sql(Event.AKTIVER)}, aendret = %s
                    WHERE status IN ({','.join(map(str, states.from_states(Event.AKTIVER)))})
                      AND fristaktiveringsdato <= %s RETURNING id, status)"""
            ),
            [now, as_of, now, "Aktiveret (fristaktiveringsdato nået)"],
        )
        counts["aktiveret"] = cur.rowcount

        # 3. Aktiv with fristdato < D and no booking -> Overskredet
        cur.execute(
            _insert_history_sql(
                f"""WITH changed AS (
                    UPDATE dfdg_frist f SET status = {states.case_sql(Event.OVERSKRID)}, aendret = %s
                    WHERE f.status IN ({','.join(map(str, states.from_states(Event.OVERSKRID)))})
                      AND f.fristdato < %s AND f.booking_id IS NULL
                      AND NOT EXISTS (SELECT 1 FROM dfdg_booking b WHERE b.cpr = f.cpr
                                      AND b.samtaletype = f.samtaletype AND b.moededato >= %s)
                    RETURNING f.id, f.status)"""
            ),
            [now, as_of, as_of, now, "Overskredet (fristdato passeret uden booking)"],
        )
        counts["overskredet"] = cur.rowcount
    return counts


def _count(cur, table: str, now, aarsag: str) -> int:
    cur.execute(f"SELECT count(*) FROM {table} WHERE tidspunkt = %s AND aarsag = %s", [now, aarsag])
    return cur.fetchone()[0]

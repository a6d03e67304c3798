"""Writes of DFDG FristService (seed 003; contract dfdg-frister.md).

Every status change goes through ``_overgang`` (per row) or the daily job's
set-based SQL, and both take the target status from ``states.TRANSITIONS``.
Every status a frist gets is written to its history (FristStatusaendring).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import weakref

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone

from cases.services import check_kommune
from integrations.dfdg import states
from integrations.dfdg.models import (
    LUKKEDE, Abonnement, Besked, Booking, Frist, FristStatus, FristStatusaendring, Fravaer, Kanal, Kontaktforloeb,
    Kontaktgruppe, RequestId, Samtaletype,
)
from integrations.dfdg.states import Event
from ky.core.api import Conflict, DomainError
from ky.core.scoping import sees_all_kommuner

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

#: CreateFrist refused by the kontaktgruppe rule (seed 003, CreateFrist; docs/dfdg.md)
KODE_KONTAKTGRUPPE = "kontaktgruppe"
KODE_INGEN_KONTAKTGRUPPE = "ingen_kontaktgruppe"

REQUEST_ID_MAX = 46


class RequestIdSeen(DomainError):
    """x-requestId seen before: 412, nothing changed (contract, "Every write accepts ...")."""

    status_code = 412

    def __init__(self, request_id: str):
        super().__init__(f"Forespørgslen med x-requestId {request_id!r} er allerede modtaget; intet er ændret.",
                         "request_id_genbrugt", None)


def _check_request_id_form(request_id: str | None) -> None:
    """1-46 characters, none of them a control character: HTTP clients may send NUL, which PostgreSQL text
    cannot hold (it was a 500)."""
    if request_id is not None and (not request_id or len(request_id) > REQUEST_ID_MAX
                                   or not all(c == "\t" or (" " <= c and c != "\x7f") for c in request_id)):
        raise DomainError(f"x-requestId skal være 1-{REQUEST_ID_MAX} synlige tegn.", "request_id", "x-requestId")


def check_request_id(request_id: str | None) -> str | None:
    if request_id is None:
        return None
    _check_request_id_form(request_id)
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

def _overgang(frister, event: str, aarsag: str, now: dt.datetime, also: list[str] = ()) -> list[Frist]:
    """Move each frist per ``TRANSITIONS[event]`` (frister that cannot take the event are left) and log it.
    ``also``: fields changed on every frist given, saved in the same UPDATE."""
    changed = []
    for frist in frister:
        new = states.target(event, frist.status)
        if new is None:
            continue
        frist.status = new
        changed.append(frist)
    saved = list(frister) if also else changed
    for frist in saved:
        frist.aendret = now
    if saved:
        Frist.objects.bulk_update(saved, ["status", "aendret", *also])
    if changed:
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


# --- CreateFrist / UpdateFrist -----------------------------------------------------------------

_LUKKEDE_SQL = ",".join(str(int(x)) for x in LUKKEDE)

#: CreateFrist as ONE statement (the hot path: one round trip, and in autocommit no BEGIN/COMMIT round trips).
#: chk: the kommune exists and the user may write in it; the x-requestId was not seen; no 8301 absence
#: (seed 003, CreateFrist: an active absence 75 today, or 56/57/10/47/76 whose period contains fristdato);
#: the citizen's current kontaktgruppe (kg: the kontaktforløb in force today) allows the samtaletype today (the
#: dated table SamtaletypeKontaktgruppe); the first booking of the samtaletype after today. Only when all pass (``ok`` has a row): the request id is
#: stored, the earlier not-closed frist of the CPR and samtaletype is closed per TRANSITIONS[LUK] with its
#: history row, and the new frist is inserted with its history row. Times are the statement's start on the
#: database ((SELECT ts FROM t)): a frist this statement can see and close was committed by a statement
#: that started earlier, so a frist's history stays in order even when creates race (a time taken in Python
#: before the statement could be older than the frist it closes). ``count(*) FROM lukket`` makes the INSERT
#: wait for the UPDATE, so the partial unique index ``en_aaben_frist`` sees the earlier frist closed; a frist a
#: concurrent create committed first raises IntegrityError on that index and the statement is retried.
#: Status is computed, never given (seed 003, CreateFrist): Indfriet (activation today) with a booking after
#: today, else Aktiv (activation today) without fristaktiveringsdato, else Ikke aktiveret.
_OPRET_SQL = f"""
WITH t AS MATERIALIZED (SELECT clock_timestamp() AS ts),
kg AS MATERIALIZED (
    SELECT kf.kontaktgruppe_id AS kode, g.navn FROM dfdg_kontaktforloeb kf
    JOIN dfdg_kontaktgruppe g ON g.kode = kf.kontaktgruppe_id
    WHERE kf.cpr = %(cpr)s AND kf.fra <= %(today)s AND (kf.til IS NULL OR kf.til >= %(today)s)
    ORDER BY kf.fra DESC, kf.id DESC LIMIT 1
),
chk AS (
    SELECT EXISTS (SELECT 1 FROM cases_kommune WHERE kode = %(kommune)s) AS kommune_findes,
           (%(alle)s OR EXISTS (SELECT 1 FROM cases_user_kommuner
                                 WHERE user_id = %(user_id)s AND kommune_id = %(kommune)s)) AS adgang,
           (%(rid)s::varchar IS NOT NULL
            AND EXISTS (SELECT 1 FROM dfdg_requestid WHERE request_id = %(rid)s)) AS rid_set,
           EXISTS (SELECT 1 FROM dfdg_fravaer WHERE cpr = %(cpr)s AND (
                       (fravaerstype = {FRAVAER_AKASSE} AND fra <= %(today)s AND (til IS NULL OR til >= %(today)s))
                       OR (fravaerstype IN ({",".join(map(str, FRAVAER_BLOKERER_OPRET))})
                           AND fra <= %(fristdato)s AND (til IS NULL OR til >= %(fristdato)s)))) AS blokeret,
           (SELECT id FROM dfdg_booking WHERE cpr = %(cpr)s AND samtaletype = %(samtaletype)s
                                          AND moededato > %(today)s
            ORDER BY moededato, id LIMIT 1) AS booking_id,
           (SELECT navn FROM kg) AS kontaktgruppe,
           EXISTS (SELECT 1 FROM dfdg_samtaletypekontaktgruppe r JOIN kg ON r.kontaktgruppe_id = kg.kode
                   WHERE r.samtaletype = %(samtaletype)s AND r.gyldig_fra <= %(today)s
                     AND (r.gyldig_til IS NULL OR r.gyldig_til >= %(today)s)) AS kontaktgruppe_ok
), ok AS (
    SELECT booking_id FROM chk WHERE kommune_findes AND adgang AND NOT rid_set AND NOT blokeret AND kontaktgruppe_ok
), rid AS (
    INSERT INTO dfdg_requestid (request_id, bruger, tidspunkt)
    SELECT %(rid)s, %(bruger)s, (SELECT ts FROM t) FROM ok WHERE %(rid)s::varchar IS NOT NULL
), lukket AS (
    UPDATE dfdg_frist SET status = {states.case_sql(Event.LUK)}, aendret = (SELECT ts FROM t)
    WHERE cpr = %(cpr)s AND samtaletype = %(samtaletype)s AND status NOT IN ({_LUKKEDE_SQL})
      AND EXISTS (SELECT 1 FROM ok)
    RETURNING id, status
), lukket_h AS (
    INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag)
    SELECT id, status, (SELECT ts FROM t), 'Lukket ved oprettelse af ny frist' FROM lukket
), ny AS (
    INSERT INTO dfdg_frist (kommune_id, cpr, samtaletype, fristdato, fristaktiveringsdato, status, booking_id,
                            oprettet, aendret)
    SELECT %(kommune)s, %(cpr)s, %(samtaletype)s, %(fristdato)s,
           CASE WHEN ok.booking_id IS NULL AND %(aktivering)s::date IS NOT NULL THEN %(aktivering)s::date
                ELSE %(today)s END,
           CASE WHEN ok.booking_id IS NOT NULL THEN {int(FristStatus.INDFRIET)}
                WHEN %(aktivering)s::date IS NULL THEN {int(FristStatus.AKTIV)}
                ELSE {int(FristStatus.IKKE_AKTIVERET)} END,
           ok.booking_id, (SELECT ts FROM t), (SELECT ts FROM t)
    FROM ok CROSS JOIN (SELECT count(*) FROM lukket) AS efter_lukning
    RETURNING id, status, fristaktiveringsdato, booking_id, oprettet
), ny_h AS (
    INSERT INTO dfdg_friststatusaendring (frist_id, status, tidspunkt, aarsag)
    SELECT id, status, (SELECT ts FROM t), 'Oprettet' FROM ny
)
SELECT chk.kommune_findes, chk.adgang, chk.rid_set, chk.blokeret, chk.kontaktgruppe, chk.kontaktgruppe_ok,
       ny.id, ny.status, ny.fristaktiveringsdato, ny.booking_id, ny.oprettet
FROM chk LEFT JOIN ny ON true
"""


def kontaktgruppe_fejl(samtaletype: int, kontaktgruppe: str | None) -> DomainError:
    """seed 003, CreateFrist: a frist that cannot be indfriet in the citizen's current kontaktgruppe."""
    label = f"{samtaletype} ({Samtaletype(samtaletype).label})"
    if kontaktgruppe is None:
        return DomainError(f"Fristen kan ikke oprettes: borgeren har ingen aktuel kontaktgruppe (intet kontaktforløb "
                           f"i dag), så en frist for samtaletype {label} kan ikke indfries.", KODE_INGEN_KONTAKTGRUPPE)
    return DomainError(f"Fristen kan ikke oprettes: samtaletype {label} kan ikke indfries i borgerens nuværende "
                       f"kontaktgruppe ({kontaktgruppe}).", KODE_KONTAKTGRUPPE)


#: the parameters of _OPRET_SQL in the order of the prepared statement, with their SQL types
_OPRET_PARAMS = (
    ("kommune", "integer"), ("alle", "boolean"), ("user_id", "bigint"), ("rid", "varchar"), ("bruger", "varchar"),
    ("cpr", "varchar"), ("samtaletype", "integer"), ("fristdato", "date"), ("aktivering", "date"), ("today", "date"),
)
_OPRET_NAME = "dfdg_opret_frist"
_OPRET_PREPARE = "PREPARE {} ({}) AS {}".format(
    _OPRET_NAME, ", ".join(t for _, t in _OPRET_PARAMS),
    functools.reduce(lambda sql, i: sql.replace(f"%({_OPRET_PARAMS[i][0]})s", f"${i + 1}"), range(len(_OPRET_PARAMS)),
                     _OPRET_SQL),
)
_OPRET_EXECUTE = f"EXECUTE {_OPRET_NAME}({', '.join(['%s'] * len(_OPRET_PARAMS))})"
#: database sessions (psycopg connections) on which _OPRET_SQL is prepared; PREPARE outlives a rollback
_prepared_on: weakref.WeakSet = weakref.WeakSet()


def _execute_prepared(cur, params: dict) -> None:
    """Run _OPRET_SQL as a prepared statement: parsed and planned once per database session, which halves the
    database's CPU per CreateFrist (bench/frister_api.py). Django keeps psycopg's own preparing off (for
    connection poolers), so it is SQL-level PREPARE/EXECUTE."""
    raw = connection.connection
    if raw not in _prepared_on:
        cur.execute(_OPRET_PREPARE)
        _prepared_on.add(raw)
    try:
        cur.execute(_OPRET_EXECUTE, [params[name] for name, _ in _OPRET_PARAMS])
    except ProgrammingError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == "26000":  # the session lost it (DISCARD ALL): prepare again
            _prepared_on.discard(raw)
            raise _PreparedLost from exc
        raise


class _PreparedLost(Exception):
    pass


def opret_frist(user, *, kommune, cpr: str, samtaletype: int, fristdato: dt.date,
                fristaktiveringsdato: dt.date | None = None, request_id: str | None = None) -> Frist:
    """CreateFrist (seed 003): every rule is checked and every write done by the one statement ``_OPRET_SQL``."""
    today = timezone.localdate()
    if samtaletype not in Samtaletype.values:
        raise DomainError("Samtaletypen skal være 4, 7 eller 17.", "samtaletype", "samtaletype")
    if fristaktiveringsdato is not None and fristaktiveringsdato <= today:
        raise DomainError("Fristaktiveringsdato skal ligge efter dags dato.", "fristaktiveringsdato",
                          "fristaktiveringsdato")
    _check_request_id_form(request_id)
    if not isinstance(kommune, int) or not 0 < kommune < 10_000:
        check_kommune(user, kommune)  # raises the usual "Ukendt kommunekode"
    params = {
        "kommune": kommune, "alle": sees_all_kommuner(user), "user_id": user.pk, "rid": request_id,
        "bruger": getattr(user, "username", "") or "", "cpr": cpr, "samtaletype": samtaletype,
        "fristdato": fristdato, "aktivering": fristaktiveringsdato, "today": today,
    }
    for _attempt in range(3):
        try:
            # in autocommit the statement is its own transaction; inside a caller's transaction a savepoint
            # keeps the caller's work when the statement loses a race
            with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
                with connection.cursor() as cur:
                    _execute_prepared(cur, params)
                    (kommune_findes, adgang, rid_set, blokeret, kontaktgruppe, kontaktgruppe_ok, frist_id, status,
                     aktivering, booking_id, now) = cur.fetchone()
        except IntegrityError as exc:
            name = _constraint_name(exc)
            if name and name.startswith("dfdg_requestid"):
                raise RequestIdSeen(request_id) from None
            if name != "en_aaben_frist":
                raise
            continue
        except _PreparedLost:
            continue
        if not (kommune_findes and adgang):
            check_kommune(user, kommune)  # raises the usual message (unknown kommune / no access)
            raise DomainError("Du har ikke adgang til denne kommune.", "kommune_adgang", "kommune")
        if rid_set:
            raise RequestIdSeen(request_id)
        if blokeret:
            raise DomainError(TEKST_8301, KODE_8301)
        if not kontaktgruppe_ok:
            raise kontaktgruppe_fejl(samtaletype, kontaktgruppe)
        return Frist(id=frist_id, kommune_id=kommune, cpr=cpr, samtaletype=samtaletype, fristdato=fristdato,
                     fristaktiveringsdato=aktivering, status=status, booking_id=booking_id, oprettet=now,
                     aendret=now)
    raise Conflict("En anden frist for borgeren og samtaletypen blev oprettet samtidig. Prøv igen.",
                   "samtidig_oprettelse")


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

    # one UPDATE with the status change, so the change is one WSRM/WSB message pair (docs/dfdg.md)
    event, aarsag = ((Event.LUK, "Lukket af jobcenter") if lukker else
                     (Event.AKTIVER, "Aktiveret (fristaktiveringsdato er dags dato)") if aktiver else (None, None))
    if event is not None:
        frist.status = states.target(event, frist.status)
        fields.append("status")
    if fields:
        frist.aendret = now
        frist.save(update_fields=[*fields, "aendret"])
    if event is not None:
        FristStatusaendring.objects.create(frist=frist, status=frist.status, tidspunkt=now, aarsag=aarsag)
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
    # seed 003: a booking indfrier the not-closed frist of that samtaletype (link and status in one UPDATE)
    frister = list(_aabne(cpr, samtaletype))
    for frist in frister:
        frist.booking = booking
    _overgang(frister, Event.INDFRI, "Indfriet ved booking", timezone.now(), also=["booking"])
    return booking


@idempotent
def cpr_skift(user, *, gammel_cpr: str, ny_cpr: str) -> dict:
    """CPR change (seed 003, "CPR-skiftere"): move every frist (with its history), booking, absence and
    kontaktforløb of ``gammel_cpr`` to ``ny_cpr``, and write GetCprChanged to the outbox for every kommune and
    a-kasse holding data on the citizen (their subscribers read it). Each moved frist also gives its own
    FristOpdateret/Frist messages (the triggers). The person register calls this on a ``ny_cpr`` event with
    ``user=None`` (docs/dfdg.md); the API's ``POST /dfdg/cpr-skift/`` calls it too."""
    if gammel_cpr == ny_cpr:
        raise DomainError("Nyt og gammelt CPR-nummer er ens.", "cpr_ens", "ny_cpr")
    gamle = list(_aabne(gammel_cpr))
    nye = {f.samtaletype: f for f in _aabne(ny_cpr)}
    now = timezone.now()  # after the locks: later than any change of these frister
    # both CPRs may have a not-closed frist of a samtaletype: the older is closed as on CreateFrist
    aeldre = []
    for frist in gamle:
        other = nye.get(frist.samtaletype)
        if other is not None:
            aeldre.append(frist if (frist.oprettet, frist.pk) < (other.oprettet, other.pk) else other)
    _overgang(aeldre, Event.LUK, "Lukket ved CPR-skift (borgeren havde to frister)", now)
    try:
        with transaction.atomic():
            modtagere = _cpr_skift_modtagere(gammel_cpr)
            frister = Frist.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr, aendret=now)
            bookinger = Booking.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr)
            fravaer = Fravaer.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr)
            kontaktforloeb = Kontaktforloeb.objects.filter(cpr=gammel_cpr).update(cpr=ny_cpr)
    except IntegrityError:
        raise Conflict("En frist blev oprettet samtidig på det nye CPR-nummer. Prøv igen.", "samtidig_oprettelse") from None
    result = {"gammel_cpr": gammel_cpr, "ny_cpr": ny_cpr, "frister": frister, "bookinger": bookinger,
              "fravaer": fravaer, "kontaktforloeb": kontaktforloeb}
    indhold = {**result, "tidspunkt": now.isoformat()}
    Besked.objects.bulk_create([
        Besked(kanal=Kanal.WSRM, navn="GetCprChanged", kommune_id=kommune, akasse=akasse, cpr=ny_cpr,
               indhold=indhold, oprettet=now)
        for kommune, akasse in modtagere
    ])
    return result


def _cpr_skift_modtagere(cpr: str) -> list[tuple[int | None, int | None]]:
    """(kommune, None) for every kommune with a frist or kontaktforløb of the CPR, (None, akasse) for every a-kasse
    of its kontaktforløb: who gets GetCprChanged."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT kommune_id, NULL::integer FROM dfdg_frist WHERE cpr = %s
            UNION SELECT kommune_id, NULL FROM dfdg_kontaktforloeb WHERE cpr = %s
            UNION SELECT NULL, akasse FROM dfdg_kontaktforloeb WHERE cpr = %s AND akasse IS NOT NULL
            ORDER BY 1, 2""", [cpr, cpr, cpr])
        return cur.fetchall()


# --- kontaktforløb (the jobcentre's data) ---------------------------------------------------------------------

@idempotent
def registrer_kontaktforloeb(user, *, kommune, cpr: str, kontaktgruppe: str, fra: dt.date, til: dt.date | None = None,
                             akasse: int | None = None) -> Kontaktforloeb:
    """A citizen's kontaktforløb in a kontaktgruppe from ``fra``. The citizen's forløb running on ``fra`` ends the
    day before (a citizen is in one kontaktgruppe at a time); a forløb starting on or after ``fra`` is a 400."""
    kommune = check_kommune(user, kommune)
    if not Kontaktgruppe.objects.filter(kode=kontaktgruppe).exists():
        raise DomainError(f"Ukendt kontaktgruppe: {kontaktgruppe!r}.", "ukendt_kontaktgruppe", "kontaktgruppe")
    if til is not None and til < fra:
        raise DomainError("Til-dato kan ikke ligge før fra-dato.", "periode", "til")
    # one writer per citizen at a time: the forløb of a CPR are compared and changed under this lock
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('dfdg_kontaktforloeb'), hashtext(%s))", [cpr])
    if Kontaktforloeb.objects.filter(cpr=cpr, fra__gte=fra).exists():
        raise DomainError("Borgeren har et kontaktforløb, der starter samme dag eller senere.", "kontaktforloeb_overlap",
                          "fra")
    Kontaktforloeb.objects.filter(cpr=cpr, fra__lt=fra).exclude(til__lt=fra).update(til=fra - dt.timedelta(days=1))
    return Kontaktforloeb.objects.create(kommune=kommune, cpr=cpr, kontaktgruppe_id=kontaktgruppe, fra=fra, til=til,
                                         akasse=akasse)


# --- subscriptions and the outbox (seed 003, WSRM/WSB and GetCprChanged; docs/dfdg.md) --------------------------

BESKEDER_MAX = 1000


def sekvenser() -> int:
    """Give every committed message without a position the next positions, in id order, and return the highest
    position. Serialised by an advisory lock, so positions are handed out in the order messages became visible:
    a message committed after a reader passed a later one still gets a position after the reader's cursor
    (an id alone could be skipped: a lower id may commit after a higher one)."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext('dfdg_besked_position'))")
        cur.execute("""
            WITH m AS (SELECT COALESCE(max(position), 0) AS m FROM dfdg_besked),
                 u AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM dfdg_besked WHERE position IS NULL)
            UPDATE dfdg_besked b SET position = m.m + u.rn FROM u, m WHERE b.id = u.id""")
        cur.execute("SELECT COALESCE(max(position), 0) FROM dfdg_besked")
        return cur.fetchone()[0]


def opret_abonnement(user, *, navn: str, kommune=None, akasse: int | None = None) -> Abonnement:
    """A subscriber: a jobcenter for one of its kommuner, or (registered by STAR) an a-kasse. It starts at the
    newest message: it gets what happens from now on."""
    if (kommune is None) == (akasse is None):
        raise DomainError("Angiv enten kommune eller a-kasse (ikke begge).", "abonnent", "kommune")
    if kommune is not None:
        kommune = check_kommune(user, kommune)  # another kommune's subscription: 400
    elif not sees_all_kommuner(user):
        raise DomainError("Kun STAR kan oprette abonnementer for a-kasser.", "akasse_adgang", "akasse")
    with transaction.atomic():
        return Abonnement.objects.create(navn=navn, kommune=kommune, akasse=akasse, kvitteret_til=sekvenser(),
                                         oprettet_af=getattr(user, "username", "") or "")


def _abonnentens(abonnement: Abonnement):
    if abonnement.kommune_id is not None:
        return Besked.objects.filter(kommune_id=abonnement.kommune_id)
    return Besked.objects.filter(akasse=abonnement.akasse)


def hent_beskeder(abonnement: Abonnement, antal: int = 100) -> list[Besked]:
    """The subscriber's messages after its cursor, oldest first. Reading does not move the cursor: until
    acknowledged, the same messages come again (a reader that crashed reads them again)."""
    sekvenser()
    return list(_abonnentens(abonnement).filter(position__gt=abonnement.kvitteret_til)
                .order_by("position")[:min(antal, BESKEDER_MAX)])


def kvitter(abonnement: Abonnement, position: int) -> Abonnement:
    """Acknowledge every message up to ``position``: the cursor moves there (never back). A position no message
    has yet (from the future) is a 400; nothing is changed."""
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(max(position), 0) FROM dfdg_besked")
        hoejeste = cur.fetchone()[0]
    if position > hoejeste:
        raise DomainError(f"Position {position} er ikke udleveret endnu (højeste position er {hoejeste}).",
                          "position_fremtid", "position")
    Abonnement.objects.filter(pk=abonnement.pk, kvitteret_til__lt=position).update(kvitteret_til=position)
    abonnement.refresh_from_db(fields=["kvitteret_til"])
    return abonnement


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

"""Writes of the case domain: one function per business operation, each
transactional, each checking the kommune against the user's kommuner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import opgavestatus, opgavetyper
from cases.cpr import InvalidCPR, normalize_cpr
from cases.models import (
    OPEN_STATUSES, Bevilling, BevillingStatus, Kommune, Opgave, Opgavepakke, OpgaveStatus, Person, Sag, SagStatus,
)
from ky.core.api import Conflict, DomainError
from ky.core.scoping import user_kommune_codes


def check_kommune(user, kommune) -> Kommune:
    """The kommune (object or code) if it exists and the user may write in it."""
    kode = getattr(kommune, "pk", kommune)
    try:
        kode = int(kode)
        obj = kommune if isinstance(kommune, Kommune) else Kommune.objects.get(pk=kode)
    except (TypeError, ValueError, Kommune.DoesNotExist):
        raise DomainError(f"Ukendt kommunekode: {kommune}.", "ukendt_kommune", "kommune") from None
    codes = user_kommune_codes(user) if user is not None else None
    if codes is not None and kode not in codes:
        raise DomainError("Du har ikke adgang til denne kommune.", "kommune_adgang", "kommune")
    return obj


def get_or_create_person(cpr: str, navn: str = "") -> Person:
    try:
        cpr = normalize_cpr(cpr)
    except InvalidCPR as exc:
        raise DomainError(str(exc), "cpr", "cpr") from None
    person, created = Person.objects.get_or_create(cpr=cpr, defaults={"navn": navn or ""})
    if not created and navn and not person.navn:
        person.navn = navn
        person.save(update_fields=["navn", "aendret"])
    return person


@transaction.atomic
def opret_sag(user, *, kommune, cpr: str, ydelsestype: str, navn: str = "", startdato: dt.date | None = None,
              status: str = SagStatus.AKTIV, kle_nummer: str = "", sagsbehandler=None, team: str = "") -> Sag:
    kommune = check_kommune(user, kommune)
    person = get_or_create_person(cpr, navn)
    startdato = startdato or timezone.localdate()
    return Sag.objects.create(
        kommune=kommune, person=person, ydelsestype=ydelsestype, status=status, startdato=startdato,
        lukket_dato=startdato if status == SagStatus.LUKKET else None, kle_nummer=kle_nummer or "",
        sagsbehandler=sagsbehandler, team=team or "",
    )


@transaction.atomic
def opdater_sag(user, sag: Sag, **changes) -> Sag:
    sag = Sag.objects.select_for_update().get(pk=sag.pk)
    navn = changes.pop("navn", None)
    if navn is not None:
        Person.objects.filter(pk=sag.person_id).update(navn=navn)
    for field, value in changes.items():
        setattr(sag, field, value)
    if "status" in changes:
        sag.lukket_dato = timezone.localdate() if sag.status == SagStatus.LUKKET else None
    sag.save()
    return sag


def _check_bevilling_sag(sag: Sag | None, kommune: Kommune, person: Person):
    if sag is None:
        return
    if sag.kommune_id != kommune.pk:
        raise DomainError("Sagen hører til en anden kommune end bevillingen.", "sag_kommune", "sag")
    if sag.person_id != person.pk:
        raise DomainError("Sagen tilhører en anden borger end bevillingen.", "sag_cpr", "sag")


@transaction.atomic
def opret_bevilling(user, *, kommune, cpr: str, ydelsestype: str, bevilget_fra: dt.date, sag: Sag | None = None,
                    kmd_aktiv_bevillingsnr: str | None = None, bevilget_til: dt.date | None = None,
                    maanedligt_beloeb: Decimal | None = None, status: str = BevillingStatus.BEVILGET) -> Bevilling:
    kommune = check_kommune(user, kommune)
    person = get_or_create_person(cpr)
    _check_bevilling_sag(sag, kommune, person)
    if bevilget_til is not None and bevilget_til < bevilget_fra:
        raise DomainError("Bevilget til må ikke ligge før bevilget fra.", "periode", "bevilget_til")
    return Bevilling.objects.create(
        kommune=kommune, person=person, sag=sag, ydelsestype=ydelsestype, bevilget_fra=bevilget_fra,
        bevilget_til=bevilget_til, kmd_aktiv_bevillingsnr=kmd_aktiv_bevillingsnr or None,
        maanedligt_beloeb=maanedligt_beloeb, status=status,
    )


@transaction.atomic
def opdater_bevilling(user, bevilling: Bevilling, **changes) -> Bevilling:
    bevilling = Bevilling.objects.select_for_update().select_related("person", "kommune").get(pk=bevilling.pk)
    for field, value in changes.items():
        setattr(bevilling, field, value)
    _check_bevilling_sag(bevilling.sag, bevilling.kommune, bevilling.person)
    if bevilling.bevilget_til is not None and bevilling.bevilget_til < bevilling.bevilget_fra:
        raise DomainError("Bevilget til må ikke ligge før bevilget fra.", "periode", "bevilget_til")
    bevilling.save()
    return bevilling


# --- opgaver -------------------------------------------------------------------------------------

def opgavepakke(kommune, kode: str, navn: str, beskrivelse: str = "") -> Opgavepakke:
    """The kommune's package with ``kode``, created the first time it is needed."""
    kode_id = getattr(kommune, "pk", kommune)
    pakke, _ = Opgavepakke.objects.get_or_create(
        kommune_id=kode_id, kode=kode, defaults={"navn": navn, "beskrivelse": beskrivelse}
    )
    return pakke


@transaction.atomic
def opret_opgave(user, *, sag: Sag, type: str, titel: str, aktiveringsdato: dt.date | None = None,
                 frist: dt.date | None = None) -> Opgave:
    """A caseworker's own task (batch.md: dan-opfoelgingsopgave): ``planlagt``
    until its aktiveringsdato, then opened by the job."""
    today = timezone.localdate()
    status = OpgaveStatus.PLANLAGT if aktiveringsdato and aktiveringsdato > today else OpgaveStatus.AABEN
    return Opgave.objects.create(
        kommune_id=sag.kommune_id, sag=sag, person_id=sag.person_id, type=type, titel=titel, status=status,
        aktiveringsdato=aktiveringsdato, frist=frist,
    )


@transaction.atomic
def reserver_opgave(user, opgave: Opgave) -> Opgave:
    """Reserve an open task for ``user``. A task another caseworker holds stays theirs."""
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if ny := opgavestatus.target(opgavestatus.Event.RESERVER, opgave.status):
        opgave.status = ny
        opgave.reserveret_af = user
        opgave.reserveret_tid = timezone.now()
        opgave.save(update_fields=["status", "reserveret_af", "reserveret_tid"])
    return opgave


@transaction.atomic
def frigiv_opgave(user, opgave: Opgave) -> Opgave:
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if ny := opgavestatus.target(opgavestatus.Event.FRIGIV, opgave.status):
        opgave.status = ny
        opgave.reserveret_af = None
        opgave.reserveret_tid = None
        opgave.save(update_fields=["status", "reserveret_af", "reserveret_tid"])
    return opgave


# status -> statuses an explicit change may move it to: derived from the one transition table
ALLOWED_STATUS_CHANGES = opgavestatus.allowed_changes()


# per task type, a check run before such a task is closed (udført/annulleret) by opdater_opgave;
# registered in the owning app's AppConfig.ready through cases.opgavetyper.register
AFSLUTNING_KONTROL = opgavetyper.AFSLUTNING_KONTROL


@transaction.atomic
def opdater_opgave(user, opgave: Opgave, *, status: str | None = None, reserveret_af=...) -> Opgave:
    """PATCH of a task (api.md): status and reservation, by the transition table above."""
    opgave = Opgave.objects.select_for_update().get(pk=opgave.pk)
    if status is not None and status != opgave.status:
        if status not in ALLOWED_STATUS_CHANGES[opgave.status]:
            if opgave.status in (OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET):
                raise Conflict("Opgaven er allerede afsluttet.", "opgave_afsluttet", "status")
            raise DomainError(
                f"Status kan ikke ændres fra {opgave.get_status_display().lower()} til {status}.", "status", "status"
            )
        if status in (OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET) and opgave.type in AFSLUTNING_KONTROL:
            AFSLUTNING_KONTROL[opgave.type](user, opgave)
        opgave.status = status
        if status in (OpgaveStatus.UDFOERT, OpgaveStatus.ANNULLERET):
            opgave.afsluttet = timezone.now()
            opgave.afsluttet_af = user
        if status == OpgaveStatus.AABEN:
            opgave.reserveret_af = None
            opgave.reserveret_tid = None
    if reserveret_af is not ...:
        if opgave.status not in OPEN_STATUSES:
            raise Conflict("Opgaven er ikke åben og kan ikke reserveres.", "opgave_afsluttet", "reserveret_af")
        if reserveret_af is not None:
            codes = user_kommune_codes(reserveret_af)
            if codes is not None and opgave.kommune_id not in codes:
                raise DomainError("Brugeren hører ikke til opgavens kommune.", "reserveret_af", "reserveret_af")
            opgave.status = OpgaveStatus.RESERVERET
            opgave.reserveret_tid = timezone.now()
        else:
            opgave.status = OpgaveStatus.AABEN
            opgave.reserveret_tid = None
        opgave.reserveret_af = reserveret_af
    opgave.save()
    return opgave


# --- batch work (batch.md: "Semantics of the first jobs") ------------------------------------------
# Set-based: every step is one SQL statement over all rows of the kommune (no per-row ORM loops).
# Each function returns counts {"created", "updated", "skipped"} and, with ``dry_run``, only counts
# what it would do (SELECT count(*) with the same conditions) and writes nothing.

from django.conf import settings as _settings  # noqa: E402
from django.db import connection as _connection  # noqa: E402


_OPEN_OR_PLANNED = ("planlagt", "aaben", "reserveret")


def _sql(sql: str, params=None):
    with _connection.cursor() as cur:
        cur.execute(sql, params or {})
        row = cur.fetchone() if cur.description else None
        return row, cur.rowcount


def _counts(created=0, updated=0, skipped=0) -> dict:
    return {"created": created, "updated": updated, "skipped": skipped}


def as_int(value, noegle: str = "værdi", minimum: int | None = None) -> int:
    """A batchkonstant value as an int (durations may come as days, a timedelta or an ISO duration)."""
    if isinstance(value, dt.timedelta):
        value = value.days
    elif isinstance(value, str):
        from django.utils.dateparse import parse_duration

        text = value.strip()
        parsed = None if text.lstrip("-").isdigit() else parse_duration(text)
        value = parsed.days if parsed is not None else text
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"Batchkonstanten {noegle} har en ugyldig værdi: {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"Batchkonstanten {noegle} skal være mindst {minimum}, men er {number}.")
    return number


def _local_date(column: str) -> str:
    """SQL for the local (Europe/Copenhagen) date of a timestamptz column."""
    return f"(({column}) AT TIME ZONE '{_settings.TIME_ZONE}')::date"


# --- routing tasks into opgavepakker (batch.md: task-filter) ---------------------------------------

def fordeling_lateral(kommune: str, type_: str, ydelsestype: str, team: str, cpr: str, alias: str = "fn") -> str:
    """``LEFT JOIN LATERAL`` picking the kommune's fordelingsnøgle for a task: the rule with the lowest
    prioritet (then id) whose non-empty criteria all match — task type, the sag's ydelsestype, the sag's
    team and the day of month of the borger's birthday (CPR digits 1-2, inclusive range). Empty criteria
    match anything. The arguments are SQL expressions of the task being placed. Shared by task-filter
    and by every job that creates tasks, so both place tasks the same way."""
    return f"""LEFT JOIN LATERAL (
        SELECT f.opgavepakke_id FROM cases_fordelingsnoegle f
        WHERE f.kommune_id = {kommune}
          AND (f.opgavetype = '' OR f.opgavetype = {type_})
          AND (f.ydelsestype = '' OR f.ydelsestype = {ydelsestype})
          AND (f.team = '' OR f.team = {team})
          AND (f.foedselsdag_fra IS NULL OR substr({cpr}, 1, 2)::int >= f.foedselsdag_fra)
          AND (f.foedselsdag_til IS NULL OR substr({cpr}, 1, 2)::int <= f.foedselsdag_til)
        ORDER BY f.prioritet, f.id LIMIT 1) {alias} ON true"""


def pakke_kode(opgavetype: str) -> str:
    return opgavetype.upper()[:40]


def standardpakke(kommune_id: int, opgavetype: str) -> Opgavepakke:
    """The default package of a task type: where its tasks go when no fordelingsnøgle matches."""
    from batch import registry

    try:
        navn = registry.get(opgavetype).navn
    except KeyError:
        navn = opgavetype
    return opgavepakke(kommune_id, kode=pakke_kode(opgavetype), navn=navn)


def fordel_opgaver(kommune_id: int, *, dry_run: bool = False) -> dict:
    """task-filter: place the kommune's open (and planned) tasks by its fordelingsnøgler. A task a rule
    matches moves to that rule's package; a task no rule matches keeps its package, or — when it has
    none — goes to its type's default package. One UPDATE ... FROM for all tasks."""
    if not dry_run:
        # default packages for the types of unplaced tasks (a handful of get_or_create, not per task)
        types = (Opgave.objects.filter(kommune_id=kommune_id, status__in=_OPEN_OR_PLANNED, opgavepakke__isnull=True)
                 .values_list("type", flat=True).distinct())
        for t in list(types):
            standardpakke(kommune_id, t)
    # without a default package yet (dry run), 0 stands for "the default package to be created"
    matches = f"""
        SELECT o.id, COALESCE(fn.opgavepakke_id, CASE WHEN o.opgavepakke_id IS NULL
                                                      THEN COALESCE(dp.id, 0) END) AS pakke
        FROM cases_opgave o
        LEFT JOIN cases_sag s ON s.id = o.sag_id
        LEFT JOIN cases_person p ON p.id = COALESCE(o.person_id, s.person_id)
        {fordeling_lateral("o.kommune_id", "o.type", "s.ydelsestype", "s.team", "p.cpr")}
        LEFT JOIN cases_opgavepakke dp ON dp.kommune_id = o.kommune_id AND dp.kode = upper(left(o.type, 40))
        WHERE o.kommune_id = %(k)s AND o.status = ANY(%(st)s)"""
    params = {"k": kommune_id, "st": list(_OPEN_OR_PLANNED)}
    if dry_run:
        row, _ = _sql(f"SELECT count(*) FROM ({matches}) x JOIN cases_opgave t ON t.id = x.id "
                      "WHERE x.pakke IS NOT NULL AND t.opgavepakke_id IS DISTINCT FROM x.pakke", params)
        return _counts(updated=row[0])
    _, n = _sql(f"""UPDATE cases_opgave t SET opgavepakke_id = x.pakke FROM ({matches}) x
                    WHERE t.id = x.id AND x.pakke IS NOT NULL AND x.pakke <> 0
                      AND t.opgavepakke_id IS DISTINCT FROM x.pakke""", params)
    return _counts(updated=n)


def pakke_antal(kommune_id: int) -> list[tuple[str, int, int]]:
    """(kode, open, total) per package of the kommune — counts are computed on read (one aggregate query)."""
    from django.db.models import Count, Q

    return list(
        Opgavepakke.objects.filter(kommune_id=kommune_id)
        .annotate(aabne=Count("opgaver", filter=Q(opgaver__status__in=OPEN_STATUSES)), i_alt=Count("opgaver"))
        .order_by("kode").values_list("kode", "aabne", "i_alt")
    )


# --- creating tasks --------------------------------------------------------------------------------

def opret_batch_opgaver(kommune_id: int, opgavetype: str, candidates_sql: str, params: dict, *,
                        dry_run: bool = False) -> dict:
    """INSERT ... SELECT the tasks ``candidates_sql`` selects, ON CONFLICT (kommune, type, noegle) DO
    NOTHING (idempotent by the unique constraint), each placed in its opgavepakke on the way in by the
    kommune's fordelingsnøgler (``fordeling_lateral``) or else the type's default package.

    ``candidates_sql`` selects the columns ``kommune_id, titel, sag_id, person_id, frist, noegle, data``
    and may use ``%(type)s``. Returns created (inserted) and skipped (already there)."""
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
            SELECT c.kommune_id, COALESCE(fn.opgavepakke_id, %(pakke)s), %(type)s, c.titel, 'aaben', '',
                   c.sag_id, c.person_id, c.frist, c.noegle, c.data, now()
            FROM c
            LEFT JOIN cases_sag s ON s.id = c.sag_id
            LEFT JOIN cases_person p ON p.id = c.person_id
            {fordeling_lateral("c.kommune_id", "%(type)s", "s.ydelsestype", "s.team", "p.cpr")}
            ON CONFLICT (kommune_id, type, noegle) WHERE noegle IS NOT NULL DO NOTHING
            RETURNING 1)
        SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM ins)""", params)
    return _counts(created=row[1], skipped=row[0] - row[1])


def _titel(opgavetype: str) -> str:
    from batch import registry

    try:
        return registry.get(opgavetype).navn
    except KeyError:
        return opgavetype


REGELMAESSIG = "regelmaessig-opfoelgning"
INAKTIV = "opfoelgning-af-inaktive-sager"


def regelmaessig_opfoelgning(kommune_id: int, as_of: dt.date, interval: int, *, dry_run: bool = False) -> dict:
    """batch.md: for each aktiv sag started on S the due dates are S + k·interval calendar months (k ≥ 1),
    clamped to the month's end and always counted from S (2026-01-31 + 1 → 2026-02-28, + 2 → 2026-03-31).
    Ensures the task for the LATEST due date ≤ as_of exists (frist = that date; noegle "sag:date");
    earlier missed due dates are not filled in. PostgreSQL's ``date + interval 'n months'`` clamps to
    the month's end exactly so. m = whole months from S to D: the calendar month difference, less one
    when S + that many months lies after D; then k = m div interval."""
    candidates = """
        SELECT s.kommune_id, %(titel)s AS titel, s.id AS sag_id, s.person_id, d.due AS frist,
               s.id::text || ':' || to_char(d.due, 'YYYY-MM-DD') AS noegle,
               jsonb_build_object('interval_maaneder', %(i)s::int, 'forfaldsdato', to_char(d.due, 'YYYY-MM-DD')) AS data
        FROM cases_sag s
        CROSS JOIN LATERAL (SELECT ((date_part('year', %(d)s::date) - date_part('year', s.startdato)) * 12
                                    + date_part('month', %(d)s::date) - date_part('month', s.startdato))::int AS m0) a
        CROSS JOIN LATERAL (SELECT a.m0 - CASE WHEN s.startdato + make_interval(months => a.m0) > %(d)s::date
                                               THEN 1 ELSE 0 END AS m) b
        CROSS JOIN LATERAL (SELECT (b.m / %(i)s::int) AS k,
                                   (s.startdato + make_interval(months => (b.m / %(i)s::int) * %(i)s::int))::date AS due) d
        WHERE s.kommune_id = %(k)s AND s.status = 'aktiv' AND s.startdato <= %(d)s::date AND d.k >= 1"""
    params = {"k": kommune_id, "d": as_of, "i": interval, "titel": _titel(REGELMAESSIG)}
    return opret_batch_opgaver(kommune_id, REGELMAESSIG, candidates, params, dry_run=dry_run)


def opfoelgning_af_inaktive_sager(kommune_id: int, as_of: dt.date, maaneder: int, *, dry_run: bool = False) -> dict:
    """batch.md: one task per aktiv sag that has not changed for ``maaneder`` calendar months (its last
    change's local date ≤ D − N months), not again until the sag changes: the task's noegle holds the
    sag's ``aendret`` timestamp, so a later change (and a new inactive period) gives a new task."""
    candidates = f"""
        SELECT s.kommune_id, %(titel)s AS titel, s.id AS sag_id, s.person_id, NULL::date AS frist,
               s.id::text || ':' || to_char(s.aendret AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS noegle,
               jsonb_build_object('uaendret_siden', to_char({_local_date("s.aendret")}, 'YYYY-MM-DD'),
                                  'inaktiv_maaneder', %(n)s::int) AS data
        FROM cases_sag s
        WHERE s.kommune_id = %(k)s AND s.status = 'aktiv'
          AND {_local_date("s.aendret")} <= (%(d)s::date - make_interval(months => %(n)s::int))::date"""
    params = {"k": kommune_id, "d": as_of, "n": maaneder, "titel": _titel(INAKTIV)}
    return opret_batch_opgaver(kommune_id, INAKTIV, candidates, params, dry_run=dry_run)


# --- status changes --------------------------------------------------------------------------------

def flyt_opgaver(event: str, where_sql: str, params: dict | None = None, *, from_sql: str = "",
                 extra_set: str = "", bruger_id: int | None = None, afsluttet=None, dry_run: bool = False) -> int:
    """Move, in one statement, every task matching ``where_sql`` (SQL over ``cases_opgave o``, plus
    ``from_sql``'s tables) that may take ``event`` by the transition table (cases/opgavestatus.py); the
    one way other code moves tasks in bulk (issue 19: no app writes cases_opgave itself). ``extra_set``
    adds assignments (constants/joined columns only). Returns the number moved (or that would be)."""
    p = {**(params or {}), "_fra": opgavestatus.from_states(event), "afsluttet": afsluttet or timezone.now(),
         "bruger": bruger_id}
    where = f"o.status = ANY(%(_fra)s) AND ({where_sql})"
    if dry_run:
        row, _ = _sql(f"SELECT count(*) FROM cases_opgave o {', ' + from_sql if from_sql else ''} WHERE {where}", p)
        return row[0]
    sets = opgavestatus.set_sql(event, alias="o") + (f", {extra_set}" if extra_set else "")
    _, n = _sql(f"UPDATE cases_opgave o SET {sets} {'FROM ' + from_sql if from_sql else ''} WHERE {where}", p)
    return n


def _update_or_count(table: str, set_sql: str, where_sql: str, params: dict, dry_run: bool) -> int:
    if dry_run:
        row, _ = _sql(f"SELECT count(*) FROM {table} WHERE {where_sql}", params)
        return row[0]
    _, n = _sql(f"UPDATE {table} SET {set_sql} WHERE {where_sql}", params)
    return n


def aktiver_planlagte_opgaver(kommune_id: int, as_of: dt.date, *, dry_run: bool = False) -> dict:
    """dan-opfoelgingsopgave: planned tasks whose aktiveringsdato ≤ D become ``aaben``; those without a
    package are then placed by the fordelingsnøgler (or their type's default package)."""
    n = flyt_opgaver(opgavestatus.Event.AKTIVER, "o.kommune_id = %(k)s AND o.aktiveringsdato <= %(d)s::date",
                     {"k": kommune_id, "d": as_of}, dry_run=dry_run)
    if n and not dry_run:
        fordel_opgaver(kommune_id)
    return _counts(updated=n)


def frigiv_reservationer(kommune_id: int, as_of: dt.date, *, dry_run: bool = False) -> dict:
    """frigiv-reservation: tasks reserved before D (the reservation's local date < D) become ``aaben``
    with no reservation. A reserved task with no reservation time is released too."""
    n = flyt_opgaver(opgavestatus.Event.FRIGIV,
                     f"o.kommune_id = %(k)s AND (o.reserveret_tid IS NULL OR {_local_date('o.reserveret_tid')} < %(d)s::date)",
                     {"k": kommune_id, "d": as_of}, dry_run=dry_run)
    return _counts(updated=n)


def afslut_sager(kommune_id: int, as_of: dt.date, *, dry_run: bool = False) -> dict:
    """afslutning-af-sag: closes (lukket, lukket_dato = D) every aktiv sag whose bevillinger have all
    ended — afslag, henlagt, ophoert, or bevilget_til < D. A sag with NO bevillinger is left open: it
    has nothing that ended (it may be newly created and waiting for its first bevilling)."""
    n = _update_or_count(
        "cases_sag s", "status = 'lukket', lukket_dato = %(d)s::date, aendret = now()",
        """s.kommune_id = %(k)s AND s.status = 'aktiv'
           AND EXISTS (SELECT 1 FROM cases_bevilling b WHERE b.sag_id = s.id)
           AND NOT EXISTS (SELECT 1 FROM cases_bevilling b WHERE b.sag_id = s.id
                           AND NOT (b.status IN ('afslag', 'henlagt', 'ophoert')
                                    OR (b.bevilget_til IS NOT NULL AND b.bevilget_til < %(d)s::date)))""",
        {"k": kommune_id, "d": as_of}, dry_run,
    )
    return _counts(updated=n)


# --- retention -------------------------------------------------------------------------------------

def opdater_kassationsdatoer(kommune_id: int, aar_by_ydelsestype: dict[str, int], standard_aar: int, *,
                             dry_run: bool = False) -> dict:
    """update-kassations: a closed sag's kassationsdato = lukket_dato + N years, N by its category
    (ydelsestype); recomputed every run so a changed batchkonstant applies. A reopened sag loses it.
    Documents on a sag follow their sag's kassationsdato."""
    whens = " ".join(f"WHEN %(yt_{i})s THEN %(aar_{i})s::int" for i in range(len(aar_by_ydelsestype)))
    params: dict = {"k": kommune_id, "std": standard_aar}
    for i, (yt, aar) in enumerate(aar_by_ydelsestype.items()):
        params[f"yt_{i}"], params[f"aar_{i}"] = yt, aar
    years = f"CASE s.ydelsestype {whens} ELSE %(std)s::int END" if whens else "%(std)s::int"
    new_date = f"(s.lukket_dato + make_interval(years => {years}))::date"
    n = _update_or_count(
        "cases_sag s", f"kassationsdato = {new_date}",
        f"s.kommune_id = %(k)s AND s.status = 'lukket' AND s.lukket_dato IS NOT NULL "
        f"AND s.kassationsdato IS DISTINCT FROM {new_date}", params, dry_run,
    )
    n += _update_or_count(
        "cases_sag s", "kassationsdato = NULL",
        "s.kommune_id = %(k)s AND s.status <> 'lukket' AND s.kassationsdato IS NOT NULL", params, dry_run,
    )
    # documents follow their sag's (new) kassationsdato — computed, so a dry run counts them right too
    sag_date = (f"(SELECT CASE WHEN s.status = 'lukket' AND s.lukket_dato IS NOT NULL THEN {new_date} END "
                f"FROM cases_sag s WHERE s.id = d.sag_id)")
    docs = _update_or_count(
        "cases_dokument d", f"kassationsdato = {sag_date}",
        f"d.kommune_id = %(k)s AND d.sag_id IS NOT NULL AND d.kassationsdato IS DISTINCT FROM {sag_date}",
        params, dry_run,
    )
    return _counts(updated=n + docs)


def _foreign_refs(model, id_expr: str, handled: set[str]) -> list[str]:
    """NOT EXISTS conditions: no row of any other table references ``model``'s row ``id_expr``
    (besides the FK fields in ``handled``, "table.column"). Retention never breaks a reference another
    part of ky holds (debitorkonti, other apps' rows): such an object is kept and counted as skipped."""
    from django.apps import apps

    conds = []
    for other in apps.get_models(include_auto_created=True):
        for f in other._meta.local_fields:
            if f.is_relation and f.remote_field and f.remote_field.model is model:
                key = f"{other._meta.db_table}.{f.column}"
                if key not in handled:
                    conds.append(f'NOT EXISTS (SELECT 1 FROM "{other._meta.db_table}" r WHERE r."{f.column}" = {id_expr})')
    return conds


def _slet(kind_table: list[tuple[str, str, str]], candidates_sql: str, guards: list[str], params: dict, *,
          job: str, koersel_id, kommune_id, dry_run: bool) -> dict:
    """Delete the rows ``candidates_sql`` selects (column ``id`` of the first table) that pass ``guards``,
    with their dependants: ``kind_table`` = [(kind, table, fk column to the candidate or '' for the
    candidate itself)]. One statement: data-modifying CTEs delete everything and log each deleted row in
    cases_sletningslog (kind, internal id, kommune, job, run) — no personal data."""
    guard = " AND ".join(guards) or "true"
    params = {**params, "job": job, "koersel": koersel_id, "kommune": kommune_id}
    if dry_run:
        row, _ = _sql(f"SELECT count(*) FILTER (WHERE {guard}), count(*) FILTER (WHERE NOT ({guard})) "
                      f"FROM ({candidates_sql}) c", params)
        return _counts(updated=row[0], skipped=row[1])
    ctes = [f"c AS (SELECT c.id FROM ({candidates_sql}) c WHERE {guard})"]
    logs = []
    for i, (kind, table, fk) in enumerate(kind_table):
        col = fk or "id"
        ctes.append(f"d{i} AS (DELETE FROM {table} WHERE {col} IN (SELECT id FROM c) RETURNING id)")
        logs.append(f"SELECT '{kind}', id FROM d{i}")
    ctes.append(f"""log AS (INSERT INTO cases_sletningslog (kind, objekt_id, kommune_id, job, koersel_id, tidspunkt)
                   SELECT x.kind, x.id, %(kommune)s, %(job)s, %(koersel)s, now()
                   FROM ({" UNION ALL ".join(logs)}) x(kind, id) RETURNING kind)""")
    row, _ = _sql(f"WITH {', '.join(ctes)}, "
                  f"kept AS (SELECT count(*) AS n FROM ({candidates_sql}) c WHERE NOT ({guard})) "
                  "SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM log), (SELECT n FROM kept)", params)
    # updated = candidates deleted; skipped = candidates kept because something else refers to them;
    # dependants deleted with them are in the log (deleted_rows)
    return {**_counts(updated=row[0], skipped=row[2]), "deleted_rows": row[1]}


def _sag_guards() -> list[str]:
    """A sag is deleted with its tasks, documents and bevillinger — unless anything else references
    it or them (e.g. a debitorkonto: the debt outlives the sag's retention)."""
    from cases.models import Dokument

    handled = {"cases_opgave.sag_id", "cases_dokument.sag_id", "cases_bevilling.sag_id"}
    guards = _foreign_refs(Sag, "c.id", handled)
    for model, alias in ((Bevilling, "b"), (Opgave, "o"), (Dokument, "d")):
        table = model._meta.db_table
        for cond in _foreign_refs(model, f"{alias}.id", set()):
            inner = cond.removeprefix("NOT EXISTS (").removesuffix(")")
            guards.append(f"NOT EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.sag_id = c.id AND EXISTS ({inner}))")
    return guards


_SAG_DEPENDANTS = [
    ("opgave", "cases_opgave", "sag_id"),
    ("dokument", "cases_dokument", "sag_id"),
    ("bevilling", "cases_bevilling", "sag_id"),
    ("sag", "cases_sag", ""),
]


def slet_kasserede_sager(kommune_id: int, as_of: dt.date, *, job: str, koersel_id=None, dry_run=False) -> dict:
    """delete-cases: closed sager past their kassationsdato (kassationsdato < D)."""
    return _slet(_SAG_DEPENDANTS,
                 "SELECT s.id FROM cases_sag s WHERE s.kommune_id = %(k)s AND s.status = 'lukket' "
                 "AND s.kassationsdato < %(d)s::date",
                 _sag_guards(), {"k": kommune_id, "d": as_of},
                 job=job, koersel_id=koersel_id, kommune_id=kommune_id, dry_run=dry_run)


def slet_markerede_sager(kommune_id: int, as_of: dt.date, *, job: str, koersel_id=None, dry_run=False) -> dict:
    """delete-marked-cases: sager a caseworker marked for deletion (markeret_til_sletning)."""
    return _slet(_SAG_DEPENDANTS,
                 "SELECT s.id FROM cases_sag s WHERE s.kommune_id = %(k)s AND s.markeret_til_sletning",
                 _sag_guards(), {"k": kommune_id, "d": as_of},
                 job=job, koersel_id=koersel_id, kommune_id=kommune_id, dry_run=dry_run)


def slet_kasserede_dokumenter(kommune_id: int, as_of: dt.date, *, job: str, koersel_id=None, dry_run=False) -> dict:
    """delete-documents: documents past their kassationsdato (< D), never on a sag that is not closed."""
    from cases.models import Dokument

    return _slet([("dokument", "cases_dokument", "")],
                 "SELECT d.id FROM cases_dokument d LEFT JOIN cases_sag s ON s.id = d.sag_id "
                 "WHERE d.kommune_id = %(k)s AND d.kassationsdato < %(d)s::date "
                 "AND (d.sag_id IS NULL OR s.status = 'lukket')",
                 _foreign_refs(Dokument, "c.id", set()), {"k": kommune_id, "d": as_of},
                 job=job, koersel_id=koersel_id, kommune_id=kommune_id, dry_run=dry_run)


#: (kind, table, fk column) of rows deleted together with a person (registered by apps, e.g. the
#: person register's copy of CPR: cases.personer)
PERSON_DEPENDANTS: list[tuple[str, str, str]] = []


def slet_personer(as_of: dt.date, *, job: str, koersel_id=None, dry_run=False) -> dict:
    """delete-persons (national: a person belongs to no kommune): persons nothing in ky refers to any
    more — no sag, bevilling, debitorkonto, abonnement, nor any other row (tasks, documents, drafts,
    other apps) — and not created on D itself (a person being registered right now is kept)."""
    handled = {f"{table}.{fk}" for _kind, table, fk in PERSON_DEPENDANTS}
    return _slet([*PERSON_DEPENDANTS, ("person", "cases_person", "")],
                 f"SELECT p.id FROM cases_person p WHERE {_local_date('p.oprettet')} < %(d)s::date",
                 _foreign_refs(Person, "c.id", handled), {"d": as_of},
                 job=job, koersel_id=koersel_id, kommune_id=None, dry_run=dry_run)


def slet_abonnementer(kommune_id: int, as_of: dt.date, *, job: str, koersel_id=None, dry_run=False) -> dict:
    """delete-subscription: the kommune's subscriptions on persons with no aktiv sag in the kommune
    (and no running bevilling there without a sag — migrated recipients are still followed)."""
    from cases.models import Abonnement

    return _slet([("abonnement", "cases_abonnement", "")],
                 """SELECT a.id FROM cases_abonnement a WHERE a.kommune_id = %(k)s
                    AND NOT EXISTS (SELECT 1 FROM cases_sag s WHERE s.person_id = a.person_id
                                    AND s.kommune_id = %(k)s AND s.status = 'aktiv')
                    AND NOT EXISTS (SELECT 1 FROM cases_bevilling b WHERE b.person_id = a.person_id
                                    AND b.kommune_id = %(k)s AND b.sag_id IS NULL AND b.status = 'bevilget'
                                    AND (b.bevilget_til IS NULL OR b.bevilget_til >= %(d)s::date))""",
                 _foreign_refs(Abonnement, "c.id", set()), {"k": kommune_id, "d": as_of},
                 job=job, koersel_id=koersel_id, kommune_id=kommune_id, dry_run=dry_run)


def slet_udloebne_kladder(kommune_id: int, as_of: dt.date, dage: int, *, job: str, koersel_id=None,
                          dry_run=False) -> dict:
    """slet-udloebne-kladder-i-selvbetjeningen: drafts untouched for ``dage`` days (last change's local
    date ≤ D − dage)."""
    from cases.models import Selvbetjeningskladde

    return _slet([("selvbetjeningskladde", "cases_selvbetjeningskladde", "")],
                 f"SELECT k.id FROM cases_selvbetjeningskladde k WHERE k.kommune_id = %(k)s "
                 f"AND {_local_date('k.aendret')} <= %(d)s::date - %(n)s::int",
                 _foreign_refs(Selvbetjeningskladde, "c.id", set()), {"k": kommune_id, "d": as_of, "n": dage},
                 job=job, koersel_id=koersel_id, kommune_id=kommune_id, dry_run=dry_run)


# --- a person's new CPR number (personer.md: ny_cpr) --------------------------------------------------

def flyt_person(gammel_id: int, ny_id: int, *, undtagen: set[str] = frozenset()) -> dict:
    """Move everything in ky that refers to person ``gammel_id`` (every foreign key to cases.Person, of every
    app: sager, bevillinger, debitorkonti, opgaver, dokumenter, abonnementer, effektueringer ...) to person
    ``ny_id``; ``undtagen`` names "table.column" pairs the caller moves itself. A column whose move would
    break a unique rule (e.g. both numbers subscribed in the same kommune) is moved row by row where it can
    and the rest is reported in ``konflikter`` (the old rows stay). Returns {table.column: rows moved, ...}."""
    from django.apps import apps
    from django.db import IntegrityError

    moved: dict = {"konflikter": []}
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.local_fields:
            if not (f.is_relation and f.remote_field and f.remote_field.model is Person):
                continue
            key = f"{model._meta.db_table}.{f.column}"
            if key in undtagen:
                continue
            table, col = model._meta.db_table, f.column
            try:
                with transaction.atomic():
                    _, n = _sql(f'UPDATE "{table}" SET "{col}" = %(ny)s WHERE "{col}" = %(gl)s',
                                {"ny": ny_id, "gl": gammel_id})
            except IntegrityError:
                n = 0
                pk = model._meta.pk.column
                row, _ = _sql(f'SELECT array_agg("{pk}") FROM "{table}" WHERE "{col}" = %(gl)s', {"gl": gammel_id})
                for obj_id in row[0] or []:
                    try:
                        with transaction.atomic():
                            _sql(f'UPDATE "{table}" SET "{col}" = %(ny)s WHERE "{pk}" = %(id)s', {"ny": ny_id, "id": obj_id})
                            n += 1
                    except IntegrityError:
                        moved["konflikter"].append(f"{key} id {obj_id}")
            if n:
                moved[key] = n
    return moved

"""The task (opgave) state machine: every allowed transition, as data (issue 19; modelled on
integrations/dfdg/states.py).

``TRANSITIONS[event]`` maps a status to the status the event moves it to; a status absent from an
event's map cannot take that event. The per-row services (cases.services: reserver/frigiv/opdater)
and every set-based statement that moves tasks (``flyt_opgaver``: jobs, imports, other apps through
cases.services) read this one table, so Python and SQL cannot disagree."""

from __future__ import annotations

from cases.models import OPEN_STATUSES, OpgaveStatus as S  # noqa: F401 (OPEN_STATUSES re-exported)


class Event:
    AKTIVER = "aktiver"  # planlagt -> aaben (aktiveringsdato reached: dan-opfoelgingsopgave)
    RESERVER = "reserver"  # aaben -> reserveret (a caseworker takes it)
    FRIGIV = "frigiv"  # reserveret -> aaben (released by hand or by frigiv-reservation)
    UDFOER = "udfoer"  # open -> udfoert (done)
    ANNULLER = "annuller"  # planned or open -> annulleret (no longer needed)


TRANSITIONS: dict[str, dict[str, str]] = {
    Event.AKTIVER: {S.PLANLAGT: S.AABEN},
    Event.RESERVER: {S.AABEN: S.RESERVERET},
    Event.FRIGIV: {S.RESERVERET: S.AABEN},
    Event.UDFOER: {S.AABEN: S.UDFOERT, S.RESERVERET: S.UDFOERT},
    Event.ANNULLER: {S.PLANLAGT: S.ANNULLERET, S.AABEN: S.ANNULLERET, S.RESERVERET: S.ANNULLERET},
}

#: statuses a task is finished in: afsluttet/afsluttet_af are set on entering them
CLOSED = (S.UDFOERT, S.ANNULLERET)


def target(event: str, status: str) -> str | None:
    """The status ``event`` moves ``status`` to, or None when not allowed."""
    return TRANSITIONS[event].get(status)


def from_states(event: str) -> list[str]:
    return sorted(str(s) for s in TRANSITIONS[event])


def allowed_changes() -> dict[str, set[str]]:
    """status -> the statuses an explicit change (PATCH status) may move it to, from the table."""
    out: dict[str, set[str]] = {str(s): set() for s in S.values}
    for moves in TRANSITIONS.values():
        for a, b in moves.items():
            out[str(a)].add(str(b))
    return out


def case_sql(event: str, column: str = "status") -> str:
    """``CASE status WHEN 'a' THEN 'b' ... END`` for set-based UPDATEs (constants only, no user input)."""
    whens = " ".join(f"WHEN '{a}' THEN '{b}'" for a, b in sorted(TRANSITIONS[event].items()))
    return f"CASE {column} {whens} END"


def set_sql(event: str, alias: str = "") -> str:
    """The SET list moving a task by ``event``: status, and what entering the new status means
    (closing stamps afsluttet; reopening drops the reservation). Use with ``WHERE status IN from_states``.
    Parameters it expects: %(afsluttet)s (timestamp) and %(bruger)s (user id or NULL) when closing."""
    p = f"{alias}." if alias else ""
    parts = [f"status = {case_sql(event, p + 'status')}"]
    if event in (Event.UDFOER, Event.ANNULLER):
        parts += ["afsluttet = %(afsluttet)s", "afsluttet_af_id = %(bruger)s"]
    if event == Event.FRIGIV:
        parts += ["reserveret_af_id = NULL", "reserveret_tid = NULL"]
    return ", ".join(parts)

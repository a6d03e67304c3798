"""The frist state machine: every allowed transition, as data (seed 003).

``TRANSITIONS[event]`` maps a status to the status the event moves it to; a
status absent from an event's map cannot take that event. Services (per row)
and the daily job (set-based SQL, via ``case_sql``) both read this table only.
"""

from __future__ import annotations

from integrations.dfdg.models import FristStatus as S


class Event:
    #: closing: CreateFrist closing the earlier frist, UpdateFrist with explicit status,
    #: absence 75/56/57 (seed 003, CreateFrist / UpdateFrist / "Automatisk opdatering")
    LUK = "luk"
    #: fristaktiveringsdato reached (UpdateFrist to today, or the daily job)
    AKTIVER = "aktiver"
    #: fristdato passed without a booking (daily job)
    OVERSKRID = "overskrid"
    #: a booking of the samtaletype (seed 003: "booking ... indfrier til gengæld fristen")
    INDFRI = "indfri"
    #: the booking's mødedato reached: closed administratively (seed 003, "Når mødedato nås ...")
    MOEDE_NAAET = "moede_naaet"


TRANSITIONS: dict[str, dict[int, int]] = {
    Event.LUK: {
        S.IKKE_AKTIVERET: S.ADMINISTRATIVT_LUKKET,
        S.AKTIV: S.ADMINISTRATIVT_LUKKET,
        S.OVERSKREDET: S.ADMINISTRATIVT_LUKKET,
        S.INDFRIET: S.INDFRIET_AFHOLDT,
    },
    Event.AKTIVER: {S.IKKE_AKTIVERET: S.AKTIV},
    Event.OVERSKRID: {S.AKTIV: S.OVERSKREDET},
    Event.INDFRI: {S.IKKE_AKTIVERET: S.INDFRIET, S.AKTIV: S.INDFRIET, S.OVERSKREDET: S.INDFRIET},
    Event.MOEDE_NAAET: {S.INDFRIET: S.ADMINISTRATIVT_LUKKET},
}


def target(event: str, status: int) -> int | None:
    """The status ``event`` moves ``status`` to, or None when not allowed."""
    return TRANSITIONS[event].get(status)


def from_states(event: str) -> list[int]:
    return sorted(int(s) for s in TRANSITIONS[event])


def case_sql(event: str, column: str = "status") -> str:
    """``CASE status WHEN a THEN b ... END`` for set-based UPDATEs (numbers only, no user input)."""
    whens = " ".join(f"WHEN {int(a)} THEN {int(b)}" for a, b in sorted(TRANSITIONS[event].items()))
    return f"CASE {column} {whens} END"


def explicit_allowed(current: int, wanted: int) -> bool:
    """UpdateFrist with explicit status: only the closing transitions (seed 003, UpdateFrist)."""
    return target(Event.LUK, current) == wanted

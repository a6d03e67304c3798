"""The udbetaling state machine: every allowed transition, as data (udbetaling.md).

``TRANSITIONS[event]`` maps a status to the status the event moves it to; a status absent
from an event's map cannot take that event. Services (per row) and the jobs (set-based SQL
via ``case_sql`` / ``from_sql``) read this table only. Modelled on integrations/dfdg/states.py.
"""

from __future__ import annotations

from debitor.udbetaling.models import Status as S


class Event:
    #: put in an SF1590E file (sf1590-e-transfer-payment)
    SEND = "send"
    #: NemKonto status G (nemkonto-collect-status)
    GENNEMFOER = "gennemfoer"
    #: NemKonto status A (nemkonto-collect-status): a task, then a resend as a new udbetaling
    AFVIS = "afvis"
    #: a kontant payment paid out at the kommune's kasse (never in a file)
    UDBETAL_KONTANT = "udbetal_kontant"


TRANSITIONS: dict[str, dict[str, str]] = {
    Event.SEND: {S.KLAR: S.SENDT},
    Event.GENNEMFOER: {S.SENDT: S.GENNEMFOERT},
    Event.AFVIS: {S.SENDT: S.AFVIST},
    Event.UDBETAL_KONTANT: {S.KLAR: S.GENNEMFOERT},
}

#: end states: nothing moves them
SLUT = frozenset({S.GENNEMFOERT, S.AFVIST})


def target(event: str, status: str) -> str | None:
    """The status ``event`` moves ``status`` to, or None when not allowed."""
    return TRANSITIONS[event].get(status)


def from_states(event: str) -> list[str]:
    return sorted(str(s) for s in TRANSITIONS[event])


def _lit(s: str) -> str:
    assert s.isidentifier(), s  # status values only, never user input
    return f"'{s}'"


def from_sql(event: str) -> str:
    """``('a', 'b')`` for ``WHERE status IN ...``."""
    return "(" + ", ".join(_lit(s) for s in from_states(event)) + ")"


def case_sql(event: str, column: str = "status") -> str:
    """``CASE status WHEN 'a' THEN 'b' ... END`` for set-based UPDATEs."""
    whens = " ".join(f"WHEN {_lit(a)} THEN {_lit(b)}" for a, b in sorted(TRANSITIONS[event].items()))
    return f"CASE {column} {whens} END"

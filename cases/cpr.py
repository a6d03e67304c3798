"""CPR numbers (api.md): 10 digits, input may carry a dash (DDMMYY-SSSS),
output never does. A real date and the century rule of the 7th digit are
checked by python-stdnum; modulus 11 is not required (numbers since 2007 need
not satisfy it), and stdnum's validate does not check it."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

_FORMAT = re.compile(r"^\d{6}-?\d{4}$")


class InvalidCPR(ValueError):
    pass


def normalize_cpr(value: str) -> str:
    """Return the 10-digit form of a valid CPR, or raise InvalidCPR with a Danish message."""
    if value is None:
        raise InvalidCPR("CPR-nummer mangler.")
    value = str(value).strip()
    if not _FORMAT.match(value):
        raise InvalidCPR("CPR-nummer skal være 10 cifre (DDMMÅÅSSSS eller DDMMÅÅ-SSSS).")
    digits = value.replace("-", "")
    try:
        stdnum_cpr.validate(digits)
    except stdnum_exceptions.InvalidComponent:
        raise InvalidCPR("CPR-nummeret indeholder ikke en gyldig fødselsdato.") from None
    except stdnum_exceptions.ValidationError:
        raise InvalidCPR("Ugyldigt CPR-nummer.") from None
    return digits


def birth_date(cpr: str) -> dt.date:
    return stdnum_cpr.get_birth_date(cpr)


def validate_cpr(value: str) -> None:
    """Django validator."""
    try:
        normalize_cpr(value)
    except InvalidCPR as exc:
        raise ValidationError(str(exc), code="cpr") from None


def foedselsdato(cpr: str) -> dt.date | None:
    """The birth date of a 10-digit CPR by stdnum's century rule; None when it has none."""
    try:
        return stdnum_cpr.get_birth_date(cpr)
    except Exception:
        return None

"""Danish amounts (kroner) as caseworkers type and read them: "5.100,50" = 5100.50 kr.

Thousands separator '.', decimal separator ','. Input that could be read two ways
("5.10", "5100.50", "5,100") is refused, never guessed.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

OERE = Decimal("0.01")

# optional sign; digits without separators, or groups of three after a '.'; at most two decimals after ','
_DANSK = re.compile(r"(-?)((?:[1-9]\d{0,2}(?:\.\d{3})+)|\d+)(?:,(\d{1,2}))?")
_KR = re.compile(r"\s*kr\.?\s*$", re.IGNORECASE)


class UgyldigtBeloeb(ValueError):
    """The text is no Danish amount; ``str(exc)`` is the Danish message for the user."""


def parse_beloeb(tekst) -> Decimal:
    """A Danish amount in kroner -> Decimal with two decimals.

    Accepts "5100", "5100,5", "5.100,50", "-12,00", an optional trailing "kr."; refuses
    anything else (an English decimal point, a misplaced '.', more than two decimals, text)."""
    s = _KR.sub("", str(tekst).strip().replace("\u00a0", " ")).strip()
    m = _DANSK.fullmatch(s)
    if not m:
        if any(c.isdigit() for c in s) and not set(s) - set("0123456789.,- "):
            raise UgyldigtBeloeb(
                "Beløbet kan ikke læses: skriv det med komma før ører og evt. punktum mellem tusinder, "
                "fx 5.100,50 eller 5100,50.")
        raise UgyldigtBeloeb("Beløbet er ikke et tal.")
    sign, heltal, oere = m.groups()
    return Decimal(f"{sign}{heltal.replace('.', '')}.{(oere or '0').ljust(2, '0')}")


def format_kr(beloeb, *, enhed: bool = True) -> str:
    """Decimal -> "5.100,50 kr." (rounded half up to øre; ``enhed=False`` leaves out " kr.")."""
    if beloeb is None or beloeb == "":
        return ""
    d = Decimal(beloeb).quantize(OERE, rounding=ROUND_HALF_UP)
    tekst = f"{d:,.2f}".translate(str.maketrans(",.", ".,"))
    return f"{tekst} kr." if enhed else tekst

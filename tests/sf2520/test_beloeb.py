"""Danish amounts as caseworkers type them (ky.core.beloeb): '.' between thousands, ',' before øre."""

from decimal import Decimal

import pytest

from ky.core.beloeb import UgyldigtBeloeb, format_kr, parse_beloeb

LAESES_IKKE = "Beløbet kan ikke læses: skriv det med komma før ører og evt. punktum mellem tusinder"


@pytest.mark.parametrize("tekst, beloeb", [
    ("5.100,50", "5100.50"), ("5100,5", "5100.50"), ("5100", "5100.00"), ("5.100", "5100.00"),
    ("1.000.000", "1000000.00"), ("0,5", "0.50"), ("-0,01", "-0.01"), (" 12 ", "12.00"),
    ("5.100,50 kr.", "5100.50"), ("250 kr", "250.00"), ("99999999999", "99999999999.00"),
])
def test_danish_amounts_are_read(tekst, beloeb):
    assert parse_beloeb(tekst) == Decimal(beloeb)


@pytest.mark.parametrize("tekst, besked", [
    ("5.10", LAESES_IKKE),  # a decimal point, or 5.100 missing a digit?
    ("5100.50", LAESES_IKKE),  # an English decimal point
    ("5,100", LAESES_IKKE),  # an English thousands separator (three decimals)
    ("5100,505", LAESES_IKKE),  # more than øre
    ("1.00.000", LAESES_IKKE), ("05.100", LAESES_IKKE), ("5 100", LAESES_IKKE), ("5100,", LAESES_IKKE),
    ("abc", "Beløbet er ikke et tal."), ("", "Beløbet er ikke et tal."), ("Infinity", "Beløbet er ikke et tal."),
    ("NaN", "Beløbet er ikke et tal."), ("1e5", "Beløbet er ikke et tal."), ("+5", "Beløbet er ikke et tal."),
])
def test_ambiguous_or_garbage_is_refused_with_a_danish_message(tekst, besked):
    with pytest.raises(UgyldigtBeloeb) as exc:
        parse_beloeb(tekst)
    assert str(exc.value).startswith(besked)


@pytest.mark.parametrize("beloeb, tekst", [
    ("5100.5", "5.100,50 kr."), ("0", "0,00 kr."), ("999.995", "1.000,00 kr."), ("-1234567.891", "-1.234.567,89 kr."),
])
def test_amounts_are_shown_danish(beloeb, tekst):
    assert format_kr(Decimal(beloeb)) == tekst
    assert parse_beloeb(tekst) == Decimal(beloeb).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")

import datetime as dt
from decimal import Decimal

import pytest

from debitor.underholdsbidrag.models import Sats


@pytest.fixture
def satser(db):
    Sats.objects.create(bidragsart=11, gyldig_fra=dt.date(2025, 7, 1), gyldig_til=dt.date(2026, 6, 30),
                        beloeb=Decimal("3960.00"))
    Sats.objects.create(bidragsart=11, gyldig_fra=dt.date(2026, 7, 1), beloeb=Decimal("4038.00"))
    Sats.objects.create(bidragsart=32, gyldig_fra=dt.date(2025, 1, 1), beloeb=Decimal("1200.00"))


def sag_body(**over):
    body = {"kommune": 101, "omraade": 1,
            "bb": {"cpr": "0101801234", "statuskode": 0, "udbetalingsform": 0, "regnr": None, "kontonr": None,
                   "ratevis": False},
            "bidragspersoner": [
                {"cpr": "1505091234", "statuskode": 0, "ab_kode": 0, "indtaegt": None,
                 "bidrag": [{"bidragsart": 11, "bpl": "0202751234", "forfaldsdato": "2026-01-02",
                             "forfaldsfrekvens": "H", "fast_bidrag": None, "procentsats": None}]}],
            "bidragspligtige": [{"cpr": "0202751234", "afkraevningskommune": None, "diskretion": False}]}
    body.update(over)
    return body

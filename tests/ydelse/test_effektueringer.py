"""dan-effektueringskladder computes rule-based bevillinger (issue 13): brutto = the month's beloeb, its
forklaring copied; one it cannot compute is a per-item error and the rest are made."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Bevilling
from cases.ydelse import selectors
from cases.ydelse.models import Indtaegt
from integrations.sf2520.models import Effektuering
from tests.factories import BevillingFactory, PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db


def test_rule_based_fixed_and_failing_bevillinger():
    person = PersonFactory(cpr=make_cpr(5, dt.date(1970, 2, 2)))
    regel = BevillingFactory(sag=SagFactory(kommune_id=101, person=person), maanedligt_beloeb=None,
                             bevilget_fra=dt.date(2025, 3, 10))
    fast = BevillingFactory(kommune_id=101, maanedligt_beloeb=Decimal("9300.00"), bevilget_fra=dt.date(2025, 1, 1))
    fejl = BevillingFactory(kommune_id=101, ydelsestype="HTF", maanedligt_beloeb=None, bevilget_fra=dt.date(2025, 1, 1))
    BevillingFactory(kommune_id=101, ydelsestype="APOE", maanedligt_beloeb=None)  # not paid by effektuering: skipped
    Indtaegt.objects.create(kommune_id=101, person=person, maaned=dt.date(2025, 3, 1), art="anden", beloeb=250)
    run = run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2025, 3, 7))
    e = Effektuering.objects.get(bevilling=regel)
    beregning = selectors.beregning_for(regel, dt.date(2025, 3, 1))
    assert e.brutto == Decimal(beregning["beloeb"]) and e.dage == 22
    assert e.periode_fra == dt.date(2025, 3, 10) and e.periode_til == dt.date(2025, 3, 31)
    assert "Sats: LAS § 25, stk. 2, nr. 2" in e.forklaring and "anden indtægt 250,00 kr." in e.forklaring
    assert Effektuering.objects.get(bevilling=fast).brutto == Decimal("9300.00")
    assert not Effektuering.objects.filter(bevilling=fejl).exists()
    assert run.errors == [{"item": f"bevilling {fejl.pk}",
                           "message": "Der er ingen sats i kraft for HTF 'over30_ikke_forsoerger' den 01-03-2025."}]
    assert run.counts["created"] == 2 and run.counts["failed"] == 1
    # a re-run after new income recomputes the draft in place
    Indtaegt.objects.create(kommune_id=101, person=person, maaned=dt.date(2025, 3, 1), art="anden", beloeb=100)
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2025, 3, 7))
    e2 = Effektuering.objects.get(bevilling=regel)
    assert e2.pk == e.pk and e2.brutto == e.brutto - 100
    Bevilling.objects.filter(pk=regel.pk).update(maanedligt_beloeb=Decimal("5000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2025, 3, 7))
    assert Effektuering.objects.get(bevilling=regel).brutto == Decimal("3548.39")  # 5000 x 22/31

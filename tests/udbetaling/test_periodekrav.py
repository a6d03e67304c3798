"""opkraevning-af-periodekrav: the month's claim of each afdragsordning (at most the restgæld), once,
with a reminder task; varsel_dage before the month begins."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Opgave
from debitor.udbetaling.models import Afdragsordning, Periodekrav
from tests.factories import FordringFactory

pytestmark = pytest.mark.django_db


def test_month_claim_once_with_task():
    f = FordringFactory(restgaeld=Decimal("750.00"))
    a = Afdragsordning.objects.create(kommune_id=101, debitorkonto=f.debitorkonto, maanedligt_beloeb=Decimal("500.00"),
                                      startdato=dt.date(2026, 11, 1))
    lille = FordringFactory(restgaeld=Decimal("120.00"))
    b = Afdragsordning.objects.create(kommune_id=101, debitorkonto=lille.debitorkonto,
                                      maanedligt_beloeb=Decimal("500.00"), startdato=dt.date(2026, 11, 1))
    slut = FordringFactory(restgaeld=Decimal("120.00"))
    Afdragsordning.objects.create(kommune_id=101, debitorkonto=slut.debitorkonto, maanedligt_beloeb=Decimal("50"),
                                  startdato=dt.date(2026, 1, 1), slutdato=dt.date(2026, 11, 30))
    k = run_job("opkraevning-af-periodekrav", kommune=101, as_of=dt.date(2026, 12, 7), dry_run=True)
    assert k.counts["created"] == 2 and not Periodekrav.objects.exists()
    k = run_job("opkraevning-af-periodekrav", kommune=101, as_of=dt.date(2026, 12, 7))
    assert k.status == "succeeded" and k.counts["created"] == 2, k.besked
    got = {p.afdragsordning_id: (p.periode, p.forfaldsdato, p.beloeb) for p in Periodekrav.objects.all()}
    assert got == {a.pk: (dt.date(2026, 12, 1), dt.date(2026, 12, 1), Decimal("500.00")),
                   b.pk: (dt.date(2026, 12, 1), dt.date(2026, 12, 1), Decimal("120.00"))}  # at most the restgæld
    o = Opgave.objects.get(debitorkonto_id=f.debitorkonto_id, type="opkraevning-af-periodekrav")
    assert "500.00 kr. for 12-2026" in o.titel and o.opgavepakke.navn == "Opkrævning af periodekrav"
    assert run_job("opkraevning-af-periodekrav", kommune=101, as_of=dt.date(2026, 12, 8)).counts["created"] == 0
    # 10 days before January begins: January's claim (forfald: first bank day, Monday 4 January)
    run_job("opkraevning-af-periodekrav", kommune=101, as_of=dt.date(2026, 12, 22))
    jan = Periodekrav.objects.get(afdragsordning=a, periode=dt.date(2027, 1, 1))
    assert jan.forfaldsdato == dt.date(2027, 1, 4)

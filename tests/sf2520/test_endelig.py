"""endeligjoer-effektueringer: first payout final; > 25 % change awaits approval with a task."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import Effektuering
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_approval_threshold_and_idempotent():
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    small = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    for d in (dt.date(2026, 1, 5),):
        run_job("dan-effektueringskladder", kommune=101, as_of=d)
        run_job("endeligjoer-effektueringer", kommune=101, as_of=d)
    assert set(Effektuering.objects.values_list("status", flat=True)) == {"endelig"}
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))  # 50 % of February
    Bevilling.objects.filter(pk=small.pk).update(maanedligt_beloeb=Decimal("12000.00"))  # +20 %
    for _ in range(2):
        run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
        k = run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
        assert k.status == "succeeded", k.besked
    feb = Effektuering.objects.get(bevilling=b, maaned=dt.date(2026, 2, 1))
    assert feb.status == "afventer_godkendelse" and feb.forrige.maaned == dt.date(2026, 1, 1)
    assert Effektuering.objects.get(bevilling=small, maaned=dt.date(2026, 2, 1)).status == "endelig"
    opgave = Opgave.objects.get(type="godkend-effektuering")
    assert opgave.opgavepakke.navn == "Godkend effektueringer" and opgave.data["effektuering"] == feb.pk


def test_threshold_is_the_kommunes_batchkonstant():
    from batch.models import Batchkonstant

    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Batchkonstant.objects.create(kommune_id=101, job="endeligjoer-effektueringer", noegle="godkendelse_graense_procent",
                                 vaerdi=10, gyldig_fra=dt.date(2026, 1, 1))
    Bevilling.objects.filter(pk=b.pk).update(maanedligt_beloeb=Decimal("11500.00"))  # +15 %
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    assert Effektuering.objects.get(maaned=dt.date(2026, 2, 1)).status == "afventer_godkendelse"
    assert Opgave.objects.filter(type="godkend-effektuering", kommune_id=101).count() == 1

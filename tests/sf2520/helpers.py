import datetime as dt
from decimal import Decimal

from batch.services import run_job
from cases.models import Bevilling
from integrations.sf2520.models import Effektuering
from tests.factories import BevillingFactory


def afventende_effektuering() -> Effektuering:
    """A February draft awaiting approval: netto halved against January's payout."""
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    return Effektuering.objects.get(maaned=dt.date(2026, 2, 1), status="afventer_godkendelse")

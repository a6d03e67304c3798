import datetime as dt
from decimal import Decimal

from batch.models import Koersel
from batch.services import run_job
from debitor.udbetaling import services, states
from debitor.udbetaling.models import Udbetaling
from debitor.underholdsbidrag.models import Udbetaling as UBUdbetaling
from integrations.sf2520.models import Betalingsadministrationsaftale
from tests.factories import BevillingFactory

D = dt.date(2026, 12, 7)


def effektuering(maanedligt="10000.00", modregning=None, kommune=101, **kw):
    """A finalised December effektuering (optionally with an SF2520 modregning)."""
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal(maanedligt),
                         sag__kommune_id=kommune, **kw)
    if modregning:
        Betalingsadministrationsaftale.objects.create(aftale_id=f"A{b.pk}", kommune_id=kommune, cpr=b.person.cpr,
                                                      maanedligt_beloeb=Decimal(modregning),
                                                      gyldig_fra=dt.date(2026, 1, 1))
    assert run_job("dan-effektueringskladder", kommune=kommune, as_of=D).status == "succeeded"
    assert run_job("endeligjoer-effektueringer", kommune=kommune, as_of=D).status == "succeeded"
    return b


def ub_udbetaling(beloeb="1500.00", modtager="0101801234", form=1, kommune=101, dato=dt.date(2026, 12, 10)):
    k = Koersel.objects.create(job="underholdsbidrag-ugekoersel", kommune_id=kommune, as_of=D, status="succeeded")
    return UBUdbetaling.objects.create(kommune_id=kommune, koersel=k, modtager=modtager, udbetalingsform=form,
                                       udbetalingsdato=dato, beloeb=Decimal(beloeb))


def sendt(u: Udbetaling) -> Udbetaling:
    return services.skift(Udbetaling.objects.get(pk=u.pk), states.Event.SEND)


def afvist(u: Udbetaling, aarsag="NemKonto mangler") -> Udbetaling:
    sendt(u)
    services.anvend_status(u.kommune_id, [(2, u.pk, "A", aarsag)])
    return Udbetaling.objects.get(pk=u.pk)

"""overdragelse-af-debitorkonto: a konto whose debtor moved kommune goes to the new kommune with
its open fordringer; one whose open fordringer all went to inddrivelse is handed over; each once,
the old konto's history kept (nedregulering to 0)."""

import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Opgave
from cases.personer.models import Stamdata
from debitor.models import Debitorkonto, Fordring, Fordringspostering
from debitor.udbetaling.models import Inddrivelseskrav, Overdragelse
from tests.factories import FordringFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)


def test_moved_and_inddrivelse_once():
    flyt = FordringFactory(restgaeld=Decimal("300.00"), fordring_id="F-FLYT")
    Stamdata.objects.create(person=flyt.debitorkonto.person, foedselsdato=dt.date(1980, 1, 1), kommunekode=751)
    bliver = FordringFactory(restgaeld=Decimal("100.00"))
    Stamdata.objects.create(person=bliver.debitorkonto.person, foedselsdato=dt.date(1980, 1, 1), kommunekode=101)
    indd = FordringFactory(restgaeld=Decimal("900.00"))
    Inddrivelseskrav.objects.create(kommune_id=101, fordring=indd, sendt_dato=D, restgaeld_sendt=Decimal("900.00"))
    k = run_job("overdragelse-af-debitorkonto", kommune=101, as_of=D, dry_run=True)
    assert "1 debitorkonti overdraget til tilflytningskommunen, 1 til inddrivelse" in k.log
    assert not Overdragelse.objects.exists()
    k = run_job("overdragelse-af-debitorkonto", kommune=101, as_of=D)
    assert k.status == "succeeded" and k.counts["updated"] == 2, k.besked
    o = Overdragelse.objects.get(aarsag="flyttet")
    assert (o.til_kommune_id, o.saldo) == (751, Decimal("300.00"))
    ny = Debitorkonto.objects.get(pk=o.ny_debitorkonto_id)
    assert (ny.kommune_id, ny.kontonr, ny.person_id) == (751, f"OVD{flyt.debitorkonto_id}", flyt.debitorkonto.person_id)
    kopi = Fordring.objects.get(debitorkonto=ny)
    assert (kopi.fordring_id, kopi.restgaeld, kopi.kommune_id) == ("F-FLYT", Decimal("300.00"), 751)
    flyt.refresh_from_db()
    indd.refresh_from_db()
    assert flyt.restgaeld == indd.restgaeld == 0
    assert set(Fordringspostering.objects.values_list("fordring_id", "type", "beloeb")) == {
        (flyt.pk, "nedregulering", Decimal("300.00")), (indd.pk, "nedregulering", Decimal("900.00"))}
    assert Overdragelse.objects.get(aarsag="inddrivelse").debitorkonto_id == indd.debitorkonto_id
    bliver.refresh_from_db()
    assert bliver.restgaeld == Decimal("100.00")
    assert Opgave.objects.get(type="overdragelse-af-debitorkonto").kommune_id == 751
    assert run_job("overdragelse-af-debitorkonto", kommune=101, as_of=D).counts["updated"] == 0

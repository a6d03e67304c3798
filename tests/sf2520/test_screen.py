import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import BeloebKorrektion, Effektuering
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_task_page_explains_corrects_and_approves(sagsbehandler):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    c = Client()
    c.force_login(sagsbehandler)
    opgave = Opgave.objects.get(type="godkend-effektuering")
    html = c.get(f"/opgaver/{opgave.pk}/").content.decode()
    assert "14 af 28 dage" in html and "Godkend" in html and "kr. netto (01-2026)" in html
    eff = Effektuering.objects.get(maaned=dt.date(2026, 2, 1))
    c.post(f"/effektueringer/{eff.pk}/korriger/", {"felt": "brutto", "beloeb": "5100,00", "begrundelse": "Efterregulering"})
    eff.refresh_from_db()
    assert eff.brutto == Decimal("5100.00") and eff.netto == Decimal("5100.00")
    k = BeloebKorrektion.objects.get()
    assert (k.gammel, k.ny, k.bruger, k.begrundelse) == (Decimal("5000.00"), Decimal("5100.00"), sagsbehandler, "Efterregulering")
    c.post(f"/effektueringer/{eff.pk}/godkend/")
    eff.refresh_from_db()
    assert eff.status == "endelig"

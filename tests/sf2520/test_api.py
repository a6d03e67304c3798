import datetime as dt
from decimal import Decimal

import pytest

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520.models import Effektuering
from tests.factories import BevillingFactory

pytestmark = pytest.mark.django_db


def test_effektueringer_scoped_and_godkend(api, sagsbehandler, sagsbehandler_751):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(maanedligt_beloeb=Decimal("5000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    feb = Effektuering.objects.get(maaned=dt.date(2026, 2, 1))
    r = api.as_user(sagsbehandler).get("/api/v1/effektueringer/")
    assert r.status_code == 200 and r.data["count"] == 2 and r.data["results"][0]["cpr"] == b.person.cpr
    assert api.as_user(sagsbehandler_751).post(f"/api/v1/effektueringer/{feb.pk}/godkend/").status_code == 404
    r = api.as_user(sagsbehandler).post(f"/api/v1/effektueringer/{feb.pk}/godkend/")
    assert r.status_code == 200 and r.data["status"] == "endelig"
    assert Opgave.objects.get(type="godkend-effektuering").status == "udfoert"
    assert api.as_user(sagsbehandler).post(f"/api/v1/effektueringer/{feb.pk}/godkend/").status_code == 409
    assert api.as_user(sagsbehandler).get("/api/v1/betalingsadministrationsaftaler/").status_code == 200
    assert api.as_user(sagsbehandler).get("/api/v1/sf2520/filer/").status_code == 200

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


def test_fields_exactly_as_the_contract_and_scoping(api, sagsbehandler, sagsbehandler_751, drift, settings, tmp_path):
    """sf2520.md, API: the fields of the three lists; another kommune's rows are not seen."""
    from integrations.sf2520.models import Betalingsadministrationsaftale

    settings.KY_SFTP_URL = ""
    settings.KY_DATA_DIR = tmp_path
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    Betalingsadministrationsaftale.objects.create(aftale_id="A1", kommune_id=101, cpr=b.person.cpr,
                                                  maanedligt_beloeb=Decimal("1500.00"), gyldig_fra=dt.date(2026, 1, 1))
    d = dt.date(2026, 3, 2)
    for job in ("dan-effektueringskladder", "endeligjoer-effektueringer", "sf2520-send-fub-modregninger"):
        assert run_job(job, kommune=101, as_of=d).status == "succeeded"
    fields = {
        "/api/v1/betalingsadministrationsaftaler/": {"id", "aftale_id", "kommune", "cpr", "maanedligt_beloeb",
                                                     "gyldig_fra", "gyldig_til", "status"},
        "/api/v1/effektueringer/": {"id", "bevilling", "kommune", "cpr", "periode_fra", "periode_til", "brutto",
                                    "modregning", "netto", "status", "udbetalingsdato"},
        "/api/v1/sf2520/filer/": {"id", "kommune", "filnavn", "loebenummer", "antal", "sum_beloeb", "status",
                                  "sendt", "kvitteret"},
    }
    for path, keys in fields.items():
        r = api.as_user(sagsbehandler).get(path)
        assert r.status_code == 200 and r.data["count"] == 1 and set(r.data["results"][0]) == keys, path
        one = api.as_user(sagsbehandler).get(f"{path}{r.data['results'][0]['id']}/")
        assert one.status_code == 200 and set(one.data) == keys
        assert api.as_user(sagsbehandler_751).get(path).data["count"] == 0
        assert api.as_user(sagsbehandler_751).get(f"{path}{r.data['results'][0]['id']}/").status_code == 404
        assert api.as_user(drift).get(path).data["count"] == 1
    e = api.as_user(sagsbehandler).get("/api/v1/effektueringer/").data["results"][0]
    assert (e["status"], e["brutto"], e["modregning"], e["netto"], e["udbetalingsdato"]) == (
        "endelig", "10000.00", "1500.00", "8500.00", "2026-03-31")
    f = api.as_user(sagsbehandler).get("/api/v1/sf2520/filer/").data["results"][0]
    assert (f["filnavn"], f["loebenummer"], f["antal"], f["sum_beloeb"], f["status"]) == (
        "KY_SF2520_101_20260302_000001.txt", 1, 1, "1500.00", "sendt")
    assert api.as_user(sagsbehandler).post("/api/v1/sf2520/filer/").status_code in (403, 405)

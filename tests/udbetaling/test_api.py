"""API of udbetaling.md: /udbetalinger/ (list, one, filters), /udbetalinger/kvik/, /finansbilag/."""

import datetime as dt

import pytest

from debitor.udbetaling import services
from debitor.udbetaling.models import Udbetaling
from tests.factories import BevillingFactory, UserFactory
from tests.udbetaling.helpers import effektuering, sendt

pytestmark = pytest.mark.django_db
FIELDS = {"id", "kommune", "cpr", "modtagertype", "beloeb", "udbetalingsdato", "kilde", "kilde_id", "status",
          "status_tid", "afvist_aarsag"}


def test_list_filters_one_and_scope(api, sagsbehandler, django_assert_max_num_queries):
    for _ in range(3):
        effektuering()
    effektuering(kommune=751)
    services.dan_fra_effektueringer(101)
    services.dan_fra_effektueringer(751)
    u = Udbetaling.objects.filter(kommune_id=101).first()
    sendt(u)
    c = api.as_user(sagsbehandler)
    with django_assert_max_num_queries(6):
        r = c.get("/api/v1/udbetalinger/")
    assert r.status_code == 200 and r.data["count"] == 3 and set(r.data["results"][0]) == FIELDS
    assert c.get("/api/v1/udbetalinger/", {"status": "sendt"}).data["count"] == 1
    assert c.get("/api/v1/udbetalinger/", {"cpr": u.cpr}).data["count"] == 1
    assert c.get("/api/v1/udbetalinger/", {"kilde": "effektuering", "udbetalingsdato_fra": "2026-12-01",
                                           "udbetalingsdato_til": "2026-12-31"}).data["count"] == 3
    assert c.get("/api/v1/udbetalinger/", {"udbetalingsdato_til": "2026-11-30"}).data["count"] == 0
    bad = c.get("/api/v1/udbetalinger/", {"status": "betalt"})
    assert bad.status_code == 400 and bad.data["fejl"][0]["felt"] == "status"
    assert c.get("/api/v1/udbetalinger/", {"udbetalingsdato_fra": "i går"}).status_code == 400
    one = c.get(f"/api/v1/udbetalinger/{u.pk}/")
    assert one.status_code == 200 and one.data["status"] == "sendt" and one.data["kommune"] == 101
    other = Udbetaling.objects.get(kommune_id=751)
    assert c.get(f"/api/v1/udbetalinger/{other.pk}/").status_code == 404
    drift = UserFactory(drift=True)
    assert api.as_user(drift).get("/api/v1/udbetalinger/").data["count"] == 4


def test_kvik(api, sagsbehandler):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    c = api.as_user(sagsbehandler)
    r = c.post("/api/v1/udbetalinger/kvik/", {"bevilling": b.pk, "beloeb": "750.00", "begrundelse": "Akut husleje"},
               format="json")
    assert r.status_code == 201, r.data
    assert set(r.data) == FIELDS and r.data["kilde"] == "kvikudbetaling" and r.data["beloeb"] == "750.00"
    for body, felt in [({"bevilling": b.pk, "beloeb": "0", "begrundelse": "x"}, "beloeb"),
                       ({"bevilling": b.pk, "beloeb": "10", "begrundelse": ""}, "begrundelse"),
                       ({"bevilling": 0, "beloeb": "10", "begrundelse": "x"}, "bevilling"),
                       ({"beloeb": "10", "begrundelse": "x"}, "bevilling"),
                       ({"bevilling": b.pk, "beloeb": "1e400", "begrundelse": "x"}, "beloeb")]:
        r = c.post("/api/v1/udbetalinger/kvik/", body, format="json")
        assert r.status_code == 400 and r.data["fejl"][0]["felt"] == felt, (body, r.data)
    assert Udbetaling.objects.count() == 1
    admin = UserFactory(kommuneadmin=True)
    assert api.as_user(admin).post("/api/v1/udbetalinger/kvik/", {"bevilling": b.pk, "beloeb": "1",
                                                                  "begrundelse": "x"}, format="json").status_code == 403

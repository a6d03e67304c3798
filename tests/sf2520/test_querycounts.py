"""No N+1: the sf2520 API lists and the approval screens take as many queries for many rows
as for one (corrections by several caseworkers included)."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from batch.services import run_job
from cases.models import Bevilling, Opgave
from integrations.sf2520 import services
from integrations.sf2520.models import Betalingsadministrationsaftale, Effektuering, SendtFil
from tests.factories import BevillingFactory, UserFactory

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def _aftale():
    i = next(_n)
    Betalingsadministrationsaftale.objects.create(aftale_id=f"A{i}", kommune_id=101, cpr=f"01018{i:05d}",
                                                  maanedligt_beloeb=Decimal("100.00"), gyldig_fra=dt.date(2026, 1, 1))


def _effektuering():
    BevillingFactory(bevilget_fra=dt.date(2026, 1, 1))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))


def _fil():
    i = next(_n)
    SendtFil.objects.create(kommune_id=101, filnavn=f"KY_SF2520_101_20260302_{i:06d}.txt", loebenummer=i,
                            koerselsdato=dt.date(2026, 3, 2), antal=1, sum_beloeb=Decimal("1.00"), status="sendt",
                            sendt=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), senders_file_id=uuid.uuid4())


@pytest.mark.parametrize("path, make", [
    ("/api/v1/betalingsadministrationsaftaler/", _aftale),
    ("/api/v1/effektueringer/", _effektuering),
    ("/api/v1/sf2520/filer/", _fil),
])
def test_api_list_query_count_does_not_grow(api, sagsbehandler, path, make):
    client = api.as_user(sagsbehandler)
    make()
    client.get(path)  # warm per-user caches
    with CaptureQueriesContext(connection) as one:
        r = client.get(path)
    assert r.status_code == 200 and r.json()["count"] == 1
    for _ in range(8):
        make()
    with CaptureQueriesContext(connection) as many:
        r = client.get(path)
    assert r.status_code == 200 and r.json()["count"] == 9
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_files_in_flight_are_not_listed_as_sent(api, sagsbehandler):
    _fil()
    SendtFil.objects.update(status="sender", sendt=None)
    assert api.as_user(sagsbehandler).get("/api/v1/sf2520/filer/").json()["count"] == 0


def test_approval_screens_query_count_does_not_grow_with_corrections(sagsbehandler):
    b = BevillingFactory(bevilget_fra=dt.date(2026, 1, 1), maanedligt_beloeb=Decimal("10000.00"))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 1, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 1, 5))
    Bevilling.objects.filter(pk=b.pk).update(bevilget_til=dt.date(2026, 2, 14))
    run_job("dan-effektueringskladder", kommune=101, as_of=dt.date(2026, 2, 5))
    run_job("endeligjoer-effektueringer", kommune=101, as_of=dt.date(2026, 2, 5))
    eff = Effektuering.objects.get(maaned=dt.date(2026, 2, 1), status="afventer_godkendelse")
    opgave = Opgave.objects.get(type="godkend-effektuering")
    c = Client()
    c.force_login(sagsbehandler)
    urls = [f"/effektueringer/{eff.pk}/", f"/opgaver/{opgave.pk}/"]
    services.korriger_beloeb(sagsbehandler, eff, "brutto", "5000,00", "første")
    for url in urls:
        assert c.get(url).status_code == 200  # warm; the task page reserves the task on first open

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url)
        assert r.status_code == 200
        return len(ctx), r.content.decode()

    before = {url: count(url)[0] for url in urls}
    for i in range(6):  # corrections by several caseworkers
        services.korriger_beloeb(UserFactory(username=f"sb{i}", kommuner=[101]), eff, "brutto", f"50{i}0,00",
                                 f"rettelse {i}")
    for url in urls:
        n, html = count(url)
        assert n == before[url], url
        assert "rettelse 5" in html and "sb5" in html


@pytest.mark.parametrize("model, make", [
    ("betalingsadministrationsaftale", _aftale),
    ("effektuering", _effektuering),
    ("sendtfil", _fil),
    ("modtagetfil", lambda: __import__("integrations.sf2520.models", fromlist=["ModtagetFil"]).ModtagetFil.objects
     .create(kommune_id=101, filnavn=f"UDK_SF2530_SVAR_101_20260302_{next(_n):06d}.txt", status="behandlet")),
])
def test_admin_lists_query_count_does_not_grow(model, make):
    from cases.accounts import create_or_update_user

    c = Client()
    c.force_login(create_or_update_user("drift-admin", role="drift")[0])
    make()
    c.get(f"/admin/sf2520/{model}/")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/admin/sf2520/{model}/").status_code == 200
        return len(ctx)

    one = count()
    for _ in range(6):
        make()
    assert count() == one

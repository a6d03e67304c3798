"""The dfdg admin for drift: every model registered, changelists answer with rows, query count flat."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.dfdg import models as m
from tests.dfdg.conftest import days, kontaktforloeb
from tests.factories import UserFactory, make_cpr

pytestmark = pytest.mark.django_db
MODELS = [m.Frist, m.Booking, m.Fravaer, m.Kontaktgruppe, m.Kontaktforloeb, m.Besked, m.Abonnement, m.RequestId]


def rows(n, start=0):
    for i in range(start, start + n):
        cpr = make_cpr(700 + i)
        kontaktforloeb(cpr, "dagpenge", akasse=12)
        f = m.Frist.objects.create(kommune_id=101, cpr=cpr, samtaletype=7, fristdato=days(5),
                                   fristaktiveringsdato=days(0), status=2)
        m.FristStatusaendring.objects.create(frist=f, status=2, tidspunkt=f.oprettet, aarsag="x")
        m.Booking.objects.create(cpr=cpr, samtaletype=7, moededato=days(3))
        m.Fravaer.objects.create(cpr=cpr, fravaerstype=10, fra=days(1))
        m.RequestId.objects.create(request_id=f"r{i}")
    m.Abonnement.objects.create(navn=f"KSS {n}", kommune_id=101)


def test_every_dfdg_model_is_registered_and_its_changelist_is_flat(client):
    assert all(admin.site.is_registered(model) for model in MODELS)
    UserFactory(username="drift1", drift=True, is_staff=True, is_superuser=True)
    client.login(username="drift1", password="hemmelig-kode")
    rows(2)
    few = {}
    for model in MODELS:
        url = f"/admin/dfdg/{model._meta.model_name}/"
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200, url
        few[model] = len(q)
    rows(15, start=2)
    for model in MODELS:
        with CaptureQueriesContext(connection) as q:
            assert client.get(f"/admin/dfdg/{model._meta.model_name}/").status_code == 200
        assert len(q) == few[model], model
    f = m.Frist.objects.first()
    r = client.get(f"/admin/dfdg/frist/{f.pk}/change/")
    assert r.status_code == 200 and "Statusændringer" in r.content.decode()

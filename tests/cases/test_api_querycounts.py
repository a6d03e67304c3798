"""List endpoints whose query count must not grow with rows (issue 2), beyond those in test_api_core."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DebitorkontoFactory, FordringFactory, OpgaveFactory, OpgavepakkeFactory

pytestmark = pytest.mark.django_db


def _konto():
    FordringFactory.create_batch(2, debitorkonto=DebitorkontoFactory())


def _pakke():
    OpgaveFactory.create_batch(2, opgavepakke=OpgavepakkeFactory())


@pytest.mark.parametrize("path,make", [("/api/v1/debitorkonti/", _konto), ("/api/v1/opgavepakker/", _pakke)])
def test_list_query_count_does_not_grow(api, sagsbehandler, path, make):
    client = api.as_user(sagsbehandler)
    make()
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        assert client.get(path).status_code == 200
    for _ in range(8):
        make()
    with CaptureQueriesContext(connection) as many:
        r = client.get(path)
    assert r.status_code == 200 and r.json()["count"] == 9
    assert len(many) == len(one)


def test_opgavepakke_counts_in_api(api, sagsbehandler):
    pakke = OpgavepakkeFactory(kode="TAL")
    OpgaveFactory.create_batch(3, opgavepakke=pakke)
    OpgaveFactory(opgavepakke=pakke, udfoert=True)
    row = api.as_user(sagsbehandler).get(f"/api/v1/opgavepakker/{pakke.pk}/").json()
    assert (row["antal_aabne"], row["antal_i_alt"], row["fuldfoert"]) == (3, 4, False)

"""/api/v1/integrationer/filer/ (contract integrationer.md): exactly the fields, the filters,
scoping (drift all; kommune users their own kommuner, no national files), send-igen (drift),
no N+1; the drift screen and the admin list."""

import datetime as dt

import pytest
from django.test import Client

from integrations import exchange, sftp
from integrations.models import Fil
from tests.factories import UserFactory
from tests.integrationer.helpers import UD, lav_fil, receipt, root  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date(2026, 12, 7)
FELTER = {"id", "kommune", "art", "retning", "filnavn", "loebenummer", "antal", "status", "tid", "fejl"}


def _send(kommune=101):
    return exchange.send(UD, kommune, dato=D, transport=sftp.transport(), byg=lambda: exchange.Udfil(
        indhold=lambda nr, now: lav_fil(kommune, ["a"], nr, now), antal=1))


def _afvis(root, fil):
    (root / "IN" / f"{fil.filnavn}.sftpreceipt").write_bytes(receipt(fil, "AFVIST", "ugyldig"))
    exchange.behandl_kvitteringer(None, sftp.transport(), print)


def test_fields_filters_and_scoping(api, root, sagsbehandler, sagsbehandler_751, drift):
    a, b = _send(101), _send(751)
    Fil.objects.create(art="TESTIND", retning="ind", kommune=None, filnavn="NATIONAL.txt", status="behandlet")
    _afvis(root, a)
    r = api.as_user(sagsbehandler).get("/api/v1/integrationer/filer/")
    assert r.status_code == 200 and r.data["count"] == 1
    row = r.json()["results"][0]
    assert set(row) == FELTER and row["kommune"] == 101 and row["retning"] == "ud" and row["status"] == "fejlet"
    assert row["fejl"] == "ugyldig" and row["loebenummer"] == 1 and row["art"] == "TESTUD"
    assert api.as_user(sagsbehandler).get(f"/api/v1/integrationer/filer/{b.pk}/").status_code == 404
    assert api.as_user(sagsbehandler_751).get(f"/api/v1/integrationer/filer/{b.pk}/").status_code == 200
    c = api.as_user(drift)
    assert c.get("/api/v1/integrationer/filer/").data["count"] == 3
    assert c.get("/api/v1/integrationer/filer/?kommune=751").data["count"] == 1
    assert c.get("/api/v1/integrationer/filer/?status=fejlet").data["results"][0]["id"] == a.pk
    assert c.get("/api/v1/integrationer/filer/?retning=ind").data["results"][0]["kommune"] is None
    assert c.get("/api/v1/integrationer/filer/?art=TESTUD").data["count"] == 2
    r = c.get("/api/v1/integrationer/filer/?status=forkert")
    assert r.status_code == 400 and r.json()["fejl"][0]["felt"] == "status"


def test_send_igen(api, root, sagsbehandler, drift):
    a, b = _send(101), _send(101)
    _afvis(root, a)
    assert api.as_user(sagsbehandler).post(f"/api/v1/integrationer/filer/{a.pk}/send-igen/").status_code == 403
    c = api.as_user(drift)
    r = c.post(f"/api/v1/integrationer/filer/{b.pk}/send-igen/")
    assert r.status_code == 409 and r.json()["fejl"][0]["kode"] == "ikke_fejlet"
    r = c.post(f"/api/v1/integrationer/filer/{a.pk}/send-igen/")
    assert r.status_code == 201 and r.data["loebenummer"] == 3 and r.data["status"] == "sendt"
    assert (root / "OUT" / r.data["filnavn"]).exists() and (root / "OUT" / f"{r.data['filnavn']}.trigger").exists()
    r = c.post(f"/api/v1/integrationer/filer/{a.pk}/send-igen/")
    assert r.status_code == 409 and r.json()["fejl"][0]["kode"] == "allerede_sendt_igen"
    assert c.post("/api/v1/integrationer/filer/999999/send-igen/").status_code == 404


def test_list_query_count_does_not_grow(api, root, drift, django_assert_max_num_queries):
    _send()
    c = api.as_user(drift)
    c.get("/api/v1/integrationer/filer/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        c.get("/api/v1/integrationer/filer/")
    for _ in range(8):
        _send()
    with django_assert_max_num_queries(len(one)):
        assert c.get("/api/v1/integrationer/filer/").data["count"] == 9


def test_drift_screen_and_admin(root, sagsbehandler):
    a = _send(101)
    _send(751)
    _afvis(root, a)
    c = Client()
    c.force_login(sagsbehandler)
    assert c.get("/integrationer/").status_code == 403
    from cases.accounts import create_or_update_user

    c.force_login(create_or_update_user("drift2", role="drift")[0])  # with drift's admin view permissions
    html = c.get("/integrationer/").content.decode()
    assert a.filnavn in html and "Send igen" in html and "TESTUD" in html and "SF2520" in html
    r = c.post(f"/integrationer/filer/{a.pk}/send-igen/", follow=True)
    ny = Fil.objects.get(erstatter=a)
    assert ny.filnavn.endswith("_000002.txt") and f"er sendt igen som {ny.filnavn}" in r.content.decode()
    assert f"Sendt igen som {ny.filnavn}" in c.get("/integrationer/").content.decode()
    r = c.post(f"/integrationer/filer/{a.pk}/send-igen/", follow=True)
    assert "allerede sendt igen" in r.content.decode()
    assert c.get("/admin/integrations/fil/").status_code == 200
    assert c.get("/admin/integrations/loebenummer/").status_code == 200


def test_drift_screen_query_count_does_not_grow(root, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Client()
    c.force_login(UserFactory(username="drift3", drift=True))
    _afvis(root, _send())
    c.get("/integrationer/")
    with CaptureQueriesContext(connection) as one:
        c.get("/integrationer/")
    for _ in range(5):
        _afvis(root, _send(751))
    with CaptureQueriesContext(connection) as many:
        c.get("/integrationer/")
    assert len(many) == len(one), [q["sql"][:300] for q in many.captured_queries]

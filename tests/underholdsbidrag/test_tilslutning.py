"""The kommune's tilslutning (seed 004, 3.11.2, U691), advis 370 on the BB (3.1.1.2) and the payout
form of the weekly run with advis 626 (3.3.2)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from batch.services import run_job
from debitor.underholdsbidrag.models import Meddelelse, Tilslutning, UBSag, Udbetaling
from tests.factories import UserFactory
from tests.underholdsbidrag.conftest import sag_body
from tests.underholdsbidrag.test_koersel import AS_OF, SLUG, opret

URL = "/api/v1/underholdsbidrag/"
pytestmark = pytest.mark.django_db
d = dt.date
UDB_DATO = d(2026, 8, 19)  # opret()'s forfaldsdato 2026-08-18 is paid the next bank day


def advisnr(resp):
    return [a["nr"] for a in resp.json()["advis"]]


@pytest.fixture
def faggruppe(db):
    return UserFactory(username="fag1", faggruppe=True)


def tilslut(kommune=101, **felter):
    return Tilslutning.objects.create(kommune_id=kommune, **felter)


# ------------------------------------------------------------------ the endpoint (3.11.2)
def test_faggruppe_creates_and_changes_tilslutning(api, faggruppe):
    c = api.as_user(faggruppe)
    idag = dt.date.today().isoformat()
    r = c.get(URL + "tilslutninger/101/")
    assert r.status_code == 200 and r.json()["findes"] is False
    assert r.json()["pbs"] is False and r.json()["standardcheck"] is False
    # creation: what is not given is Nej; Ja starts today with no end (999999)
    r = c.patch(URL + "tilslutninger/101/", {"pbs": True}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["findes"] and body["advis"] == []
    assert (body["pbs"], body["pbs_start"], body["pbs_slut"]) == (True, idag, None)
    assert (body["standardcheck"], body["standardcheck_start"], body["standardcheck_slut"]) == (False, None, None)
    # PATCH changes only what it names
    r = c.patch(URL + "tilslutninger/101/", {"standardcheck": True}, format="json")
    assert r.json()["pbs"] is True and r.json()["standardcheck"] is True
    # Ja -> Nej: slut = today, start kept
    r = c.patch(URL + "tilslutninger/101/", {"pbs": False}, format="json")
    assert (r.json()["pbs"], r.json()["pbs_start"], r.json()["pbs_slut"]) == (False, idag, idag)
    # PUT replaces: a form not given is Nej
    r = c.put(URL + "tilslutninger/101/", {}, format="json")
    assert r.json()["standardcheck"] is False and r.json()["standardcheck_slut"] == idag
    t = Tilslutning.objects.get(kommune_id=101)
    assert not t.tilsluttet("pbs", dt.date.today()) and not t.tilsluttet("standardcheck", dt.date.today())
    # Nej -> Ja is a new start
    t.pbs_start, t.pbs_slut = d(2020, 1, 1), d(2021, 1, 1)
    t.save()
    r = c.put(URL + "tilslutninger/101/", {"pbs": True}, format="json")
    assert (r.json()["pbs"], r.json()["pbs_start"], r.json()["pbs_slut"]) == (True, idag, None)
    assert [x["kommune"] for x in c.get(URL + "tilslutninger/").json()["results"]] == [101]


def test_tilslutning_validation_stores_nothing(api, faggruppe):
    r = api.as_user(faggruppe).put(URL + "tilslutninger/101/", {"pbs": "ja", "standardcheck": True}, format="json")
    assert r.status_code == 400
    assert r.json()["fejl"][0]["felt"] == "pbs" and r.json()["fejl"][0]["kode"] == "ugyldig"
    assert not Tilslutning.objects.exists()
    r = api.as_user(faggruppe).put(URL + "tilslutninger/101/", ["pbs"], format="json")
    assert r.status_code == 400 and not Tilslutning.objects.exists()
    assert api.as_user(faggruppe).get(URL + "tilslutninger/999/").status_code == 404


def test_tilslutning_scoping_and_roles(api, sagsbehandler, drift):
    tilslut(101, pbs_start=d(2020, 1, 1))
    tilslut(751, standardcheck_start=d(2020, 1, 1))
    c = api.as_user(sagsbehandler)
    r = c.get(URL + "tilslutninger/101/")
    assert r.status_code == 200 and r.json()["pbs"] is True and r.json()["standardcheck"] is False
    assert c.get(URL + "tilslutninger/751/").status_code == 404  # another kommune: as if it did not exist
    assert [x["kommune"] for x in c.get(URL + "tilslutninger/").json()["results"]] == [101]
    # writes are the faggruppe's alone
    assert c.put(URL + "tilslutninger/101/", {"pbs": False}, format="json").status_code == 403
    assert c.patch(URL + "tilslutninger/101/", {"pbs": False}, format="json").status_code == 403
    assert api.as_user(drift).patch(URL + "tilslutninger/101/", {"pbs": False}, format="json").status_code == 403
    assert Tilslutning.objects.get(kommune_id=101).pbs_slut is None
    # drift (not bound to a kommune) reads every row
    assert [x["kommune"] for x in api.as_user(drift).get(URL + "tilslutninger/").json()["results"]] == [101, 751]


def test_tilslutning_in_schema(api, drift):
    paths = api.as_user(drift).get("/api/schema/?format=json").json()["paths"]
    assert "/api/v1/underholdsbidrag/tilslutninger/" in paths
    detail = paths["/api/v1/underholdsbidrag/tilslutninger/{kommune}/"]
    assert {"get", "put", "patch"} <= set(detail)


# ------------------------------------------------------------------ advis 370 (3.1.1.2)
def _body(form, regnr=None, kontonr=None):
    body = sag_body()
    body["bb"].update(udbetalingsform=form, regnr=regnr, kontonr=kontonr)
    return body


def test_370_on_creation_sets_kontant_without_tilslutning(api, sagsbehandler):
    r = api.as_user(sagsbehandler).post(URL + "sager/", _body(1, "1234", "12345678"), format="json")
    assert r.status_code == 201, r.json()
    assert advisnr(r) == ["370"] and "sat til 0 (kontant)" in r.json()["advis"][0]["tekst"]
    bb = r.json()["bb"]
    assert (bb["udbetalingsform"], bb["regnr"], bb["kontonr"]) == (0, None, None)
    assert Meddelelse.objects.filter(nr="370", sag_id=r.json()["id"]).exists()


def test_370_on_creation_sets_standardcheck_when_connected(api, sagsbehandler):
    tilslut(standardcheck_start=d(2020, 1, 1))
    r = api.as_user(sagsbehandler).post(URL + "sager/", _body(1, "1234", "12345678"), format="json")
    assert advisnr(r) == ["370"] and r.json()["bb"]["udbetalingsform"] == 2 and r.json()["bb"]["regnr"] is None


def test_370_standardcheck_ended(api, sagsbehandler):
    tilslut(standardcheck_start=d(2020, 1, 1), standardcheck_slut=dt.date.today())  # Nej since today
    r = api.as_user(sagsbehandler).post(URL + "sager/", _body(2), format="json")
    assert advisnr(r) == ["370"] and r.json()["bb"]["udbetalingsform"] == 0


@pytest.mark.parametrize("form,felter", [
    (1, {"pbs_start": d(2020, 1, 1)}),
    (2, {"standardcheck_start": d(2020, 1, 1)}),
    (0, {}),
    (None, {}),
])
def test_no_370_when_the_form_fits(api, sagsbehandler, form, felter):
    if felter:
        tilslut(**felter)
    regnr = ("1234", "12345678") if form == 1 else (None, None)
    r = api.as_user(sagsbehandler).post(URL + "sager/", _body(form, *regnr), format="json")
    assert r.status_code == 201 and advisnr(r) == [] and r.json()["bb"]["udbetalingsform"] == form
    assert not Meddelelse.objects.filter(nr="370").exists()


def test_370_on_change_keeps_the_registered_form(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", _body(0), format="json").json()["id"]
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"udbetalingsform": 1, "regnr": "1234", "kontonr": "12345678"}},
                format="json")
    assert r.status_code == 200 and advisnr(r) == ["370"]
    assert "bevares" in r.json()["advis"][0]["tekst"]
    assert r.json()["bb"]["udbetalingsform"] == 1 and r.json()["bb"]["regnr"] == "1234"
    # connected now: the same change gives no 370; a change not naming the form is not checked
    tilslut(pbs_start=d(2020, 1, 1))
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"udbetalingsform": 1}}, format="json")
    assert advisnr(r) == []
    Tilslutning.objects.filter(kommune_id=101).update(pbs_slut=d(2021, 1, 1))
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"ratevis": True}}, format="json")
    assert advisnr(r) == []


def test_370_request_failing_stores_nothing(api, sagsbehandler):
    body = _body(1)  # bankoverførsel without regnr/kontonr: rejected before any advis
    r = api.as_user(sagsbehandler).post(URL + "sager/", body, format="json")
    assert r.status_code == 400 and not UBSag.objects.exists() and not Meddelelse.objects.exists()


# ------------------------------------------------------------------ the payout form (3.3.2)
def _run_payout(form, regnr=None, kontonr=None, bb_status=0):
    sag = opret()
    UBSag.objects.filter(pk=sag.pk).update(udbetalingsform=form, regnr=regnr, kontonr=kontonr,
                                           bb_statuskode=bb_status)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    assert k.status == "succeeded"
    u = Udbetaling.objects.get(koersel=k)
    assert u.udbetalingsdato == UDB_DATO and u.beloeb > 0
    return u, list(Meddelelse.objects.filter(koersel=k, nr="626"))


def test_run_pays_pbs_when_connected(satser):
    tilslut(pbs_start=d(2020, 1, 1))
    u, m626 = _run_payout(1, "1234", "12345678")
    assert u.udbetalingsform == 1 and m626 == []


def test_run_626_bank_without_pbs(satser):
    tilslut(standardcheck_start=d(2020, 1, 1))  # standardcheck does not help a bankoverførsel
    u, m626 = _run_payout(1, "1234", "12345678")
    assert u.udbetalingsform == 0 and len(m626) == 1
    assert "udbetalingsform 1" in m626[0].tekst and "PBS" in m626[0].tekst and m626[0].sag_id == u.sag_id


def test_run_626_standardcheck_ended_on_the_payout_date(satser):
    tilslut(standardcheck_start=d(2020, 1, 1), standardcheck_slut=UDB_DATO)
    u, m626 = _run_payout(2)
    assert u.udbetalingsform == 0 and len(m626) == 1 and "standardcheck" in m626[0].tekst


def test_run_pays_standardcheck_connected_on_the_payout_date(satser):
    tilslut(standardcheck_start=UDB_DATO, standardcheck_slut=UDB_DATO + dt.timedelta(days=1))
    u, m626 = _run_payout(2)
    assert u.udbetalingsform == 2 and m626 == []


def test_run_626_no_tilslutning_at_all(satser):
    u, m626 = _run_payout(2)
    assert u.udbetalingsform == 0 and len(m626) == 1


@pytest.mark.parametrize("felter,form", [({"standardcheck_start": d(2020, 1, 1)}, 2), ({}, 0),
                                         ({"pbs_start": d(2020, 1, 1)}, 0)])
def test_run_unregistered_form_standardcheck_else_kontant(satser, felter, form):
    if felter:
        tilslut(**felter)
    u, m626 = _run_payout(None)
    assert u.udbetalingsform == form and m626 == []


def test_run_bb_status_3_kontant_without_advis(satser):
    tilslut(pbs_start=d(2020, 1, 1))
    sag = opret(forfald="2026-12-01")
    UBSag.objects.filter(pk=sag.pk).update(udbetalingsform=1, regnr="1234", kontonr="12345678", bb_statuskode=3)
    from debitor.underholdsbidrag import services
    services.registrer_tf(sag, {"bp": sag.bidragspersoner.get().cpr, "tf_kode": 31, "bidragsart": 11,
                                "beloeb": "100.00", "dato": "2026-08-14"}, as_of=AS_OF)
    k = run_job(SLUG, kommune=101, as_of=AS_OF)
    u = Udbetaling.objects.get(koersel=k)
    assert u.beloeb == D("100.00") and u.udbetalingsform == 0
    assert not Meddelelse.objects.filter(koersel=k, nr="626").exists()


def test_screen_leaves_the_form_unregistered(client, sagsbehandler):
    client.force_login(sagsbehandler)
    assert "ikke angivet" in client.get("/underholdsbidrag/ny/").content.decode()
    r = client.post("/underholdsbidrag/ny/", {"kommune": "101", "bb_cpr": "0101801234", "bp_cpr": "1505155234",
                                              "udbetalingsform": "", "bidragsart": "11", "bpl": "0202751234",
                                              "forfaldsdato": "2026-01-02", "forfaldsfrekvens": "H"})
    assert r.status_code == 302
    sag = UBSag.objects.get()
    assert sag.udbetalingsform is None
    assert "ikke angivet" in client.get(f"/underholdsbidrag/{sag.pk}/").content.decode()
    # 2 without standardcheck: the screen shows advis 370 and the sag is kontant
    r = client.post("/underholdsbidrag/ny/", {"kommune": "101", "bb_cpr": "0202801234", "bp_cpr": "1505155234",
                                              "udbetalingsform": "2", "bidragsart": "11", "bpl": "0202751234",
                                              "forfaldsdato": "2026-01-02", "forfaldsfrekvens": "H"})
    assert r.status_code == 200 and "370" in r.content.decode()
    assert UBSag.objects.get(bb_cpr="0202801234").udbetalingsform == 0

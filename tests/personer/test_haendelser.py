"""CPR events (personer.md): POST /api/v1/cpr-haendelser/, validation, idempotency, register updates."""

import datetime as dt

import pytest

from cases.models import Abonnement, Bevilling, Opgave
from cases.personer.models import CprHaendelse, Historik, Ophold, Relation, Stamdata
from tests.factories import BevillingFactory, PersonFactory, SagFactory, make_cpr

pytestmark = pytest.mark.django_db
URL = "/api/v1/cpr-haendelser/"
CPR = "0101804321"


@pytest.fixture
def fulgt():
    sag = SagFactory(kommune_id=101, person=PersonFactory(cpr=CPR, navn="Anna Jensen"))
    Abonnement.objects.create(kommune_id=101, person=sag.person)
    return sag


def ev(hid, typ, dato="2026-12-01", person=CPR, **data):
    return {"haendelse_id": hid, "cpr": person, "type": typ, "dato": dato, "data": data}


def post(api, drift, body):
    return api.as_user(drift).post(URL, body, format="json")


def test_only_drift_may_post(api, sagsbehandler, fulgt):
    r = api.as_user(sagsbehandler).post(URL, [ev("h1", "navn", navn="X")], format="json")
    assert r.status_code == 403


def test_navn_adresse_civilstand_apply_with_history(api, drift, fulgt):
    r = post(api, drift, [
        ev("h1", "navn", navn="Anna Holm"),
        ev("h2", "adresse", vejnavn="Nørregade", husnr="12", etage="2", side="TV", postnr=1165, by="København K",
           kommunekode=101, vejkode=4826, co="Hansen"),
        ev("h3", "civilstand", civilstand="G"),
    ])
    assert r.status_code == 200, r.content
    assert r.json()["behandlet"] == 3 and r.json()["uden_abonnement"] == 0
    fulgt.person.refresh_from_db()
    s = Stamdata.objects.get(person=fulgt.person)
    assert fulgt.person.navn == "Anna Holm"
    assert (s.vejnavn, s.husnr, s.kommunekode, s.vejkode, s.co, s.adresse_fra) == (
        "Nørregade", "12", 101, 4826, "Hansen", dt.date(2026, 12, 1))
    assert s.civilstand == "G" and s.foedselsdato == dt.date(1980, 1, 1)
    felter = dict(Historik.objects.filter(person=fulgt.person).values_list("felt", "ny"))
    assert felter["navn"] == "Anna Holm" and "Nørregade 12 2 TV" in felter["adresse"] and felter["civilstand"] == "G"
    h = Historik.objects.get(person=fulgt.person, felt="navn")
    assert h.gammel == "Anna Jensen" and h.haendelse_id == "h1" and "h1" in h.kilde
    assert CprHaendelse.objects.count() == 3


def test_idempotent_by_haendelse_id(api, drift, fulgt):
    body = [ev("h1", "navn", navn="Anna Holm")]
    assert post(api, drift, body).json()["behandlet"] == 1
    r = post(api, drift, body)
    assert r.json()["behandlet"] == 0 and r.json()["allerede_kendt"] == 1
    assert CprHaendelse.objects.count() == 1 and Historik.objects.count() == 1


def test_unknown_cpr_without_subscription_is_skipped_and_counted(api, drift, fulgt):
    PersonFactory(cpr=make_cpr(5))  # known to ky, but nobody subscribes
    r = post(api, drift, [ev("h1", "navn", navn="X", person=make_cpr(5)), ev("h2", "navn", navn="Y", person="0202024321"),
                          ev("h3", "navn", navn="Anna Holm")])
    assert r.status_code == 200
    assert r.json().items() >= {"modtaget": 3, "behandlet": 1, "uden_abonnement": 2}.items()
    assert list(CprHaendelse.objects.values_list("haendelse_id", flat=True)) == ["h3"]


@pytest.mark.parametrize("bad,kode,ord", [
    (ev("x", "doed", dato="1979-12-31"), "modstrid", "før borgerens fødsel"),
    (ev("x", "relation", type="barn", cpr=CPR), "modstrid", "til borgeren selv"),
    (ev("x", "relation", type="barn", cpr="0101704321"), "modstrid", "født før forælderen"),
    (ev("x", "ny_cpr", ny_cpr=CPR), "modstrid", "samme som det gamle"),
    (ev("x", "ophold", fra="2020-01-01", til="2019-01-01", land="DK"), "modstrid", "før det begynder"),
    (ev("x", "udrejst", land="DK"), "modstrid", "Danmark"),
    (ev("x", "navn"), "ugyldig", "navn"),
    (ev("x", "adresse", vejkode=12), "ugyldig", "kommunekode"),
    (ev("x", "adresse", postnr="1165"), "ugyldig", "postnr"),
    (ev("x", "civilstand", civilstand="Q"), "ugyldig", "civilstand"),
    (ev("x", "flyttet"), "ugyldig", "ukendt type"),
    (ev("x", "navn", dato="2026-02-30", navn="A"), "ugyldig", "dato"),
    (ev("x", "navn", person="3213801234", navn="A"), "ugyldig", "CPR"),
    ({"haendelse_id": "", "cpr": CPR, "type": "navn", "dato": "2026-01-01"}, "ugyldig", "haendelse_id"),
    ("ikke et objekt", "ugyldig", "objekt"),
])
def test_a_bad_event_refuses_the_whole_batch_naming_it(api, drift, fulgt, bad, kode, ord):
    r = post(api, drift, [ev("god", "navn", navn="Anna Holm"), bad])
    assert r.status_code == 400, r.content
    fejl = r.json()["fejl"]
    assert fejl[0]["kode"] == kode and ord in fejl[0]["tekst"] and fejl[0]["felt"].startswith("[1]")
    if isinstance(bad, dict) and bad["haendelse_id"]:
        assert "Hændelse x" in fejl[0]["tekst"]
    assert not CprHaendelse.objects.exists() and not Historik.objects.exists()
    fulgt.person.refresh_from_db()
    assert fulgt.person.navn == "Anna Jensen"


def test_garbage_bodies_are_400(api, drift, fulgt):
    for body in ({"a": 1}, "x", None, [None], [ev("h", "navn", navn="A") | {"data": [1]}]):
        r = api.as_user(drift).post(URL, body, format="json")
        assert r.status_code == 400, (body, r.content)
    r = api.as_user(drift).post(URL, "ikke json", content_type="application/json")
    assert r.status_code == 400


def test_a_second_death_date_contradicts_the_register(api, drift, fulgt):
    assert post(api, drift, [ev("d1", "doed", dato="2026-11-01")]).status_code == 200
    r = post(api, drift, [ev("d2", "doed", dato="2026-11-02")])
    assert r.status_code == 400 and "allerede registreret død" in r.json()["fejl"][0]["tekst"]
    assert post(api, drift, [ev("d3", "doed", dato="2026-11-01")]).status_code == 200  # the same date: fine


def test_relation_and_ophold_events(api, drift, fulgt):
    barn = "0203154325"
    post(api, drift, [ev("r1", "relation", dato="2015-03-02", type="barn", cpr=barn),
                      ev("o1", "ophold", dato="1980-01-01", fra="1980-01-01", land="DK")])
    assert list(Relation.objects.values_list("type", "cpr", "fra", "til")) == [("barn", barn, dt.date(2015, 3, 2), None)]
    post(api, drift, [ev("r2", "relation", dato="2026-06-01", type="barn", cpr=barn, ophoert=True)])
    assert Relation.objects.get().til == dt.date(2026, 6, 1)
    post(api, drift, [ev("u1", "udrejst", dato="2026-07-01", land="SE"), ev("i1", "indrejst", dato="2026-10-01")])
    assert list(Ophold.objects.order_by("fra").values_list("fra", "til", "land")) == [
        (dt.date(1980, 1, 1), dt.date(2026, 6, 30), "DK"), (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "SE"),
        (dt.date(2026, 10, 1), None, "DK")]
    assert Stamdata.objects.get().status == "aktiv"


def test_an_older_event_does_not_overwrite_a_newer_address(api, drift, fulgt):
    post(api, drift, [ev("a2", "adresse", dato="2026-10-01", vejnavn="Ny", kommunekode=101)])
    post(api, drift, [ev("a1", "adresse", dato="2026-05-01", vejnavn="Gammel", kommunekode=101)])
    assert Stamdata.objects.get().vejnavn == "Ny"
    assert Historik.objects.filter(felt="adresse").count() == 2


def test_doed_stops_payments_and_gives_tasks(api, drift, fulgt):
    bev = BevillingFactory(sag=fulgt, bevilget_fra=dt.date(2026, 1, 1))
    uden_sag = BevillingFactory(uden_sag=True, kommune_id=101, person=fulgt.person, bevilget_fra=dt.date(2026, 2, 1))
    senere = BevillingFactory(sag=fulgt, bevilget_fra=dt.date(2027, 1, 1))
    r = post(api, drift, [ev("d1", "doed", dato="2026-11-10")])
    assert r.status_code == 200 and r.json()["opgaver"] == 2
    for b in (bev, uden_sag):
        b.refresh_from_db()
        assert b.bevilget_til == dt.date(2026, 11, 10) and b.status == "bevilget"
    senere.refresh_from_db()
    assert senere.status == "ophoert"
    opg = Opgave.objects.filter(type="cpr-haendelse").order_by("id")
    assert [(o.sag_id, o.aarsag) for o in opg] == [(fulgt.pk, "doed"), (None, "doed")]
    assert "død 2026-11-10" in opg[0].titel and opg[0].opgavepakke is not None
    assert Stamdata.objects.get().status == "doed"
    assert Bevilling.objects.filter(bevilget_til__gt=dt.date(2026, 11, 10), status="bevilget").count() == 0

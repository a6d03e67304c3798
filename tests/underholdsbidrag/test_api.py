import datetime as dt

import pytest

from debitor.underholdsbidrag.models import Bidrag, Sats, UBSag
from tests.factories import UserFactory
from tests.underholdsbidrag.conftest import sag_body

URL = "/api/v1/underholdsbidrag/"
pytestmark = pytest.mark.django_db


def kode(resp):
    return [f["kode"] for f in resp.json()["fejl"]]


def test_sats_periods_close_and_keep_three(api):
    fag = UserFactory(faggruppe=True)
    c = api.as_user(fag)
    for i, fra in enumerate(["2024-07-01", "2025-07-01", "2026-07-01", "2027-07-01"]):
        r = c.post(URL + "satser/", {"bidragsart": 11, "gyldig_fra": fra, "beloeb": str(3900 + i)}, format="json")
        assert r.status_code == 201, r.json()
    rows = list(Sats.objects.filter(bidragsart=11).order_by("gyldig_fra"))
    assert [s.gyldig_fra.isoformat() for s in rows] == ["2025-07-01", "2026-07-01", "2027-07-01"]
    assert rows[1].gyldig_til == dt.date(2027, 6, 30) and rows[2].gyldig_til is None
    r = c.patch(URL + f"satser/{rows[0].pk}/", {"beloeb": "1"}, format="json")
    assert r.status_code == 400
    r = c.patch(URL + "satser/", {"bidragsart": 11, "beloeb": "4100.00"}, format="json")
    assert r.status_code == 200 and r.json()["beloeb"] == "4100.00"


def test_sats_write_role(api, sagsbehandler):
    r = api.as_user(sagsbehandler).post(URL + "satser/", {"bidragsart": 11, "gyldig_fra": "2026-01-01",
                                                          "beloeb": "1"}, format="json")
    assert r.status_code == 403
    assert api.as_user(sagsbehandler).get(URL + "satser/").status_code == 200


def test_create_and_get_sag(api, sagsbehandler, sagsbehandler_751):
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "sager/", sag_body(), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["advis"] == [] and body["bidragspersoner"][0]["bidrag"][0]["forfaldsfrekvens"] == "H"
    pk = body["id"]
    assert c.get(URL + f"sager/{pk}/").json()["bb"]["cpr"] == "0101801234"
    assert api.as_user(sagsbehandler_751).get(URL + f"sager/{pk}/").status_code == 404
    # same BB again -> 170
    c = api.as_user(sagsbehandler)
    r = c.post(URL + "sager/", sag_body(), format="json")
    assert r.status_code == 400 and "170" in kode(r)


@pytest.mark.parametrize("mutate,fejlnr", [
    (lambda b: b.update(bidragspersoner=[]), "175"),
    (lambda b: b["bidragspersoner"][0]["bidrag"][0].pop("forfaldsfrekvens"), "143"),
    (lambda b: b["bidragspersoner"][0]["bidrag"][0].update(bidragsart=21), "169"),
    (lambda b: b["bidragspersoner"][0]["bidrag"][0].update(fast_bidrag="100", procentsats="50"), "225"),
    (lambda b: b["bidragspersoner"][0]["bidrag"][0].update(fast_bidrag="%"), "224"),
    (lambda b: b["bb"].update(regnr="1234", kontonr="123456"), "198"),
    (lambda b: b["bidragspligtige"].append({"cpr": "0303701234"}), "180"),
])
def test_create_fejlnr_and_nothing_stored(api, sagsbehandler, mutate, fejlnr):
    body = sag_body()
    mutate(body)
    r = api.as_user(sagsbehandler).post(URL + "sager/", body, format="json")
    assert r.status_code == 400 and fejlnr in kode(r), r.json()
    assert r.json()["fejl"][0]["tekst"]
    assert not UBSag.objects.exists()


def test_patch_rules(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    r = c.patch(URL + f"sager/{pk}/", {"omraade": 7}, format="json")
    assert r.status_code == 200 and r.json()["advis"][0]["nr"] == "600"
    # A/B-kode from 3 to 0 -> marking, advis 378
    c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "ab_kode": 3}]}, format="json")
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "ab_kode": 0}]}, format="json")
    assert [a["nr"] for a in r.json()["advis"]] == ["378"]
    # delete active sag -> 174
    r = c.delete(URL + f"sager/{pk}/")
    assert r.status_code == 400 and kode(r) == ["174"]
    # stop BP: BB becomes inactive; then a change other than områdeflytning -> 197
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "statuskode": 8}]}, format="json")
    assert r.status_code == 200 and r.json()["bb"]["statuskode"] == 9
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"udbetalingsform": 2}}, format="json")
    assert kode(r) == ["197"]
    r = c.patch(URL + f"sager/{pk}/", {"bb": {"statuskode": 0}}, format="json")
    assert kode(r) == ["178"]
    r = c.delete(URL + f"sager/{pk}/")
    assert r.status_code == 200 and r.json()["advis"][0]["nr"] == "602"


def test_art32_counter_zero_cannot_change(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    body = sag_body()
    body["bidragspersoner"][0]["bidrag"][0].update(bidragsart=32, forfaldsfrekvens="3")
    pk = c.post(URL + "sager/", body, format="json").json()["id"]
    Bidrag.objects.filter(bp__sag_id=pk).update(forfaldsfrekvens="0", forfaldsdato=None)
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "bidrag": [
        {"bidragsart": 32, "bpl": "0202751234", "forfaldsdato": "2026-05-01", "forfaldsfrekvens": "3"}]}]},
        format="json")
    assert "109" in kode(r)


def test_tf_and_anmodning(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    body = sag_body()
    body["bidragspersoner"][0]["bidrag"][0]["bidragsart"] = 12
    body["bidragspersoner"][0]["indtaegt"] = "50000"
    pk = c.post(URL + "sager/", body, format="json").json()["id"]
    r = c.post(URL + f"sager/{pk}/tillaeg-fradrag/", {"bp": "9999999999", "tf_kode": 11, "bidragsart": 11}, format="json")
    assert kode(r) == ["184"]
    r = c.post(URL + f"sager/{pk}/tillaeg-fradrag/", {"bp": "1505091234", "tf_kode": 11, "bidragsart": 11,
                                                       "til_dato": "2099-01-01"}, format="json")
    assert kode(r) == ["158"]
    r = c.post(URL + f"sager/{pk}/tillaeg-fradrag/", {"bp": "1505091234", "tf_kode": 31, "bidragsart": 11,
                                                       "beloeb": "100.00", "beloebsmodtager": 1}, format="json")
    assert r.status_code == 201 and r.json()["advis"]
    assert len(c.get(URL + f"sager/{pk}/tillaeg-fradrag/").json()["results"]) == 1
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"bp": "1111111111", "bidragsart": 12, "forfaldsdato": "2026-01-02"}, format="json")
    assert kode(r) == ["185"]
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"bp": "1505091234", "bidragsart": 12, "forfaldsdato": "2026-02-02"}, format="json")
    assert kode(r) == ["187"]
    # art 12 with BP 16 years old on forfaldsdato -> anmodning needed (no 196)
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"bp": "1505091234", "bidragsart": 12, "forfaldsdato": "2026-01-02"}, format="json")
    assert r.status_code == 201, r.json()
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"bp": "1505091234", "bidragsart": 12, "forfaldsdato": "2026-01-02"}, format="json")
    assert kode(r) == ["222"]


def test_anmodning_not_needed_196(api, sagsbehandler, satser):
    c = api.as_user(sagsbehandler)
    body = sag_body()
    body["bidragspersoner"][0]["cpr"] = "1505155234"  # born 2015, under 15
    pk = c.post(URL + "sager/", body, format="json").json()["id"]
    r = c.post(URL + f"sager/{pk}/anmodninger/", {"bp": "1505155234", "bidragsart": 11, "forfaldsdato": "2026-01-02"}, format="json")
    assert kode(r) == ["196"]


def test_kontoplan_put_get(api):
    admin = UserFactory(kommuneadmin=True, kommuner=[101])
    c = api.as_user(admin)
    rows = [{"kontogruppe": "bidrag", "bidragskode": "03", "bidragsart": None, "udbetalingsform": None,
             "konto": "5.57.72.1"},
            {"kontogruppe": "bidrag", "bidragskode": None, "bidragsart": 11, "udbetalingsform": None,
             "konto": "5.57.72.2"},
            {"kontogruppe": "afregning", "bidragskode": None, "bidragsart": None, "udbetalingsform": 1,
             "konto": "8.22.01.1"}]
    r = c.put(URL + "kontoplan/", rows, format="json")
    assert r.status_code == 200, r.json()
    assert c.get(URL + "kontoplan/").json()["results"] == rows
    assert c.put(URL + "kontoplan/", [{"kontogruppe": "x", "konto": ""}], format="json").status_code == 400


def test_patch_bidrag_354_and_delete(api, sagsbehandler):
    c = api.as_user(sagsbehandler)
    pk = c.post(URL + "sager/", sag_body(), format="json").json()["id"]
    Bidrag.objects.filter(bp__sag_id=pk).update(forfaldsdato=None)
    bid = {"bidragsart": 11, "bpl": "0202751234", "forfaldsfrekvens": "K"}
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "bidrag": [bid]}]}, format="json")
    assert "354" in kode(r)
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "bidrag": [
        {**bid, "forfaldsdato": "2026-10-02"}]}]}, format="json")
    assert r.status_code == 200 and "378" in [a["nr"] for a in r.json()["advis"]]  # 0 -> dato: anmodning kræves
    assert r.json()["bidragspersoner"][0]["bidrag"][0]["forfaldsfrekvens"] == "K"
    r = c.patch(URL + f"sager/{pk}/", {"bidragspersoner": [{"cpr": "1505091234", "bidrag": [
        {"bidragsart": 11, "bpl": "0202751234", "forfaldsdato": "%", "forfaldsfrekvens": "%"}]}]}, format="json")
    assert r.status_code == 200 and r.json()["bidragspersoner"][0]["bidrag"] == []
    assert r.json()["bidragspligtige"] == [] and "803" in [a["nr"] for a in r.json()["advis"]]
